// Runs one execution of a job's row work: read the sheet once and find the rows still marked for it (prepare),
// then make each row's requests step by step in paced batches (send), GET and WRITE each paced on its own
// (category-pacers), read each answer (answer), retry what is retryable, and write the outcomes to the rows that
// carry those run ids (outcome-writer, commit). This file is the loop that decides, each turn, what the time
// until the next batch is for: a write that is due, records, sheet chores, or a sleep. Outcomes are written
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

import type { SyncError } from "../requests/classify";
import { runIdTag } from "../requests/fingerprint";
import { describeError } from "../requests/messages";
import type { ConnectionSettings } from "../requests/request";
import type { RetryPolicy } from "../requests/retry";
import type { ParseContext } from "../requests/rows";
import { type Scrub, shorten } from "../requests/secrets";
import type { TagMode } from "../requests/tag-mode";
import type { CellValue } from "../sheet/cell";
import { mapHeaders } from "../sheet/headers";
import { handleAnswer } from "./answer";
import { ensureOutputColumns } from "./begin";
import { CategoryPacers } from "./category-pacers";
import { SheetChores } from "./chores";
import type { Layout } from "./commit";
import { finishedJob, scanForLeftovers } from "./finish";
import type { HistoryPort } from "./history";
import { settleLeftSending } from "./history-settle";
import { historyWriter } from "./history-writer";
import {
  addCounts,
  JOB_NOUN,
  type JobKind,
  jobKind,
  type NotSyncedRow,
  type RetriesInProgress,
  readsRows,
  type SyncCounts,
  type SyncJob,
  shownRate,
} from "./job";
import { LIVE_PROGRESS_INTERVAL_MS, type LiveProgress, liveProgressOf, livePublisher } from "./live";
import { OutcomeWriter } from "./outcome-writer";
import { batchSizeFor, waitBeforeBatch, windowMs } from "./pacing";
import type { SyncPlan } from "./plan";
import type { Clock, HttpPort, SheetPort } from "./ports";
import { preparedFromPlan, prepareExecution, type QueueItem } from "./prepare";
import { alignCategories, BUSY_BATCHES, holdWrites, recordsAhead } from "./read-ahead";
import { sendBatch } from "./send";
import { CATEGORIES, SendQueue } from "./send-queue";
import type { RateCategory } from "./steps";
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

/** First guess of how long one fetchAll takes, before one has been timed. */
const INITIAL_BATCH_ESTIMATE_MS = 1_000;
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
  // Outcomes kept until a write is due, then written with the job's counts (outcome-writer.ts).
  const outcomes = new OutcomeWriter({
    commit: commitDeps,
    layout,
    clock: deps.clock,
    queue,
    records,
    chores,
    saveJob: deps.saveJob,
  });
  if (prepared.finished.length > 0) job = outcomes.write(job, prepared.finished, 0);

  // Answers received since progress was last published. Published while the pace holds the next batch back,
  // where the put (~90 ms) costs the job nothing; right before a batch only once the last view (or the
  // execution's start) is two intervals old, no wait long enough having come, as a put there delays the batch.
  const live = livePublisher(deps.clock, deps.publishProgress);
  let unpublished = false;
  let publishedAt = deps.clock.now();
  const publish = (olderThanMs = 0) => {
    if (!unpublished || deps.clock.now() - publishedAt < olderThanMs) return;
    unpublished = !live.offer((at) => liveProgressOf(job, queue.size, at, outcomes.unwritten));
    if (!unpublished) publishedAt = deps.clock.now();
  };
  // GET and WRITE each paced on its own, or as one once Extend shows they share a limit (category-pacers.ts).
  const pacers = new CategoryPacers(deps.rate, job);
  // Reads ahead of the writes, so that records are appended several batches at a time (read-ahead.ts).
  const recordsKept = job.keepHistory === true || job.undoOf !== undefined;
  const readAhead = () => recordsKept && !pacers.shared;
  let leadBuilt = false;
  /** The records to write with `batch`'s: the writes waiting behind it too, when reading ahead. */
  const toRecord = (batch: readonly QueueItem[], at: number) =>
    readAhead()
      ? recordsAhead({
          queue,
          batch,
          at,
          writeBatchSize: batchSizeFor(pacers.write),
          windowMs: windowMs(pacers.write.currentRate),
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

  while (queue.size > 0 && !stopError && !outcomes.headerChanged) {
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
        writeBatchSize: batchSizeFor(pacers.write),
        windowMs: windowMs(pacers.write.currentRate),
        budgetEndsAt: deps.budgetEndsAt,
      });
    if (readAhead() && workBound && !writesHeld) leadBuilt = true;
    for (const category of CATEGORIES) {
      const due = queue.dueAt(category, now);
      if (due === undefined || (category === "WRITE" && writesHeld)) continue;
      sizeOf[category] = Math.min(batchSizeFor(pacers.of(category)), queue.sizeOf(category));
      const at = Math.max(now, due, now + waitBeforeBatch(pacers.of(category), now, sizeOf[category]));
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
    if (outcomes.due(startAt, nextBatch)) {
      // Written while the pace holds the next batch back anyway (or, with no wait, just before it leaves). Not
      // saved before the last batch: its time is the final scan's read's (below), and the end follows.
      job = outcomes.writePending(job, !lastBatchNext);
      continue;
    }
    if (startAt > now) {
      // The next WRITE batch's records are written while the pace holds it back, not after: a record written
      // once the wait is over would delay the batch by its Sheets round trips. Only for a batch this execution
      // will send, so a pause leaves no record of a change that was never going to leave.
      // Writes held back for the lead: their records are written during the reads' waits.
      const writeAt = startOf.WRITE ?? (writesHeld ? startAt : undefined);
      if (writeAt !== undefined && mayStartAt(writeAt)) {
        const next = queue.peek(writeAt, "WRITE", sizeOf.WRITE || batchSizeFor(pacers.write));
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
      if (!outcomes.scanRead && lastBatchNext && kind !== "undo" && mayStartAt(startAt)) {
        outcomes.readForFinalScan(() => deps.sheet.readColumns([layout.columns.runId, layout.outputs.state]));
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
    for (const category of pacers.shared ? (["WRITE", "GET"] as const) : CATEGORIES) {
      const at = startOf[category];
      if (at === undefined || at > now || (pacers.shared && batch.length > 0)) continue;
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
        outcomes.add({ runId: item.runId, before: item.before, outcome: result.handled.outcome }, answeredAt);
      }
    });
    outcomes.addRequests(requestsMade);
    unpublished = true;
    pacers.afterBatch(startedAt, sentOf, rateLimited);
    job = { ...job, ...pacers.jobFields() };
  }
  // The execution's last write: a pause saves the job below, and an ending is the caller's to log and remove.
  job = outcomes.writePending(job, false, true);
  records.settleNow();
  chores.atEnd(outcomes.headerChanged);
  noteChores();

  if (stopError)
    return stopJob(deps, job, describeError(stopError, readsRows(kind) ? "read" : "sync"), queue.size);
  let state: ExecutionProgress["state"] = queue.size === 0 && !outcomes.headerChanged ? "finished" : "paused";
  if (state === "finished") {
    const [ids = [], states = []] =
      outcomes.lastWriteColumns ?? deps.sheet.readColumns([layout.columns.runId, layout.outputs.state]);
    const scan = scanForLeftovers(ids, states, job, deps.parse.dateToIso, deps.loadMarks());
    const finished = finishedJob(job, scan);
    // Marked rows this execution did not see (copied or moved in meanwhile): the next execution takes them.
    if (!finished) state = "paused";
    else {
      job = finished;
      // No record stays "Sending" once its job has ended: those left by killed executions are read back.
      if (recordsKept && deps.history) {
        const { requests } = settleLeftSending(
          { ...deps, history: deps.history },
          job.id,
          pacers.of("GET"),
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
