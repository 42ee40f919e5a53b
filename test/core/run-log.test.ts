// Unit tests for src/core/run-log.ts: the run log row per sync, how it ended, and the summary sentence.
import { describe, expect, it } from "vitest";
import { emptyCounts, type SyncJob } from "../../src/core/job";
import {
  describeEnding,
  RUN_LOG_HEADERS,
  RUN_LOG_SHEET,
  runLogRow,
  type SyncEnding,
  summarize,
} from "../../src/core/run-log";

const STARTED = Date.UTC(2026, 1, 9, 9, 0, 0);

function job(extra: Partial<SyncJob> = {}): SyncJob {
  return {
    id: "1a2b3c4d",
    sheetId: 7,
    sheetName: "Runs",
    scopeLabel: "All rows",
    force: false,
    startedBy: "ops@example.com",
    startedAt: STARTED,
    lastActivityAt: STARTED,
    executions: 2,
    rate: 10,
    rowsToSend: 12,
    counts: {
      ...emptyCounts(),
      requests: 14,
      updated: 9,
      failed: 2,
      invalid: 1,
      unchanged: 3,
      noop: 4,
      missing: 0,
      notSynced: 0,
    },
    status: "running",
    ...extra,
  };
}

describe("the run log sheet", () => {
  it("has a fixed name and header row", () => {
    expect(RUN_LOG_SHEET).toBe("Extend Sync Log");
    expect(RUN_LOG_HEADERS).toEqual([
      "Sync ID",
      "Started At",
      "Started By",
      "Sheet",
      "Rows",
      "Requests Sent",
      "Updated",
      "Failed",
      "Invalid",
      "Unchanged",
      "Nothing To Change",
      "Rows Deleted During Sync",
      "Rows Not Synced",
      "Executions",
      "Duration (s)",
      "Ended",
      "Kind",
      "Runs Read",
      "Reads Failed",
      "Details",
    ]);
  });
});

describe("describeEnding", () => {
  it.each<[SyncEnding, Partial<SyncJob>, string]>([
    ["finished", {}, "Finished"],
    ["finished", { stopReason: "ignored" }, "Finished"],
    ["paused", {}, "Paused: continue it from the menu or the sidebar"],
    ["stopped", { stopReason: "The API key was refused." }, "Stopped: The API key was refused."],
    ["stopped", {}, "Stopped: unknown reason"],
  ])("%s %j -> %j", (ending, extra, text) => {
    expect(describeEnding(job(extra), ending)).toBe(text);
  });
});

describe("runLogRow", () => {
  it("has one cell per header, text written as text", () => {
    const row = runLogRow(job(), "finished", STARTED + 95_400);
    expect(row).toEqual([
      "'1a2b3c4d",
      new Date(STARTED),
      "ops@example.com",
      "Runs",
      "All rows",
      14,
      9,
      2,
      1,
      3,
      4,
      0,
      "",
      2,
      95,
      "Finished",
      "Sync (tags: replace)",
      0,
      0,
      "",
    ]);
    expect(row).toHaveLength(RUN_LOG_HEADERS.length);
  });

  it.each<[Partial<SyncJob>, SyncEnding, number, number, string, string]>([
    [
      { force: true, scopeLabel: "Rows 2-9" },
      "paused",
      600,
      1,
      // A word then a number may be a date in some spreadsheet locale: written with Sheets' text apostrophe.
      "'Rows 2-9 (resend)",
      "Paused: continue it from the menu or the sidebar",
    ],
    [{ stopReason: "=evil()" }, "stopped", 1_499, 1, "All rows", "Stopped: =evil()"],
    [{}, "finished", 1_500, 2, "All rows", "Finished"],
  ])("%j %s after %i ms", (extra, ending, elapsed, seconds, rows, ended) => {
    const row = runLogRow(job(extra), ending, STARTED + elapsed);
    expect(row[4]).toBe(rows);
    expect(row[14]).toBe(seconds);
    expect(row[15]).toBe(ended);
  });

  it("escapes a sheet name or user that looks like a formula", () => {
    const row = runLogRow(job({ sheetName: "=Sheet", startedBy: "+1@x" }), "finished", STARTED);
    expect([row[2], row[3]]).toEqual(["'+1@x", "'=Sheet"]);
  });
});

describe("summarize", () => {
  const tally = "9 updated, 2 failed, 1 invalid, 3 unchanged, 4 with nothing to change.";

  it.each<[SyncEnding, Partial<SyncJob>, number, string]>([
    ["finished", {}, 0, `Sync finished: ${tally} See the Sync Result and Sync Error columns.`],
    [
      "paused",
      {},
      37,
      `Sync paused to stay within Apps Script's time limit, 37 rows left: ${tally} Go on with Resume in the sidebar, or Extensions > Extend Sync > Continue paused sync.`,
    ],
    [
      "stopped",
      { stopReason: "Extend did not accept the API key." },
      5,
      `Sync stopped: Extend did not accept the API key. Rows not sent yet were left as they were. So far: ${tally}`,
    ],
    [
      "finished",
      { counts: { ...emptyCounts(), updated: 1, missing: 2 } },
      0,
      "Sync finished: 1 updated, 0 failed, 0 invalid, 0 unchanged, 0 with nothing to change, 2 rows deleted during the sync (their results are not in the sheet). See the Sync Result and Sync Error columns.",
    ],
  ])("%s %j", (ending, extra, rowsLeft, text) => {
    const { counts, stopReason } = job(extra);
    expect(
      summarize({ state: ending, counts, rowsLeft, ...(stopReason ? { message: stopReason } : {}) }),
    ).toBe(text);
  });
});

describe("job kinds", () => {
  it.each<[Partial<SyncJob>, string]>([
    [{}, "Sync (tags: replace)"],
    [{ kind: "update", tagMode: "add" }, "Sync (tags: add)"],
    [{ kind: "preview", tagMode: "remove" }, "Preview (tags: remove)"],
    [{ kind: "refresh" }, "Refresh"],
    [{ kind: "import" }, "Import"],
  ])("%j is logged as %s", (extra, kind) => {
    expect(runLogRow(job(extra), "finished", STARTED)[16]).toBe(kind);
  });

  it("logs reads and what a preview or import found", () => {
    const counts = { ...emptyCounts(), read: 7, readFailed: 1, matching: 3, changing: 4, imported: 12 };
    const preview = runLogRow(job({ kind: "preview", counts }), "finished", STARTED);
    expect(preview.slice(17)).toEqual([7, 1, expect.stringMatching(/^'3 rows already match Extend/)]);
    const imported = runLogRow(
      job({ kind: "import", counts, scopeLabel: "status FAILED" }),
      "finished",
      STARTED,
    );
    expect(imported[19]).toBe("'12 runs imported (status FAILED) into this sheet.");
  });

  it.each<[Partial<SyncJob>, SyncEnding, string]>([
    [{ kind: "refresh" }, "finished", "Refresh finished: 7 runs read, 1 could not be read"],
    [{ kind: "refresh" }, "paused", "Refresh paused to stay within Apps Script's time limit, 5 rows left"],
    [
      { kind: "preview" },
      "finished",
      "Preview finished: 7 runs read, 1 could not be read (their Refresh Error says why); 3 rows already match",
    ],
    [{ kind: "import" }, "stopped", "Import stopped: boom So far: 12 runs imported"],
  ])("summarizes %j %s", (extra, ending, start) => {
    const counts = { ...emptyCounts(), read: 7, readFailed: 1, matching: 3, changing: 4, imported: 12 };
    const { kind } = job(extra);
    const text = summarize({ kind, state: ending, counts, rowsLeft: 5, message: "boom" });
    expect(text.startsWith(start)).toBe(true);
  });
});
