// The first step of every execution: from one read of the sheet, find the rows this job still has to process
// (by their mark and run id, wherever sorting moved them), and turn each into its first step (a request) or an
// outcome that needs none.

import { USAGE_TAGS_KEY } from "../../extend/api";
import { fingerprint, runIdTag } from "../requests/fingerprint";
import type { ConnectionSettings } from "../requests/request";
import { type ParseContext, type ParsedRow, validateRunId } from "../requests/rows";
import type { TagMode } from "../requests/tag-mode";
import { describeTagChange, type TagChange } from "../requests/tags";
import type { CellValue } from "../sheet/cell";
import { cellText } from "../sheet/cell";
import type { ColumnMap, OutputColumn } from "../sheet/headers";
import { beforeOf } from "./begin";
import type { JobKind } from "./job";
import { pendingStateCell, type RowBefore, type RowOutcome } from "./outcome";
import { CLEAR_NEEDS_REPLACE, parseRows, type SyncPlan } from "./plan";
import { decodeRowState, isPendingFor } from "./row-state";
import { type PlannedUpdate, previewStep, refreshStep, type Step, updateSteps } from "./steps";
import { runsToUndo, UNREADABLE_RECORD, undoStep } from "./undo";

export interface QueueItem {
  runId: string;
  before: RowBefore;
  /** The request to make next, and what its answer leads to. */
  step: Step;
  /** Failed attempts so far, over all of the row's steps: the retry policy's budget is the row's. */
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
  /** What the job does with a row; an import's rows are refreshed. */
  kind: JobKind;
  tagMode: TagMode;
  /** Every update reads its run first and carries its history record (history.ts). */
  keepHistory?: boolean;
}

function editedTagsError(changes: readonly TagChange[]): string {
  return `Tags were edited after the sync started, and Extend would change them: ${changes.map(describeTagChange).join("; ")}. Check the tags, then sync this row again to confirm.`;
}

/** The outcome of a marked row that needs no request: it became empty or invalid, or its tags need asking again. */
function immediateOutcome(
  result: ParsedRow,
  before: RowBefore,
  print: string | undefined,
  input: PrepareInput,
): RowOutcome | undefined {
  const preview = input.kind === "preview";
  if (result.kind === "empty" || result.kind === "noop")
    return preview ? { kind: "skipped", because: "noop" } : { kind: "noop" };
  if (result.kind === "invalid")
    return preview ? { kind: "skipped", because: "invalid" } : { kind: "invalid", errors: result.errors };
  const tags = result.body.metadata?.[USAGE_TAGS_KEY];
  if (input.tagMode !== "replace" && Array.isArray(tags) && tags.length === 0)
    return preview
      ? { kind: "skipped", because: "invalid" }
      : { kind: "invalid", errors: [CLEAR_NEEDS_REPLACE] };
  if (preview) return undefined;
  // What was planned when the row was marked is what the user confirmed; an edit since brings new tag changes.
  if (print !== before.state.pendingPlan && result.tagChanges.length > 0)
    return { kind: "invalid", errors: [editedTagsError(result.tagChanges)] };
  return undefined;
}

/**
 * The first execution's work straight from the plan the sync was started with, moments ago in the same
 * execution: the rows were parsed and confirmed then, so they are not parsed again.
 */
export function preparedFromPlan(
  plan: SyncPlan,
  syncId: string,
  connection: ConnectionSettings,
  kind: JobKind,
  tagMode: TagMode,
  keepHistory = false,
): Prepared {
  const queue: QueueItem[] = [];
  const rowsOf = new Map<string, number[]>();
  for (const row of plan.rows) {
    if ("outcome" in row.action) continue;
    // A refresh reads a run once however many rows carry it; every such row gets the answer.
    const rows = rowsOf.get(row.runId);
    if (rows) {
      rows.push(row.row);
      continue;
    }
    rowsOf.set(row.runId, [row.row]);
    const print = "fingerprint" in row.action ? row.action.fingerprint : "";
    const state = decodeRowState(pendingStateCell(beforeOf(row), syncId, print, kind !== "update"));
    const before: RowBefore = {
      runId: row.runId,
      state,
      link: row.previous.link ?? "",
      syncedAt: row.previous.syncedAt ?? "",
    };
    let step: Step;
    if ("read" in row.action) step = refreshStep(row.runId, connection);
    else {
      const { send, fingerprint: planned, tagChanges } = row.action;
      const update: PlannedUpdate = { runId: row.runId, body: send, fingerprint: planned, tagChanges };
      step =
        kind === "preview"
          ? previewStep(update, tagMode, connection)
          : updateSteps(update, tagMode, connection, keepHistory);
    }
    queue.push({ runId: row.runId, before, step, attempts: 0, notBefore: 0 });
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
    const before: RowBefore = {
      runId,
      state,
      link: cells[outputs.link] ?? "",
      syncedAt: cells[outputs.syncedAt] ?? "",
    };
    pending.push({ cells, row: index + 1, before });
    const rows = rowsOf.get(runId);
    if (rows) rows.push(index + 1);
    else rowsOf.set(runId, [index + 1]);
  });

  if (input.kind === "refresh" || input.kind === "import") return { ...readQueue(pending, input), rowsOf };
  if (input.kind === "undo") return { ...undoRows(pending, input), rowsOf };
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
    const print =
      result.kind === "update" ? fingerprint(result.runId, result.body, input.tagMode) : undefined;
    const outcome = immediateOutcome(result, before, print, input);
    if (outcome) {
      finished.push({ runId: before.runId, before, outcome });
    } else if (result.kind === "update" && print !== undefined) {
      const update: PlannedUpdate = {
        runId: result.runId,
        body: result.body,
        fingerprint: print,
        tagChanges: result.tagChanges,
      };
      const step =
        input.kind === "preview"
          ? previewStep(update, input.tagMode, input.connection)
          : updateSteps(update, input.tagMode, input.connection, input.keepHistory === true);
      queue.push({ runId: result.runId, before, step, attempts: 0, notBefore: 0 });
    }
  });
  return { queue, finished, rowsOf };
}

/** A refresh reads each run once, however many rows carry its id; every such row gets the answer. */
function readQueue(
  pending: readonly { before: RowBefore }[],
  input: PrepareInput,
): Pick<Prepared, "queue" | "finished"> {
  const queue: QueueItem[] = [];
  const finished: Finished[] = [];
  const seen = new Set<string>();
  for (const { before } of pending) {
    if (seen.has(before.runId)) continue;
    seen.add(before.runId);
    const problem = validateRunId(before.runId);
    if (problem) {
      const outcome: RowOutcome = {
        kind: "read failed",
        error: { code: "INVALID_RUN_ID", message: problem },
        noRequest: true,
      };
      finished.push({ runId: before.runId, before, outcome });
    } else {
      const step = refreshStep(before.runId, input.connection);
      queue.push({ runId: before.runId, before, step, attempts: 0, notBefore: 0 });
    }
  }
  return { queue, finished };
}

/** An undo's rows are history records: one queue item per run, its read first (undo.ts). */
function undoRows(
  pending: readonly { cells: readonly CellValue[]; before: RowBefore; row: number }[],
  input: PrepareInput,
): Pick<Prepared, "queue" | "finished"> {
  const queue: QueueItem[] = [];
  const finished: Finished[] = [];
  for (const run of runsToUndo(input.values[0] ?? [], pending, input.parse.dateToIso)) {
    if (run.change) {
      const step = undoStep(run.change, input.connection);
      queue.push({ runId: run.runId, before: run.before, step, attempts: 0, notBefore: 0 });
    } else
      finished.push({
        runId: run.runId,
        before: run.before,
        outcome: { kind: "invalid", errors: [UNREADABLE_RECORD] },
      });
  }
  return { queue, finished };
}
