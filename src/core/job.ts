// The state of one sync across executions, small enough for one document property (9 KB): who started it,
// the lease that keeps a second sync out while an execution runs, the adapted rate and the running counts.
import type { SentBatch } from "./pacing";

export interface SyncCounts {
  /** HTTP requests made, retries included. */
  requests: number;
  updated: number;
  failed: number;
  invalid: number;
  unchanged: number;
  noop: number;
  /** Rows that had to be synced but were not found again: deleted during the sync (or their mark was lost). */
  missing: number;
  /** Rows still in the sheet that the sync could not follow; the job's `notSynced` says which and why. */
  notSynced: number;
}

export type NotSyncedReason =
  | "run id changed"
  | "state cleared"
  | "added after start"
  /** Cleared or added: a sync of too many rows to remember each one cannot tell which. */
  | "not marked"
  | "result not writable";

/** A row still in the sheet that a sync did not sync, and why: shown to the user so they can sync it again. */
export interface NotSyncedRow {
  /** 1-based sheet row when the sync noticed it. */
  row: number;
  runId: string;
  reason: NotSyncedReason;
}

/** The job is one document property (9 KB): it names this many rows and counts the rest. */
export const MAX_NOT_SYNCED_NAMED = 20;

/** Rows marked at the start are remembered (one short tag each, in a property of their own) up to this many. */
export const MAX_MARKS_REMEMBERED = 1_000;

/** A short tag of a marked row's run id: enough to recognise the row again among a sync's rows. */
export function markTag(runIdTagText: string): string {
  return runIdTagText.slice(0, 7);
}

export interface SyncJob {
  id: string;
  sheetId: number;
  sheetName: string;
  scopeLabel: string;
  /** The sync covers every row of the sheet (not a selection): rows it never marked were added or lost marks. */
  allRows?: boolean;
  force: boolean;
  startedBy: string;
  startedAt: number;
  lastActivityAt: number;
  /** Held by the execution working on the job; expires by itself when that execution is killed. */
  lease?: { token: string; expiresAt: number };
  executions: number;
  rate: number;
  /** Rows whose retries go on in the next execution: attempts so far and the earliest next one, by run id tag. */
  retries?: Record<string, [attempts: number, notBefore: number]>;
  /** Batches sent in the last rate window, so an execution that follows at once keeps the pace. */
  recentBatches?: SentBatch[];
  rowsToSend: number;
  /** Marked rows whose outcome has been written; those never found again were deleted during the sync. */
  rowsResolved?: number;
  /** Rows whose outcome was written when the sync started (invalid, unchanged, nothing to change). */
  resolvedAtStart?: number;
  counts: SyncCounts;
  status: "running" | "finished" | "stopped";
  stopReason?: string;
  /** Rows the sync could not follow, named for the user (at most MAX_NOT_SYNCED_NAMED). */
  notSynced?: NotSyncedRow[];
  /** Run ids whose result could not be written even in short: they are not sent again by this sync. */
  unwritable?: string[];
}

/** A job touched this recently is still being driven (by a sidebar or menu) even between executions. */
export const ACTIVE_GAP_MS = 30_000;

export function emptyCounts(): SyncCounts {
  return { requests: 0, updated: 0, failed: 0, invalid: 0, unchanged: 0, noop: 0, missing: 0, notSynced: 0 };
}

export function addCounts(a: SyncCounts, b: Partial<SyncCounts>): SyncCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof SyncCounts)[]) sum[key] += b[key] ?? 0;
  return sum;
}

export function leaseIsHeld(job: SyncJob, now: number): boolean {
  return job.lease !== undefined && job.lease.expiresAt > now;
}

/** Whether a job still blocks a new sync: an execution holds it, or it was driven moments ago. */
export function jobIsActive(job: SyncJob | undefined, now: number): boolean {
  if (job?.status !== "running") return false;
  return leaseIsHeld(job, now) || now - job.lastActivityAt < ACTIVE_GAP_MS;
}

/** What a sidebar shows of a sync, and offers to resume; plain data that google.script.run can carry. */
export interface JobView {
  id: string;
  sheetName: string;
  scopeLabel: string;
  /** The sync covers every row of the sheet (not a selection): rows it never marked were added or lost marks. */
  allRows?: boolean;
  force: boolean;
  startedBy: string;
  startedAt: number;
  /** An execution works on it now, or it was driven moments ago (by any editor). */
  active: boolean;
  /** An execution works on it right now (its lease is held). */
  leaseHeld: boolean;
  rowsToSend: number;
  /** Marked rows not yet written. */
  rowsLeft: number;
  counts: SyncCounts;
  rate: number;
}

export function jobView(job: SyncJob, now: number): JobView {
  return {
    id: job.id,
    sheetName: job.sheetName,
    scopeLabel: job.scopeLabel,
    force: job.force,
    startedBy: job.startedBy,
    startedAt: job.startedAt,
    active: jobIsActive(job, now),
    leaseHeld: leaseIsHeld(job, now),
    rowsToSend: job.rowsToSend,
    rowsLeft: Math.max(0, job.rowsToSend - (job.rowsResolved ?? 0)),
    counts: job.counts,
    rate: job.rate,
  };
}

export function parseJob(text: string | null | undefined): SyncJob | undefined {
  if (!text) return undefined;
  try {
    const job = JSON.parse(text) as SyncJob;
    if (typeof job.id !== "string" || typeof job.counts !== "object" || job.counts === null) return undefined;
    // A job saved by an earlier version lacks the newer counters.
    return { ...job, counts: { ...emptyCounts(), ...job.counts } };
  } catch {
    return undefined;
  }
}
