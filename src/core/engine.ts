// Runs a sync: marks the rows it must send, then, one execution at a time, sends them in paced batches,
// retries what is retryable and commits each batch's results to the rows that carry those run ids, so an
// execution killed at any point loses at most the batch it had in flight.
import { cellText } from "./cell";
import { type AttemptResult, type Classification, classifyAttempt, type SyncError } from "./classify";
import { fingerprint, runIdTag } from "./fingerprint";
import {
  type ColumnMap,
  mapHeaders,
  missingOutputColumns,
  OUTPUT_HEADERS,
  type OutputColumn,
} from "./headers";
import { addCounts, type SyncCounts, type SyncJob } from "./job";
import { describeError } from "./messages";
import { type OutputValues, outputValuesFor, pendingValues, type RowOutcome } from "./outcome";
import { batchSizeFor, newPacer, type PacerState, recordBatch, waitBeforeBatch } from "./pacing";
import { outputColumnIndexes, parseRows, previousOutputs, type SyncPlan } from "./plan";
import type { Clock, HttpPort, SheetPort } from "./ports";
import { buildUpdateRequest, type ConnectionSettings, type HttpRequest } from "./request";
import { type RetryPolicy, retryDelayMs } from "./retry";
import { decodeRowState, encodeRowState, isPendingFor } from "./row-state";
import type { ParseContext } from "./rows";
import type { TagChange } from "./tags";
import { planWrites, type RowWrite } from "./write-plan";

export interface EngineDeps {
  sheet: SheetPort;
  http: HttpPort;
  clock: Clock;
  random: () => number;
  parse: ParseContext;
  connection: ConnectionSettings;
  retryPolicy: RetryPolicy;
  /** Requests per second the user allows. */
  rate: number;
  /** No further batch starts after this time (the execution's soft budget). */
  budgetEndsAt: number;
  /** No batch starts unless it is expected to finish before this time (Apps Script's hard limit). */
  mustStopBy: number;
  /** Persists the job; called after every committed batch. */
  saveJob(job: SyncJob): void;
}

export interface SyncProgress {
  jobId: string;
  state: "finished" | "paused" | "stopped";
  message?: string;
  counts: SyncCounts;
  rowsLeft: number;
  /** Rows marked to be sent when the sync started. */
  rowsToSend: number;
  /** Requests per second in force now (lowered after 429s). */
  rate: number;
  executions: number;
}

interface QueueItem {
  runId: string;
  request: HttpRequest;
  fingerprint: string;
  tagChanges: TagChange[];
  previous: OutputValues;
  attempts: number;
  notBefore: number;
}

interface Finished {
  runId: string;
  outcome: RowOutcome;
  previous: OutputValues;
}

/** First guess of how long one fetchAll takes, before one has been timed. */
const INITIAL_BATCH_ESTIMATE_MS = 1_000;

const COUNT_KEY: Readonly<Record<RowOutcome["kind"], keyof SyncCounts>> = {
  updated: "updated",
  failed: "failed",
  invalid: "invalid",
  unchanged: "unchanged",
  noop: "noop",
};

/** Creates missing output columns at the right end; returns the full map of output column indexes. */
export function ensureOutputColumns(
  sheet: SheetPort,
  columns: ColumnMap,
  headerWidth: number,
): Record<OutputColumn, number> {
  const missing = missingOutputColumns(columns);
  if (missing.length > 0) {
    sheet.appendColumns(missing.map((column) => OUTPUT_HEADERS[column]));
    missing.forEach((column, offset) => {
      columns.output[column] = headerWidth + offset;
    });
  }
  const indexes = outputColumnIndexes(columns);
  if (!indexes) throw new Error("output columns could not be created");
  return indexes;
}

/**
 * Writes the outcomes known without a request and marks the rows to send with the job id. Rows to send are
 * rewritten with their own output values, so all rows of the scope form one rectangle instead of many.
 * The Run ID column is read again first: if a row moved since the plan was made, nothing is written.
 */
export function beginSync(
  sheet: SheetPort,
  plan: SyncPlan,
  outputs: Record<OutputColumn, number>,
  jobId: string,
  parse: ParseContext,
): { counts: Partial<SyncCounts>; rowsToSend: number } | "sheet changed" {
  const ids = sheet.readColumn(plan.columns.runId);
  if (plan.rows.some((row) => cellText(ids[row.row - 1] ?? "", parse.dateToIso) !== row.runId))
    return "sheet changed";
  const writes: RowWrite[] = [];
  const counts: Partial<SyncCounts> = {};
  let rowsToSend = 0;
  for (const row of plan.rows) {
    if ("outcome" in row.action) {
      writes.push({ row: row.row, values: outputValuesFor(row.action.outcome, row.previous) });
      const key = COUNT_KEY[row.action.outcome.kind];
      counts[key] = (counts[key] ?? 0) + 1;
    } else {
      rowsToSend += 1;
      const state = encodeRowState({ ...row.state, pendingSync: jobId, pendingRun: runIdTag(row.runId) });
      writes.push({ row: row.row, values: pendingValues(row.previous, state) });
    }
  }
  sheet.write(planWrites(writes, outputs));
  return { counts, rowsToSend };
}

interface BatchAnswers {
  /** One per request; undefined for a request not sent because time ran out. */
  results: (AttemptResult | undefined)[];
  requestsMade: number;
}

function sendBatch(deps: EngineDeps, requests: readonly HttpRequest[], estimateMs: number): BatchAnswers {
  try {
    return {
      results: deps.http.fetchAll(requests).map((response) => ({ response })),
      requestsMade: requests.length,
    };
  } catch {
    // fetchAll loses every answer when one request fails in transport: find out which, one at a time, while
    // time allows; the rest stay queued for later.
    let requestsMade = requests.length;
    const results = requests.map((request): AttemptResult | undefined => {
      if (deps.clock.now() + estimateMs > deps.mustStopBy) return undefined;
      requestsMade += 1;
      try {
        return { response: deps.http.fetch(request) };
      } catch (error) {
        return { transportError: error instanceof Error ? error.message : String(error) };
      }
    });
    return { results, requestsMade };
  }
}

/** One execution's worth of work on a running job. */
export function runExecution(deps: EngineDeps, startJob: SyncJob): { job: SyncJob; progress: SyncProgress } {
  let job: SyncJob = { ...startJob, executions: startJob.executions + 1, lastActivityAt: deps.clock.now() };
  const values = deps.sheet.readAll();
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok) return stop(deps, job, headers.problems.join(" "), 0);
  const columns = headers.columns;
  const outputs = ensureOutputColumns(deps.sheet, columns, (values[0] ?? []).length);

  const pending: { cells: (typeof values)[number]; runId: string; previous: OutputValues }[] = [];
  for (const cells of values.slice(1)) {
    const runId = cellText(cells[columns.runId] ?? "", deps.parse.dateToIso);
    if (isPendingFor(decodeRowState(cells[outputs.state]), job.id, runId)) {
      pending.push({ cells, runId, previous: previousOutputs(cells, columns) });
    }
  }

  const finished: Finished[] = [];
  const queue: QueueItem[] = [];
  parseRows(
    pending.map((entry) => entry.cells),
    columns,
    deps.parse,
  ).forEach((parsed, index) => {
    const previous = pending[index]?.previous ?? {};
    const runId = pending[index]?.runId ?? "";
    if (parsed.kind === "empty") finished.push({ runId, previous, outcome: { kind: "noop" } });
    else if (parsed.kind === "invalid")
      finished.push({ runId, previous, outcome: { kind: "invalid", errors: parsed.errors } });
    else if (parsed.kind === "noop") finished.push({ runId, previous, outcome: { kind: "noop" } });
    else {
      queue.push({
        runId: parsed.runId,
        request: buildUpdateRequest(parsed.runId, parsed.body, deps.connection),
        fingerprint: fingerprint(parsed.runId, parsed.body),
        tagChanges: parsed.tagChanges,
        previous,
        attempts: 0,
        notBefore: 0,
      });
    }
  });

  let headersMoved = false;
  const commit = (done: Finished[], requests: number) => {
    const committed = commitOutcomes(deps, job.id, done);
    if (committed === "headers moved") {
      // Results for this batch are not written: its rows stay marked and are sent again, by run id, later.
      headersMoved = true;
      job = { ...job, counts: addCounts(job.counts, { requests }), lastActivityAt: deps.clock.now() };
      deps.saveJob(job);
      return;
    }
    const { counts, rowsWritten } = committed;
    job = {
      ...job,
      counts: addCounts(job.counts, { ...counts, requests }),
      rowsResolved: (job.rowsResolved ?? 0) + rowsWritten,
      lastActivityAt: deps.clock.now(),
    };
    deps.saveJob(job);
  };
  if (finished.length > 0) commit(finished, 0);

  let pacer: PacerState = { ...newPacer(deps.rate, job.rate), nextSendAt: job.nextSendAt ?? 0 };
  let batchEstimateMs = INITIAL_BATCH_ESTIMATE_MS;
  let stopError: SyncError | undefined;
  let batchesSent = 0;
  // Every execution sends at least one batch when it safely can, so even a tiny budget makes progress.
  const mayStartAt = (startAt: number) =>
    (batchesSent === 0 || startAt < deps.budgetEndsAt) && startAt + batchEstimateMs <= deps.mustStopBy;

  while (queue.length > 0 && !stopError && !headersMoved) {
    const now = deps.clock.now();
    const ready = queue.filter((item) => item.notBefore <= now);
    if (ready.length === 0) {
      const wakeAt = Math.min(...queue.map((item) => item.notBefore));
      if (!mayStartAt(wakeAt)) break;
      deps.clock.sleep(wakeAt - now);
      continue;
    }
    const wait = waitBeforeBatch(pacer, now);
    if (!mayStartAt(now + wait)) break;
    if (wait > 0) deps.clock.sleep(wait);
    batchesSent += 1;

    const batch = ready.slice(0, batchSizeFor(pacer));
    const startedAt = deps.clock.now();
    const { results, requestsMade } = sendBatch(
      deps,
      batch.map((item) => item.request),
      batchEstimateMs,
    );
    const answeredAt = deps.clock.now();
    batchEstimateMs = Math.max(batchEstimateMs * 0.5, answeredAt - startedAt);

    const done: Finished[] = [];
    let rateLimited = false;
    batch.forEach((item, index) => {
      const result = results[index];
      if (!result) return;
      const verdict: Classification = classifyAttempt(result, answeredAt);
      item.attempts += 1;
      if (verdict.kind === "retry") rateLimited ||= verdict.rateLimited;
      const outcome = outcomeOf(deps, item, verdict, answeredAt);
      if (outcome === "stop") stopError = verdict.kind === "stop" ? verdict.error : undefined;
      else if (outcome !== "later") done.push({ runId: item.runId, previous: item.previous, outcome });
      if (outcome !== "later") queue.splice(queue.indexOf(item), 1);
    });
    pacer = recordBatch(pacer, startedAt, batch.length, rateLimited);
    job = { ...job, rate: pacer.currentRate, nextSendAt: pacer.nextSendAt };
    commit(done, requestsMade);
  }

  if (stopError) return stop(deps, job, describeError(stopError), queue.length);
  const state = queue.length === 0 ? "finished" : "paused";
  if (state === "paused") {
    // Rows waiting out a backoff or Retry-After must not go out the moment the next execution starts.
    const earliestRetry = Math.min(...queue.map((item) => item.notBefore));
    job = { ...job, nextSendAt: Math.max(job.nextSendAt ?? 0, earliestRetry) };
  }
  if (state === "finished") {
    // Rows marked at the start that no execution found again were deleted (or lost their mark) meanwhile.
    const missing = Math.max(0, job.rowsToSend - (job.rowsResolved ?? 0));
    job = { ...job, status: "finished", counts: { ...job.counts, missing } };
  }
  deps.saveJob(job);
  return { job, progress: progressOf(job, state, queue.length) };
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

/**
 * Writes outcomes to the rows that carry their run id and still wait for this job, found by reading the
 * header row and those columns again now: rows sorted, inserted or deleted, or columns moved, since the batch
 * left still get their own results, and no result lands in a column the user types into.
 */
function commitOutcomes(
  deps: EngineDeps,
  jobId: string,
  done: readonly Finished[],
): { counts: Partial<SyncCounts>; rowsWritten: number } | "headers moved" {
  const counts: Partial<SyncCounts> = {};
  if (done.length === 0) return { counts, rowsWritten: 0 };
  const headers = mapHeaders(deps.sheet.readHeader());
  const outputs = headers.ok ? outputColumnIndexes(headers.columns) : undefined;
  if (!headers.ok || !outputs) return "headers moved";
  const ids = deps.sheet.readColumn(headers.columns.runId);
  const states = deps.sheet.readColumn(outputs.state);
  const rowsById = new Map<string, number[]>();
  ids.forEach((id, index) => {
    const runId = cellText(id, deps.parse.dateToIso);
    if (index === 0 || !isPendingFor(decodeRowState(states[index]), jobId, runId)) return;
    rowsById.set(runId, [...(rowsById.get(runId) ?? []), index + 1]);
  });
  const writes: RowWrite[] = [];
  for (const { runId, outcome, previous } of done) {
    // Extend has the update even when its row is gone: count the outcome; the row counts as missing at the end.
    const key = COUNT_KEY[outcome.kind];
    counts[key] = (counts[key] ?? 0) + 1;
    for (const row of rowsById.get(runId) ?? [])
      writes.push({ row, values: outputValuesFor(outcome, previous) });
  }
  deps.sheet.write(planWrites(writes, outputs));
  return { counts, rowsWritten: new Set(writes.map((write) => write.row)).size };
}

/** The job is saved in one document property (9 KB at most), so its reason is kept short. */
const MAX_STOP_REASON_LENGTH = 2_000;

function stop(deps: EngineDeps, job: SyncJob, reason: string, rowsLeft: number) {
  const stopReason =
    reason.length > MAX_STOP_REASON_LENGTH ? `${reason.slice(0, MAX_STOP_REASON_LENGTH - 1)}…` : reason;
  const stopped: SyncJob = { ...job, status: "stopped", stopReason };
  deps.saveJob(stopped);
  return { job: stopped, progress: progressOf(stopped, "stopped", rowsLeft) };
}

function progressOf(job: SyncJob, state: SyncProgress["state"], rowsLeft: number): SyncProgress {
  const progress: SyncProgress = {
    jobId: job.id,
    state,
    counts: job.counts,
    rowsLeft,
    rowsToSend: job.rowsToSend,
    rate: job.rate,
    executions: job.executions,
  };
  if (job.stopReason) progress.message = job.stopReason;
  return progress;
}
