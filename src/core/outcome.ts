// What happened to a row, and the output cells that say so. Only the cells an outcome changes are written, so a
// value the add-on wrote earlier is never read back and written again (which could pile up apostrophes, or turn
// text into something else); text is written so Sheets stores it exactly and never evaluates it.
import { type CellValue, textCell } from "./cell";
import type { SyncError } from "./classify";
import { runIdTag } from "./fingerprint";
import type { OutputColumn } from "./headers";
import { describeError } from "./messages";
import { encodeRowState, outputsDescribe, type RowState } from "./row-state";
import { describeTagChange, type TagChange } from "./tags";

export type RowOutcome =
  | {
      kind: "updated";
      runStatus: string;
      dashboardUrl?: string;
      syncedAt: Date;
      fingerprint: string;
      tagChanges: TagChange[];
    }
  | { kind: "failed"; error: SyncError }
  | { kind: "invalid"; errors: string[] }
  | { kind: "unchanged" }
  | { kind: "noop" };

export type OutcomeKind = RowOutcome["kind"];

/** The Sync Result words, one per outcome, so users can filter on them. */
export const RESULT_TEXT: Readonly<Record<OutcomeKind, string>> = {
  updated: "Updated",
  failed: "Failed",
  invalid: "Invalid",
  unchanged: "Unchanged",
  noop: "Nothing to change",
};

export type OutputValues = Partial<Record<OutputColumn, CellValue>>;

/** What the row showed and held before this outcome, as read from the sheet. */
export interface RowBefore {
  runId: string;
  state: RowState;
  /** The Dashboard Link cell: for rows written before the state named its run, it tells whose outputs these are. */
  link: CellValue;
}

function resultText(outcome: RowOutcome): string {
  if (outcome.kind !== "updated" || outcome.tagChanges.length === 0) return RESULT_TEXT[outcome.kind];
  return `${RESULT_TEXT.updated}; tags: ${outcome.tagChanges.map(describeTagChange).join("; ")}`;
}

/** Whether the status, time and link the row keeps belong to its current run id (a copied row's do not). */
export function keepsOwnOutputs(before: RowBefore): boolean {
  if (before.state.outputsRun) return outputsDescribe(before.state, before.runId);
  const link = typeof before.link === "string" ? before.link : "";
  return link === "" || link.includes(before.runId);
}

/**
 * The output cells an outcome writes, and nothing else. An update rewrites every column. Other outcomes keep
 * the row's last status, time and link when they describe the row's current run, and blank them otherwise.
 * A failure forgets what Extend last accepted: the attempt may have reached Extend, so only a new success may
 * say "Unchanged" again.
 */
export function outcomeCells(outcome: RowOutcome, before: RowBefore, syncId: string): OutputValues {
  const cells: OutputValues = { result: textCell(resultText(outcome)), error: "" };
  const state: RowState = { doneSync: syncId };
  if (outcome.kind === "updated") {
    cells.status = textCell(outcome.runStatus);
    cells.syncedAt = outcome.syncedAt;
    cells.link = outcome.dashboardUrl ? textCell(outcome.dashboardUrl) : "";
    state.lastSent = outcome.fingerprint;
    state.outputsRun = runIdTag(before.runId);
  } else {
    if (keepsOwnOutputs(before)) {
      if (before.state.outputsRun) state.outputsRun = before.state.outputsRun;
    } else {
      cells.status = "";
      cells.syncedAt = "";
      cells.link = "";
    }
    if (outcome.kind !== "failed" && before.state.lastSent) state.lastSent = before.state.lastSent;
    if (outcome.kind === "failed") cells.error = textCell(describeError(outcome.error));
    if (outcome.kind === "invalid") cells.error = textCell(outcome.errors.join(" "));
  }
  cells.state = encodeRowState(state);
  return cells;
}

/**
 * The state cell of a row a sync is about to send. What Extend last accepted is forgotten from this moment: an
 * attempt may be in flight when the execution dies or the sync is replaced, and the row must then be sent again.
 */
export function pendingStateCell(before: RowBefore, syncId: string, plannedFingerprint: string): string {
  const state: RowState = {
    pendingSync: syncId,
    pendingRun: runIdTag(before.runId),
    pendingPlan: plannedFingerprint,
  };
  if (before.state.outputsRun) state.outputsRun = before.state.outputsRun;
  return encodeRowState(state);
}
