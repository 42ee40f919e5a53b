// Unit tests for src/core/engine/outcome.ts: only the cells an outcome changes are written, text is stored
// exactly and never evaluated, another run's outputs are blanked, and the state cell forgets what a failure
// may have changed.
import { describe, expect, it } from "vitest";
import {
  DONE_MARKS,
  doneAs,
  keepsOwnOutputs,
  outcomeCells,
  outcomeCounts,
  pendingStateCell,
  RESULT_TEXT,
  type RowBefore,
  type RowOutcome,
} from "../../../src/core/engine/outcome";
import { decodeRowState } from "../../../src/core/engine/row-state";
import type { SyncError } from "../../../src/core/requests/classify";
import { runIdTag } from "../../../src/core/requests/fingerprint";
import { describeError } from "../../../src/core/requests/messages";
import type { RunFacts } from "../../../src/core/requests/run-facts";
import { MAX_CELL_CHARACTERS, textCell } from "../../../src/core/sheet/cell";

const RUN = "workflow_run_1";
const OTHER = "workflow_run_2";
const SYNCED = new Date(Date.UTC(2026, 1, 9, 10, 0, 0));
const LINK = `https://dashboard.extend.ai/workflows/${RUN}`;
const notFound: SyncError = { code: "NOT_FOUND", message: "Workflow run not found.", httpStatus: 404 };

const updated = (extra: Partial<Extract<RowOutcome, { kind: "updated" }>> = {}): RowOutcome => ({
  kind: "updated",
  runStatus: "PROCESSED",
  dashboardUrl: LINK,
  syncedAt: SYNCED,
  fingerprint: "newprint",
  tagChanges: [],
  ...extra,
});

/** A row last synced for `owner`: its state remembers the last accepted request and whose outputs it shows. */
const rowBefore = (runId = RUN, owner = RUN, extra: Partial<RowBefore["state"]> = {}): RowBefore => ({
  runId,
  state: { lastSent: "oldprint", outputsRun: runIdTag(owner), ...extra },
  link: `https://dashboard.extend.ai/workflows/${owner}`,
});

describe("textCell", () => {
  it.each([
    ["", ""],
    ["Updated", "Updated"],
    ["PROCESSED", "PROCESSED"],
    [LINK, LINK],
    ["NOT_FOUND: gone. What to do: check it", "NOT_FOUND: gone. What to do: check it"],
    ["=1+1", "'=1+1"],
    ["+44 20", "'+44 20"],
    ["-5", "'-5"],
    ["@user", "'@user"],
    ["00123", "'00123"],
    ["2026-04-12", "'2026-04-12"],
    ["'quoted", "''quoted"],
    ["TRUE", "'TRUE"],
    ["false", "'false"],
    ["Mar 5", "'Mar 5"],
    ["March 2026", "'March 2026"],
    [" leading space", "' leading space"],
  ])("%j -> %j", (text, cell) => {
    expect(textCell(text)).toBe(cell);
  });

  it("cuts text to fit one cell, apostrophe included", () => {
    for (const text of ["x".repeat(60_000), `=${"x".repeat(60_000)}`, "y".repeat(MAX_CELL_CHARACTERS)]) {
      const cell = textCell(text);
      expect(cell.length).toBeLessThanOrEqual(MAX_CELL_CHARACTERS);
      expect(cell).toMatch(/\[cut to fit a cell\]$/);
    }
    expect(textCell("z".repeat(MAX_CELL_CHARACTERS - 1))).toBe("z".repeat(MAX_CELL_CHARACTERS - 1));
  });
});

describe("RESULT_TEXT", () => {
  it("has one filterable word per outcome", () => {
    expect(RESULT_TEXT).toEqual({
      updated: "Updated",
      failed: "Failed",
      invalid: "Invalid",
      unchanged: "Unchanged",
      noop: "Nothing to change",
    });
  });
});

describe("outcomeCells", () => {
  it("writes every output column for an update, and remembers the request and the run", () => {
    const cells = outcomeCells(updated(), rowBefore(), "job1");
    expect(cells).toEqual({
      result: "Updated",
      status: "PROCESSED",
      syncedAt: SYNCED,
      error: "",
      link: LINK,
      state: `v1 sent=newprint of=${runIdTag(RUN)} done=job1:u`,
    });
  });

  it("writes no link when the answer had none", () => {
    expect(outcomeCells(updated({ dashboardUrl: undefined }), rowBefore(), "job1").link).toBe("");
  });

  it("writes only result, error and state for a failure, and forgets the last accepted request", () => {
    const cells = outcomeCells({ kind: "failed", error: notFound }, rowBefore(), "job1");
    expect(Object.keys(cells).sort()).toEqual(["error", "result", "state"]);
    expect(cells.result).toBe("Failed");
    expect(cells.error).toBe(describeError(notFound));
    const state = decodeRowState(cells.state);
    expect(state).toEqual({ outputsRun: runIdTag(RUN), doneSync: "job1", doneAs: "f" });
  });

  it.each<[RowOutcome["kind"], RowOutcome, string]>([
    ["invalid", { kind: "invalid", errors: ["Run ID is empty.", "Tags has no usable tag."] }, "i"],
    ["unchanged", { kind: "unchanged" }, "c"],
    ["noop", { kind: "noop" }, "n"],
  ])("keeps the last accepted request for %s (nothing was sent)", (_kind, outcome, letter) => {
    const cells = outcomeCells(outcome, rowBefore(), "job1");
    expect(Object.keys(cells).sort()).toEqual(["error", "result", "state"]);
    expect(decodeRowState(cells.state)).toEqual({
      lastSent: "oldprint",
      outputsRun: runIdTag(RUN),
      doneSync: "job1",
      doneAs: letter,
    });
    if (outcome.kind === "invalid")
      expect(cells.error).toBe(
        'INVALID_ROW: Run ID is empty. Tags has no usable tag. See "INVALID_ROW" in the user guide.',
      );
    else expect(cells.error).toBe("");
  });

  it.each<RowOutcome>([
    { kind: "failed", error: notFound },
    { kind: "invalid", errors: ["bad"] },
    { kind: "noop" },
  ])("blanks the status, time and link a row kept from another run (%j)", (outcome) => {
    const cells = outcomeCells(outcome, rowBefore(OTHER, RUN), "job1");
    expect(cells).toMatchObject({ status: "", syncedAt: "", link: "" });
    expect(decodeRowState(cells.state).outputsRun).toBeUndefined();
  });

  it("writes text that would be evaluated so Sheets stores it as typed", () => {
    const cells = outcomeCells(
      { kind: "failed", error: { code: "=EVIL()", message: "-1" } },
      rowBefore(),
      "j",
    );
    expect(cells.error).toMatch(/^'=EVIL\(\): -1\. What to do: /);
    const weird = outcomeCells(updated({ runStatus: "=1+1" }), rowBefore(), "j");
    expect(weird.status).toBe("'=1+1");
  });

  it("cuts a result that lists many tag changes to fit a cell", () => {
    const tagChanges = Array.from({ length: 5_000 }, (_, index) => ({
      typed: `!!${index}!!`,
      reason: "empty after cleaning" as const,
    }));
    const cells = outcomeCells(updated({ tagChanges }), rowBefore(), "job1");
    expect(String(cells.result).length).toBeLessThanOrEqual(MAX_CELL_CHARACTERS);
    expect(String(cells.result)).toMatch(/^Updated; tags: "!!0!!" is dropped/);
  });
});

describe("doneAs", () => {
  const facts: RunFacts = {
    status: "PROCESSED",
    tagsText: "",
    metadataText: "{}",
    tags: [],
    metadata: {},
    credits: null,
    unreadable: [],
  };
  const readAt = SYNCED;
  it.each<RowOutcome>([
    updated(),
    { kind: "failed", error: notFound },
    { kind: "invalid", errors: ["bad"] },
    { kind: "unchanged" },
    { kind: "noop" },
    { kind: "refreshed", facts, readAt },
    { kind: "read failed", error: notFound },
    { kind: "read failed", error: { code: "INVALID_RUN_ID", message: "empty" }, noRequest: true },
    { kind: "previewed", facts, readAt, verdict: "matches", fingerprint: "p" },
    { kind: "previewed", facts, readAt, verdict: "differs", fingerprint: "p" },
    { kind: "previewed", facts, readAt, verdict: "unknown", fingerprint: "p" },
    { kind: "skipped", because: "invalid" },
    { kind: "skipped", because: "noop" },
  ])("marks %j with a letter that counts what outcomeCounts counts", (outcome) => {
    const letter = doneAs(outcome);
    expect(DONE_MARKS[letter].counts).toEqual(outcomeCounts(outcome));
    expect(decodeRowState(outcomeCells(outcome, rowBefore(), "job1").state)).toMatchObject({
      doneSync: "job1",
      doneAs: letter,
    });
  });

  it("says which outcomes took a request: a row without a usable Run ID was never asked about", () => {
    const requested = Object.entries(DONE_MARKS)
      .filter(([, mark]) => mark.requested)
      .map(([letter]) => letter);
    expect(requested.sort()).toEqual(["d", "e", "f", "m", "r", "u"]);
  });
});

describe("keepsOwnOutputs", () => {
  it.each<[string, RowBefore, boolean]>([
    ["state names this run", rowBefore(RUN, RUN), true],
    ["state names another run", rowBefore(OTHER, RUN), false],
    ["no state, link of this run", { runId: RUN, state: {}, link: LINK }, true],
    ["no state, link of another run", { runId: OTHER, state: {}, link: LINK }, false],
    ["no state, no link", { runId: OTHER, state: {}, link: "" }, true],
  ])("%s", (_name, row, keeps) => {
    expect(keepsOwnOutputs(row)).toBe(keeps);
  });
});

describe("pendingStateCell", () => {
  it("marks the row for this sync and run with the planned request, forgetting the last accepted one", () => {
    const cell = pendingStateCell(rowBefore(), "job9", "planned");
    expect(decodeRowState(cell)).toEqual({
      pendingSync: "job9",
      pendingRun: runIdTag(RUN),
      pendingPlan: "planned",
      outputsRun: runIdTag(RUN),
    });
  });
});
