// The hidden "Sync State" cell of a row: what Extend last accepted for it, which run its output cells describe,
// and, while a sync is under way, that sync's mark on it. Kept in the row itself so it travels with the row when
// users sort, filter, insert or delete rows, and with the spreadsheet when it is copied.

import { runIdTag } from "./fingerprint";

export interface RowState {
  /** Fingerprint of the last request Extend accepted for this row; absent whenever that is not known for sure. */
  lastSent?: string;
  /** Tag of the run id whose status, time and link the row's output cells show. */
  outputsRun?: string;
  /** Id of the unfinished sync that has yet to process this row. */
  pendingSync?: string;
  /**
   * Tag of the run id the row was marked for. A sort that leaves the hidden state column behind moves rows but
   * not their marks; a mark whose run id no longer matches its row is then ignored instead of sending that row.
   */
  pendingRun?: string;
  /** Fingerprint of the request planned (and, for tag changes, confirmed) when the row was marked. */
  pendingPlan?: string;
  /** Id of the sync that last wrote this row's outcome, so a finished sync can tell which rows it never reached. */
  doneSync?: string;
  /**
   * That outcome in one letter (`DoneAs` in outcome.ts), so what a job did can be counted from its rows even
   * when an execution was killed after writing them and before saving the job. Absent in older marks.
   */
  doneAs?: string;
}

const VERSION = "v1";

/** Written for every row a job finishes: concatenated, as joining a list of parts costs several times more. */
export function encodeRowState(state: RowState): string {
  let parts = "";
  if (state.lastSent) parts += ` sent=${state.lastSent}`;
  if (state.outputsRun) parts += ` of=${state.outputsRun}`;
  if (state.pendingSync) {
    const fields = [state.pendingSync, state.pendingRun ?? "", state.pendingPlan ?? ""];
    while (fields[fields.length - 1] === "") fields.pop();
    parts += ` pending=${fields.join(":")}`;
  }
  if (state.doneSync) parts += ` done=${state.doneSync}${state.doneAs ? `:${state.doneAs}` : ""}`;
  return parts === "" ? "" : VERSION + parts;
}

/** Whether the row still waits for this sync, and was marked for the run id it carries now. */
export function isPendingFor(state: RowState, syncId: string, runId: string): boolean {
  return state.pendingSync === syncId && state.pendingRun === runIdTag(runId);
}

/** Whether this sync has touched the row: it still waits for it, or the sync already wrote its outcome. */
export function isMarkedBy(state: RowState, syncId: string): boolean {
  return state.pendingSync === syncId || state.doneSync === syncId;
}

/** Whether the output cells the row keeps (status, time, link) describe this run. */
export function outputsDescribe(state: RowState, runId: string): boolean {
  return state.outputsRun === runIdTag(runId);
}

/** Anything unreadable (a user typed in the cell) counts as no state: the row is simply sent again. */
export function decodeRowState(cell: unknown): RowState {
  if (typeof cell !== "string" || cell === "") return {};
  const parts = cell.trim().split(/\s+/);
  if (parts[0] !== VERSION) return {};
  const state: RowState = {};
  for (let index = 1; index < parts.length; index++) {
    const [key, value] = (parts[index] ?? "").split("=", 2);
    if (!value) continue;
    if (key === "sent") state.lastSent = value;
    else if (key === "of") state.outputsRun = value;
    else if (key === "done") {
      const [sync, as] = value.split(":", 2);
      if (sync) state.doneSync = sync;
      if (as) state.doneAs = as;
    } else if (key === "pending") {
      const [sync, run, plan] = value.split(":", 3);
      if (sync) state.pendingSync = sync;
      if (run) state.pendingRun = run;
      if (plan) state.pendingPlan = plan;
    }
  }
  return state;
}
