// Continuing a paused sync: each call is one execution of work, claimed through the job's lease so that two
// editors, two sidebars or a double click never run the same sync at once. An execution that cannot claim it
// now (another one holds the lease, or the document lock) is told "busy", and the sidebar asks again later.

import { type JobView, jobKind, jobView, leaseIsHeld, type SyncJob } from "../core/engine/job";
import type { LiveProgress } from "../core/engine/live";
import type { SyncProgress } from "../core/views/sidebar-api";
import { progressCache } from "../gas/progress-cache";
import { jobStore } from "../gas/properties";
import {
  activeUser,
  busyMessage,
  type ExecutionContext,
  executionContext,
  LOCK_BUSY,
  newLease,
  UserFacingError,
  underDocumentLock,
} from "./context";
import { work } from "./execute";
import { ClaimLost } from "./job-claim";

/** Claims the lease of the current job for this execution, or says why not. */
function claimJob(context: ExecutionContext, jobId?: string): SyncJob | "none" | "busy" {
  const claimed = underDocumentLock(() => {
    const job = jobStore.load();
    if (job?.status !== "running" || (jobId !== undefined && job.id !== jobId)) return "none";
    if (leaseIsHeld(job, Date.now())) return "busy";
    const claimed: SyncJob = {
      ...job,
      lease: newLease(context),
      lastActivityAt: Date.now(),
      lastDrivenBy: activeUser(),
    };
    jobStore.save(claimed);
    return claimed;
  });
  return claimed === LOCK_BUSY ? "busy" : claimed;
}

export type Continued =
  | { kind: "none" }
  | { kind: "busy"; message: string }
  | { kind: "ran"; job: SyncJob; progress: SyncProgress };

/** Said while the document lock is held by another execution starting or ending a job. */
const LOCK_BUSY_MESSAGE =
  "Another execution is starting or saving a sync in this document right now. Nothing was sent: try again in a moment.";

export function continueJob(jobId: string | undefined, startedAt: number): Continued {
  const context = executionContext(startedAt);
  const claimed = claimJob(context, jobId);
  if (claimed === "none") return { kind: "none" };
  if (claimed === "busy") {
    const job = jobStore.load();
    return {
      kind: "busy",
      message: job ? busyMessage(jobKind(job), job.startedBy, job.startedAt) : LOCK_BUSY_MESSAGE,
    };
  }
  try {
    return { kind: "ran", ...work(context, claimed) };
  } catch (error) {
    if (error instanceof ClaimLost) return { kind: "busy", message: error.message };
    throw error;
  }
}

export type ContinueResult =
  | SyncProgress
  | { state: "none" }
  | { state: "busy"; message: string }
  | { state: "error"; message: string };

/** The sidebar's loop calls this while it returns "paused"; each call is one execution of the job. */
export function continueSync(jobId?: string): ContinueResult {
  let result: Continued;
  try {
    result = continueJob(jobId, Date.now());
  } catch (error) {
    if (error instanceof UserFacingError) return { state: "error", message: error.message };
    throw error;
  }
  if (result.kind === "none") return { state: "none" };
  if (result.kind === "busy") return { state: "busy", message: result.message };
  return result.progress;
}

/** The document's unfinished sync, for a sidebar to offer resuming it (also to another editor); null if none. */
export function currentSync(): JobView | null {
  const job = jobStore.load();
  return job?.status === "running" ? jobView(job, Date.now()) : null;
}

/** A job's start is taken as the sidebar's own when it began this much before the sidebar says it clicked. */
const CLICK_SLACK_MS = 5_000;

/**
 * The running job's progress as its execution last published it, read from the document cache only (no lock,
 * no property, no Sheets call), so the sidebar can ask every few seconds while a step runs; null when none is
 * there. With an id, that job's. Without one (a sidebar waiting for its own start to answer, which does not know
 * the id yet): the document's job if it started at most `startedWithinMs` ago, a duration the sidebar measured,
 * so the two clocks need not agree and a job that ended before the click is never shown as the new one.
 */
export function liveProgress(jobId?: unknown, startedWithinMs?: unknown): LiveProgress | null {
  if (typeof jobId === "string") return progressCache.read(jobId);
  if (typeof startedWithinMs !== "number" || !Number.isFinite(startedWithinMs) || startedWithinMs < 0)
    return null;
  const view = progressCache.read();
  return view && view.startedAt >= Date.now() - startedWithinMs - CLICK_SLACK_MS ? view : null;
}
