// Decides, for every row in a job's scope, what the job will do with it, before anything is written or sent:
// for an update or a preview, from the row's values and the tag mode; for a refresh, from its Run ID alone.
// Used at the start of a job (and by a dry run) from one read of the whole sheet.
import { type UpdateWorkflowRunBody, USAGE_TAGS_KEY } from "../../extend/api";
import { fingerprint } from "../requests/fingerprint";
import {
  duplicateError,
  duplicateOutsideError,
  duplicateRunIds,
  type ParseContext,
  type ParsedRow,
  parseRow,
  validateRunId,
} from "../requests/rows";
import { namesTags, type TagMode } from "../requests/tag-mode";
import type { TagChange } from "../requests/tags";
import type { CellValue } from "../sheet/cell";
import { CLEAR_TOKEN, cellText } from "../sheet/cell";
import { type ColumnMap, mapHeaders, OUTPUT_COLUMNS, type OutputColumn } from "../sheet/headers";
import type { OutputValues, RowOutcome } from "./outcome";
import { decodeRowState, type RowState } from "./row-state";

export interface PlannedRow {
  /** 1-based sheet row. */
  row: number;
  runId: string;
  previous: OutputValues;
  state: RowState;
  /** A row to send (or, in a preview, to compare), a run to read (refresh), or the outcome it has already. */
  action:
    | { send: UpdateWorkflowRunBody; fingerprint: string; tagChanges: TagChange[] }
    | { read: true }
    | { outcome: RowOutcome };
}

export interface SyncPlan {
  columns: ColumnMap;
  rows: PlannedRow[];
}

export type PlanResult = { ok: true; plan: SyncPlan } | { ok: false; problems: string[] };

export function previousOutputs(row: readonly CellValue[], columns: ColumnMap): OutputValues {
  const values: OutputValues = {};
  for (const column of OUTPUT_COLUMNS) {
    const index = columns.output[column];
    if (index !== undefined) values[column] = row[index] ?? "";
  }
  return values;
}

/** Parses rows and marks every run id that occurs more than once among them as an error on each such row. */
export function parseRows(
  rows: readonly (readonly CellValue[])[],
  columns: ColumnMap,
  ctx: ParseContext,
): ParsedRow[] {
  const parsed = rows.map((row) => parseRow(row, columns, ctx));
  const duplicates = duplicateRunIds(parsed);
  if (duplicates.size === 0) return parsed;
  return parsed.map((row): ParsedRow => {
    if (row.kind === "empty" || !duplicates.has(row.runId)) return row;
    const earlier = row.kind === "invalid" ? row.errors : [];
    return { kind: "invalid", runId: row.runId, errors: [...earlier, duplicateError(row.runId)] };
  });
}

/**
 * A selection is checked against the whole sheet: a row outside it with the same Run ID makes the selected row
 * ambiguous too. The outside row is not in the job's scope, so it is named, never written.
 */
function withDuplicatesOutside(
  parsed: ParsedRow[],
  inScope: readonly { row: number }[],
  values: readonly (readonly CellValue[])[],
  columns: ColumnMap,
  ctx: ParseContext,
): ParsedRow[] {
  const selectedIds = new Set<string>();
  for (const row of parsed) if (row.kind !== "empty" && row.runId !== "") selectedIds.add(row.runId);
  if (selectedIds.size === 0) return parsed;
  const selectedRows = new Set(inScope.map((entry) => entry.row));
  const outsideRows = new Map<string, number[]>();
  values.forEach((cells, index) => {
    const row = index + 1;
    if (row === 1 || selectedRows.has(row)) return;
    const runId = cellText(cells[columns.runId] ?? "", ctx.dateToIso);
    if (!selectedIds.has(runId)) return;
    const rows = outsideRows.get(runId);
    if (rows) rows.push(row);
    else outsideRows.set(runId, [row]);
  });
  if (outsideRows.size === 0) return parsed;
  return parsed.map((row): ParsedRow => {
    if (row.kind === "empty") return row;
    const others = outsideRows.get(row.runId);
    if (!others) return row;
    const earlier = row.kind === "invalid" ? row.errors : [];
    return {
      kind: "invalid",
      runId: row.runId,
      errors: [...earlier, duplicateOutsideError(row.runId, others)],
    };
  });
}

function rowsInScope(
  values: readonly (readonly CellValue[])[],
  scopeRows: ReadonlySet<number> | "all",
): { row: number; cells: readonly CellValue[] }[] {
  const inScope: { row: number; cells: readonly CellValue[] }[] = [];
  values.forEach((cells, index) => {
    const row = index + 1;
    if (row > 1 && (scopeRows === "all" || scopeRows.has(row))) inScope.push({ row, cells });
  });
  return inScope;
}

export const CLEAR_NEEDS_REPLACE = `${CLEAR_TOKEN} in Tags removes every tag, which only the Replace tag mode does: choose Replace to clear the tags, or name the tags to add or remove.`;

/** The row's request under the tag mode: #CLEAR means nothing to add or remove, so it is refused there. */
function underTagMode(
  result: Extract<ParsedRow, { kind: "update" }>,
  tagMode: TagMode,
): { error: string } | { print: string } {
  const tags = result.body.metadata?.[USAGE_TAGS_KEY];
  if (tagMode !== "replace" && Array.isArray(tags) && tags.length === 0)
    return { error: CLEAR_NEEDS_REPLACE };
  return { print: fingerprint(result.runId, result.body, tagMode) };
}

export function planSync(
  values: readonly (readonly CellValue[])[],
  scopeRows: ReadonlySet<number> | "all",
  force: boolean,
  ctx: ParseContext,
  tagMode: TagMode = "replace",
): PlanResult {
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return headers;
  const { columns } = headers;
  const inScope = rowsInScope(values, scopeRows);
  const parsedInScope = parseRows(
    inScope.map((entry) => entry.cells),
    columns,
    ctx,
  );
  const parsed =
    scopeRows === "all" ? parsedInScope : withDuplicatesOutside(parsedInScope, inScope, values, columns, ctx);
  const rows: PlannedRow[] = [];
  const stateIndex = columns.output.state;
  for (let index = 0; index < parsed.length; index++) {
    const result = parsed[index];
    const entry = inScope[index];
    if (!entry || !result || result.kind === "empty") continue;
    const state = decodeRowState(stateIndex === undefined ? "" : entry.cells[stateIndex]);
    let action: PlannedRow["action"];
    if (result.kind === "invalid") {
      action = { outcome: { kind: "invalid", errors: result.errors } };
    } else if (result.kind === "noop") {
      action = { outcome: { kind: "noop" } };
    } else {
      const moded = underTagMode(result, tagMode);
      if ("error" in moded) action = { outcome: { kind: "invalid", errors: [moded.error] } };
      else if (!force && state.lastSent === moded.print) action = { outcome: { kind: "unchanged" } };
      else action = { send: result.body, fingerprint: moded.print, tagChanges: result.tagChanges };
    }
    // Built whole, not spread from a shared part: this runs for every row of the sheet.
    rows.push({
      row: entry.row,
      runId: result.runId,
      previous: previousOutputs(entry.cells, columns),
      state,
      action,
    });
  }
  return { ok: true, plan: { columns, rows } };
}

/**
 * A refresh reads every run named in its scope, whatever the row's other cells hold: only a Run ID that cannot
 * be a workflow run's is an outcome (its Refresh Error says why). Rows without a Run ID are left alone.
 */
export function planRefresh(
  values: readonly (readonly CellValue[])[],
  scopeRows: ReadonlySet<number> | "all",
  ctx: ParseContext,
): PlanResult {
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return headers;
  const { columns } = headers;
  const rows: PlannedRow[] = [];
  for (const { row, cells } of rowsInScope(values, scopeRows)) {
    const runId = cellText(cells[columns.runId] ?? "", ctx.dateToIso);
    if (runId === "") continue;
    const stateIndex = columns.output.state;
    const base = {
      row,
      runId,
      previous: previousOutputs(cells, columns),
      state: decodeRowState(stateIndex === undefined ? "" : cells[stateIndex]),
    };
    const problem = validateRunId(runId);
    rows.push({
      ...base,
      action: problem
        ? {
            outcome: {
              kind: "read failed",
              error: { code: "INVALID_RUN_ID", message: problem },
              noRequest: true,
            },
          }
        : { read: true },
    });
  }
  return { ok: true, plan: { columns, rows } };
}

export interface TagWarning {
  row: number;
  runId: string;
  changes: TagChange[];
}

/** Names one exact set of tag changes, so a confirmation given for it is not taken for another. */
export function warningsToken(warnings: readonly TagWarning[]): string {
  return fingerprint("tag-changes", { metadata: { warnings: JSON.parse(JSON.stringify(warnings)) } });
}

export function tagWarnings(plan: SyncPlan): TagWarning[] {
  return plan.rows.flatMap((row) =>
    "send" in row.action && row.action.tagChanges.length > 0
      ? [{ row: row.row, runId: row.runId, changes: row.action.tagChanges }]
      : [],
  );
}

/** Rows with tag changes listed in a confirmation; the rest are counted. */
export const CONFIRM_WARNINGS_LISTED = 100;

/** What a sync asks the person to confirm before it starts: its tag changes, and an add or remove mode. */
export interface SendConfirmation {
  /** The first CONFIRM_WARNINGS_LISTED rows whose tags Extend will change: what a person can read. */
  warnings: TagWarning[];
  /** All rows whose tags Extend will change. */
  rowsWithTagChanges: number;
  /** Names exactly what was shown, so a confirmation is not taken for other changes or another mode. */
  token: string;
  tagMode: TagMode;
  /** Rows that name tags: what the tag mode applies to. */
  rowsNamingTags: number;
}

/** What must be confirmed before sending, or undefined when nothing needs asking. */
export function sendConfirmation(plan: SyncPlan, tagMode: TagMode): SendConfirmation | undefined {
  const warnings = tagWarnings(plan);
  let rowsNamingTags = 0;
  for (const row of plan.rows) if ("send" in row.action && namesTags(row.action.send)) rowsNamingTags += 1;
  // Adding or removing reads each run first and changes only the named tags: worth a look before it starts.
  const asksForMode = tagMode !== "replace" && rowsNamingTags > 0;
  if (warnings.length === 0 && !asksForMode) return undefined;
  // The token names every change; the list sent to the page is cut, as a 20,000-row sheet could list them all.
  const token = fingerprint(`confirm:${tagMode}:${rowsNamingTags}`, { name: warningsToken(warnings) });
  return {
    warnings: warnings.slice(0, CONFIRM_WARNINGS_LISTED),
    rowsWithTagChanges: warnings.length,
    token,
    tagMode,
    rowsNamingTags,
  };
}

export function outputColumnIndexes(columns: ColumnMap): Record<OutputColumn, number> | undefined {
  const indexes: Partial<Record<OutputColumn, number>> = {};
  for (const column of OUTPUT_COLUMNS) {
    const index = columns.output[column];
    if (index === undefined) return undefined;
    indexes[column] = index;
  }
  return indexes as Record<OutputColumn, number>;
}
