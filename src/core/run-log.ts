// One row per sync in the run log sheet: who, when, which rows, the counts and how it ended. Rebuilt from the
// job after every execution, so a paused sync's row is updated in place when it goes on.
import { type CellValue, textCell } from "./cell";
import type { NotSyncedRow, SyncCounts, SyncJob } from "./job";

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
] as const;

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
  ];
}

/** Where a sync stands at the end of an execution; the engine's progress is one. */
export interface SyncStanding {
  state: SyncEnding;
  counts: SyncCounts;
  rowsLeft: number;
  /** Why it stopped. */
  message?: string;
  notSynced?: readonly NotSyncedRow[];
  logFailure?: string;
}

/** Rows named in an alert; the run log and the sidebar name more. */
const NOT_SYNCED_IN_SUMMARY = 10;

/** The sentence shown when an execution ends, also when some rows failed. */
export function summarize(standing: SyncStanding): string {
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
      `${plural(counts.missing, "row", "rows")} deleted during the sync (their results were not written)`,
    );
  const tally = `${parts.join(", ")}.`;
  const notSynced =
    counts.notSynced > 0
      ? ` ${plural(counts.notSynced, "row was", "rows were")} not synced, sync ${counts.notSynced === 1 ? "it" : "them"} again: ${describeNotSynced(standing.notSynced ?? [], counts.notSynced, NOT_SYNCED_IN_SUMMARY)}.`
      : "";
  const log = standing.logFailure ? ` ${standing.logFailure}` : "";
  if (ending === "finished")
    return `Sync finished: ${tally}${notSynced} See the Sync Result and Sync Error columns.${log}`;
  if (ending === "paused") {
    return `Sync paused to stay within Apps Script's time limit, ${rowsLeft} rows left: ${tally} Go on with Resume in the sidebar, or Extensions > Extend Sync > Continue paused sync.${log}`;
  }
  const reason = standing.message ? `${standing.message} ` : "";
  return `Sync stopped: ${reason}Rows not sent yet were left as they were. So far: ${tally}${log}`;
}
