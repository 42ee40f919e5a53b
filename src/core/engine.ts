// Runs one execution of a sync: read the sheet once and find the rows still marked for it (prepare), then send
// them in paced batches (send), retry what is retryable, and write each batch's outcomes to the rows that carry
// those run ids (commit), so an execution killed at any point loses at most the batch it had in flight. The last
// execution looks once more for rows the sync could not follow (finish).
import { ensureOutputColumns } from "./begin";
import type { CellValue } from "./cell";
import { type Classification, classifyAttempt, type SyncError } from "./classify";
import { type CommitResult, commitOutcomes, type Layout } from "./commit";
import { runIdTag } from "./fingerprint";
import { scanForLeftovers } from "./finish";
import { mapHeaders } from "./headers";
import { addCounts, MAX_NOT_SYNCED_NAMED, type NotSyncedRow, type SyncCounts, type SyncJob } from "./job";
import { describeError } from "./messages";
import type { RowOutcome } from "./outcome";
import { batchSizeFor, newPacer, type PacerState, recordBatch, waitBeforeBatch } from "./pacing";
import type { SyncPlan } from "./plan";
import type { Clock, HttpPort, SheetPort } from "./ports";
import { type Finished, preparedFromPlan, prepareExecution, type QueueItem } from "./prepare";
import type { ConnectionSettings } from "./request";
import { type RetryPolicy, retryDelayMs } from "./retry";
import type { ParseContext } from "./rows";
import type { Scrub } from "./secrets";
import { sendBatch } from "./send";

export interface EngineDeps {
  sheet: SheetPort;
  http: HttpPort;
  clock: Clock;
  random: () => number;
  parse: ParseContext;
  connection: ConnectionSettings;
  retryPolicy: RetryPolicy;
  /** Removes the key (and any bearer token) from text that came from a server or the transport. */
  scrub: Scrub;
  /** Requests per second the user allows. */
  rate: number;
  /** No further batch starts after this time (the execution's soft budget). */
  budgetEndsAt: number;
  /** No batch starts unless it is expected to finish before this time (Apps Script's hard limit). */
  mustStopBy: number;
  /** Persists the job; called after every committed batch. */
  saveJob(job: SyncJob): void;
  /** Tags of the rows marked to be sent at the start, if the sync remembered them (see MAX_MARKS_REMEMBERED). */
  loadMarks(): ReadonlySet<string> | undefined;
}

export interface SyncProgress {
  jobId: string;
  /** The sheet the sync works on (the job is gone once it ends, so the progress says it). */
  sheetName: string;
  state: "finished" | "paused" | "stopped";
  message?: string;
  counts: SyncCounts;
  rowsLeft: number;
  /** Rows marked to be sent when the sync started. */
  rowsToSend: number;
  /** Requests per second in force now (lowered after 429s). */
  rate: number;
  executions: number;
  /** Rows still in the sheet that the sync did not sync, and why (the first MAX_NOT_SYNCED_NAMED). */
  notSynced: NotSyncedRow[];
  /** Set when the run log could not be written; the sync itself is not affected. */
  logFailure?: string;
}

/** First guess of how long one fetchAll takes, before one has been timed. */
const INITIAL_BATCH_ESTIMATE_MS = 1_000;
const MAX_UNWRITABLE_REMEMBERED = 100;

export const STATE_COLUMN_LOST =
  "The hidden Sync State column was deleted while the sync was under way, so the rows it had not reached could no longer be found. Nothing more was sent. Start the sync again: every row is checked anew.";

/** Attempts made and the earliest next attempt of a row whose retries outlast an execution. */
export type RetriesInProgress = Record<string, [attempts: number, notBefore: number]>;

/** The job is one document property: this many rows' retries are carried over, those closest to giving up. */
const MAX_RETRIES_REMEMBERED = 100;

function restoreRetries(queue: readonly QueueItem[], retries: RetriesInProgress | undefined): void {
  if (!retries) return;
  for (const item of queue) {
    const carried = retries[runIdTag(item.runId)];
    if (!carried) continue;
    item.attempts = carried[0];
    item.notBefore = carried[1];
  }
}

/** Rows waiting to be sent: fresh ones in sheet order, then retries once their wait is over. */
class SendQueue {
  private next = 0;
  private readonly fresh: QueueItem[] = [];
  private readonly waiting: QueueItem[] = [];

  /** Rows already tried in an earlier execution wait their turn like any retry. */
  constructor(items: readonly QueueItem[]) {
    for (const item of items) (item.attempts > 0 ? this.waiting : this.fresh).push(item);
  }

  get size(): number {
    return this.fresh.length - this.next + this.waiting.length;
  }

  /** Up to `max` items that may go now, retries that are due first. */
  take(now: number, max: number): QueueItem[] {
    const batch: QueueItem[] = [];
    for (let index = 0; index < this.waiting.length && batch.length < max; ) {
      const item = this.waiting[index];
      if (item && item.notBefore <= now) {
        batch.push(item);
        this.waiting.splice(index, 1);
      } else index += 1;
    }
    while (batch.length < max && this.next < this.fresh.length) {
      const item = this.fresh[this.next++];
      if (item) batch.push(item);
    }
    return batch;
  }

  retryLater(item: QueueItem): void {
    this.waiting.push(item);
  }

  /**
   * The rows waiting to be tried again, by run id tag: a row's attempts must add up across executions, or a run
   * that always times out would be tried a few times in every execution, for ever.
   */
  retriesInProgress(): RetriesInProgress {
    const retries: RetriesInProgress = {};
    const byAttempts = this.waiting.slice().sort((a, b) => b.attempts - a.attempts);
    for (const item of byAttempts.slice(0, MAX_RETRIES_REMEMBERED))
      retries[runIdTag(item.runId)] = [item.attempts, item.notBefore];
    return retries;
  }

  /** When the earliest waiting retry may go; undefined when fresh rows can go at once or nothing waits. */
  earliestRetry(): number | undefined {
    if (this.next < this.fresh.length || this.waiting.length === 0) return undefined;
    let earliest = Number.POSITIVE_INFINITY;
    for (const item of this.waiting) if (item.notBefore < earliest) earliest = item.notBefore;
    return earliest;
  }
}

function outcomeOf(
  deps: EngineDeps,
  item: QueueItem,
  verdict: Classification,
  now: number,
): RowOutcome | "later" | "stop" {
  switch (verdict.kind) {
    case "success": {
      const outcome: RowOutcome = {
        kind: "updated",
        runStatus: verdict.runStatus,
        syncedAt: new Date(now),
        fingerprint: item.fingerprint,
        tagChanges: item.tagChanges,
      };
      if (verdict.dashboardUrl) outcome.dashboardUrl = verdict.dashboardUrl;
      return outcome;
    }
    case "failed":
      return { kind: "failed", error: verdict.error };
    case "stop":
      return "stop";
    case "retry": {
      const delay = retryDelayMs(deps.retryPolicy, item.attempts, verdict.retryAfterMs, deps.random);
      if (delay === undefined) return { kind: "failed", error: verdict.error };
      item.notBefore = now + delay;
      return "later";
    }
  }
}

/** What the execution that starts a sync already knows: the sheet as just read and marked, and the plan. */
export interface JustStarted {
  values: readonly (readonly CellValue[])[];
  plan: SyncPlan;
}

/** One execution's worth of work on a running job; `started` when it is the one that started the sync. */
export function runExecution(
  deps: EngineDeps,
  startJob: SyncJob,
  started?: JustStarted,
): { job: SyncJob; progress: SyncProgress } {
  let job: SyncJob = { ...startJob, executions: startJob.executions + 1, lastActivityAt: deps.clock.now() };
  const values = started?.values ?? deps.sheet.readAll();
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return stop(deps, job, headers.problems.join(" "), 0);
  const columns = headers.columns;
  const stateColumnLost = columns.output.state === undefined;
  const outputs = ensureOutputColumns(deps.sheet, columns, (values[0] ?? []).length);
  const unresolved = job.rowsToSend - (job.rowsResolved ?? 0);
  if (stateColumnLost && unresolved > 0) return stop(deps, job, STATE_COLUMN_LOST, unresolved);

  const prepared = started
    ? preparedFromPlan(started.plan, job.id, deps.connection)
    : prepareExecution({
        values,
        columns,
        outputs,
        syncId: job.id,
        parse: deps.parse,
        connection: deps.connection,
        unwritable: new Set(job.unwritable ?? []),
      });
  restoreRetries(prepared.queue, job.retries);
  const queue = new SendQueue(prepared.queue);
  const layout: Layout = { columns, outputs, rowsOf: prepared.rowsOf };
  const commitDeps = {
    sheet: deps.sheet,
    syncId: job.id,
    dateToIso: deps.parse.dateToIso,
    scrub: deps.scrub,
  };

  let headerChanged = false;
  const commit = (done: Finished[], requests: number) => {
    const result: CommitResult = commitOutcomes(commitDeps, layout, done);
    if (result.kind === "header changed") {
      // Not written: the rows stay marked and go out again, matched by run id, in the next execution.
      headerChanged = true;
      job = { ...job, counts: addCounts(job.counts, { requests }), lastActivityAt: deps.clock.now() };
    } else {
      job = {
        ...job,
        counts: addCounts(job.counts, { ...result.counts, requests }),
        rowsResolved: (job.rowsResolved ?? 0) + result.rowsWritten,
        lastActivityAt: deps.clock.now(),
        retries: queue.retriesInProgress(),
      };
      if (result.unwritable.length > 0)
        job.unwritable = [...(job.unwritable ?? []), ...result.unwritable].slice(
          0,
          MAX_UNWRITABLE_REMEMBERED,
        );
    }
    deps.saveJob(job);
  };
  if (prepared.finished.length > 0) commit(prepared.finished, 0);

  let pacer: PacerState = {
    ...newPacer(deps.rate, job.rate),
    recent: job.recentBatches ?? [],
  };
  let batchEstimateMs = INITIAL_BATCH_ESTIMATE_MS;
  let stopError: SyncError | undefined;
  let batchesSent = 0;
  // Every execution sends at least one batch when it safely can, so even a tiny budget makes progress.
  const mayStartAt = (startAt: number) =>
    (batchesSent === 0 || startAt < deps.budgetEndsAt) && startAt + batchEstimateMs <= deps.mustStopBy;

  while (queue.size > 0 && !stopError && !headerChanged) {
    const now = deps.clock.now();
    const wakeAt = queue.earliestRetry();
    if (wakeAt !== undefined && wakeAt > now) {
      if (!mayStartAt(wakeAt)) break;
      deps.clock.sleep(wakeAt - now);
      continue;
    }
    const size = Math.min(batchSizeFor(pacer), queue.size);
    const wait = waitBeforeBatch(pacer, now, size);
    if (!mayStartAt(now + wait)) break;
    if (wait > 0) deps.clock.sleep(wait);
    const batch = queue.take(deps.clock.now(), size);
    if (batch.length === 0) continue;
    batchesSent += 1;

    const startedAt = deps.clock.now();
    const { answers, requestsMade } = sendBatch(
      deps.http,
      deps.clock,
      batch.map((item) => item.request),
      { mustStopBy: deps.mustStopBy, estimateMs: batchEstimateMs },
    );
    const answeredAt = deps.clock.now();
    batchEstimateMs = Math.max(batchEstimateMs * 0.5, answeredAt - startedAt);

    const done: Finished[] = [];
    let rateLimited = false;
    batch.forEach((item, index) => {
      const answer = answers[index];
      if (!answer) return;
      item.attempts += answer.attempts;
      const verdict = classifyAttempt(answer.result, answeredAt, deps.scrub, item.runId);
      if (verdict.kind === "retry") rateLimited ||= verdict.rateLimited;
      const outcome = outcomeOf(deps, item, verdict, answeredAt);
      if (outcome === "stop") {
        if (verdict.kind === "stop") stopError = verdict.error;
      } else if (outcome === "later") queue.retryLater(item);
      else done.push({ runId: item.runId, before: item.before, outcome });
    });
    pacer = recordBatch(pacer, startedAt, batch.length, rateLimited);
    job = { ...job, rate: pacer.currentRate, recentBatches: pacer.recent };
    commit(done, requestsMade);
  }

  if (stopError) return stop(deps, job, describeError(stopError), queue.size);
  let state: SyncProgress["state"] = queue.size === 0 && !headerChanged ? "finished" : "paused";
  if (state === "finished") {
    const scan = scanForLeftovers(
      deps.sheet.readColumn(layout.columns.runId),
      deps.sheet.readColumn(layout.outputs.state),
      job,
      deps.parse.dateToIso,
      deps.loadMarks(),
    );
    if (scan.stillPending > 0) {
      // Marked rows this execution did not see (copied or moved in meanwhile): the next execution takes them.
      state = "paused";
    } else {
      // A killed execution may have written its last batch without counting it; the sheet's marks say so.
      const resolved = Math.max(job.rowsResolved ?? 0, scan.doneRows - (job.resolvedAtStart ?? 0));
      const missing = Math.max(0, job.rowsToSend - resolved - scan.markedNotSynced);
      job = {
        ...job,
        status: "finished",
        notSynced: scan.notSynced.slice(0, MAX_NOT_SYNCED_NAMED),
        counts: { ...job.counts, missing, notSynced: scan.notSyncedCount },
      };
    }
  }
  // Rows waiting out a backoff or Retry-After keep their attempts and their wait into the next execution.
  job = { ...job, retries: queue.retriesInProgress() };
  deps.saveJob(job);
  return { job, progress: progressOf(job, state, queue.size) };
}

/** The job is saved in one document property (9 KB at most), so its reason is kept short. */
const MAX_STOP_REASON_LENGTH = 2_000;

function stop(deps: EngineDeps, job: SyncJob, reason: string, rowsLeft: number) {
  const clean = deps.scrub(reason);
  const stopReason =
    clean.length > MAX_STOP_REASON_LENGTH ? `${clean.slice(0, MAX_STOP_REASON_LENGTH - 1)}…` : clean;
  const stopped: SyncJob = { ...job, status: "stopped", stopReason };
  deps.saveJob(stopped);
  return { job: stopped, progress: progressOf(stopped, "stopped", rowsLeft) };
}

export function progressOf(job: SyncJob, state: SyncProgress["state"], rowsLeft: number): SyncProgress {
  const progress: SyncProgress = {
    jobId: job.id,
    sheetName: job.sheetName,
    state,
    counts: job.counts,
    rowsLeft,
    rowsToSend: job.rowsToSend,
    rate: job.rate,
    executions: job.executions,
    notSynced: job.notSynced ?? [],
  };
  if (job.stopReason) progress.message = job.stopReason;
  return progress;
}
