// Runs one execution of a job's row work: read the sheet once and find the rows still marked for it (prepare),
// then make each row's requests step by step in paced batches (send), GET and WRITE each paced on its own, retry
// what is retryable, and write the outcomes to the rows that carry those run ids (commit). Outcomes are written
// together while the pace makes the sync wait anyway, a few batches at a time, never leaving more rows sent and
// unwritten than one batch may hold: an execution killed at any point makes at most that many rows go out
// again. The last execution looks once more for rows the job could not follow (finish). Every execution counts
// what the job's rows show it did (tally), so counts written to the sheet by an execution killed before it saved
// the job are not lost. A job that ends is not saved here: the caller logs it, then removes it, so an execution
// killed in between leaves a running job that the next execution ends again.
//
// With history kept (and always in an undo), the records of a batch's POSTs are appended to the history sheet,
// committed, before the batch leaves, and settled when their outcomes are written (history.ts); records an
// earlier execution left "Sending" are settled when the job ends (history-settle.ts).

import { classifyAttempt, type SyncError } from "../requests/classify";
import { runIdTag } from "../requests/fingerprint";
import { describeError } from "../requests/messages";
import type { ConnectionSettings } from "../requests/request";
import { type RetryPolicy, retryDelayMs } from "../requests/retry";
import type { ParseContext } from "../requests/rows";
import { exceptionText, type Scrub, shorten } from "../requests/secrets";
import type { TagMode } from "../requests/tag-mode";
import type { CellValue } from "../sheet/cell";
import { mapHeaders } from "../sheet/headers";
import { ensureOutputColumns } from "./begin";
import { SheetChores } from "./chores";
import { type CommitResult, commitOutcomes, type Layout } from "./commit";
import { scanForLeftovers } from "./finish";
import type { HistoryPort } from "./history";
import { settleLeftSending } from "./history-settle";
import { historyWriter } from "./history-writer";
import {
  addCounts,
  emptyCounts,
  JOB_NOUN,
  type JobKind,
  jobKind,
  MAX_NOT_SYNCED_NAMED,
  type NotSyncedRow,
  type RetriesInProgress,
  readsRows,
  type SyncCounts,
  type SyncJob,
  shownRate,
} from "./job";
import { LIVE_PROGRESS_INTERVAL_MS, type LiveProgress, liveProgressOf, livePublisher } from "./live";
import { outcomeCounts } from "./outcome";
import {
  batchSizeFor,
  MAX_BATCH_SIZE,
  newPacer,
  type PacerState,
  recordBatch,
  waitBeforeBatch,
  windowMs,
} from "./pacing";
import type { SyncPlan } from "./plan";
import type { Clock, HttpPort, SheetPort } from "./ports";
import { type Finished, preparedFromPlan, prepareExecution, type QueueItem } from "./prepare";
import { alignCategories, BUSY_BATCHES, holdWrites, recordsAhead } from "./read-ahead";
import { type Answer, sendBatch } from "./send";
import { CATEGORIES, SendQueue } from "./send-queue";
import { isStep, type RateCategory } from "./steps";
import { tallyRows, withSheetCounts } from "./tally";

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
  /**
   * Persists the running job: after every write of outcomes to the sheet, and when the execution pauses. A job
   * that ends (finished or stopped) is returned, not saved: the caller logs it and then removes it.
   */
  saveJob(job: SyncJob): void;
  /** Tags of the rows marked to be sent at the start, if the sync remembered them (see MAX_MARKS_REMEMBERED). */
  loadMarks(): ReadonlySet<string> | undefined;
  /** The history sheet: needed by a job that keeps history, and by an undo. */
  history?: HistoryPort;
  /** Where the sidebar's light call finds the progress while an execution runs (see live.ts); none in tests. */
  publishProgress?(view: LiveProgress): void;
}

export interface ExecutionProgress {
  jobId: string;
  kind: JobKind;
  tagMode?: TagMode;
  /** An import still reading List's pages: rows are counted as they arrive, the total is not known. */
  listing?: boolean;
  /** The sheet the sync works on (the job is gone once it ends, so the progress says it). */
  sheetName: string;
  state: "finished" | "paused" | "stopped";
  message?: string;
  /** Paused until the person does what `message` says (an import refused by the key, or missing its Run ID). */
  held?: boolean;
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
  /** A finished refresh (or import with current values): the sheet its credits summary was written to. */
  summarySheet?: string;
  /** The job records each change in the history sheet before it sends it (issue 18). */
  historyKept?: boolean;
  /** An undo of an undo: its words say "the undo", not "the sync". */
  undoesUndo?: boolean;
}

/**
 * Rows sent whose outcomes are not yet in the sheet, at most: what one batch may hold, so a kill sends no more
 * rows again than it did when every batch was written on its own. Each write costs several Sheets round trips
 * (the header, the rows to check, the cells), so writing several batches at once at low rates is what keeps
 * Sheets calls per row low.
 */
export const MAX_UNCOMMITTED_ROWS = MAX_BATCH_SIZE;
/** Outcomes wait at most this long for the next write, so the sheet shows progress at slow rates too. */
export const COMMIT_INTERVAL_MS = 10_000;
/**
 * The job is saved after a write at most this often (each save takes the document lock, reads and writes the
 * job's property: about 0.2 s). Its counts are a summary of the rows' marks, so a kill loses none of them.
 */
export const JOB_SAVE_INTERVAL_MS = 10_000;

/** First guess of how long one fetchAll takes, before one has been timed. */
const INITIAL_BATCH_ESTIMATE_MS = 1_000;
const MAX_UNWRITABLE_REMEMBERED = 100;
/**
 * A wait for the pace at least this long hides a progress put (~90 ms with the cost model on). Not more: at high
 * rates with history kept the waits left are ~120 ms, and a put held for a longer one lands before a batch.
 */
const PUBLISH_IN_WAITS_OF_MS = 100;

/** Why a job stops when the Sync State column is gone: the rows it had not reached can no longer be found. */
export function stateColumnLostReason(kind: JobKind): string {
  const lost = `The hidden Sync State column was deleted while the ${JOB_NOUN[kind]} was under way, so the rows it had not reached could no longer be found.`;
  if (kind === "import")
    return `${lost} Nothing more was read. The imported runs stay in the sheet: read their current values with Extensions > Extend Sync > Refresh from Extend: all rows.`;
  return `${lost} Nothing more was sent. Start the ${JOB_NOUN[kind]} again: every row is checked anew.`;
}

function restoreRetries(queue: readonly QueueItem[], retries: RetriesInProgress | undefined): void {
  if (!retries) return;
  for (const item of queue) {
    const carried = retries[runIdTag(item.runId)];
    if (!carried) continue;
    item.attempts = carried[0];
    item.notBefore = carried[1];
  }
}

type Handled = { outcome: Finished["outcome"] } | "later" | "stop";

/**
 * What one answer means for its row: an outcome, another step (or a retry) later, or stop the job. Whatever
 * the answer holds, it decides this row alone: should reading it throw after all, the row fails with that.
 */
function handleAnswer(
  deps: EngineDeps,
  item: QueueItem,
  answer: Answer,
  answeredAt: number,
): { handled: Handled; rateLimited: boolean; stopError?: SyncError } {
  try {
    return readAnswer(deps, item, answer, answeredAt);
  } catch (error) {
    const message = `Extend's answer could not be handled (${exceptionText(error, deps.scrub, 200)}).`;
    return { handled: { outcome: item.step.fail({ code: "BAD_RESPONSE", message }) }, rateLimited: false };
  }
}

function readAnswer(
  deps: EngineDeps,
  item: QueueItem,
  answer: Answer,
  answeredAt: number,
): { handled: Handled; rateLimited: boolean; stopError?: SyncError } {
  const verdict = classifyAttempt(answer.result, answeredAt, deps.scrub, item.runId, item.step.needs);
  switch (verdict.kind) {
    case "success": {
      // A request that failed inside fetchAll and answered when tried alone made one failed attempt.
      item.attempts += answer.attempts - 1;
      const next = item.step.next(verdict.facts, new Date(answeredAt));
      if (!isStep(next)) return { handled: { outcome: next }, rateLimited: false };
      item.step = next;
      item.notBefore = answeredAt;
      return { handled: "later", rateLimited: false };
    }
    case "failed":
      item.attempts += answer.attempts;
      return { handled: { outcome: item.step.fail(verdict.error) }, rateLimited: false };
    case "stop":
      return { handled: "stop", rateLimited: false, stopError: verdict.error };
    case "retry": {
      item.attempts += answer.attempts;
      const delay = retryDelayMs(deps.retryPolicy, item.attempts, verdict.retryAfterMs, deps.random);
      if (delay === undefined)
        return { handled: { outcome: item.step.fail(verdict.error) }, rateLimited: verdict.rateLimited };
      item.step = item.step.retryFrom();
      item.notBefore = answeredAt + delay;
      return { handled: "later", rateLimited: verdict.rateLimited };
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
): { job: SyncJob; progress: ExecutionProgress } {
  let job: SyncJob = { ...startJob, executions: startJob.executions + 1, lastActivityAt: deps.clock.now() };
  const values = started?.values ?? deps.sheet.readAll();
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return stopJob(deps, job, headers.problems.join(" "), 0);
  const columns = headers.columns;
  const stateColumnLost = columns.output.state === undefined;
  const unresolved = job.rowsToSend - (job.rowsResolved ?? 0);
  // Checked before any column is added: a job that stops here writes nothing to the user's sheet.
  const kind = jobKind(job);
  if (stateColumnLost && unresolved > 0) return stopJob(deps, job, stateColumnLostReason(kind), unresolved);
  if (columns.output.state !== undefined)
    job = withSheetCounts(
      job,
      tallyRows(values, columns.runId, columns.output.state, job.id, deps.parse.dateToIso),
    );
  const outputs = ensureOutputColumns(deps.sheet, columns, values, readsRows(kind));

  const tagMode = job.tagMode ?? "replace";
  const prepared = started
    ? preparedFromPlan(started.plan, job.id, deps.connection, kind, tagMode, job.keepHistory === true)
    : prepareExecution({
        keepHistory: job.keepHistory === true,
        values,
        columns,
        outputs,
        syncId: job.id,
        parse: deps.parse,
        connection: deps.connection,
        unwritable: new Set(job.unwritable ?? []),
        kind,
        tagMode,
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

  const records = historyWriter({
    job,
    tagMode,
    clock: deps.clock,
    history: deps.history,
    rowOf: (runId) => layout.rowsOf.get(runId)?.[0] ?? 0,
    fewAppends: () => readAhead(),
  });

  let headerChanged = false;
  let lastSavedAt = Number.NEGATIVE_INFINITY;
  /** The Run ID and Sync State columns as the execution's last write read and wrote them (see below). */
  let lastWriteColumns: CellValue[][] | undefined;
  /** Writes of outcomes to the sheet so far: a read of it made before the last one no longer shows it. */
  let sheetWrites = 0;
  /** The Run ID and Sync State columns, read during the wait before what should be the last batch. */
  let readForScan: { columns: CellValue[][]; sheetWrites: number } | undefined;
  // Hiding the Sync State column the start made, and formatting new dates, while the pace waits (chores.ts).
  const chores = new SheetChores(
    deps.sheet,
    layout,
    () => deps.clock.now(),
    job.rowsToSend,
    job.hideStateColumn === true,
  );
  /** Once the column is hidden (or was refused), the saved job no longer asks for it. */
  const noteChores = () => {
    if (!job.hideStateColumn || chores.stateColumnToHide) return;
    job = { ...job };
    delete job.hideStateColumn;
  };
  /** `save`: false for the execution's last write (`last`), after which it is saved (a pause) or ended. */
  const commit = (done: readonly Finished[], requests: number, save = true, last = false) => {
    // The last write of an execution with nothing left to send hands the job's final scan the columns it reads:
    // read in the wait before the last batch when no write came since, else read with this write.
    const wholeColumns = last && queue.size === 0;
    const readBefore =
      wholeColumns && readForScan?.sheetWrites === sheetWrites ? readForScan.columns : undefined;
    const dates = chores.forWrite(last, done.length > 0);
    const result: CommitResult = commitOutcomes(commitDeps, layout, done, wholeColumns, readBefore, dates);
    if (done.length > 0) sheetWrites += 1;
    if (result.kind === "written") lastWriteColumns = result.columns;
    if (result.kind === "written" && done.length > 0) chores.headerChecked();
    if (result.kind !== "header changed") records.settle(done);
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
      if (result.unwritable.length > 0) {
        job.unwritable = [...(job.unwritable ?? []), ...result.unwritable].slice(
          0,
          MAX_UNWRITABLE_REMEMBERED,
        );
        lastSavedAt = Number.NEGATIVE_INFINITY;
        save = true;
      }
    }
    // Not saving a write costs nothing on a kill: the next execution counts the rows it wrote (tally); only
    // retries under way restart their count. So the job is saved at most every JOB_SAVE_INTERVAL_MS.
    if (save && deps.clock.now() - lastSavedAt >= JOB_SAVE_INTERVAL_MS) {
      deps.saveJob(job);
      lastSavedAt = deps.clock.now();
    }
  };
  if (prepared.finished.length > 0) commit(prepared.finished, 0);

  // Outcomes (and requests made) since the last write to the sheet.
  let uncommitted: Finished[] = [];
  let uncommittedRequests = 0;
  let uncommittedSince = 0;
  let uncommittedCounts = emptyCounts();
  const commitNow = (save = true, last = false) => {
    if (uncommitted.length === 0 && uncommittedRequests === 0) return;
    commit(uncommitted, uncommittedRequests, save, last);
    uncommitted = [];
    uncommittedRequests = 0;
    uncommittedCounts = emptyCounts();
  };
  // Answers received since progress was last published. Published while the pace holds the next batch back,
  // where the put (~90 ms) costs the job nothing; right before a batch only once the last view (or the
  // execution's start) is two intervals old, no wait long enough having come, as a put there delays the batch.
  const live = livePublisher(deps.clock, deps.publishProgress);
  let unpublished = false;
  let publishedAt = deps.clock.now();
  const publish = (olderThanMs = 0) => {
    if (!unpublished || deps.clock.now() - publishedAt < olderThanMs) return;
    unpublished = !live.offer((at) =>
      liveProgressOf(job, queue.size, at, { ...uncommittedCounts, requests: uncommittedRequests }),
    );
    if (!unpublished) publishedAt = deps.clock.now();
  };
  /** Whether to write now rather than first send `nextBatch` more rows at `startAt` (or wait for them). */
  const commitDue = (startAt: number, nextBatch: number) =>
    uncommitted.length > 0 &&
    (uncommitted.length + nextBatch > MAX_UNCOMMITTED_ROWS ||
      startAt - uncommittedSince >= COMMIT_INTERVAL_MS);

  // Extend limits GET and WRITE requests apart, so each category has its own pacer at the configured rate.
  const pacers: Record<RateCategory, PacerState> = {
    WRITE: { ...newPacer(deps.rate, job.rate), recent: job.recentBatches ?? [] },
    GET: { ...newPacer(deps.rate, job.getRate ?? deps.rate), recent: job.recentGets ?? [] },
  };
  // Reads and writes paced as one once Extend shows they share a limit: a 429 while both categories were
  // sending (that an update counts as WRITE, apart from GET, is an inference from the reference). Both then wait
  // for every request of either in the window, one category a fetchAll, at the lower of the two rates.
  let sharedLimit = job.sharedLimit === true;
  const pacerOf = (category: RateCategory): PacerState => {
    if (!sharedLimit) return pacers[category];
    const { GET, WRITE } = pacers;
    return {
      ...pacers[category],
      currentRate: Math.min(GET.currentRate, WRITE.currentRate),
      recent: [...GET.recent, ...WRITE.recent].sort((a, b) => a.at - b.at),
      notBefore: Math.max(GET.notBefore, WRITE.notBefore),
    };
  };
  // Reads ahead of the writes, so that records are appended several batches at a time (read-ahead.ts).
  const recordsKept = job.keepHistory === true || job.undoOf !== undefined;
  const readAhead = () => recordsKept && !sharedLimit;
  let leadBuilt = false;
  /** The records to write with `batch`'s: the writes waiting behind it too, when reading ahead. */
  const toRecord = (batch: readonly QueueItem[], at: number) =>
    readAhead()
      ? recordsAhead({
          queue,
          batch,
          at,
          writeBatchSize: batchSizeFor(pacers.WRITE),
          windowMs: windowMs(pacers.WRITE.currentRate),
          budgetEndsAt: deps.budgetEndsAt,
        })
      : batch;
  // Utilities.sleep wakes a little late (10-20 ms), which every paced batch would add to its window. The least
  // lateness seen so far is taken off the next sleep: never more than a sleep was late, so no batch leaves early.
  let leastLateMs = Number.POSITIVE_INFINITY;
  const sleepUntil = (at: number) => {
    const before = deps.clock.now();
    if (at <= before) return;
    // A wait shorter than the lateness is slept whole: the loop must find the batch due when it wakes.
    const early = Number.isFinite(leastLateMs) && at - before > leastLateMs ? leastLateMs : 0;
    const ms = at - before - early;
    deps.clock.sleep(ms);
    const late = deps.clock.now() - before - ms;
    if (late >= 0 && late < leastLateMs) leastLateMs = late;
  };
  let batchEstimateMs = INITIAL_BATCH_ESTIMATE_MS;
  let stopError: SyncError | undefined;
  let batchesSent = 0;
  // Batches in a row sent with no wait for the pace before them: the work, not the pace, sets the sync's time.
  let busyBatches = 0;
  let sleptSinceBatch = false;
  // Every execution sends at least one batch when it safely can, so even a tiny budget makes progress.
  const mayStartAt = (startAt: number) =>
    (batchesSent === 0 || startAt < deps.budgetEndsAt) && startAt + batchEstimateMs <= deps.mustStopBy;

  while (queue.size > 0 && !stopError && !headerChanged) {
    const now = deps.clock.now();
    // When each category can send next: its first item due, no sooner than its pacer allows a batch.
    const startOf: Partial<Record<RateCategory, number>> = {};
    const sizeOf: Record<RateCategory, number> = { GET: 0, WRITE: 0 };
    let startAt = Number.POSITIVE_INFINITY;
    const workBound = busyBatches >= BUSY_BATCHES;
    const writesHeld =
      readAhead() &&
      !leadBuilt &&
      workBound &&
      holdWrites({
        queue,
        now,
        writeBatchSize: batchSizeFor(pacers.WRITE),
        windowMs: windowMs(pacers.WRITE.currentRate),
        budgetEndsAt: deps.budgetEndsAt,
      });
    if (readAhead() && workBound && !writesHeld) leadBuilt = true;
    for (const category of CATEGORIES) {
      const due = queue.dueAt(category, now);
      if (due === undefined || (category === "WRITE" && writesHeld)) continue;
      sizeOf[category] = Math.min(batchSizeFor(pacerOf(category)), queue.sizeOf(category));
      const at = Math.max(now, due, now + waitBeforeBatch(pacerOf(category), now, sizeOf[category]));
      startOf[category] = at;
      if (at < startAt) startAt = at;
    }
    // Reading ahead, the two categories' paces drift apart: reads due a little before the writes wait for them,
    // so both go in one fetchAll (its waves hold both) rather than in two, one after the other.
    if (readAhead() && alignCategories(startOf, batchEstimateMs)) startAt = startOf.WRITE ?? startAt;
    if (startAt === Number.POSITIVE_INFINITY || !mayStartAt(startAt)) break;
    const nextBatch = sizeOf.GET + sizeOf.WRITE;
    // Everything left goes in the next batch: the execution's end follows it, and saves or ends the job.
    const lastBatchNext = nextBatch === queue.size;
    if (commitDue(startAt, nextBatch)) {
      // Written while the pace holds the next batch back anyway (or, with no wait, just before it leaves). Not
      // saved before the last batch: its time is the final scan's read's (below), and the end follows.
      commitNow(!lastBatchNext);
      continue;
    }
    if (startAt > now) {
      // The next WRITE batch's records are written while the pace holds it back, not after: a record written
      // once the wait is over would delay the batch by its Sheets round trips. Only for a batch this execution
      // will send, so a pause leaves no record of a change that was never going to leave.
      // Writes held back for the lead: their records are written during the reads' waits.
      const writeAt = startOf.WRITE ?? (writesHeld ? startAt : undefined);
      if (writeAt !== undefined && mayStartAt(writeAt)) {
        const next = queue.peek(writeAt, "WRITE", sizeOf.WRITE || batchSizeFor(pacers.WRITE));
        if (next.some((item) => !records.recorded(item))) {
          records.write(toRecord(next, writeAt));
          continue;
        }
      }
      if (chores.hideInWait(startAt - now)) {
        noteChores();
        continue;
      }
      // The final scan's read, made while the pace holds the last batch back rather than after its answers: in a
      // wait too short for it, it delays the batch by what it would have added after it anyway. Not in an undo,
      // whose records are appended to the very sheet it works on meanwhile.
      if (readForScan === undefined && lastBatchNext && kind !== "undo" && mayStartAt(startAt)) {
        readForScan = {
          columns: deps.sheet.readColumns([layout.columns.runId, layout.outputs.state]),
          sheetWrites,
        };
        continue;
      }
      if (chores.formatInWait(startAt - now, !lastBatchNext && queue.size <= 2 * nextBatch)) continue;
      if (startAt - now >= PUBLISH_IN_WAITS_OF_MS) publish();
      sleepUntil(startAt);
      sleptSinceBatch = true;
      continue;
    }
    publish(2 * LIVE_PROGRESS_INTERVAL_MS);
    // Both categories go in one fetchAll when both may go now: each is paced on its own. Under a shared limit
    // one category goes at a time, writes first (their rows are read already).
    const batch: QueueItem[] = [];
    const sentOf: Record<RateCategory, number> = { GET: 0, WRITE: 0 };
    for (const category of sharedLimit ? (["WRITE", "GET"] as const) : CATEGORIES) {
      const at = startOf[category];
      if (at === undefined || at > now || (sharedLimit && batch.length > 0)) continue;
      for (const item of queue.take(now, category, sizeOf[category])) {
        batch.push(item);
        sentOf[category] += 1;
      }
    }
    if (batch.length === 0) continue;
    batchesSent += 1;
    busyBatches = sleptSinceBatch ? 0 : busyBatches + 1;
    sleptSinceBatch = false;
    // Write-ahead: no POST leaves before its record is in the history sheet.
    if (batch.some((item) => !records.recorded(item))) records.write(toRecord(batch, now));

    const startedAt = deps.clock.now();
    const { answers, requestsMade } = sendBatch(
      deps.http,
      deps.clock,
      batch.map((item) => item.step.request),
      { mustStopBy: deps.mustStopBy, estimateMs: batchEstimateMs },
    );
    const answeredAt = deps.clock.now();
    chores.batchSent();
    batchEstimateMs = Math.max(batchEstimateMs * 0.5, answeredAt - startedAt);

    const rateLimited: Record<RateCategory, boolean> = { GET: false, WRITE: false };
    batch.forEach((item, index) => {
      const answer = answers[index];
      if (!answer) return;
      const category = item.step.category;
      const result = handleAnswer(deps, item, answer, answeredAt);
      rateLimited[category] ||= result.rateLimited;
      if (result.handled === "stop") stopError ??= result.stopError;
      else if (result.handled === "later") queue.later(item);
      else {
        if (uncommitted.length === 0) uncommittedSince = answeredAt;
        uncommitted.push({ runId: item.runId, before: item.before, outcome: result.handled.outcome });
        uncommittedCounts = addCounts(uncommittedCounts, outcomeCounts(result.handled.outcome));
      }
    });
    uncommittedRequests += requestsMade;
    unpublished = true;
    if (!sharedLimit && (rateLimited.GET || rateLimited.WRITE)) {
      const windowStart = startedAt - windowMs(Math.min(pacers.GET.currentRate, pacers.WRITE.currentRate));
      const sentLately = (category: RateCategory) =>
        sentOf[category] > 0 || pacers[category].recent.some((sent) => sent.at > windowStart);
      sharedLimit = sentLately("GET") && sentLately("WRITE");
    }
    for (const category of CATEGORIES)
      if (sentOf[category] > 0)
        pacers[category] = recordBatch(pacers[category], startedAt, sentOf[category], rateLimited[category]);
    job = {
      ...job,
      rate: pacers.WRITE.currentRate,
      recentBatches: pacers.WRITE.recent,
      getRate: pacers.GET.currentRate,
      recentGets: pacers.GET.recent,
      ...(sharedLimit ? { sharedLimit: true as const } : {}),
    };
  }
  // The execution's last write: a pause saves the job below, and an ending is the caller's to log and remove.
  commitNow(false, true);
  records.settleNow();
  chores.atEnd(headerChanged);
  noteChores();

  if (stopError)
    return stopJob(deps, job, describeError(stopError, readsRows(kind) ? "read" : "sync"), queue.size);
  let state: ExecutionProgress["state"] = queue.size === 0 && !headerChanged ? "finished" : "paused";
  if (state === "finished") {
    const [ids = [], states = []] =
      lastWriteColumns ?? deps.sheet.readColumns([layout.columns.runId, layout.outputs.state]);
    const scan = scanForLeftovers(ids, states, job, deps.parse.dateToIso, deps.loadMarks());
    if (scan.stillPending > 0) {
      // Marked rows this execution did not see (copied or moved in meanwhile): the next execution takes them.
      state = "paused";
    } else {
      // A killed execution may have written its last batch without counting it; the sheet's marks say so.
      job = withSheetCounts(job, scan.tally);
      // Rows marked at the start and no longer in the sheet. Without the marks, rows written and rows not synced
      // are told apart by count only, which counts twice a row whose Sync State was cleared after it was written.
      const missing = Math.max(
        0,
        scan.markedPresent !== undefined
          ? job.rowsToSend - scan.markedPresent
          : job.rowsToSend - (job.rowsResolved ?? 0) - scan.markedNotSynced,
      );
      job = {
        ...job,
        status: "finished",
        notSynced: scan.notSynced.slice(0, MAX_NOT_SYNCED_NAMED),
        counts: { ...job.counts, missing, notSynced: scan.notSyncedCount },
      };
      // No record stays "Sending" once its job has ended: those left by killed executions are read back.
      if (recordsKept && deps.history) {
        const { requests } = settleLeftSending(
          { ...deps, history: deps.history },
          job.id,
          pacerOf("GET"),
          batchEstimateMs,
        );
        job = { ...job, counts: addCounts(job.counts, { requests }) };
      }
    }
  }
  // Rows waiting out a backoff or Retry-After keep their attempts and their wait into the next execution.
  job = { ...job, retries: queue.retriesInProgress() };
  if (state === "paused") deps.saveJob(job);
  return { job, progress: progressOf(job, state, queue.size) };
}

/** A stop's reason is shown in the summary and in one run-log cell, so it is kept short. */
const MAX_STOP_REASON_LENGTH = 2_000;

/**
 * Ends the job as stopped, its reason scrubbed and cut to fit the run log. Not saved (see saveJob): an
 * execution killed before its caller logged the stop leaves the job running, and the next one meets the
 * same stop again.
 */
export function stopJob(deps: EngineDeps, job: SyncJob, reason: string, rowsLeft: number) {
  const stopReason = shorten(deps.scrub(reason), MAX_STOP_REASON_LENGTH);
  const stopped: SyncJob = { ...job, status: "stopped", stopReason };
  return { job: stopped, progress: progressOf(stopped, "stopped", rowsLeft) };
}

export function progressOf(
  job: SyncJob,
  state: ExecutionProgress["state"],
  rowsLeft: number,
): ExecutionProgress {
  const progress: ExecutionProgress = {
    jobId: job.id,
    kind: jobKind(job),
    sheetName: job.sheetName,
    state,
    counts: job.counts,
    rowsLeft,
    rowsToSend: job.rowsToSend,
    rate: shownRate(job),
    executions: job.executions,
    notSynced: job.notSynced ?? [],
  };
  if (job.tagMode) progress.tagMode = job.tagMode;
  if (job.keepHistory) progress.historyKept = true;
  if (job.undoesUndo) progress.undoesUndo = true;
  if (job.import && !job.import.listingDone && state !== "finished") progress.listing = true;
  if (job.stopReason) progress.message = job.stopReason;
  return progress;
}
