// What the sidebar's "Check rows" shows: the counts of a sync of all rows, every tag that cleaning changes and
// every row a sync would not send for a problem, each with its row number so the sidebar can select it.
// Lists are capped so the answer stays small; the counts always cover every row.

import { outcomeText, RESULT_TEXT } from "../engine/outcome";
import type { SyncPlan } from "../engine/plan";
import { decodeRowState } from "../engine/row-state";
import { describeInvalidRow } from "../requests/messages";
import { shorten } from "../requests/secrets";
import type { TagMode } from "../requests/tag-mode";
import { describeTagChange } from "../requests/tags";
import { type CellValue, cellText } from "../sheet/cell";
import { mapHeaders, OUTPUT_HEADERS } from "../sheet/headers";

/** Rows listed per list; more are counted. */
export const LISTED_ROWS_CAP = 200;
/** A cell can hold 50,000 characters: a runaway Run ID or message is cut, not sent to the page 200 times. */
export const LISTED_TEXT_CAP = { runId: 100, text: 1_000 } as const;

export interface ListedRow {
  row: number;
  runId: string;
  /** Why the row is listed: the errors, or the tag changes, in words. */
  text: string;
}

export interface RowList {
  rows: ListedRow[];
  /** Rows of this kind in all, listed or not. */
  total: number;
}

export interface CheckRowsView {
  sheetName: string;
  tagMode: TagMode;
  counts: { toSend: number; invalid: number; unchanged: number; noop: number };
  tagChanges: RowList;
  invalid: RowList;
  /** Metadata cells sent as text although they look like a number or a date (views/locale-warnings.ts). */
  sentAsText: RowList;
}

const emptyList = (): RowList => ({ rows: [], total: 0 });

function add(list: RowList, { row, runId, text }: ListedRow): void {
  list.total += 1;
  if (list.rows.length < LISTED_ROWS_CAP)
    list.rows.push({
      row,
      runId: shorten(runId, LISTED_TEXT_CAP.runId),
      text: shorten(text, LISTED_TEXT_CAP.text),
    });
}

export function checkRowsView(
  plan: SyncPlan,
  sheetName: string,
  tagMode: TagMode = "replace",
  sentAsText: readonly ListedRow[] = [],
): CheckRowsView {
  const view: CheckRowsView = {
    sheetName,
    tagMode,
    counts: { toSend: 0, invalid: 0, unchanged: 0, noop: 0 },
    tagChanges: emptyList(),
    invalid: emptyList(),
    sentAsText: emptyList(),
  };
  for (const warning of sentAsText) add(view.sentAsText, warning);
  for (const planned of plan.rows) {
    const { row, runId } = planned;
    if ("send" in planned.action) {
      view.counts.toSend += 1;
      const { tagChanges } = planned.action;
      if (tagChanges.length > 0)
        add(view.tagChanges, { row, runId, text: tagChanges.map(describeTagChange).join("; ") });
      continue;
    }
    if (!("outcome" in planned.action)) continue;
    const { outcome } = planned.action;
    if (outcome.kind === "invalid") {
      view.counts.invalid += 1;
      add(view.invalid, { row, runId, text: describeInvalidRow(outcome.errors) });
    } else if (outcome.kind === "unchanged") view.counts.unchanged += 1;
    else if (outcome.kind === "noop") view.counts.noop += 1;
  }
  return view;
}

export interface RowBody {
  row: number;
  runId: string;
  /** What a sync would do with the row, in words. */
  fate: string;
  /** The exact JSON a sync would send, when it would send the row. */
  body?: string;
}

/** The request a sync of all rows would send for one row, or why it would send none. */
export function rowBody(plan: SyncPlan, row: number, force: boolean): RowBody | undefined {
  const planned = plan.rows.find((candidate) => candidate.row === row);
  if (!planned) return undefined;
  if ("send" in planned.action)
    return {
      row,
      runId: planned.runId,
      fate: force
        ? "Will be sent"
        : planned.state.lastSent
          ? "Will be sent (its values changed since the last sync)"
          : "Will be sent (not sent before)",
      body: JSON.stringify(planned.action.send, null, 2),
    };
  if (!("outcome" in planned.action)) return { row, runId: planned.runId, fate: "Read from Extend" };
  const { outcome } = planned.action;
  const why = outcome.kind === "invalid" ? `: ${describeInvalidRow(outcome.errors)}` : "";
  return { row, runId: planned.runId, fate: `Not sent: ${outcomeText(outcome.kind)}${why}` };
}

export interface SyncProblems {
  sheetName: string;
  failed: RowList;
  invalid: RowList;
  /** Rows whose run could not be read (a Refresh Error), as a refresh or an import with current values leaves. */
  unread: RowList;
}

/**
 * The rows of a sheet whose Sync Result says Failed or Invalid, with their Sync Error: what is left to fix after
 * a sync, read from the sheet itself so it also works after the sidebar was closed. Given a job id, only the rows
 * that job wrote (their hidden Sync State names it): a job on selected rows, or an undo, never lists an older
 * error of a row it did not touch.
 */
export function syncProblems(
  values: readonly (readonly CellValue[])[],
  sheetName: string,
  dateToIso: (date: Date) => string,
  jobId?: string,
): SyncProblems {
  const problems: SyncProblems = {
    sheetName,
    failed: emptyList(),
    invalid: emptyList(),
    unread: emptyList(),
  };
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return problems;
  const { runId, output } = headers.columns;
  const result = output.result;
  const error = output.error;
  const refreshError = headers.columns.read.refreshError;
  const stateColumn = output.state;
  values.forEach((cells, index) => {
    if (index === 0) return;
    if (
      jobId !== undefined &&
      stateColumn !== undefined &&
      decodeRowState(cells[stateColumn]).doneSync !== jobId
    )
      return;
    const readError = refreshError === undefined ? "" : cellText(cells[refreshError] ?? "", dateToIso);
    if (readError !== "")
      add(problems.unread, {
        row: index + 1,
        runId: cellText(cells[runId] ?? "", dateToIso),
        text: readError,
      });
    if (result === undefined) return;
    const text = String(cells[result] ?? "");
    const list =
      text === RESULT_TEXT.failed
        ? problems.failed
        : text === RESULT_TEXT.invalid
          ? problems.invalid
          : undefined;
    if (!list) return;
    add(list, {
      row: index + 1,
      runId: cellText(cells[runId] ?? "", dateToIso),
      text: error === undefined ? `See ${OUTPUT_HEADERS.error}.` : String(cells[error] ?? ""),
    });
  });
  return problems;
}
