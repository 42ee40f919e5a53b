// Unit tests for the end of a sync in the sidebar (src/ui/sidebar/job-end.ts): a run-log write that failed is
// said at the end of a sync too, as it is for a refresh, preview or import and in the menu.
import { beforeEach, describe, expect, it } from "vitest";
import { emptyCounts } from "../../../src/core/engine/job";
import type { SyncProgress } from "../../../src/core/views/sidebar-api";
import { doneBlock, readDoneBlock } from "../../../src/ui/sidebar/job-end";
import { type FakeElement, installFakeDocument } from "./fake-dom";

beforeEach(() => {
  installFakeDocument();
});

const LOG_FAILURE = "The run log could not be written (the sheet is protected); the rows show every result.";

function finished(kind: SyncProgress["kind"]): SyncProgress {
  return {
    jobId: "job1",
    kind,
    sheetName: "Runs",
    state: "finished",
    counts: { ...emptyCounts(), updated: 3 },
    rowsLeft: 0,
    rowsToSend: 3,
    rate: 10,
    executions: 1,
    notSynced: [],
    logFailure: LOG_FAILURE,
  };
}

const text = (children: unknown[]) => children.map((child) => (child as FakeElement).textContent).join(" ");

describe("the end of a job", () => {
  it("shows a failed run-log write at the end of a sync", () => {
    expect(text(doneBlock(finished("update")))).toContain(LOG_FAILURE);
  });

  it("shows it the same way at the end of a refresh", () => {
    expect(text(readDoneBlock(finished("refresh"), "Runs"))).toContain(LOG_FAILURE);
  });

  it("says nothing of the run log when it was written", () => {
    const { logFailure: _logFailure, ...progress } = finished("update");
    expect(text(doneBlock(progress))).not.toContain("run log");
  });
});
