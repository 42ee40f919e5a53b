// The hidden "Sync State" cell of a row: the fingerprint of its last successful update and, while a sync is
// under way, the id of the sync that still has to process it. Kept in the row itself so it travels with the
// row when users sort, filter, insert or delete rows, and with the spreadsheet when it is copied.

import { runIdTag } from "./fingerprint";

export interface RowState {
  /** Fingerprint of the last request Extend accepted for this row. */
  lastSent?: string;
  /** Id of the unfinished sync that has yet to process this row. */
  pendingSync?: string;
  /**
   * Tag of the run id the row was marked for. A sort that leaves the hidden state column behind moves rows but
   * not their marks; a mark whose run id no longer matches its row is then ignored instead of sending that row.
   */
  pendingRun?: string;
}

const VERSION = "v1";

export function encodeRowState(state: RowState): string {
  if (!state.lastSent && !state.pendingSync) return "";
  const parts = [VERSION];
  if (state.lastSent) parts.push(`sent=${state.lastSent}`);
  if (state.pendingSync)
    parts.push(`pending=${state.pendingSync}${state.pendingRun ? `:${state.pendingRun}` : ""}`);
  return parts.join(" ");
}

/** Whether the row still waits for this sync, and was marked for the run id it carries now. */
export function isPendingFor(state: RowState, syncId: string, runId: string): boolean {
  return state.pendingSync === syncId && state.pendingRun === runIdTag(runId);
}

/** Anything unreadable (a user typed in the cell) counts as no state: the row is simply sent again. */
export function decodeRowState(cell: unknown): RowState {
  if (typeof cell !== "string") return {};
  const parts = cell.trim().split(/\s+/);
  if (parts[0] !== VERSION) return {};
  const state: RowState = {};
  for (const part of parts.slice(1)) {
    const [key, value] = part.split("=", 2);
    if (!value) continue;
    if (key === "sent") state.lastSent = value;
    if (key === "pending") {
      const [sync, run] = value.split(":", 2);
      if (sync) state.pendingSync = sync;
      if (run) state.pendingRun = run;
    }
  }
  return state;
}
