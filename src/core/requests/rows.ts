// Turns one sheet row into what should happen to it: nothing (an empty row), a row error, nothing to change,
// or the exact update body to send. Blank cells leave values unchanged; CLEAR_TOKEN clears them.
import {
  type JsonValue,
  MAX_METADATA_BYTES,
  MAX_RUN_ID_LENGTH,
  OTHER_RUN_KIND_PREFIXES,
  type UpdateWorkflowRunBody,
  USAGE_TAGS_KEY,
} from "../../extend/api";
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
} from "../sheet/cell";
import { type ColumnMap, columnLetter, inputColumnIndexes } from "../sheet/headers";
import { EXAMPLE_RUN_ID } from "../sheet/sheet-setup";
import { nestingDepth } from "./json-walk";
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
const SHORT_ENOUGH_TO_ENCODE = Math.floor(MAX_ENCODED_RUN_ID_LENGTH / 9);
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Whether the text holds half of a character (a lone UTF-16 surrogate), as a broken copy and paste or an id
 * read from a broken answer leaves: it has no form in a web address (encodeURIComponent throws on it).
 */
export function hasLoneSurrogate(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(index + 1);
    if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return true;
    index++;
  }
  return false;
}

export const BROKEN_CHARACTER_IN_RUN_ID =
  "Run ID has a broken character (half of a symbol such as an emoji, often left by copying and pasting), so it cannot be sent: copy the workflow run id again from Extend.";

export function validateRunId(runId: string): string | undefined {
  if (runId === "") return "Run ID is empty: fill in the workflow run id (it starts with workflow_run_).";
  if (runId === EXAMPLE_RUN_ID)
    return "This is the example row from Set up a sheet: replace it with a real run (its Run ID from Extend).";
  // First, and without quoting the id: the broken character would be written into the message too.
  if (hasLoneSurrogate(runId)) return BROKEN_CHARACTER_IN_RUN_ID;
  if (/\s/.test(runId)) return `Run ID "${runId}" contains a space or line break: run ids never do.`;
  if (runId.length > MAX_RUN_ID_LENGTH) {
    return `Run ID is ${runId.length} characters long; Extend ids are at most ${MAX_RUN_ID_LENGTH}.`;
  }
  // "." and ".." are path steps, not ids: the request would reach /workflow_runs/ or / instead of a run.
  if (/^\.+$/.test(runId)) return `Run ID "${runId}" is not a run id: copy the workflow run id from Extend.`;
  // Without surrogates, a character is at most 9 characters encoded: a short id cannot be too long, and is
  // not encoded just to count (with them, encoding is what says whether the id can be sent at all).
  if (
    (runId.length > SHORT_ENOUGH_TO_ENCODE || SURROGATE.test(runId)) &&
    encodeURIComponent(runId).length > MAX_ENCODED_RUN_ID_LENGTH
  ) {
    return "Run ID has characters that make it too long for a web address: copy the workflow run id from Extend.";
  }
  for (const otherKind of OTHER_RUN_KIND_PREFIXES) {
    if (runId.startsWith(otherKind))
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

/**
 * At least the bytes of a value's JSON in UTF-8: a code unit of text takes at most 6 (\u001f), a number at
 * most 25 characters. Infinity for what is not worth bounding (objects, nested lists: only json: cells hold them).
 */
export function jsonBytesAtMost(value: unknown): number {
  if (value === null) return 4;
  if (typeof value === "string") return 6 * value.length + 2;
  if (typeof value === "number") return 32;
  if (typeof value === "boolean") return 5;
  if (!Array.isArray(value)) return Number.POSITIVE_INFINITY;
  let bytes = 2;
  for (const item of value) {
    bytes += 1 + (Array.isArray(item) ? Number.POSITIVE_INFINITY : jsonBytesAtMost(item));
  }
  return bytes;
}

/**
 * Deepest json: value sent. Real metadata nests a few levels; a value thousands deep (a cell holds 50,000
 * characters) would overflow the call stack of anything that writes or hashes it, for every row of the sheet.
 */
export const MAX_JSON_DEPTH = 100;

/** Whether `text` is valid JSON or could become valid by adding to its end (the parser stopped at the end). */
function couldContinue(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    const position = /position (\d+)/.exec(message)?.[1];
    return (
      /end of JSON input|Unterminated/.test(message) ||
      (position !== undefined && Number(position) >= text.length)
    );
  }
}

/**
 * Where a json: cell's text breaks, found by halving (a prefix that cannot continue stays broken when longer):
 * the character counted after "json:", with the few characters there. Parser messages differ by version and
 * quote the text, so only whether a prefix could go on is taken from them. The text is the person's own cell.
 */
export function whereJsonBreaks(json: string): string {
  if (couldContinue(json)) return "it ends too early: a closing }, ] or quote is missing";
  let good = 0;
  let bad = json.length;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (couldContinue(json.slice(0, middle))) good = middle;
    else bad = middle;
  }
  const near = json.slice(bad - 1, bad + 11).replace(/\s+/g, " ");
  return `it breaks at character ${bad}, at "${near}"`;
}

function metadataValue(value: CellValue, ctx: ParseContext): { value: JsonValue } | { error: string } {
  if (isClearToken(value)) return { value: null };
  if (isDate(value)) return { value: ctx.dateToIso(value) };
  if (typeof value !== "string") return { value };
  const text = value.trim();
  if (!text.toLowerCase().startsWith(JSON_PREFIX)) return { value: text };
  let parsed: JsonValue;
  const json = text.slice(JSON_PREFIX.length);
  try {
    parsed = JSON.parse(json) as JsonValue;
  } catch {
    return { error: `is not valid JSON after "${JSON_PREFIX}": ${whereJsonBreaks(json)}` };
  }
  if (nestingDepth(parsed, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { error: `nests lists or objects more than ${MAX_JSON_DEPTH} levels deep: simplify the JSON` };
  return { value: parsed };
}

export function parseRow(row: readonly CellValue[], columns: ColumnMap, ctx: ParseContext): ParsedRow {
  const cell = (index: number): CellValue => row[index] ?? "";
  const inputs = inputColumnIndexes(columns);
  let empty = true;
  for (let at = 0; at < inputs.length && empty; at++) empty = isBlank(cell(inputs[at] as number));
  if (empty) return { kind: "empty" };

  const errors: string[] = [];
  const runId = cellText(cell(columns.runId), ctx.dateToIso);
  const runIdProblem = validateRunId(runId);
  if (runIdProblem) errors.push(runIdProblem);

  for (const index of inputs) {
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

  // No prototype: a column headed "metadata.__proto__" is an ordinary key, not the object's prototype. Made
  // from {} rather than by Object.create(null), which the engine keeps as a slower table of keys.
  const metadata = Object.setPrototypeOf({}, null) as Record<string, JsonValue>;
  let keys = 0;
  /** Braces, then each key's quotes, colon and comma are counted with the key. */
  let bytesAtMost = 2;
  for (const column of columns.metadata) {
    const value = cell(column.index);
    if (isBlank(value)) continue;
    const parsed = metadataValue(value, ctx);
    if ("error" in parsed)
      errors.push(`metadata.${column.key} (column ${columnLetter(column.index)}) ${parsed.error}.`);
    else {
      metadata[column.key] = parsed.value;
      keys++;
      bytesAtMost += jsonBytesAtMost(column.key) + 2 + jsonBytesAtMost(parsed.value);
    }
  }

  let tagChanges: TagChange[] = [];
  if (columns.tags !== undefined && !isBlank(cell(columns.tags))) {
    const tagsCell = cell(columns.tags);
    keys++;
    bytesAtMost += jsonBytesAtMost(USAGE_TAGS_KEY) + 2;
    if (isClearToken(tagsCell)) {
      metadata[USAGE_TAGS_KEY] = [];
      bytesAtMost += 2;
    } else {
      const parsed = parseTags(cellText(tagsCell, ctx.dateToIso));
      tagChanges = parsed.changes;
      if (parsed.tags.length === 0) {
        errors.push(
          `Tags has no usable tag: tags may only contain letters, digits, "_" and "-" (to remove all tags, type ${CLEAR_TOKEN}).`,
        );
      }
      metadata[USAGE_TAGS_KEY] = parsed.tags;
      bytesAtMost += jsonBytesAtMost(parsed.tags);
    }
  }

  if (keys > 0) {
    body.metadata = metadata;
    // Measured exactly only when the bound allows too many bytes: nearly every row is far below the limit.
    if (bytesAtMost > MAX_METADATA_BYTES) {
      const bytes = utf8Length(JSON.stringify(metadata));
      if (bytes > MAX_METADATA_BYTES) {
        errors.push(
          `Metadata is ${bytes} bytes; Extend accepts at most ${MAX_METADATA_BYTES} (10 KB): shorten the values.`,
        );
      }
    }
  }

  if (errors.length > 0) return { kind: "invalid", runId, errors };
  if (body.name === undefined && body.metadata === undefined) return { kind: "noop", runId };
  return { kind: "update", runId, body, tagChanges };
}

/** Run ids that appear on more than one of the given rows: which row should win is ambiguous. */
export function duplicateRunIds(rows: readonly ParsedRow[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const row of rows) {
    if (row.kind === "empty" || row.runId === "") continue;
    // One lookup per row: a set that did not grow already held the id.
    const before = seen.size;
    seen.add(row.runId);
    if (seen.size === before) duplicates.add(row.runId);
  }
  return duplicates;
}

export function duplicateError(runId: string): string {
  return `Run ID ${runId} appears on more than one row of this sync: keep it on one row only.`;
}

/** Rows outside a selection named in a duplicate's error; the rest are counted. */
const OUTSIDE_ROWS_NAMED = 5;

/** A selected row whose Run ID is also on rows outside the selection: which row should win is ambiguous. */
export function duplicateOutsideError(runId: string, otherRows: readonly number[]): string {
  const named = otherRows.slice(0, OUTSIDE_ROWS_NAMED);
  const more = otherRows.length - named.length;
  const list =
    named.length === 1
      ? `row ${named[0]}`
      : more > 0
        ? `rows ${named.join(", ")} and ${more} more`
        : `rows ${named.slice(0, -1).join(", ")} and ${named[named.length - 1]}`;
  return `Run ID ${runId} is also on ${list}: keep it on one row only, then sync again.`;
}
