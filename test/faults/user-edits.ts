// What a person does to a sheet while a job works on it, between two of its executions, through the host's
// spreadsheet model: insert or delete columns and rows, sort, rename or delete the sheet, clear Sync State cells,
// change a row's Name. Positions are fractions of the sheet's size, so one generated sequence of edits fits a
// sheet of any size. The log keeps what each row showed just before each batch of edits, so the checks can tell
// what the job had already written to rows that are gone or whose cells were cleared or deleted since.
import fc from "fast-check";
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";

export type UserEdit =
  | { type: "insertColumn"; at: number }
  | { type: "deleteColumn"; header: string }
  | { type: "insertRows"; at: number; count: number }
  | { type: "deleteRows"; at: number; count: number }
  | { type: "sort"; column: number; ascending: boolean }
  | { type: "renameSheet" }
  | { type: "deleteSheet" }
  | { type: "clearState"; rows: number[] }
  | { type: "editName"; row: number };

/** Columns a person may delete mid-job: their own, and the add-on's outputs (which it adds back). */
export const DELETABLE = {
  rows: [
    "Id Length",
    "Sync Result",
    "Run Status",
    "Synced At",
    "Sync Error",
    "Dashboard Link",
    "Sync State",
    "Current Tags",
    "Refreshed At",
  ],
  // An import cannot go on without its Run ID and Sync State columns (it waits for the person to put them back):
  // the property's edits leave those two alone, and the e2e tests of imports cover them.
  imported: ["Workflow", "Batch ID", "File Names", "Credits", "Name", "Tags", "Sync Result"],
} as const;

const fraction = fc.nat({ max: 999 }).map((n) => n / 1000);

/** Edits by how often a person makes them; deleting the sheet, which ends the job, is the rarest. */
export function userEdit(deletable: readonly string[]): fc.Arbitrary<UserEdit> {
  const range = fc.record({ at: fraction, count: fc.integer({ min: 1, max: 2 }) });
  return fc.oneof(
    { weight: 4, arbitrary: fraction.map((at): UserEdit => ({ type: "insertColumn", at })) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(...deletable).map((header): UserEdit => ({ type: "deleteColumn", header })),
    },
    { weight: 4, arbitrary: range.map((r): UserEdit => ({ type: "insertRows", ...r })) },
    { weight: 6, arbitrary: range.map((r): UserEdit => ({ type: "deleteRows", ...r })) },
    {
      weight: 6,
      arbitrary: fc
        .record({ column: fraction, ascending: fc.boolean() })
        .map((r): UserEdit => ({ type: "sort", ...r })),
    },
    { weight: 2, arbitrary: fc.constant<UserEdit>({ type: "renameSheet" }) },
    { weight: 1, arbitrary: fc.constant<UserEdit>({ type: "deleteSheet" }) },
    {
      weight: 6,
      arbitrary: fc
        .array(fraction, { minLength: 1, maxLength: 3 })
        .map((rows): UserEdit => ({ type: "clearState", rows })),
    },
    { weight: 4, arbitrary: fraction.map((row): UserEdit => ({ type: "editName", row })) },
  );
}

/** What one row showed at one moment, by header. */
export type RowSeen = Record<string, CellValue>;

export class EditLog {
  /** Row key -> the row as last seen before it was deleted. */
  readonly deleted = new Map<string, RowSeen>();
  /** Row key -> the row as seen just before its Sync State cell was first cleared. */
  readonly cleared = new Map<string, RowSeen>();
  /** Row key -> the Name the person typed last. */
  readonly renamed = new Map<string, string>();
  /** Every row as seen before each batch of edits, oldest first. */
  readonly seen: Map<string, RowSeen>[] = [];
  readonly deletedHeaders: string[] = [];
  sheetDeleted = false;
  sheetRenamed = false;
  edits = 0;

  constructor(
    private readonly host: GasHost,
    private sheetName: string,
    private readonly keyHeader: string,
  ) {}

  get currentSheet(): string | undefined {
    return this.sheetDeleted ? undefined : this.sheetName;
  }

  /** The rows by key, as the sheet shows them now. */
  rows(): Map<string, RowSeen> {
    const rows = new Map<string, RowSeen>();
    const sheet = this.host.spreadsheet.findSheet(this.sheetName);
    if (!sheet) return rows;
    const [header = [], ...values] = sheet.values();
    for (const cells of values) {
      const row: RowSeen = {};
      header.forEach((name, index) => {
        if (name !== "") row[String(name)] = cells[index] ?? "";
      });
      const key = String(row[this.keyHeader] ?? "");
      if (key !== "") rows.set(key, row);
    }
    return rows;
  }

  /** Applies a batch of edits, after noting how every row stood. */
  apply(edits: readonly UserEdit[]): void {
    if (this.sheetDeleted || edits.length === 0) return;
    this.seen.push(this.rows());
    for (const edit of edits) {
      if (this.sheetDeleted) return;
      this.applyOne(edit);
      this.edits += 1;
    }
  }

  private applyOne(edit: UserEdit): void {
    const book = this.host.spreadsheet;
    const sheet = book.sheet(this.sheetName);
    const [header = []] = sheet.values();
    const lastRow = sheet.lastRow();
    const dataRow = (at: number) => 2 + Math.floor(at * Math.max(1, lastRow - 1));
    const keyAt = (row: number) => String(sheet.values()[row - 1]?.[header.indexOf(this.keyHeader)] ?? "");
    switch (edit.type) {
      case "insertColumn":
        sheet.insertColumns(Math.floor(edit.at * (sheet.lastColumn() + 1)), 1);
        return;
      case "deleteColumn": {
        const at = header.indexOf(edit.header);
        if (at < 0) return;
        sheet.deleteColumns(at + 1, 1);
        this.deletedHeaders.push(edit.header);
        return;
      }
      case "insertRows":
        if (lastRow >= 2) sheet.insertRows(dataRow(edit.at) - 1, edit.count);
        return;
      case "deleteRows": {
        if (lastRow < 2) return;
        const start = dataRow(edit.at);
        const count = Math.min(edit.count, lastRow - start + 1);
        const now = this.rows();
        for (let row = start; row < start + count; row++) {
          const key = keyAt(row);
          const seen = now.get(key);
          if (key !== "" && seen) this.deleted.set(key, seen);
        }
        sheet.deleteRows(start, count);
        return;
      }
      case "sort":
        if (lastRow >= 3) sheet.sortRows(1 + Math.floor(edit.column * sheet.lastColumn()), edit.ascending, 2);
        return;
      case "renameSheet":
        sheet.name = `${this.sheetName} (renamed)`;
        this.sheetName = sheet.name;
        this.sheetRenamed = true;
        return;
      case "deleteSheet":
        book.removeSheet(this.sheetName);
        this.sheetDeleted = true;
        return;
      case "clearState": {
        const state = header.indexOf("Sync State");
        if (state < 0 || lastRow < 2) return;
        const now = this.rows();
        for (const at of edit.rows) {
          const row = dataRow(at);
          const key = keyAt(row);
          const seen = now.get(key);
          if (key !== "" && seen && !this.cleared.has(key)) this.cleared.set(key, seen);
          sheet.putCell(row, state + 1, undefined);
        }
        return;
      }
      case "editName": {
        const name = header.indexOf("Name");
        if (name < 0 || lastRow < 2) return;
        const row = dataRow(edit.row);
        const key = keyAt(row);
        if (key === "") return;
        const text = `Renamed by hand ${this.edits}`;
        sheet.setValues(`${columnLetter(name)}${row}`, [[text]]);
        this.renamed.set(key, text);
        return;
      }
    }
  }
}

function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
