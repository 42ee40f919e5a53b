// What a finished preview shows: per row it read, the keys the row sets with their current and proposed values,
// the tags as the tag mode would leave them, and whether the update would change anything. Rows with the very
// same lines and note are one group ("Rows 4–40"), so a thousand identical changes read as one. Built from the
// sheet at the end (the Current columns the preview wrote, each row's mark), so a preview of any size spread
// over many executions still reports every row; groups are capped, counts are not.
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

/** Groups listed per verdict; more are counted. */
export const PREVIEW_ROWS_CAP = 200;
/** Row spans kept per group; the group's count covers the rest. */
export const PREVIEW_SPANS_CAP = 50;
const MAX_VALUE_SHOWN = 200;

export interface PreviewLine {
  /** "metadata.customer" or "Tags". */
  what: string;
  current: string;
  proposed: string;
  same: boolean;
}

/** One row, or several rows with exactly the same lines and note. */
export interface PreviewRow {
  /** The group's first row, and its Run ID. */
  row: number;
  runId: string;
  lines: PreviewLine[];
  /** Why the rows are in their list, in words. */
  note: string;
  /** How many rows the group holds (1 for a row alone). */
  count: number;
  /** The group's rows as first-last spans, in sheet order; at most PREVIEW_SPANS_CAP are kept. */
  spans: [number, number][];
}

export interface PreviewList {
  rows: PreviewRow[];
  total: number;
}

export interface PreviewReport {
  sheetName: string;
  /** Which rows the preview covered: "all rows" or the selection ("rows 4-9, 12"). */
  scopeLabel: string;
  tagMode: TagMode;
  /** Would change something: a sync sends them. */
  changing: PreviewList;
  /**
   * Set a Name, which the API does not return, and nothing else differs (metadata and tags match, or none is
   * set): a sync sends them anyway, unless its last sync sent exactly this row.
   */
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

/** Groups of a list being built, by what their rows show (note and lines). */
type Groups = Map<string, PreviewRow>;

function add(
  list: PreviewList,
  groups: Groups,
  entry: { row: number; runId: string; lines: PreviewLine[]; note: string },
): void {
  list.total += 1;
  const key = JSON.stringify([entry.note, entry.lines]);
  const group = groups.get(key);
  if (!group) {
    if (list.rows.length >= PREVIEW_ROWS_CAP) return;
    const created: PreviewRow = { ...entry, count: 1, spans: [[entry.row, entry.row]] };
    groups.set(key, created);
    list.rows.push(created);
    return;
  }
  group.count += 1;
  const last = group.spans[group.spans.length - 1];
  if (last && last[1] === entry.row - 1) last[1] = entry.row;
  else if (group.spans.length < PREVIEW_SPANS_CAP) group.spans.push([entry.row, entry.row]);
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

/**
 * The Current Metadata cell cannot be read back (a value longer than a cell holds was cut, or the cell was
 * edited): the run's values are unknown here, so the row is never said to match.
 */
const CURRENT_NOT_SHOWN =
  "The run's current values cannot be shown: they are longer than a cell holds, or Current Metadata was edited. A sync sends this row.";

/** The fields a row sets, as its lines name them ("metadata.team, Tags"). */
function fieldsOf(lines: readonly PreviewLine[]): string {
  return lines.length === 0 ? "" : ` (${lines.map((line) => line.what).join(", ")})`;
}

/**
 * A row whose only possible difference is its Name. The preview does not mark it: Unchanged promises that
 * Extend holds the row, and the name cannot be checked. A mark its last sync left stands (that sync sent this
 * very name), and the sync honours it, so the note says so.
 */
function unknownNote(lines: readonly PreviewLine[], onlyName: boolean, marked: boolean): string {
  const compared =
    lines.length > 0
      ? `Metadata and tags match${fieldsOf(lines)}; the Name cannot be compared, as Extend does not return a run's name.`
      : onlyName
        ? "Sets only a Name, which cannot be compared: Extend does not return a run's name."
        : "The Name cannot be compared: Extend does not return a run's name.";
  return marked
    ? `${compared} Its last sync sent exactly this row, so a sync skips it as Unchanged (Resend sends it anyway).`
    : `${compared} A sync sends the row, name included.`;
}

export function previewReport(
  values: readonly (readonly CellValue[])[],
  job: { id: string; sheetName: string; scopeLabel?: string; tagMode?: TagMode },
  ctx: ParseContext,
): PreviewReport {
  const tagMode = job.tagMode ?? "replace";
  const empty = (): PreviewList => ({ rows: [], total: 0 });
  const report: PreviewReport = {
    sheetName: job.sheetName,
    scopeLabel: job.scopeLabel ?? "all rows",
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
  const groups: Record<"changing" | "unknown" | "matching" | "unreadable", Groups> = {
    changing: new Map(),
    unknown: new Map(),
    matching: new Map(),
    unreadable: new Map(),
  };
  for (let index = 1; index < values.length; index++) {
    const cells = values[index] ?? [];
    const state = decodeRowState(cells[stateColumn]);
    if (state.doneSync !== job.id) continue;
    const parsed = parseRow(cells, columns, ctx);
    if (parsed.kind !== "update") continue;
    const base = { row: index + 1, runId: parsed.runId };
    const error = refreshError === undefined ? "" : cellText(cells[refreshError] ?? "", ctx.dateToIso);
    if (error !== "") {
      add(report.unreadable, groups.unreadable, { ...base, lines: [], note: error });
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
      // Values are shown only where they differ: rows that match say which fields, so they group together.
      add(report.matching, groups.matching, {
        ...base,
        lines: [],
        note: `Extend already holds what the row asks for${fieldsOf(lines)}: a sync skips it as Unchanged.`,
      });
    else if (verdict === "unknown")
      add(report.unknown, groups.unknown, {
        ...base,
        lines: [],
        note: unknownNote(lines, Object.keys(parsed.body.metadata ?? {}).length === 0, marked),
      });
    else
      add(report.changing, groups.changing, {
        ...base,
        lines,
        note: comparison
          ? named
            ? "A sync sends this row. Its Name is sent too: Extend does not return a run's name, so it cannot be compared."
            : "A sync sends this row."
          : CURRENT_NOT_SHOWN,
      });
  }
  return report;
}
