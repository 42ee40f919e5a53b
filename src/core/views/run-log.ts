// One row per job in the run log sheet: who, when, what kind of job (and its tag mode), which rows, the counts
// and how it ended. Rebuilt from the job after every execution, so a paused job's row is updated in place when
// it goes on. The columns after "Ended" came with refresh, preview and import; a log written before them gets
// them added.

import { HISTORY_SHEET } from "../engine/history";
import {
  JOB_NOUN,
  type JobKind,
  jobKind,
  type NotSyncedRow,
  type SyncCounts,
  type SyncJob,
} from "../engine/job";
import type { TagMode } from "../requests/tag-mode";
import { type CellValue, textCell } from "../sheet/cell";

export const RUN_LOG_SHEET = "Extend Sync Log";

export const RUN_LOG_HEADERS = [
  "Sync ID",
  "Started At",
  "Started By",
  "Sheet",
  "Rows",
  "Requests Sent",
  "Updated",
  "Failed",
  "Invalid",
  "Unchanged",
  "Nothing To Change",
  "Rows Deleted During Sync",
  "Rows Not Synced",
  "Executions",
  "Duration (s)",
  "Ended",
  "Kind",
  "Runs Read",
  "Reads Failed",
  "Details",
] as const;

/** The headers of logs written before job kinds existed; such a log is extended, not replaced. */
export const LEGACY_RUN_LOG_WIDTH = 16;

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The kind in the run log and in progress: "Sync (tags: add)", "Refresh", "Import". */
export function describeKind(kind: JobKind, tagMode: TagMode | undefined): string {
  const noun = capitalized(JOB_NOUN[kind]);
  return kind === "update" || kind === "preview" ? `${noun} (tags: ${tagMode ?? "replace"})` : noun;
}

function details(job: SyncJob): string {
  const { counts } = job;
  switch (jobKind(job)) {
    case "preview":
      return `${counts.matching} rows already match Extend (a sync skips them as Unchanged), ${counts.changing} would change or cannot be compared (a Name).`;
    case "import":
      if (counts.imported === 0 && job.status === "finished")
        return `No runs matched these filters: ${job.scopeLabel}. ${job.import?.emptySheet === "kept" ? "The sheet it made was kept: it was not empty, or could not be deleted." : "The empty sheet it made was deleted."}`;
      return `${counts.imported} runs imported (${job.scopeLabel}) into this sheet.`;
    case "undo":
      return `Undo of ${job.undoOf ?? "?"}: its records and this undo's are the rows of Job ID ${job.undoOf ?? "?"} and ${job.id} in the sheet "${HISTORY_SHEET}".`;
    default:
      return job.keepHistory ? `History: the rows of Job ID ${job.id} in the sheet "${HISTORY_SHEET}".` : "";
  }
}

export type SyncEnding = "finished" | "paused" | "stopped";

const REASON_TEXT: Readonly<Record<NotSyncedRow["reason"], string>> = {
  "run id changed": "its Run ID changed after the sync started",
  "state cleared": "its Sync State cell was cleared during the sync",
  "added after start": "added after the sync started",
  "not marked":
    "not part of this sync (its Sync State cell was cleared, or the row was added after the sync started)",
  "result not writable": "its result could not be written to the sheet",
};

/** Why a row was not synced, in words for the person at the sheet. */
export function notSyncedReasonText(reason: NotSyncedRow["reason"]): string {
  return REASON_TEXT[reason];
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "row 14: its Run ID changed …; row 15: …", and how many more there are beyond the `shown` first ones. */
export function describeNotSynced(rows: readonly NotSyncedRow[], total: number, shown = rows.length): string {
  const named = rows.slice(0, shown).map((row) => `row ${row.row}: ${REASON_TEXT[row.reason]}`);
  if (total > named.length) named.push(`${total - named.length} more`);
  return named.join("; ");
}

export function describeEnding(job: SyncJob, ending: SyncEnding): string {
  if (ending === "finished") return "Finished";
  if (ending === "paused" && job.import?.held) return `Paused: ${job.import.held}`;
  if (ending === "paused") return "Paused: continue it from the menu or the sidebar";
  return `Stopped: ${job.stopReason ?? "unknown reason"}`;
}

export function runLogRow(job: SyncJob, ending: SyncEnding, now: number): CellValue[] {
  const { counts } = job;
  return [
    textCell(job.id),
    new Date(job.startedAt),
    textCell(job.startedBy),
    textCell(job.sheetName),
    textCell(`${job.scopeLabel}${job.force ? " (resend)" : ""}`),
    counts.requests,
    counts.updated,
    counts.failed,
    counts.invalid,
    counts.unchanged,
    counts.noop,
    counts.missing,
    textCell(counts.notSynced > 0 ? describeNotSynced(job.notSynced ?? [], counts.notSynced) : ""),
    job.executions,
    Math.round((now - job.startedAt) / 1000),
    textCell(describeEnding(job, ending)),
    textCell(describeKind(jobKind(job), job.tagMode)),
    counts.read,
    counts.readFailed,
    textCell(details(job)),
  ];
}

/** Where a job stands at the end of an execution; the engine's progress is one. */
export interface SyncStanding {
  kind?: JobKind;
  tagMode?: TagMode;
  listing?: boolean;
  /** Where a refresh's credits summary was written. */
  summarySheet?: string;
  sheetName?: string;
  state: SyncEnding;
  counts: SyncCounts;
  rowsLeft: number;
  /** Why it stopped, or what the person must fix before a held job goes on. */
  message?: string;
  /** An undo of an undo (see ExecutionProgress). */
  undoesUndo?: boolean;
  /** Paused until the person does what `message` says. */
  held?: boolean;
  notSynced?: readonly NotSyncedRow[];
  logFailure?: string;
  /** Each change was recorded in the history sheet first, so the sync can be undone. */
  historyKept?: boolean;
}

/** Rows named in an alert; the run log and the sidebar name more. */
const NOT_SYNCED_IN_SUMMARY = 10;

const RESUME = "Go on with Resume in the sidebar, or Extensions > Extend Sync > Continue paused sync.";

/** A refresh, preview or import in a sentence. */
function summarizeRead(standing: SyncStanding, kind: Exclude<JobKind, "update" | "undo">): string {
  const { counts, state: ending, rowsLeft } = standing;
  const log = standing.logFailure ? ` ${standing.logFailure}` : "";
  const noun = capitalized(JOB_NOUN[kind]);
  const reads = `${counts.read} runs read, ${counts.readFailed} could not be read (their Refresh Error says why)`;
  let tally: string;
  if (kind === "refresh") tally = `${reads}.`;
  else if (kind === "preview")
    tally = `${reads}; ${counts.matching} rows already match Extend and will be skipped as Unchanged, ${counts.changing} would change or have a Name (which cannot be compared), ${counts.invalid} invalid, ${counts.noop} with nothing to change.`;
  else
    tally = `${counts.imported} runs imported into the sheet "${standing.sheetName ?? ""}"${counts.read + counts.readFailed > 0 ? `; ${reads}` : ""}.`;
  const summary = standing.summarySheet
    ? ` Credits by usage tag are in the sheet "${standing.summarySheet}".`
    : "";
  if (ending === "finished" && kind === "import" && counts.imported === 0)
    return `${standing.message ?? "No runs matched these filters."}${log}`;
  if (ending === "finished") return `${noun} finished: ${tally}${summary}${log}`;
  if (ending === "paused" && standing.held)
    return `${noun} paused: ${standing.message ?? ""} ${RESUME}${log}`;
  if (ending === "paused") {
    const left = standing.listing ? "more pages to read" : `${rowsLeft} rows left`;
    return `${noun} paused to stay within Apps Script's time limit, ${left}: ${tally} ${RESUME}${log}`;
  }
  const reason = standing.message ? `${standing.message} ` : "";
  return `${noun} stopped: ${reason}So far: ${tally}${log}`;
}

/** An undo in a sentence: runs put back, already as before, and not undone (changed since, or failed). */
function summarizeUndo(standing: SyncStanding): string {
  const { counts, state: ending, rowsLeft } = standing;
  const log = standing.logFailure ? ` ${standing.logFailure}` : "";
  const undone = standing.undoesUndo ? "undo" : "sync";
  const tally = `${counts.updated} runs put back as they were, ${counts.unchanged} already as they were, ${counts.failed} not undone (changed since the ${undone}, or failed), ${counts.invalid} with records that could not be read.`;
  const where = ` Each run's result is in the Sync Result and Sync Error columns of the sheet "${HISTORY_SHEET}"; names cannot be undone.`;
  if (ending === "finished") return `Undo finished: ${tally}${where}${log}`;
  if (ending === "paused")
    return `Undo paused to stay within Apps Script's time limit, ${rowsLeft} rows left: ${tally} ${RESUME}${log}`;
  const reason = standing.message ? `${standing.message} ` : "";
  return `Undo stopped: ${reason}Runs not sent yet were left as they were. So far: ${tally}${log}`;
}

/** The sentence shown when an execution ends, also when some rows failed. */
export function summarize(standing: SyncStanding): string {
  const kind = standing.kind ?? "update";
  if (kind === "undo") return summarizeUndo(standing);
  if (kind !== "update") return summarizeRead(standing, kind);
  const { counts, state: ending, rowsLeft } = standing;
  const parts = [
    `${counts.updated} updated`,
    `${counts.failed} failed`,
    `${counts.invalid} invalid`,
    `${counts.unchanged} unchanged`,
    `${counts.noop} with nothing to change`,
  ];
  if (counts.missing > 0)
    parts.push(
      `${plural(counts.missing, "row", "rows")} deleted during the sync (their results are not in the sheet)`,
    );
  const tally = `${parts.join(", ")}.`;
  const notSynced =
    counts.notSynced > 0
      ? ` ${plural(counts.notSynced, "row was", "rows were")} not synced, sync ${counts.notSynced === 1 ? "it" : "them"} again: ${describeNotSynced(standing.notSynced ?? [], counts.notSynced, NOT_SYNCED_IN_SUMMARY)}.`
      : "";
  const log = standing.logFailure ? ` ${standing.logFailure}` : "";
  const mode = standing.tagMode && standing.tagMode !== "replace" ? ` Tag mode: ${standing.tagMode}.` : "";
  const history = standing.historyKept
    ? ` Every change is recorded in the sheet "${HISTORY_SHEET}": Undo a sync… can put the runs back.`
    : "";
  if (ending === "finished")
    return `Sync finished: ${tally}${notSynced}${mode} See the Sync Result and Sync Error columns.${history}${log}`;
  if (ending === "paused") {
    return `Sync paused to stay within Apps Script's time limit, ${rowsLeft} rows left: ${tally}${mode} ${RESUME}${log}`;
  }
  const reason = standing.message ? `${standing.message} ` : "";
  return `Sync stopped: ${reason}Rows not sent yet were left as they were. So far: ${tally}${log}`;
}
