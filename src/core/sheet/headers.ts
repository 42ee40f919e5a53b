// Finds the add-on's columns by their header text in row 1, never by position, so users may reorder columns
// and add their own. Fixed names ignore case, spaces, "_" and "-"; a metadata key keeps its exact case.
import { USAGE_TAGS_KEY } from "../../extend/api";

export type OutputColumn = "result" | "status" | "syncedAt" | "error" | "link" | "state";

/** Header text the add-on writes when it creates a missing output column, in creation order. */
export const OUTPUT_HEADERS: Readonly<Record<OutputColumn, string>> = {
  result: "Sync Result",
  status: "Run Status",
  syncedAt: "Synced At",
  error: "Sync Error",
  link: "Dashboard Link",
  state: "Sync State",
};
export const OUTPUT_COLUMNS = Object.keys(OUTPUT_HEADERS) as OutputColumn[];

/**
 * Read-only columns a refresh (or a preview) writes from what Extend holds now. Created only by a refresh; an
 * update writes them too, from the run its update returned, where the sheet has them.
 */
export type ReadColumn =
  | "currentTags"
  | "currentMetadata"
  | "credits"
  | "failure"
  | "refreshedAt"
  | "refreshError";

export const READ_HEADERS: Readonly<Record<ReadColumn, string>> = {
  currentTags: "Current Tags",
  currentMetadata: "Current Metadata",
  credits: "Credits",
  failure: "Failure Reason",
  refreshedAt: "Refreshed At",
  refreshError: "Refresh Error",
};
export const READ_COLUMNS = Object.keys(READ_HEADERS) as ReadColumn[];

/** Every column the add-on writes into a sync sheet. */
export type WritableColumn = OutputColumn | ReadColumn;

const INPUT_ALIASES: Readonly<Record<"runId" | "name" | "tags", readonly string[]>> = {
  runId: ["runid", "workflowrunid"],
  name: ["name", "runname"],
  tags: ["tags", "usagetags"],
};

const METADATA_PREFIX = "metadata.";

export interface MetadataColumn {
  key: string;
  index: number;
}

export interface ColumnMap {
  runId: number;
  name?: number;
  tags?: number;
  metadata: MetadataColumn[];
  output: Partial<Record<OutputColumn, number>>;
  /** Read-only columns present in the sheet; a refresh creates the missing ones. */
  read: Partial<Record<ReadColumn, number>>;
}

export type HeaderResult = { ok: true; columns: ColumnMap } | { ok: false; problems: string[] };

export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_-]+/g, "");
}

function describeColumn(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return `column ${letters}`;
}

/** Column letter(s) for a zero-based index, for messages users can act on. */
export const columnLetter = (index: number): string => describeColumn(index).slice("column ".length);

export function mapHeaders(headerRow: readonly unknown[]): HeaderResult {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const fixed: Partial<Record<"runId" | "name" | "tags" | WritableColumn, number>> = {};
  const metadata: MetadataColumn[] = [];

  const claim = (slot: string, index: number, label: string): boolean => {
    const earlier = seen.get(slot);
    if (earlier !== undefined) {
      problems.push(
        `Two columns are both "${label}" (${describeColumn(earlier)} and ${describeColumn(index)}): keep one.`,
      );
      return false;
    }
    seen.set(slot, index);
    return true;
  };

  headerRow.forEach((cell, index) => {
    const raw = String(cell ?? "").trim();
    if (raw === "") return;
    if (raw.toLowerCase().startsWith(METADATA_PREFIX)) {
      const key = raw.slice(METADATA_PREFIX.length).trim();
      if (key === "") {
        problems.push(`${describeColumn(index)} is headed "${raw}" with no key after "metadata.".`);
      } else if (key === USAGE_TAGS_KEY) {
        problems.push(`${describeColumn(index)} sets ${USAGE_TAGS_KEY}: use a "Tags" column for usage tags.`);
      } else if (claim(`metadata:${key}`, index, raw)) {
        metadata.push({ key, index });
      }
      return;
    }
    const normalized = normalizeHeader(raw);
    for (const [slot, aliases] of Object.entries(INPUT_ALIASES)) {
      if (aliases.includes(normalized) && claim(slot, index, raw)) fixed[slot as "runId"] = index;
    }
    for (const column of OUTPUT_COLUMNS) {
      if (normalizeHeader(OUTPUT_HEADERS[column]) === normalized && claim(column, index, raw))
        fixed[column] = index;
    }
    for (const column of READ_COLUMNS) {
      if (normalizeHeader(READ_HEADERS[column]) === normalized && claim(column, index, raw))
        fixed[column] = index;
    }
  });

  if (fixed.runId === undefined) {
    problems.unshift('No "Run ID" column: put the header "Run ID" in row 1 above the workflow run ids.');
  }
  if (problems.length > 0 || fixed.runId === undefined) return { ok: false, problems };

  const output: Partial<Record<OutputColumn, number>> = {};
  for (const column of OUTPUT_COLUMNS) {
    const index = fixed[column];
    if (index !== undefined) output[column] = index;
  }
  const read: Partial<Record<ReadColumn, number>> = {};
  for (const column of READ_COLUMNS) {
    const index = fixed[column];
    if (index !== undefined) read[column] = index;
  }
  const columns: ColumnMap = { runId: fixed.runId, metadata, output, read };
  if (fixed.name !== undefined) columns.name = fixed.name;
  if (fixed.tags !== undefined) columns.tags = fixed.tags;
  return { ok: true, columns };
}

export function missingOutputColumns(columns: ColumnMap): OutputColumn[] {
  return OUTPUT_COLUMNS.filter((column) => columns.output[column] === undefined);
}

export function missingReadColumns(columns: ColumnMap): ReadColumn[] {
  return READ_COLUMNS.filter((column) => columns.read[column] === undefined);
}

const inputIndexes = new WeakMap<ColumnMap, readonly number[]>();

/** Indexes of every column the user types into; the add-on never writes these. Asked once per row: remembered. */
export function inputColumnIndexes(columns: ColumnMap): readonly number[] {
  const known = inputIndexes.get(columns);
  if (
    known &&
    known.length ===
      columns.metadata.length + 1 + Number(columns.name !== undefined) + Number(columns.tags !== undefined)
  )
    return known;
  const indexes = [columns.runId, ...columns.metadata.map((column) => column.index)];
  if (columns.name !== undefined) indexes.push(columns.name);
  if (columns.tags !== undefined) indexes.push(columns.tags);
  indexes.sort((a, b) => a - b);
  inputIndexes.set(columns, indexes);
  return indexes;
}
