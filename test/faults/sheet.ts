// The sheet every fault scenario syncs: 1,000+ rows a user could have typed (unicode, formula-looking text,
// numbers, dates, json: cells, tags Extend would clean, #CLEAR, formulas in input cells, invalid rows, rows with
// nothing to change) and, per row, what it asks Extend to store, worked out here independently of the add-on.
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";

export const SHEET_NAME = "Runs";
export const HEADER = [
  "Run ID",
  "Name",
  "metadata.team",
  "metadata.count",
  "metadata.when",
  "metadata.po",
  "Tags",
  "Row Key",
  "Id Length",
] as const;
/** Columns A..I belong to the user (inputs and two of their own); the add-on appends its outputs after them. */
export const USER_COLUMNS = HEADER.length;
const ROW_KEY_COLUMN = HEADER.indexOf("Row Key");

export type RowKind =
  /** A valid row with something to change. */
  | "update"
  /** Valid, but no such run in Extend: 404 every time. */
  | "notFound"
  /** Valid, but Extend refuses the values: 422 every time. */
  | "refused"
  | "invalid"
  | "noop";

/** An answer about the row's run that lacks what a step needs, or holds more than a cell or a stack can take. */
export type HostileAnswer =
  | "no metadata"
  | "metadata not an object"
  | "tags not a list"
  | "credits not a number"
  | "deep metadata"
  | "huge metadata";

export interface RowIntent {
  /** The user's own unique Row Key cell, which travels with the row through sorts. */
  key: string;
  runId: string;
  kind: RowKind;
  /** What a sync sends, and what Extend must hold after an update: name and the metadata keys the row sets. */
  body?: { name?: string; metadata?: Record<string, unknown> };
  /** Why the row is invalid (a fragment of the Sync Error the add-on must write). */
  invalidBecause?: string;
  /** The tags the row names, as Extend keeps them ([] for #CLEAR); absent when Tags is blank. */
  namedTags?: string[];
  /** Every answer about this row's run is rewritten so (see scenarios.ts). */
  hostile?: HostileAnswer;
}

export interface FaultSheet {
  rows: CellValue[][];
  /** Input cells that hold a formula (A1 -> formula and the value Sheets computed). */
  formulas: { a1: string; formula: string; value: CellValue }[];
  intents: RowIntent[];
}

export interface SheetOptions {
  /** Valid rows with changes: the bulk of the sheet. */
  updateRows: number;
  /** Run ids the stand-in was seeded with, at least seededRunsNeeded(options). */
  seededIds: readonly string[];
  notFoundRows?: number;
  refusedRows?: number;
  /** Leave Name blank on every other row, so that a preview finds rows it can call unchanged. */
  fewerNames?: boolean;
}

const column = (name: (typeof HEADER)[number]): string =>
  String.fromCharCode(65 + HEADER.indexOf(name as never));

/** A date with a time of day, and a plain date (midnight in the sheet's zone, Europe/Berlin, CEST in June). */
function dateCell(index: number): { cell: Date; iso: string } {
  const day = 1 + (index % 28);
  const dd = String(day).padStart(2, "0");
  if (index % 20 === 0) return { cell: new Date(Date.UTC(2026, 5, day - 1, 22, 0, 0)), iso: `2026-06-${dd}` };
  return { cell: new Date(Date.UTC(2026, 5, day, 8, 30, 15)), iso: `2026-06-${dd}T10:30:15+02:00` };
}

function nameCell(index: number): { cell: CellValue; sent?: string; formula?: string } {
  if (index % 23 === 0) return { cell: "" };
  if (index % 17 === 0)
    return { cell: `Run ${index}`, sent: `Run ${index}`, formula: `=CONCAT("Run ",${index})` };
  if (index % 11 === 0) return { cell: `=HYPERLINK("evil")-${index}`, sent: `=HYPERLINK("evil")-${index}` };
  if (index % 5 === 0) {
    const name = `Überweisung №${index} – “Q3” 🚀`;
    return { cell: `  ${name} `, sent: name };
  }
  return { cell: `Invoice ${index}`, sent: `Invoice ${index}` };
}

function teamCell(index: number): { cell: CellValue; sent: unknown } {
  if (index % 29 === 0) return { cell: "#clear", sent: null };
  if (index % 3 === 0) return { cell: "-minus first", sent: "-minus first" };
  return { cell: index % 3 === 1 ? "ops" : "+finance", sent: index % 3 === 1 ? "ops" : "+finance" };
}

function tagsCell(index: number): { cell: CellValue; sent?: string[] } {
  if (index % 19 === 0) return { cell: "#CLEAR", sent: [] };
  if (index % 13 === 0) return { cell: "customer 123, prod,\nprod", sent: ["customer123", "prod"] };
  if (index % 6 === 0) return { cell: "" };
  return { cell: "prod, team-eng", sent: ["prod", "team-eng"] };
}

function updateRow(
  index: number,
  runId: string,
  key: string,
  withName = true,
): { cells: CellValue[]; intent: RowIntent; formula?: string } {
  const name = withName ? nameCell(index) : { cell: "" };
  const team = teamCell(index);
  const tags = tagsCell(index);
  const metadata: Record<string, unknown> = { team: team.sent };
  let count: CellValue = "";
  if (index % 4 !== 0) {
    count = index % 4 === 1 ? index * 1.5 : index % 4 === 2 ? -index : 0;
    metadata.count = count;
  }
  let when: CellValue = "";
  if (index % 10 === 0) {
    const date = dateCell(index);
    when = date.cell;
    metadata.when = date.iso;
  }
  let po: CellValue = "";
  if (index % 7 === 0) {
    po = index % 49 === 0 ? " JSON:null" : `json:{"po":"PO-${index}","lines":[1,2.5,"x"]}`;
    metadata.po = index % 49 === 0 ? null : { po: `PO-${index}`, lines: [1, 2.5, "x"] };
  }
  if (tags.sent) metadata["extend:usage_tags"] = tags.sent;
  const body: RowIntent["body"] = { metadata };
  if (name.sent !== undefined) body.name = name.sent;
  const cells: CellValue[] = [runId, name.cell, team.cell, count, when, po, tags.cell, key, runId.length];
  const intent: RowIntent = { key, runId, kind: "update", body };
  if (tags.sent) intent.namedTags = tags.sent;
  const result: { cells: CellValue[]; intent: RowIntent; formula?: string } = { cells, intent };
  if (name.formula) result.formula = name.formula;
  return result;
}

/** Rows whose problem the add-on must find before sending anything. */
function invalidRows(spareIds: readonly string[]): { cells: CellValue[]; intent: Omit<RowIntent, "key"> }[] {
  const [duplicated = "", badJson = "", formulaError = "", noTags = ""] = spareIds;
  const row = (runId: string, overrides: Partial<Record<(typeof HEADER)[number], CellValue>>) =>
    HEADER.map((name, index) =>
      name === "Run ID"
        ? runId
        : name === "Id Length"
          ? runId.length
          : (overrides[name] ?? (index === 1 ? "x" : "")),
    );
  return [
    {
      cells: row("exr_abc123", { Name: "Wrong kind" }),
      intent: { runId: "exr_abc123", kind: "invalid", invalidBecause: "is not a workflow run" },
    },
    {
      cells: row("workflow_run has space", {}),
      intent: { runId: "workflow_run has space", kind: "invalid", invalidBecause: "contains a space" },
    },
    {
      cells: row(duplicated, { Name: "First copy" }),
      intent: { runId: duplicated, kind: "invalid", invalidBecause: "appears on more than one row" },
    },
    {
      cells: row(duplicated, { Name: "Second copy" }),
      intent: { runId: duplicated, kind: "invalid", invalidBecause: "appears on more than one row" },
    },
    {
      cells: row(badJson, { "metadata.po": "json:{oops" }),
      intent: { runId: badJson, kind: "invalid", invalidBecause: 'is not valid JSON after "json:"' },
    },
    {
      cells: row(formulaError, { "metadata.team": "#REF!" }),
      intent: { runId: formulaError, kind: "invalid", invalidBecause: "formula error #REF!" },
    },
    {
      cells: row(noTags, { Tags: "!!!, ???" }),
      intent: { runId: noTags, kind: "invalid", invalidBecause: "Tags has no usable tag" },
    },
  ];
}

/** Seeded ids after the update rows' that invalid rows and the row with nothing to change use. */
const SPARE_IDS = 5;

/** Seeded runs the stand-in needs for a sheet of these options. */
export const seededRunsNeeded = (options: Pick<SheetOptions, "updateRows" | "refusedRows">): number =>
  options.updateRows + SPARE_IDS + (options.refusedRows ?? 0);

/** The sheet, with extra rows spread through it (never all at the end, where a sync would reach them last). */
export function buildFaultSheet(options: SheetOptions): FaultSheet {
  const { updateRows, seededIds } = options;
  const notFound = options.notFoundRows ?? 0;
  const refused = options.refusedRows ?? 0;
  if (seededIds.length < updateRows + SPARE_IDS + refused) throw new Error("buildFaultSheet: seed more runs");
  const spare = seededIds.slice(updateRows, updateRows + SPARE_IDS);
  const extras: { cells: CellValue[]; intent: Omit<RowIntent, "key">; formula?: string }[] = [
    ...invalidRows(spare),
    {
      cells: [spare[4] ?? "", "", "", "", "", "", "", "", (spare[4] ?? "").length],
      intent: { runId: spare[4] ?? "", kind: "noop" },
    },
  ];
  for (let index = 0; index < notFound; index++) {
    const runId = `workflow_run_notInExtend${String(index).padStart(4, "0")}`;
    const made = updateRow(index + 1, runId, "");
    extras.push({ cells: made.cells, intent: { ...made.intent, kind: "notFound" } });
  }
  const refusedIds = seededIds.slice(updateRows + SPARE_IDS, updateRows + SPARE_IDS + refused);
  refusedIds.forEach((runId, index) => {
    const made = updateRow(index + 2, runId, "");
    extras.push({ cells: made.cells, intent: { ...made.intent, kind: "refused" } });
  });

  const rows: CellValue[][] = [[...HEADER]];
  const formulas: FaultSheet["formulas"] = [];
  const intents: RowIntent[] = [];
  const spacing = Math.max(1, Math.floor(updateRows / Math.max(1, extras.length)));
  let extraIndex = 0;
  const push = (cells: CellValue[], intent: Omit<RowIntent, "key">, formula?: string) => {
    const key = `k${String(intents.length).padStart(5, "0")}`;
    const withKey = [...cells];
    withKey[ROW_KEY_COLUMN] = key;
    rows.push(withKey);
    intents.push({ ...intent, key });
    const sheetRow = rows.length;
    if (formula) formulas.push({ a1: `${column("Name")}${sheetRow}`, formula, value: withKey[1] ?? "" });
    formulas.push({
      a1: `${column("Id Length")}${sheetRow}`,
      formula: `=LEN(${column("Run ID")}${sheetRow})`,
      value: withKey[HEADER.indexOf("Id Length")] ?? 0,
    });
  };
  for (let index = 0; index < updateRows; index++) {
    const made = updateRow(index, seededIds[index] ?? "", "", !(options.fewerNames && index % 2 === 0));
    push(made.cells, made.intent, made.formula);
    if (index % spacing === spacing - 1 && extraIndex < extras.length) {
      const extra = extras[extraIndex++];
      if (extra) push(extra.cells, extra.intent, extra.formula);
    }
  }
  for (; extraIndex < extras.length; extraIndex++) {
    const extra = extras[extraIndex];
    if (extra) push(extra.cells, extra.intent, extra.formula);
  }
  return { rows, formulas, intents };
}

/** Puts the sheet into a host as a user would have it: values typed, formulas computed. */
export function loadFaultSheet(host: GasHost, sheet: FaultSheet): void {
  const target = host.spreadsheet.addSheet(SHEET_NAME);
  target.setValues("A1", sheet.rows, { raw: true });
  for (const { a1, formula, value } of sheet.formulas) target.setFormula(a1, formula, value);
  host.spreadsheet.select(SHEET_NAME, "A1");
}

export function rowKeyOf(row: readonly CellValue[]): string {
  return String(row[ROW_KEY_COLUMN] ?? "");
}
