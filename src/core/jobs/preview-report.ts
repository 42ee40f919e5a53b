// What a finished preview shows: per row it read, the keys the row sets with their current and proposed values,
// the tags as the tag mode would leave them, and whether the update would change anything. Built from the sheet
// at the end (the Current columns the preview wrote, each row's mark), so a preview of any size spread over
// many executions still reports every row; lists are capped, counts are not.
import { type JsonValue, USAGE_TAGS_KEY } from "../../extend/api";
import { decodeRowState } from "../engine/row-state";
import { type Comparison, compareWithRun } from "../requests/compare";
import { fingerprint } from "../requests/fingerprint";
import { jsonText } from "../requests/json-walk";
import { type ParseContext, parseRow } from "../requests/rows";
import { NOT_A_TAG_LIST } from "../requests/run-facts";
import type { TagMode } from "../requests/tag-mode";
import { type CellValue, cellText } from "../sheet/cell";
import { mapHeaders } from "../sheet/headers";
import { tagsFromCell } from "./credits/credits";

/** Rows listed per verdict; more are counted. */
export const PREVIEW_ROWS_CAP = 200;
const MAX_VALUE_SHOWN = 200;

export interface PreviewLine {
  /** "metadata.customer" or "Tags". */
  what: string;
  current: string;
  proposed: string;
  same: boolean;
}

export interface PreviewRow {
  row: number;
  runId: string;
  lines: PreviewLine[];
  /** Why the row is in its list, in words. */
  note: string;
}

export interface PreviewList {
  rows: PreviewRow[];
  total: number;
}

export interface PreviewReport {
  sheetName: string;
  tagMode: TagMode;
  /** Would change something: a sync sends them. */
  changing: PreviewList;
  /** Set a Name, which the API does not return: a sync sends them. */
  unknown: PreviewList;
  /** Already in Extend: marked, so a sync reports them Unchanged and sends nothing. */
  matching: PreviewList;
  /** The read failed: Refresh Error says why. */
  unreadable: PreviewList;
}

function shown(value: JsonValue | undefined): string {
  if (value === undefined) return "(not set)";
  // Written without recursion and only as far as is shown: the run's value may nest thousands of levels deep.
  const { text, cut } = jsonText(value, MAX_VALUE_SHOWN);
  return cut || text.length > MAX_VALUE_SHOWN ? `${text.slice(0, MAX_VALUE_SHOWN - 1)}…` : text;
}

const tagList = (tags: readonly string[] | undefined) =>
  tags === undefined ? "(not a list of tags)" : tags.length === 0 ? "(none)" : tags.join(", ");

function add(list: PreviewList, row: PreviewRow): void {
  list.total += 1;
  if (list.rows.length < PREVIEW_ROWS_CAP) list.rows.push(row);
}

/** The run's metadata as the preview wrote it into the row: Current Metadata plus Current Tags. */
function currentOf(
  metadataCell: CellValue,
  tagsCell: CellValue,
  ctx: ParseContext,
): Record<string, JsonValue> | undefined {
  const metadataText = cellText(metadataCell, ctx.dateToIso);
  let metadata: Record<string, JsonValue> = {};
  if (metadataText !== "") {
    try {
      const parsed = JSON.parse(metadataText) as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
      metadata = parsed as Record<string, JsonValue>;
    } catch {
      return undefined;
    }
  }
  const tagsText = cellText(tagsCell, ctx.dateToIso);
  metadata[USAGE_TAGS_KEY] = tagsText.startsWith(NOT_A_TAG_LIST)
    ? tagsText
    : tagsFromCell(tagsText, ctx.dateToIso);
  return metadata;
}

function comparedLines(comparison: Comparison): PreviewLine[] {
  const lines: PreviewLine[] = comparison.metadata.map((entry) => ({
    what: `metadata.${entry.key}`,
    current: shown(entry.current),
    proposed: shown(entry.proposed),
    same: entry.same,
  }));
  if (comparison.tags)
    lines.push({
      what: "Tags",
      current: tagList(comparison.tags.current),
      proposed: tagList(comparison.tags.proposed),
      same: comparison.tags.same,
    });
  return lines;
}

export function previewReport(
  values: readonly (readonly CellValue[])[],
  job: { id: string; sheetName: string; tagMode?: TagMode },
  ctx: ParseContext,
): PreviewReport {
  const tagMode = job.tagMode ?? "replace";
  const empty = (): PreviewList => ({ rows: [], total: 0 });
  const report: PreviewReport = {
    sheetName: job.sheetName,
    tagMode,
    changing: empty(),
    unknown: empty(),
    matching: empty(),
    unreadable: empty(),
  };
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return report;
  const { columns } = headers;
  const { state: stateColumn } = columns.output;
  const { currentMetadata, currentTags, refreshError } = columns.read;
  if (stateColumn === undefined) return report;
  for (let index = 1; index < values.length; index++) {
    const cells = values[index] ?? [];
    const state = decodeRowState(cells[stateColumn]);
    if (state.doneSync !== job.id) continue;
    const parsed = parseRow(cells, columns, ctx);
    if (parsed.kind !== "update") continue;
    const base = { row: index + 1, runId: parsed.runId };
    const error = refreshError === undefined ? "" : cellText(cells[refreshError] ?? "", ctx.dateToIso);
    if (error !== "") {
      add(report.unreadable, { ...base, lines: [], note: error });
      continue;
    }
    const current =
      currentMetadata === undefined || currentTags === undefined
        ? undefined
        : currentOf(cells[currentMetadata] ?? "", cells[currentTags] ?? "", ctx);
    const comparison = current ? compareWithRun(parsed.body, tagMode, current) : undefined;
    const lines = comparison ? comparedLines(comparison) : [];
    // The comparison the preview made when it read the run, repeated from what it wrote into the row; if
    // that cannot be read back, its mark says whether it found the row already in Extend.
    const marked = state.lastSent === fingerprint(parsed.runId, parsed.body, tagMode);
    const named = parsed.body.name !== undefined;
    const verdict = comparison?.verdict ?? (marked ? "matches" : named ? "unknown" : "differs");
    if (verdict === "matches")
      add(report.matching, {
        ...base,
        lines,
        note: "Extend already holds this: a sync skips it as Unchanged.",
      });
    else if (verdict === "unknown")
      add(report.unknown, {
        ...base,
        lines,
        note: marked
          ? "Sets a Name, which Extend does not return, so it cannot be compared. Its last sync sent exactly this row, so a sync skips it as Unchanged (Resend sends it anyway)."
          : "Sets a Name, which Extend does not return, so it cannot be compared: a sync sends it.",
      });
    else add(report.changing, { ...base, lines, note: "A sync sends this row." });
  }
  return report;
}
