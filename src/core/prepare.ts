// The first step of every execution: from one read of the sheet, find the rows this sync still has to process
// (by their mark and run id, wherever sorting moved them), and turn each into a request to send or an outcome
// that needs none.

import { beforeOf } from "./begin";
import type { CellValue } from "./cell";
import { cellText } from "./cell";
import { fingerprint, runIdTag } from "./fingerprint";
import type { ColumnMap, OutputColumn } from "./headers";
import { pendingStateCell, type RowBefore, type RowOutcome } from "./outcome";
import { parseRows, type SyncPlan } from "./plan";
import { buildUpdateRequest, type ConnectionSettings, type HttpRequest } from "./request";
import { decodeRowState, isPendingFor } from "./row-state";
import type { ParseContext, ParsedRow } from "./rows";
import { describeTagChange, type TagChange } from "./tags";

export interface QueueItem {
  runId: string;
  before: RowBefore;
  request: HttpRequest;
  fingerprint: string;
  tagChanges: TagChange[];
  attempts: number;
  /** No attempt before this time (a backoff or Retry-After). */
  notBefore: number;
}

export interface Finished {
  runId: string;
  before: RowBefore;
  outcome: RowOutcome;
}

export interface Prepared {
  queue: QueueItem[];
  /** Outcomes decided without a request: rows that became invalid or empty during a pause. */
  finished: Finished[];
  /** Sheet rows (1-based) of each pending run id, as read now; commits verify them before writing. */
  rowsOf: Map<string, number[]>;
}

export interface PrepareInput {
  values: readonly (readonly CellValue[])[];
  columns: ColumnMap;
  outputs: Record<OutputColumn, number>;
  syncId: string;
  parse: ParseContext;
  connection: ConnectionSettings;
  /** Tags of run ids whose results could not be written: not sent again. */
  unwritable: ReadonlySet<string>;
}

function editedTagsError(changes: readonly TagChange[]): string {
  return `Tags were edited after the sync started, and Extend would change them: ${changes.map(describeTagChange).join("; ")}. Check the tags, then sync this row again to confirm.`;
}

/** The outcome of a marked row that needs no request: it became empty or invalid, or its tags need asking again. */
function immediateOutcome(
  result: ParsedRow,
  before: RowBefore,
  print: string | undefined,
): RowOutcome | undefined {
  if (result.kind === "empty" || result.kind === "noop") return { kind: "noop" };
  if (result.kind === "invalid") return { kind: "invalid", errors: result.errors };
  // What was planned when the row was marked is what the user confirmed; an edit since brings new tag changes.
  if (print !== before.state.pendingPlan && result.tagChanges.length > 0)
    return { kind: "invalid", errors: [editedTagsError(result.tagChanges)] };
  return undefined;
}

/**
 * The first execution's work straight from the plan the sync was started with, moments ago in the same
 * execution: the rows were parsed and confirmed then, so they are not parsed again.
 */
export function preparedFromPlan(plan: SyncPlan, syncId: string, connection: ConnectionSettings): Prepared {
  const queue: QueueItem[] = [];
  const rowsOf = new Map<string, number[]>();
  for (const row of plan.rows) {
    if (!("send" in row.action)) continue;
    const { send, fingerprint: print, tagChanges } = row.action;
    const state = decodeRowState(pendingStateCell(beforeOf(row), syncId, print));
    queue.push({
      runId: row.runId,
      before: { runId: row.runId, state, link: row.previous.link ?? "" },
      request: buildUpdateRequest(row.runId, send, connection),
      fingerprint: print,
      tagChanges,
      attempts: 0,
      notBefore: 0,
    });
    rowsOf.set(row.runId, [row.row]);
  }
  return { queue, finished: [], rowsOf };
}

export function prepareExecution(input: PrepareInput): Prepared {
  const { columns, outputs, syncId } = input;
  const pending: { cells: readonly CellValue[]; before: RowBefore; row: number }[] = [];
  const rowsOf = new Map<string, number[]>();
  input.values.forEach((cells, index) => {
    if (index === 0) return;
    const runId = cellText(cells[columns.runId] ?? "", input.parse.dateToIso);
    const state = decodeRowState(cells[outputs.state]);
    if (!isPendingFor(state, syncId, runId) || input.unwritable.has(runIdTag(runId))) return;
    pending.push({ cells, row: index + 1, before: { runId, state, link: cells[outputs.link] ?? "" } });
    const rows = rowsOf.get(runId);
    if (rows) rows.push(index + 1);
    else rowsOf.set(runId, [index + 1]);
  });

  const queue: QueueItem[] = [];
  const finished: Finished[] = [];
  const parsed = parseRows(
    pending.map((entry) => entry.cells),
    columns,
    input.parse,
  );
  parsed.forEach((result, index) => {
    const entry = pending[index];
    if (!entry) return;
    const { before } = entry;
    const print = result.kind === "update" ? fingerprint(result.runId, result.body) : undefined;
    const outcome = immediateOutcome(result, before, print);
    if (outcome) {
      finished.push({ runId: before.runId, before, outcome });
    } else if (result.kind === "update" && print !== undefined) {
      queue.push({
        runId: result.runId,
        before,
        request: buildUpdateRequest(result.runId, result.body, input.connection),
        fingerprint: print,
        tagChanges: result.tagChanges,
        attempts: 0,
        notBefore: 0,
      });
    }
  });
  return { queue, finished, rowsOf };
}
