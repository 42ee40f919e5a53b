// The state of one sync across executions, small enough for one document property (9 KB): who started it,
// the lease that keeps a second sync out while an execution runs, the adapted rate and the running counts.

export interface SyncCounts {
  /** HTTP requests made, retries included. */
  requests: number;
  updated: number;
  failed: number;
  invalid: number;
  unchanged: number;
  noop: number;
  /** Rows that had to be synced but were deleted (or lost their run id) before their result was written. */
  missing: number;
}

export interface SyncJob {
  id: string;
  sheetId: number;
  sheetName: string;
  scopeLabel: string;
  force: boolean;
  startedBy: string;
  startedAt: number;
  lastActivityAt: number;
  /** Held by the execution working on the job; expires by itself when that execution is killed. */
  lease?: { token: string; expiresAt: number };
  executions: number;
  rate: number;
  /** When the pacer allows the next batch: kept across executions, which may follow each other at once. */
  nextSendAt?: number;
  rowsToSend: number;
  /** Marked rows whose outcome has been written; those never found again were deleted during the sync. */
  rowsResolved?: number;
  counts: SyncCounts;
  status: "running" | "finished" | "stopped";
  stopReason?: string;
}

/** A job touched this recently is still being driven (by a sidebar or menu) even between executions. */
export const ACTIVE_GAP_MS = 90_000;

export function emptyCounts(): SyncCounts {
  return { requests: 0, updated: 0, failed: 0, invalid: 0, unchanged: 0, noop: 0, missing: 0 };
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
  force: boolean;
  startedBy: string;
  startedAt: number;
  /** An execution works on it now, or it was driven moments ago (by any editor). */
  active: boolean;
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
    return typeof job.id === "string" && typeof job.counts === "object" ? job : undefined;
  } catch {
    return undefined;
  }
}
