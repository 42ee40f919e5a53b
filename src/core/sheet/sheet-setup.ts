// "Set up a sheet": the headers a new sync sheet gets, the note on each header saying what goes in it, and one
// example row. On a sheet that already has headers only the missing ones are added, at the right end, so no
// column moves and no value changes.
import type { CellValue } from "./cell";
import { mapHeaders, normalizeHeader, OUTPUT_COLUMNS, OUTPUT_HEADERS, type OutputColumn } from "./headers";

export const INPUT_HEADERS = { runId: "Run ID", name: "Name", tags: "Tags" } as const;
const EXAMPLE_METADATA_HEADER = "metadata.customer";

/** A new sheet's columns, left to right. */
export const NEW_SHEET_HEADERS: readonly string[] = [
  INPUT_HEADERS.runId,
  INPUT_HEADERS.name,
  EXAMPLE_METADATA_HEADER,
  INPUT_HEADERS.tags,
  ...OUTPUT_COLUMNS.map((column) => OUTPUT_HEADERS[column]),
];

/**
 * The example row's Run ID: a placeholder no run has, which Check rows and a sync report as the example row
 * (invalid, nothing sent) until the user puts a real id, rather than counting it ready to send.
 */
export const EXAMPLE_RUN_ID = "workflow_run_EXAMPLE_replace_me";

export const EXAMPLE_ROW: readonly CellValue[] = [
  EXAMPLE_RUN_ID,
  "ACME invoice 2026-04",
  "ACME Corp",
  "production, customer-123",
];

const OUTPUT_NOTES: Readonly<Record<OutputColumn, string>> = {
  result:
    "Written by Extend Sync: Updated, Unchanged, Nothing to change, Invalid or Failed. For Invalid and Failed, Sync Error says what to do.",
  status: "Written by Extend Sync: the run's status as Extend reported it when it was updated.",
  syncedAt: "Written by Extend Sync: when the row was last updated successfully.",
  error:
    "Written by Extend Sync: why the row failed or is invalid, and what to do. Empty when all went well.",
  link: "Written by Extend Sync: the run in the Extend dashboard.",
  state:
    "Hidden bookkeeping of Extend Sync (what was last sent). Leave it alone; clearing a cell makes the next sync send that row again.",
};

/** The note for a header the add-on knows, or undefined for the user's own columns. */
export function headerNote(header: string): string | undefined {
  const text = header.trim();
  if (text.toLowerCase().startsWith("metadata.") && text.length > "metadata.".length)
    return `Metadata key "${text.slice("metadata.".length)}": blank leaves it unchanged, #CLEAR sets it to null, json:{...} sends an object or a list. Numbers, TRUE/FALSE and dates keep their type.`;
  switch (normalizeHeader(text)) {
    case "runid":
    case "workflowrunid":
      return "Required: the workflow run id, e.g. workflow_run_xKm9pNv3qWsY_jL2tR5Dh (Extend dashboard). Each id once per sheet.";
    case "name":
    case "runname":
      return "The run's new name. Blank leaves the name unchanged.";
    case "tags":
    case "usagetags":
      return "Usage tags, separated by commas: letters, digits, _ and - only (Extend removes anything else; you are asked first). Blank leaves them unchanged, #CLEAR removes all.";
  }
  const output = OUTPUT_COLUMNS.find(
    (column) => normalizeHeader(OUTPUT_HEADERS[column]) === normalizeHeader(text),
  );
  return output ? OUTPUT_NOTES[output] : undefined;
}

export type SetupPlan =
  | { kind: "new"; headers: readonly string[] }
  | { kind: "existing"; missing: string[] }
  /** Row 1 holds something that is not a sync sheet's header row: set up a new sheet beside it instead. */
  | { kind: "other-data" };

/** Decides what setting up the active sheet means, from its first row and whether it has any data. */
export function planSetup(headerRow: readonly CellValue[], sheetIsEmpty: boolean): SetupPlan {
  if (sheetIsEmpty) return { kind: "new", headers: NEW_SHEET_HEADERS };
  const mapped = mapHeaders(headerRow);
  if (!mapped.ok) return { kind: "other-data" };
  const { columns } = mapped;
  const missing: string[] = [];
  if (columns.name === undefined) missing.push(INPUT_HEADERS.name);
  if (columns.tags === undefined) missing.push(INPUT_HEADERS.tags);
  for (const column of OUTPUT_COLUMNS)
    if (columns.output[column] === undefined) missing.push(OUTPUT_HEADERS[column]);
  return { kind: "existing", missing };
}
