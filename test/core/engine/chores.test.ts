// Unit tests for src/core/engine/chores.ts: when new dates are formatted (with a write once a minute or the last
// one, in a wait once they are a quarter of the job or before the last batch), and how the Sync State column is
// hidden (in a wait long enough, or at the end where the last write found it).
import { describe, expect, it } from "vitest";
import { DATES_FORMAT_INTERVAL_MS, SheetChores } from "../../../src/core/engine/chores";
import type { Layout } from "../../../src/core/engine/commit";
import { mapHeaders } from "../../../src/core/sheet/headers";
import { OUTPUT_COLUMN_NAMES } from "../../support/columns";
import { ArraySheet } from "../../support/fake-ports";

const HEADER = ["Run ID", ...OUTPUT_COLUMN_NAMES];

function setup(rowsToSend: number, hide = false) {
  const sheet = new ArraySheet([[...HEADER]]);
  const headers = mapHeaders(HEADER);
  if (!headers.ok) throw new Error(headers.problems.join(" "));
  const layout: Layout = {
    columns: headers.columns,
    outputs: { result: 1, status: 2, syncedAt: 3, error: 4, link: 5, state: 6 },
    rowsOf: new Map(),
  };
  let now = 0;
  const chores = new SheetChores(sheet, layout, () => now, rowsToSend, hide);
  return { sheet, layout, chores, advance: (ms: number) => (now += ms) };
}

describe("SheetChores", () => {
  it("formats new dates with a write once a minute has passed, or with the last write", () => {
    const { chores, advance } = setup(100);
    const first = chores.forWrite(false, true);
    expect(first.now).toBe(false);
    first.rows.push(2, 3);
    advance(DATES_FORMAT_INTERVAL_MS - 1);
    expect(chores.forWrite(false, true).now).toBe(false);
    advance(1);
    expect(chores.forWrite(false, true)).toEqual({ rows: [2, 3], now: true });
    expect(chores.forWrite(false, true).now).toBe(false);
    expect(chores.forWrite(true, true).now).toBe(true);
  });

  it("formats in a wait once the dates are a quarter of the job, or in the wait before the last, never in a short one", () => {
    const { sheet, chores } = setup(4_000);
    chores.forWrite(false, true).rows.push(...Array.from({ length: 999 }, (_, index) => index + 2));
    expect(chores.formatInWait(500, false)).toBe(false);
    chores.forWrite(false, true).rows.push(1001);
    // Only right after a write read the header: a column inserted since could have moved Synced At.
    expect(chores.formatInWait(500, false)).toBe(false);
    chores.headerChecked();
    expect(chores.formatInWait(149, false)).toBe(false);
    expect(chores.formatInWait(150, false)).toBe(true);
    expect(sheet.firstDates).toEqual([
      { column: 3, rows: Array.from({ length: 1000 }, (_, index) => index + 2) },
    ]);
    chores.forWrite(false, true).rows.push(1500);
    expect(chores.formatInWait(500, false)).toBe(false);
    chores.batchSent();
    expect(chores.formatInWait(500, true)).toBe(false);
    chores.headerChecked();
    expect(chores.formatInWait(500, true)).toBe(true);
    expect(chores.formatInWait(500, true)).toBe(false);
    expect(sheet.firstDates.at(-1)).toEqual({ column: 3, rows: [1500] });
  });

  it("hides the Sync State column once, in a wait long enough, from the header as it is then", () => {
    const { sheet, chores } = setup(10, true);
    expect(chores.hideInWait(100)).toBe(false);
    sheet.rows[0]?.unshift("Notes");
    expect(chores.hideInWait(150)).toBe(true);
    expect(sheet.hidden).toEqual([7]);
    expect(chores.stateColumnToHide).toBe(false);
    expect(chores.hideInWait(500)).toBe(false);
  });

  it("at the end formats what is left and hides the column where the last write found it, without a read", () => {
    const { sheet, chores } = setup(10, true);
    chores.forWrite(false, true).rows.push(4);
    chores.headerChecked();
    const headerReads = sheet.reads.header;
    chores.atEnd(false);
    expect(sheet.firstDates).toEqual([{ column: 3, rows: [4] }]);
    expect(sheet.hidden).toEqual([6]);
    expect(sheet.reads.header).toBe(headerReads);
  });

  it("at the end after a batch reads the header once, and formats and hides where the columns are now", () => {
    const { sheet, chores } = setup(10, true);
    chores.headerChecked();
    chores.forWrite(false, true).rows.push(4, 5);
    chores.batchSent();
    sheet.rows[0]?.unshift("Notes");
    const headerReads = sheet.reads.header;
    chores.atEnd(false);
    expect(sheet.reads.header).toBe(headerReads + 1);
    expect(sheet.firstDates).toEqual([{ column: 4, rows: [4, 5] }]);
    expect(sheet.hidden).toEqual([7]);
  });

  it("formats nothing at the end after the header lost its columns, and a refused hiding stops nothing", () => {
    const { sheet, chores } = setup(10, true);
    chores.forWrite(false, true).rows.push(4);
    sheet.hideColumn = () => {
      throw new Error("You are trying to edit a protected cell or object.");
    };
    expect(() => chores.atEnd(true)).not.toThrow();
    expect(sheet.firstDates).toEqual([]);
    expect(chores.stateColumnToHide).toBe(false);
  });
});
