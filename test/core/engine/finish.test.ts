// Unit tests for src/core/engine/finish.ts: the last look at a sync's rows names each row it did not sync,
// and why.
import { describe, expect, it } from "vitest";
import { scanForLeftovers } from "../../../src/core/engine/finish";
import { markTag } from "../../../src/core/engine/job";
import { encodeRowState } from "../../../src/core/engine/row-state";
import { runIdTag } from "../../../src/core/requests/fingerprint";
import type { CellValue } from "../../../src/core/sheet/cell";

const SYNC = "job3";
const pending = (runId: string) => encodeRowState({ pendingSync: SYNC, pendingRun: runIdTag(runId) });
const done = encodeRowState({ lastSent: "x", doneSync: SYNC });
const iso = (date: Date) => date.toISOString();

/** Column values with the header in row 1, as readColumn returns them. */
function columns(rows: [CellValue, CellValue][]): [CellValue[], CellValue[]] {
  return [
    ["Run ID", ...rows.map(([id]) => id)],
    ["Sync State", ...rows.map(([, state]) => state)],
  ];
}

describe("scanForLeftovers", () => {
  const marked = new Set(["a", "b", "c"].map((id) => markTag(runIdTag(id))));

  it("names a changed run id, a cleared mark and an added row; counts still-pending rows", () => {
    const [ids, states] = columns([
      ["a", done],
      ["z", pending("b")],
      ["c", ""],
      ["new", ""],
      ["d", pending("d")],
      ["", ""],
    ]);
    const scan = scanForLeftovers(ids, states, { id: SYNC, allRows: true }, iso, marked);
    expect(scan.stillPending).toBe(1);
    expect(scan.notSynced).toEqual([
      { row: 3, runId: "z", reason: "run id changed" },
      { row: 4, runId: "c", reason: "state cleared" },
      { row: 5, runId: "new", reason: "added after start" },
    ]);
    expect(scan.notSyncedCount).toBe(3);
    expect(scan.markedNotSynced).toBe(2);
  });

  it("does not name rows outside a selection, only marked rows that lost their mark", () => {
    const [ids, states] = columns([
      ["c", ""],
      ["outside", ""],
    ]);
    const scan = scanForLeftovers(ids, states, { id: SYNC, allRows: false }, iso, marked);
    expect(scan.notSynced).toEqual([{ row: 2, runId: "c", reason: "state cleared" }]);
  });

  it("never names a row the sync did not mark because a marked row elsewhere has its run id", () => {
    // Row 2 was selected and synced; row 3 (outside the selection) carries the same id.
    const [ids, states] = columns([
      ["a", done],
      ["a", ""],
    ]);
    const selection = scanForLeftovers(ids, states, { id: SYNC, allRows: false }, iso, marked);
    expect(selection.notSynced).toEqual([]);
    expect(selection.notSyncedCount).toBe(0);
    expect(selection.markedPresent).toBe(1);
    // In a sync of every row, a copy made during the sync was added, not cleared.
    const all = scanForLeftovers(ids, states, { id: SYNC, allRows: true }, iso, marked);
    expect(all.notSynced).toEqual([{ row: 3, runId: "a", reason: "added after start" }]);
    expect(all.markedNotSynced).toBe(0);
  });

  it("cannot tell cleared from added without the marks, and says so", () => {
    const [ids, states] = columns([["c", ""]]);
    const scan = scanForLeftovers(ids, states, { id: SYNC, allRows: true }, iso, undefined);
    expect(scan.notSynced).toEqual([{ row: 2, runId: "c", reason: "not marked" }]);
    expect(scan.markedNotSynced).toBe(0);
  });

  it("names a row whose result could not be written instead of waiting for it", () => {
    const [ids, states] = columns([["a", pending("a")]]);
    const scan = scanForLeftovers(ids, states, { id: SYNC, unwritable: [runIdTag("a")] }, iso, marked);
    expect(scan).toMatchObject({ stillPending: 0, notSynced: [{ row: 2, reason: "result not writable" }] });
  });

  it("names at most 20 rows and counts the rest", () => {
    const rows = Array.from({ length: 50 }, (_, index): [CellValue, CellValue] => [`r${index}`, ""]);
    const [ids, states] = columns(rows);
    const scan = scanForLeftovers(ids, states, { id: SYNC, allRows: true }, iso, new Set());
    expect(scan.notSynced).toHaveLength(20);
    expect(scan.notSyncedCount).toBe(50);
  });

  it("counts what the sync's rows show it did, old marks without an outcome letter only as done", () => {
    const [ids, states] = columns([
      ["a", encodeRowState({ doneSync: SYNC, doneAs: "u" })],
      ["b", encodeRowState({ doneSync: SYNC, doneAs: "f" })],
      ["c", done],
      ["d", encodeRowState({ doneSync: "other", doneAs: "u" })],
    ]);
    const scan = scanForLeftovers(ids, states, { id: SYNC }, iso, marked);
    expect(scan.tally.doneRows).toBe(3);
    expect(scan.tally.counts).toMatchObject({ updated: 1, failed: 1, requests: 2 });
  });
});
