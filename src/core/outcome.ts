// What happened to a row, and the output cells that say so. Text is written so Sheets stores it as typed text:
// a leading apostrophe stops "=", "+", "-", "@" or a number-like message from becoming a formula or a number.
import type { CellValue } from "./cell";
import type { SyncError } from "./classify";
import type { OutputColumn } from "./headers";
import { describeError } from "./messages";
import { decodeRowState, encodeRowState } from "./row-state";
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

export function asText(text: string): string {
  return text === "" ? "" : `'${text}`;
}

function resultText(outcome: RowOutcome): string {
  if (outcome.kind !== "updated" || outcome.tagChanges.length === 0) return RESULT_TEXT[outcome.kind];
  return `${RESULT_TEXT.updated}; tags: ${outcome.tagChanges.map(describeTagChange).join("; ")}`;
}

/**
 * A value read from an output cell, to be written back unchanged: text was read as the literal text, so it is
 * written as text again (an apostrophe it really starts with included) and can never turn into a formula.
 */
function kept(value: CellValue | undefined): CellValue {
  return typeof value === "string" ? asText(value) : (value ?? "");
}

/** Output cells of a row a sync still has to send: as they were, plus the sync's mark in the state cell. */
export function pendingValues(previous: OutputValues, state: string): Required<OutputValues> {
  return {
    result: kept(previous.result),
    status: kept(previous.status),
    syncedAt: kept(previous.syncedAt),
    error: kept(previous.error),
    link: kept(previous.link),
    state,
  };
}

/**
 * Output cells for a row. Columns an outcome says nothing about (the status of a row that failed, the time of
 * its last success) keep the values they had, which the caller read from the sheet.
 */
export function outputValuesFor(outcome: RowOutcome, previous: OutputValues): Required<OutputValues> {
  const keep = (column: OutputColumn): CellValue => kept(previous[column]);
  const lastSent = decodeRowState(previous.state).lastSent;
  const values: Required<OutputValues> = {
    result: asText(resultText(outcome)),
    status: keep("status"),
    syncedAt: keep("syncedAt"),
    error: "",
    link: keep("link"),
    state: encodeRowState(lastSent ? { lastSent } : {}),
  };
  switch (outcome.kind) {
    case "updated":
      values.status = asText(outcome.runStatus);
      values.syncedAt = outcome.syncedAt;
      values.link = asText(outcome.dashboardUrl ?? "");
      values.state = encodeRowState({ lastSent: outcome.fingerprint });
      break;
    case "failed":
      values.error = asText(describeError(outcome.error));
      break;
    case "invalid":
      values.error = asText(outcome.errors.join(" "));
      break;
    default:
      break;
  }
  return values;
}
