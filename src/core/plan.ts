// Decides, for every row in a sync's scope, what the sync will do with it, before anything is written or sent.
// Used at the start of a sync (and by a dry run) from one read of the whole sheet.
import type { UpdateWorkflowRunBody } from "../extend/api";
import type { CellValue } from "./cell";
import { fingerprint } from "./fingerprint";
import { type ColumnMap, mapHeaders, OUTPUT_COLUMNS, type OutputColumn } from "./headers";
import type { OutputValues, RowOutcome } from "./outcome";
import { decodeRowState, type RowState } from "./row-state";
import { duplicateError, duplicateRunIds, type ParseContext, type ParsedRow, parseRow } from "./rows";
import type { TagChange } from "./tags";

export interface PlannedRow {
  /** 1-based sheet row. */
  row: number;
  runId: string;
  previous: OutputValues;
  state: RowState;
  /** A row to send, or the outcome it already has without a request. */
  action:
    | { send: UpdateWorkflowRunBody; fingerprint: string; tagChanges: TagChange[] }
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
  return parsed.map((row): ParsedRow => {
    if (row.kind === "empty" || !duplicates.has(row.runId)) return row;
    const earlier = row.kind === "invalid" ? row.errors : [];
    return { kind: "invalid", runId: row.runId, errors: [...earlier, duplicateError(row.runId)] };
  });
}

export function planSync(
  values: readonly (readonly CellValue[])[],
  scopeRows: ReadonlySet<number> | "all",
  force: boolean,
  ctx: ParseContext,
): PlanResult {
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return headers;
  const { columns } = headers;
  const inScope: { row: number; cells: readonly CellValue[] }[] = [];
  values.forEach((cells, index) => {
    const row = index + 1;
    if (row > 1 && (scopeRows === "all" || scopeRows.has(row))) inScope.push({ row, cells });
  });
  const parsed = parseRows(
    inScope.map((entry) => entry.cells),
    columns,
    ctx,
  );
  const rows: PlannedRow[] = [];
  parsed.forEach((result, index) => {
    const entry = inScope[index];
    if (!entry || result.kind === "empty") return;
    const stateIndex = columns.output.state;
    const state = decodeRowState(stateIndex === undefined ? "" : entry.cells[stateIndex]);
    const base = {
      row: entry.row,
      runId: result.runId,
      previous: previousOutputs(entry.cells, columns),
      state,
    };
    if (result.kind === "invalid") {
      rows.push({ ...base, action: { outcome: { kind: "invalid", errors: result.errors } } });
    } else if (result.kind === "noop") {
      rows.push({ ...base, action: { outcome: { kind: "noop" } } });
    } else {
      const print = fingerprint(result.runId, result.body);
      if (!force && state.lastSent === print) {
        rows.push({ ...base, action: { outcome: { kind: "unchanged" } } });
      } else {
        rows.push({
          ...base,
          action: { send: result.body, fingerprint: print, tagChanges: result.tagChanges },
        });
      }
    }
  });
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

export function outputColumnIndexes(columns: ColumnMap): Record<OutputColumn, number> | undefined {
  const indexes: Partial<Record<OutputColumn, number>> = {};
  for (const column of OUTPUT_COLUMNS) {
    const index = columns.output[column];
    if (index === undefined) return undefined;
    indexes[column] = index;
  }
  return indexes as Record<OutputColumn, number>;
}
