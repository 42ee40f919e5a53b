// The property's checks must be able to fail: a job's counts against rows deleted or cleared meanwhile, a row
// the person inserted that a job wrote, a row showing another run's link, cells the person typed that changed.
import { describe, expect, it } from "vitest";
import { violations } from "./checks.js";
import type { RowIntent } from "./sheet.js";
import type { EditLog, RowSeen } from "./user-edits.js";
import {
  checkCountsAfterEdits,
  checkInsertedRowsEmpty,
  checkOwnRun,
  checkUserCellsByHeader,
  notSyncedNamed,
} from "./user-edits-checks.js";

const intent = (n: number): RowIntent => ({ key: `k${n}`, runId: `workflow_run_${n}`, kind: "update" });
const intents = new Map([0, 1, 2].map((n) => [`k${n}`, intent(n)]));
const updated = (n: number): RowSeen => ({
  "Run ID": `workflow_run_${n}`,
  "Sync Result": "Updated",
  "Sync State": "v1 done=j1:u",
});
const pending = (n: number): RowSeen => ({
  "Run ID": `workflow_run_${n}`,
  "Sync Result": "",
  "Sync State": "v1 pending=j1:x",
});

/** A log as EditLog keeps it, without a host: rows seen, deleted and cleared. */
function editLog(parts: Partial<Pick<EditLog, "deleted" | "cleared" | "seen">>): EditLog {
  return { deleted: new Map(), cleared: new Map(), seen: [], ...parts } as unknown as EditLog;
}

function countProblems(log: EditLog, final: Map<string, RowSeen>, counts: Record<string, number>) {
  const found = violations();
  checkCountsAfterEdits(
    log,
    final,
    {
      job: "update",
      jobId: "j1",
      intents,
      toWorkOn: () => true,
      allRows: true,
      finished: true,
      counts: { failed: 0, invalid: 0, unchanged: 0, noop: 0, ...counts },
      label: "sync",
    },
    found,
  );
  return found.list;
}

describe("checkCountsAfterEdits", () => {
  const final = new Map([
    ["k0", updated(0)],
    ["k1", { ...updated(1), "Sync State": "" }],
  ]);
  const log = editLog({ deleted: new Map([["k2", pending(2)]]), cleared: new Map([["k1", updated(1)]]) });

  it("counts a row written before its Sync State was cleared, a row deleted, and the cleared row not synced", () => {
    expect(countProblems(log, final, { updated: 2, missing: 1, notSynced: 1 })).toEqual([]);
  });

  it("names each count that differs", () => {
    expect(countProblems(log, final, { updated: 1, missing: 0, notSynced: 0 })).toEqual([
      "sync: counts 1 updated, the rows showed 2",
      "sync: counts 0 rows deleted during the job, 1 were",
      "sync: names 0 rows not synced, 1 lost their mark or were never marked",
    ]);
  });

  it("reads how many rows a Rows Not Synced text names", () => {
    expect(notSyncedNamed("row 2: its Sync State cell was cleared during the sync; row 9: x; 4 more")).toBe(
      6,
    );
    expect(notSyncedNamed("")).toBe(0);
  });
});

describe("the other checks", () => {
  it("names an inserted row a job wrote", () => {
    const found = violations();
    checkInsertedRowsEmpty(
      [
        ["Row Key", "Sync Result"],
        ["k0", "Updated"],
        ["", "Updated"],
      ],
      0,
      found,
    );
    expect(found.list).toEqual([expect.stringMatching(/^row 3, a row the person inserted, was written/)]);
  });

  it("names another run's link and a typed cell that changed, but not a Name the person changed", () => {
    const found = violations();
    const final = new Map<string, RowSeen>([
      [
        "k0",
        { "Dashboard Link": "https://dashboard.extend.ai/workflows/workflow_run_1", Name: "Mine", Tags: "x" },
      ],
    ]);
    checkOwnRun(final, intents, new Map(), [], found);
    checkUserCellsByHeader(
      new Map([["k0", { Name: "Old", Tags: "prod" }]]),
      final,
      ["Name", "Tags"],
      new Map([["k0", "Mine"]]),
      found,
    );
    expect(found.list).toEqual([
      "k0: Dashboard Link of another run: https://dashboard.extend.ai/workflows/workflow_run_1",
      'k0: Tags changed: "prod" -> "x"',
    ]);
  });
});
