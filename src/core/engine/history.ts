// The history of every change: one record per update an update job (or an undo) is about to send, written
// ahead of it. A record holds the run's values before the change (its tags and the previous value of each
// metadata key the update sets) and what is sent, so the change can be undone and finance can audit it.
//
// Kill safety is write-ahead: a record is appended to the history sheet, and committed, before the POST it
// describes leaves (engine.ts writes the records of a batch just before sending it). Its state is "Sending"
// until the row's outcome is written, when it becomes "Applied" or "Not confirmed". An execution killed between
// the record and the update, or between the update and its outcome, leaves a "Sending" record: such a record
// means "maybe applied", and an undo's read of the run decides (the run holds what was sent, or not). A change
// in Extend without its record would need a POST sent before its record was committed, which the engine never
// does. A retried update writes a new record after its new read, so one run may have several records in one
// job: the earliest holds the values before the job, the latest what the job sent last (undo.ts).
import { type JsonValue, type UpdateWorkflowRunBody, USAGE_TAGS_KEY } from "../../extend/api";
import type { TagMode } from "../requests/tag-mode";
import { type CellValue, cellText, MAX_CELL_CHARACTERS, textCell } from "../sheet/cell";

/** What one update is about to change: the run's values before it, for the keys it sets, and its body. */
export interface HistoryChange {
  runId: string;
  /** The run's value of each key the body sets, as read just before; a key the run lacked is absent. */
  before: Record<string, JsonValue>;
  sent: UpdateWorkflowRunBody;
}

/** One record of the history sheet. */
export interface HistoryRecord extends HistoryChange {
  jobId: string;
  /** "sync" or "undo of <job id>". */
  job: string;
  at: Date;
  who: string;
  sheet: string;
  /** The sheet row (1-based) the change came from; 0 when unknown. */
  row: number;
  tagMode: TagMode;
}

export type HistoryState = "Sending" | "Applied" | "Not confirmed";

/** A record's new state, once its row's outcome is written; the row is checked to still hold that record. */
export interface HistorySettle {
  row: number;
  jobId: string;
  runId: string;
  state: HistoryState;
}

/** The history sheet, as the engine is given it (src/gas/history-sheet.ts). */
export interface HistoryPort {
  /**
   * Appends the records and commits them before returning: the sheet row of each, in order. `settles` are
   * states of earlier records written in the same round trips (see settle).
   */
  append(records: readonly HistoryRecord[], settles?: readonly HistorySettle[]): number[];
  /** Writes each record's state where its row still holds it. */
  settle(states: readonly HistorySettle[]): void;
  /** The job's records still "Sending", in sheet order (history-settle.ts). */
  leftSending(jobId: string): LeftSending[];
}

/** A record still "Sending": its row, its run, what it sent, and whether it is its run's last record in the job. */
export interface LeftSending {
  row: number;
  runId: string;
  sent: UpdateWorkflowRunBody;
  latest: boolean;
}

export const HISTORY_SHEET = "Extend Sync History";

/** The history sheet's columns, in order; the undo's engine columns (Sync Result…) come after them. */
export const HISTORY_HEADERS = [
  "Job ID",
  "Job",
  "Time",
  "Started By",
  "Sheet",
  "Row",
  "Run ID",
  "Tag Mode",
  "Tags Before",
  "Tags Sent",
  "Values Before",
  "Values Sent",
  "History State",
] as const;
export type HistoryHeader = (typeof HISTORY_HEADERS)[number];

/** Why a row was not sent: its record could not hold its before-values, so the change could not be undone. */
export const HISTORY_TOO_LARGE =
  "The run's current values are too long to keep in the history (a cell holds 50,000 characters), so this change could not be undone. Nothing was sent for this row.";

/** The values of the keys `sent` sets, as the run holds them now; a key the run lacks is left out. */
export function valuesBefore(
  sent: UpdateWorkflowRunBody,
  current: Readonly<Record<string, JsonValue>>,
): Record<string, JsonValue> {
  const before: Record<string, JsonValue> = {};
  for (const key of Object.keys(sent.metadata ?? {}))
    if (Object.getOwnPropertyDescriptor(current, key) !== undefined) before[key] = current[key] ?? null;
  return before;
}

function tagsText(value: JsonValue | undefined): string {
  if (value === undefined) return "(none)";
  if (Array.isArray(value) && value.every((tag) => typeof tag === "string")) return value.join(", ");
  return JSON.stringify(value);
}

/** Whether a change's record fits the history sheet's cells (with textCell's apostrophe); one that does not is never sent. */
export function fitsHistory(change: HistoryChange): boolean {
  return (
    JSON.stringify(change.before).length < MAX_CELL_CHARACTERS &&
    JSON.stringify(change.sent).length < MAX_CELL_CHARACTERS
  );
}

/** A record as the history sheet's cells, in HISTORY_HEADERS order. */
export function historyCells(record: HistoryRecord, state: HistoryState = "Sending"): CellValue[] {
  const sentTags = record.sent.metadata?.[USAGE_TAGS_KEY];
  return [
    textCell(record.jobId),
    textCell(record.job),
    record.at,
    textCell(record.who),
    textCell(record.sheet),
    record.row,
    textCell(record.runId),
    record.tagMode,
    textCell(sentTags === undefined ? "" : tagsText(record.before[USAGE_TAGS_KEY])),
    textCell(sentTags === undefined ? "" : tagsText(sentTags)),
    textCell(JSON.stringify(record.before)),
    textCell(JSON.stringify(record.sent)),
    state,
  ];
}

/** A record read back from the sheet: enough to undo it. */
export interface ReadRecord extends HistoryChange {
  jobId: string;
  job: string;
  at: number;
  who: string;
  sheet: string;
  /** 1-based row of the history sheet. */
  sheetRow: number;
  state: string;
}

function parseObject(text: string): Record<string, JsonValue> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, JsonValue>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The history sheet's column of each header, or undefined when one is missing. */
export function historyColumns(header: readonly CellValue[]): Record<HistoryHeader, number> | undefined {
  const found: Partial<Record<HistoryHeader, number>> = {};
  header.forEach((cell, index) => {
    const name = String(cell).trim() as HistoryHeader;
    if ((HISTORY_HEADERS as readonly string[]).includes(name) && found[name] === undefined)
      found[name] = index;
  });
  return HISTORY_HEADERS.every((name) => found[name] !== undefined)
    ? (found as Record<HistoryHeader, number>)
    : undefined;
}

/**
 * The records of the history sheet's values (header row first) that can be read back; a row edited into
 * something else (its values no longer JSON objects) is left out, and counted.
 */
export function readHistory(
  values: readonly (readonly CellValue[])[],
  dateToIso: (date: Date) => string,
): { records: ReadRecord[]; unreadable: number } {
  const columns = historyColumns(values[0] ?? []);
  if (!columns) return { records: [], unreadable: 0 };
  const records: ReadRecord[] = [];
  let unreadable = 0;
  values.forEach((cells, index) => {
    if (index === 0) return;
    const text = (header: HistoryHeader) => cellText(cells[columns[header]] ?? "", dateToIso);
    const jobId = text("Job ID");
    if (jobId === "") return;
    const before = parseObject(text("Values Before"));
    const sent = parseObject(text("Values Sent")) as UpdateWorkflowRunBody | undefined;
    const at = cells[columns.Time];
    if (!before || !sent || text("Run ID") === "") {
      unreadable += 1;
      return;
    }
    records.push({
      jobId,
      job: text("Job"),
      at: at instanceof Date ? at.getTime() : 0,
      who: text("Started By"),
      sheet: text("Sheet"),
      sheetRow: index + 1,
      runId: text("Run ID"),
      before,
      sent,
      state: text("History State"),
    });
  });
  return { records, unreadable };
}
