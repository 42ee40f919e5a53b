// The job property as the execution that claimed the job writes it. Every such write happens under the
// document lock and only while the saved job still carries this execution's lease, so an execution that lost
// its claim (it outlived its lease and another execution took the job over, or a new job replaced it) never
// overwrites, releases or removes the job another execution holds now. Claims (continue.ts, start.ts) are made
// under the same lock, so a check and its write can never be split by another execution's claim.
import type { SyncJob } from "../core/engine/job";
import { jobStore } from "../gas/properties";
import { LOCK_BUSY, underDocumentLock } from "./context";

/** This execution's claim on the job was taken over: it must stop working on the job. */
export class ClaimLost extends Error {}

/** Said to the person whose execution lost its claim; the sync itself goes on in the execution that has it. */
export const CLAIM_LOST_MESSAGE =
  "Another execution took this sync over while this one was held up, so this one stopped. Nothing was lost: the sync goes on there, and the sidebar shows its progress.";

/** The claim this execution holds on a job: the job's id and the token of the lease it was given. */
export interface Claim {
  jobId: string;
  token: string;
}

export function claimOf(job: SyncJob): Claim {
  if (!job.lease) throw new Error("an execution works only on a job it claimed");
  return { jobId: job.id, token: job.lease.token };
}

const holds = (saved: SyncJob | undefined, claim: Claim) =>
  saved?.id === claim.jobId && saved.lease?.token === claim.token;

type Held = "written" | "lost" | "lock busy";

/** Writes under the lock when the claim still holds (with `flush`, sheet writes are committed before it ends). */
function underClaim(claim: Claim, write: (saved: SyncJob) => void, flush = false): Held {
  const held = underDocumentLock(() => {
    const saved = jobStore.load();
    if (!saved || !holds(saved, claim)) return "lost";
    write(saved);
    return "written";
  }, flush);
  return held === LOCK_BUSY ? "lock busy" : held;
}

/**
 * Writes under the lock when the claim still holds; false when it no longer does. A lock another execution
 * keeps past the wait writes nothing (true): the claim is not known to be lost, and what is not written here
 * (the counts) the next execution counts again from the sheet, or (a release) the lease's expiry gives back.
 */
function whileHeld(claim: Claim, write: (saved: SyncJob) => void): boolean {
  return underClaim(claim, write) !== "lost";
}

/** Saves the job, still claimed; throws ClaimLost when the saved job is no longer this execution's. */
export function saveClaimed(job: SyncJob, claim: Claim): void {
  if (!whileHeld(claim, () => jobStore.save(job))) throw new ClaimLost(CLAIM_LOST_MESSAGE);
}

/**
 * The end of an execution: `log` writes the job's run-log row, then the job is saved with its claim given back
 * (a pause) or removed (it ended), all under the lock, so no other execution's log or claim comes between.
 * False when the claim was lost meanwhile: nothing is written, the execution that has the job logs it. When
 * another execution keeps the lock past the wait, the log is written all the same and the job stays claimed
 * until its lease runs out; the next execution goes on, or ends it again.
 */
export function endClaimed(
  claim: Claim,
  job: SyncJob,
  ending: "paused" | "finished" | "stopped",
  log: () => void,
): boolean {
  const held = underClaim(
    claim,
    () => {
      log();
      if (ending !== "paused") return jobStore.remove();
      const released: SyncJob = { ...job };
      delete released.lease;
      jobStore.save(released);
    },
    true,
  );
  if (held === "lock busy") log();
  return held !== "lost";
}

/** Gives the claim back as the job stands (after a failure mid-way), so it can go on at once. */
export function giveBackClaim(claim: Claim): void {
  whileHeld(claim, (saved) => {
    const released: SyncJob = { ...saved };
    delete released.lease;
    jobStore.save(released);
  });
}

/** Removes the job (it cannot go on); false when the claim was lost meanwhile. */
export function removeClaimed(claim: Claim): boolean {
  return whileHeld(claim, () => jobStore.remove());
}
