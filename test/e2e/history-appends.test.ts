// The history sheet's appends after an execution's first (issue 18): they no longer ask Sheets for the last
// row and the grid's size, and write where the last append ended when those rows are still empty. A careless
// person between two appends of one execution (a note typed under the records, a row inserted above them, the
// empty rows below deleted, a column inserted or two swapped, the sheet sorted) never has a cell written over,
// and every change keeps its record, settled. Through the built bundle, with the cost model on.
import { describe, expect, it } from "vitest";
import type { GasHost, ServiceCall } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, records, runIds, TIMINGS, useExtend } from "./harness.js";

const HISTORY = "Extend Sync History";
const HEADER = ["Run ID", "Name", "Tags"];

const e2e = useExtend({ runCount: 200, rate: 10, ...TIMINGS.modelOn });

/** A sync of `ids` with history at 10 requests/s: batches of ten, each batch's records appended on its own. */
function syncHost(ids: readonly string[], tags: string): GasHost {
  return e2e.newHost({
    ...TIMINGS.modelOn,
    rate: 10,
    keepHistory: true,
    rows: [HEADER, ...ids.map((id, index) => [id, `Run ${index}`, tags])],
  });
}

/** Runs the sync, doing `edit` to the history sheet once, when the second fetchAll leaves (after one append). */
function syncWithEdit(host: GasHost, edit: (history: ReturnType<GasHost["spreadsheet"]["sheet"]>) => void) {
  let edited = false;
  const first = host.clickMenuItem("Sync all rows", {
    onServiceCall: (call: ServiceCall) => {
      if (edited || call.key !== "UrlFetchApp.fetchAll" || call.count !== 2) return;
      edited = true;
      edit(host.spreadsheet.sheet(HISTORY));
    },
  });
  expect(first.error).toBeUndefined();
  expect(edited).toBe(true);
  if (columns(host)["Sync Result"]?.some((result) => result !== "Updated"))
    clickAndFinish(host, "Continue paused sync");
}

/**
 * Every run's change has its record, applied, and no record was lost or written over. A retried update (a
 * request timed out on a busy machine) writes a second record after its new read, so a run may have two.
 */
function expectEveryChangeRecorded(host: GasHost, ids: readonly string[]) {
  expect(columns(host)["Sync Result"]).toEqual(ids.map(() => "Updated"));
  const mine = records(host, HISTORY).filter((row) => row["Run ID"] !== "");
  expect(new Set(mine.map((row) => row["Run ID"]))).toEqual(new Set(ids));
  expect(mine.every((row) => ["Applied", "Not confirmed"].includes(String(row["History State"])))).toBe(true);
  const applied = new Set(
    mine.filter((row) => row["History State"] === "Applied").map((row) => row["Run ID"]),
  );
  expect(applied).toEqual(new Set(ids));
}

describe("the history sheet's appends after an execution's first", () => {
  it("ask for the sheet's last row and size no more often in a longer job", () => {
    const countFor = (ids: readonly string[]) => {
      const host = syncHost(ids, "short");
      const calls = new Map<string, number>();
      host.onServiceCall = (call) => calls.set(call.key, (calls.get(call.key) ?? 0) + 1);
      // One execution each: a second one's first append would ask again, as it should.
      expect(clickAndFinish(host, "Sync all rows").executions).toHaveLength(1);
      host.onServiceCall = undefined;
      expectEveryChangeRecorded(host, ids);
      return {
        lastRow: (calls.get("Range.getLastRow") ?? 0) + (calls.get("Sheet.getLastRow") ?? 0),
        maxRows: calls.get("Sheet.getMaxRows") ?? 0,
        appends: calls.get("Range.setNumberFormat") ?? 0,
      };
    };
    const short = countFor(runIds(20));
    const long = countFor(runIds(80));
    // Several more appends, the same questions: only an execution's first append (and its end) asks them.
    expect(long.appends).toBeGreaterThan(short.appends + 3);
    expect(long.lastRow).toBe(short.lastRow);
    expect(long.maxRows).toBe(short.maxRows);
  });

  it("write under a note typed below the records, never over it", () => {
    const ids = runIds(40);
    const host = syncHost(ids, "note");
    syncWithEdit(host, (history) => {
      history.setValues(`A${history.lastRow() + 1}`, [["checked up to here"]]);
    });
    expectEveryChangeRecorded(host, ids);
    const history = host.spreadsheet.sheet(HISTORY).values();
    const note = history.findIndex((row) => row[0] === "checked up to here");
    expect(note).toBeGreaterThan(0);
    // The note keeps its row: every cell beside it is as the person left it (empty).
    expect(history[note]?.slice(1).every((cell) => cell === "")).toBe(true);
    expect(history.filter((row) => row[0] === "checked up to here")).toHaveLength(1);
  });

  it("write below the records after a row was inserted above them", () => {
    const ids = runIds(40);
    const host = syncHost(ids, "inserted");
    syncWithEdit(host, (history) => {
      history.insertRows(1, 1);
      history.setValues("A2", [["a row of my own"]]);
    });
    expectEveryChangeRecorded(host, ids);
    expect(host.spreadsheet.sheet(HISTORY).values()[1]?.[0]).toBe("a row of my own");
  });

  it("grow the sheet again after the empty rows below the records were deleted", () => {
    const ids = runIds(40);
    const host = syncHost(ids, "trimmed");
    syncWithEdit(host, (history) => {
      const last = history.lastRow();
      history.deleteRows(last + 1, history.maxRows - last);
    });
    expectEveryChangeRecorded(host, ids);
  });

  it("write each record under its headers after a column was inserted among them", () => {
    const ids = runIds(40);
    const host = syncHost(ids, "column");
    syncWithEdit(host, (history) => {
      history.insertColumns(1, 1);
      history.setValues("B1", [["Note"]]);
    });
    expectEveryChangeRecorded(host, ids);
    const rows = records(host, HISTORY);
    expect(rows.every((row) => row.Note === "")).toBe(true);
    expect(rows.every((row) => String(row["Values Sent"]).startsWith("{"))).toBe(true);
  });

  it("write each record under its headers after two columns were swapped (the width unchanged)", () => {
    const ids = runIds(40);
    const host = syncHost(ids, "swapped");
    syncWithEdit(host, (history) => {
      const values = history.values();
      const header = values[0] ?? [];
      const [a, b] = [header.indexOf("Run ID"), header.indexOf("Sheet")];
      history.setValues(
        "A1",
        values.map((row) => row.map((cell, index) => (index === a ? row[b] : index === b ? row[a] : cell))),
      );
    });
    expectEveryChangeRecorded(host, ids);
    expect(records(host, HISTORY).every((row) => row.Sheet === "Runs")).toBe(true);
  });

  it("keep a record of every change, settled, after the person sorted the sheet", () => {
    const ids = runIds(40);
    const host = syncHost(ids, "sorted");
    syncWithEdit(host, (history) => {
      const header = history.values()[0] ?? [];
      history.sortRows(header.indexOf("Run ID") + 1, false);
    });
    expectEveryChangeRecorded(host, ids);
  });
});
