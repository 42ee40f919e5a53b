// One row per sync in the run log sheet: who, when, which rows, the counts and how it ended. Rebuilt from the
// job after every execution, so a paused sync's row is updated in place when it goes on.
import type { CellValue } from "./cell";
import type { SyncCounts, SyncJob } from "./job";

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
  "Executions",
  "Duration (s)",
  "Ended",
] as const;

export type SyncEnding = "finished" | "paused" | "stopped";

export function describeEnding(job: SyncJob, ending: SyncEnding): string {
  if (ending === "finished") return "Finished";
  if (ending === "paused") return "Paused: continue it from the menu or the sidebar";
  return `Stopped: ${job.stopReason ?? "unknown reason"}`;
}

export function runLogRow(job: SyncJob, ending: SyncEnding, now: number): CellValue[] {
  const { counts } = job;
  return [
    `'${job.id}`,
    new Date(job.startedAt),
    `'${job.startedBy}`,
    `'${job.sheetName}`,
    `'${job.scopeLabel}${job.force ? " (resend)" : ""}`,
    counts.requests,
    counts.updated,
    counts.failed,
    counts.invalid,
    counts.unchanged,
    counts.noop,
    counts.missing,
    job.executions,
    Math.round((now - job.startedAt) / 1000),
    `'${describeEnding(job, ending)}`,
  ];
}

/** Where a sync stands at the end of an execution; the engine's progress is one. */
export interface SyncStanding {
  state: SyncEnding;
  counts: SyncCounts;
  rowsLeft: number;
  /** Why it stopped. */
  message?: string;
}

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
    parts.push(`${counts.missing} rows deleted during the sync (their results were not written)`);
  const tally = `${parts.join(", ")}.`;
  if (ending === "finished") return `Sync finished: ${tally} See the Sync Result and Sync Error columns.`;
  if (ending === "paused") {
    return `Sync paused to stay within Apps Script's time limit, ${rowsLeft} rows left: ${tally} Choose Extensions > Extend Sync > Continue paused sync to go on.`;
  }
  const reason = standing.message ? `${standing.message} ` : "";
  return `Sync stopped: ${reason}Rows not sent yet were left as they were. So far: ${tally}`;
}
