// Turns one sheet row into what should happen to it: nothing (an empty row), a row error, nothing to change,
// or the exact update body to send. Blank cells leave values unchanged; CLEAR_TOKEN clears them.
import {
  type JsonValue,
  MAX_METADATA_BYTES,
  MAX_RUN_ID_LENGTH,
  OTHER_RUN_KIND_PREFIXES,
  type UpdateWorkflowRunBody,
  USAGE_TAGS_KEY,
} from "../extend/api";
import {
  type CellValue,
  CLEAR_TOKEN,
  cellText,
  isBlank,
  isClearToken,
  isDate,
  isFormulaError,
  isStillCalculating,
  JSON_PREFIX,
} from "./cell";
import { type ColumnMap, columnLetter, inputColumnIndexes } from "./headers";
import { parseTags, type TagChange } from "./tags";

export interface ParseContext {
  /** Dates become ISO 8601 text in the spreadsheet's time zone; the adapter knows the zone. */
  dateToIso(date: Date): string;
}

export type ParsedRow =
  | { kind: "empty" }
  | { kind: "invalid"; runId: string; errors: string[] }
  | { kind: "noop"; runId: string }
  | { kind: "update"; runId: string; body: UpdateWorkflowRunBody; tagChanges: TagChange[] };

/** The id's part of the URL; with the base and path, well under UrlFetchApp's 2,082 characters. */
const MAX_ENCODED_RUN_ID_LENGTH = 1_900;

export function validateRunId(runId: string): string | undefined {
  if (runId === "") return "Run ID is empty: fill in the workflow run id (it starts with workflow_run_).";
  if (/\s/.test(runId)) return `Run ID "${runId}" contains a space or line break: run ids never do.`;
  if (runId.length > MAX_RUN_ID_LENGTH) {
    return `Run ID is ${runId.length} characters long; Extend ids are at most ${MAX_RUN_ID_LENGTH}.`;
  }
  // "." and ".." are path steps, not ids: the request would reach /workflow_runs/ or / instead of a run.
  if (/^\.+$/.test(runId)) return `Run ID "${runId}" is not a run id: copy the workflow run id from Extend.`;
  if (encodeURIComponent(runId).length > MAX_ENCODED_RUN_ID_LENGTH) {
    return "Run ID has characters that make it too long for a web address: copy the workflow run id from Extend.";
  }
  const otherKind = OTHER_RUN_KIND_PREFIXES.find((prefix) => runId.startsWith(prefix));
  if (otherKind) {
    return `Run ID "${runId}" is not a workflow run (ids starting with ${otherKind} are another kind of run, which cannot be updated here).`;
  }
  return undefined;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function metadataValue(value: CellValue, ctx: ParseContext): { value: JsonValue } | { error: string } {
  if (isClearToken(value)) return { value: null };
  if (isDate(value)) return { value: ctx.dateToIso(value) };
  if (typeof value !== "string") return { value };
  const text = value.trim();
  if (!text.toLowerCase().startsWith(JSON_PREFIX)) return { value: text };
  try {
    return { value: JSON.parse(text.slice(JSON_PREFIX.length)) as JsonValue };
  } catch {
    return { error: `is not valid JSON after "${JSON_PREFIX}"` };
  }
}

export function parseRow(row: readonly CellValue[], columns: ColumnMap, ctx: ParseContext): ParsedRow {
  const cell = (index: number): CellValue => row[index] ?? "";
  if (inputColumnIndexes(columns).every((index) => isBlank(cell(index)))) return { kind: "empty" };

  const errors: string[] = [];
  const runId = cellText(cell(columns.runId), ctx.dateToIso);
  const runIdProblem = validateRunId(runId);
  if (runIdProblem) errors.push(runIdProblem);

  for (const index of inputColumnIndexes(columns)) {
    if (isFormulaError(cell(index))) {
      errors.push(
        `Cell ${columnLetter(index)} shows the formula error ${String(cell(index)).trim()}: fix the formula.`,
      );
    } else if (isStillCalculating(cell(index))) {
      errors.push(
        `Cell ${columnLetter(index)} shows "Loading…": its formula is still calculating. Sync again once it shows a value.`,
      );
    }
  }

  const body: UpdateWorkflowRunBody = {};
  if (columns.name !== undefined && !isBlank(cell(columns.name))) {
    const name = cell(columns.name);
    if (isClearToken(name)) {
      errors.push(
        `Name cannot be cleared with ${CLEAR_TOKEN}: leave the cell blank to keep the current name.`,
      );
    } else {
      body.name = cellText(name, ctx.dateToIso);
    }
  }

  // No prototype: a column headed "metadata.__proto__" is an ordinary key, not the object's prototype.
  const metadata = Object.create(null) as Record<string, JsonValue>;
  for (const column of columns.metadata) {
    const value = cell(column.index);
    if (isBlank(value)) continue;
    const parsed = metadataValue(value, ctx);
    if ("error" in parsed)
      errors.push(`metadata.${column.key} (column ${columnLetter(column.index)}) ${parsed.error}.`);
    else metadata[column.key] = parsed.value;
  }

  let tagChanges: TagChange[] = [];
  if (columns.tags !== undefined && !isBlank(cell(columns.tags))) {
    const tagsCell = cell(columns.tags);
    if (isClearToken(tagsCell)) {
      metadata[USAGE_TAGS_KEY] = [];
    } else {
      const parsed = parseTags(cellText(tagsCell, ctx.dateToIso));
      tagChanges = parsed.changes;
      if (parsed.tags.length === 0) {
        errors.push(
          `Tags has no usable tag: tags may only contain letters, digits, "_" and "-" (to remove all tags, type ${CLEAR_TOKEN}).`,
        );
      }
      metadata[USAGE_TAGS_KEY] = parsed.tags;
    }
  }

  if (Object.keys(metadata).length > 0) {
    body.metadata = metadata;
    const bytes = utf8Length(JSON.stringify(metadata));
    if (bytes > MAX_METADATA_BYTES) {
      errors.push(
        `Metadata is ${bytes} bytes; Extend accepts at most ${MAX_METADATA_BYTES} (10 KB): shorten the values.`,
      );
    }
  }

  if (errors.length > 0) return { kind: "invalid", runId, errors };
  if (body.name === undefined && body.metadata === undefined) return { kind: "noop", runId };
  return { kind: "update", runId, body, tagChanges };
}

/** Run ids that appear on more than one of the given rows: which row should win is ambiguous. */
export function duplicateRunIds(rows: readonly ParsedRow[]): Set<string> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.kind === "empty" || row.runId === "") continue;
    counts.set(row.runId, (counts.get(row.runId) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, count]) => count > 1).map(([runId]) => runId));
}

export function duplicateError(runId: string): string {
  return `Run ID ${runId} appears on more than one row of this sync: keep it on one row only.`;
}
