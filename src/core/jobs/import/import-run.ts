// One execution of an import: read List's pages one after another (each waits for the cursor of the one
// before), paced and retried like updates, and append each page's runs to the new sheet under their headers,
// found by name just before each append (import-layout.ts); the cursor is saved after every page. A kill between
// an append and the save makes the next execution read that page again, so runs already in the sheet are
// recognised by id and not written twice. A List that goes round is stopped (import-guard.ts). What only the
// person can fix (a refused key, no credits, today's quota used up, a lost Run ID column) pauses the import with
// a message, its cursor kept, so it goes on from there once fixed instead of starting over. With current values
// asked for, the appended rows carry the job's mark and, once the listing is done, the engine refreshes them like
// any refresh.

import {
  type EngineDeps,
  type ExecutionProgress,
  progressOf,
  runExecution,
  stopJob,
} from "../../engine/engine";
import type { ImportState, SyncJob } from "../../engine/job";
import { liveProgressOf, livePublisher } from "../../engine/live";
import { pendingStateCell } from "../../engine/outcome";
import { newPacer, type PacerState, recordBatch, waitBeforeBatch } from "../../engine/pacing";
import { sendBatch } from "../../engine/send";
import { classifyAnswer, type SyncError } from "../../requests/classify";
import { describeError } from "../../requests/messages";
import { buildListRequest } from "../../requests/request";
import { retryDelayMs } from "../../requests/retry";
import { exceptionText, shorten } from "../../requests/secrets";
import { type CellValue, cellText } from "../../sheet/cell";
import { mapHeaders } from "../../sheet/headers";
import { followPage } from "./import-guard";
import { importRow, placedCells, placeImportColumns } from "./import-layout";
import { MAX_PAGE_SIZE, parseListPage } from "./import-list";

/** First guess of how long one page takes, before one has been timed. */
const INITIAL_PAGE_ESTIMATE_MS = 1_000;

/** What an import that matched no run ends with: the filters named, so a mistyped one shows. */
export function nothingMatched(filtersLabel: string): string {
  return `No runs matched these filters: ${filtersLabel}. Check them (a Workflow ID or Batch ID must be typed exactly), then import again.`;
}

/** The job keeps a held import's message in its one 9 KB property, beside its other state. */
const MAX_HELD_LENGTH = 1_000;

type Listed =
  | { job: SyncJob; state: "listed" | "paused" }
  /** Waits for the person: `reason` says what to fix. */
  | { job: SyncJob; state: "held"; reason: string }
  | { job: SyncJob; state: "stopped"; error: SyncError };

/** Advice for a column problem: the person corrects row 1, and the import goes on. */
function columnProblem(problem: string, sheetName: string): string {
  return `The import cannot place the runs it reads in the sheet "${sheetName}": ${problem} Correct row 1 (Edit > Undo brings back a deleted column), then continue the import: it goes on from where it stopped.`;
}

type Appended = "appended" | { held: string } | { full: string };

/**
 * Appends rows (each under importHeaders) under their headers, read from row 1 just now; a missing column the
 * import fills is added at the right end first.
 */
function appendUnderHeaders(
  deps: EngineDeps,
  rows: readonly (readonly CellValue[])[],
  withCurrent: boolean,
  hasRows: boolean,
): Appended {
  let placement = placeImportColumns(deps.sheet.readHeader(), withCurrent, hasRows);
  try {
    if (placement.ok && placement.missing.length > 0) {
      deps.sheet.appendColumns(placement.missing);
      placement = placeImportColumns(deps.sheet.readHeader(), withCurrent, hasRows);
      if (placement.ok && placement.missing.length > 0)
        return { held: `The columns ${placement.missing.join(", ")} could not be added back.` };
    }
    if (!placement.ok) return { held: placement.problem };
    const cells = placedCells(rows, placement.at);
    deps.sheet.appendRows(cells.rows, cells.columns);
    return "appended";
  } catch (error) {
    // Sheets refuses cells past its limits (10 million a spreadsheet): going on cannot help.
    return { full: exceptionText(error, deps.scrub, 500) };
  }
}

function listPages(deps: EngineDeps, startJob: SyncJob): Listed {
  let job = startJob;
  const state = job.import as ImportState;
  delete state.held;
  const values = deps.sheet.readAll();
  const header = values[0] ?? [];
  // The sheet is the truth about what was imported: an execution killed after an append but before the save
  // left rows the job does not count yet.
  // Without a readable header the sheet cannot say which runs it holds: the counts stay as last saved.
  const mapped = mapHeaders(header);
  if (!mapped.ok)
    return { job, state: "held", reason: columnProblem(mapped.problems.join(" "), job.sheetName) };
  const known = new Set<string>();
  for (let index = 1; index < values.length; index++) {
    const id = cellText(values[index]?.[mapped.columns.runId] ?? "", deps.parse.dateToIso);
    if (id !== "") known.add(id);
  }
  const countOf = (imported: number) =>
    state.withCurrent ? { imported, rowsToSend: imported } : { imported, rowsToSend: 0 };
  job = {
    ...job,
    counts: { ...job.counts, imported: known.size },
    rowsToSend: countOf(known.size).rowsToSend,
  };
  // Checked before any request: a page read that could not be placed would only be read again.
  const placement = placeImportColumns(header, state.withCurrent, known.size > 0);
  if (!placement.ok) return { job, state: "held", reason: columnProblem(placement.problem, job.sheetName) };

  let pacer: PacerState = {
    ...newPacer(deps.rate, job.getRate ?? deps.rate),
    recent: job.recentGets ?? [],
    notBefore: job.nextGetAt ?? 0,
  };
  let estimateMs = INITIAL_PAGE_ESTIMATE_MS;
  let pagesThisExecution = 0;
  const live = livePublisher(deps.clock, deps.publishProgress);
  const reachedMax = () => state.max !== undefined && known.size >= state.max;
  while (!state.listingDone) {
    if (reachedMax()) {
      state.listingDone = true;
      break;
    }
    const now = deps.clock.now();
    const startAt = now + waitBeforeBatch(pacer, now, 1);
    // Every execution reads at least one page when it safely can, so even a tiny budget makes progress.
    const mayStart =
      (pagesThisExecution === 0 || startAt < deps.budgetEndsAt) && startAt + estimateMs <= deps.mustStopBy;
    if (!mayStart) return { job, state: "paused" };
    if (startAt > now) deps.clock.sleep(startAt - now);
    const pageSize = Math.max(
      1,
      Math.min(MAX_PAGE_SIZE, state.max === undefined ? MAX_PAGE_SIZE : state.max - known.size),
    );
    const request = buildListRequest(state.filters, pageSize, state.nextPageToken, deps.connection);
    const startedAt = deps.clock.now();
    const { answers, requestsMade } = sendBatch(deps.http, deps.clock, [request], {
      mustStopBy: deps.mustStopBy,
      estimateMs,
    });
    const answeredAt = deps.clock.now();
    estimateMs = Math.max(estimateMs * 0.5, answeredAt - startedAt);
    pagesThisExecution += 1;
    job = { ...job, counts: { ...job.counts, requests: job.counts.requests + requestsMade } };
    const answer = answers[0];
    const verdict = answer
      ? classifyAnswer(answer.result, answeredAt, deps.scrub, (body) => {
          const page = parseListPage(body, deps.scrub);
          return page
            ? { ok: true, value: page }
            : { ok: false, instead: "a body that is not a list of runs" };
        })
      : undefined;
    pacer = recordBatch(pacer, startedAt, 1, verdict?.kind === "retry" && verdict.rateLimited);
    job = { ...job, getRate: pacer.currentRate, recentGets: pacer.recent, lastActivityAt: answeredAt };
    if (!verdict || verdict.kind === "failed")
      return {
        job,
        state: "stopped",
        error: verdict?.error ?? { code: "NETWORK_ERROR", message: "The request did not complete." },
      };
    // A refused key, no credits, today's quota used up: every further page would be refused the same way until
    // the person fixes it, after which the import goes on from this cursor.
    if (verdict.kind === "stop")
      return { job, state: "held", reason: describeError(verdict.error, "import") };
    if (verdict.kind === "retry") {
      // Kept in the job: a page retried across executions still has only the policy's attempts.
      state.pageAttempts = (state.pageAttempts ?? 0) + (answer?.attempts ?? 1);
      const delay = retryDelayMs(deps.retryPolicy, state.pageAttempts, verdict.retryAfterMs, deps.random);
      if (delay === undefined) return { job, state: "stopped", error: verdict.error };
      pacer = { ...pacer, notBefore: Math.max(pacer.notBefore, answeredAt + delay) };
      job = { ...job, nextGetAt: pacer.notBefore };
      continue;
    }
    delete state.pageAttempts;
    const rows: CellValue[][] = [];
    const fresh = new Set<string>();
    for (const run of verdict.value.runs) {
      if (known.has(run.id) || fresh.has(run.id) || known.size + fresh.size >= (state.max ?? Infinity))
        continue;
      fresh.add(run.id);
      const mark = state.withCurrent
        ? pendingStateCell({ runId: run.id, state: {}, link: "" }, job.id, "", true)
        : "";
      rows.push(importRow(run, state.withCurrent, mark));
    }
    if (rows.length > 0) {
      const appended = appendUnderHeaders(deps, rows, state.withCurrent, known.size > 0);
      if (appended !== "appended") {
        if ("held" in appended)
          return { job, state: "held", reason: columnProblem(appended.held, job.sheetName) };
        return { job, state: "stopped", error: { code: "SHEET_FULL", message: appended.full } };
      }
      for (const id of fresh) known.add(id);
    }
    const next = reachedMax() ? undefined : verdict.value.nextPageToken;
    const loop = followPage(state, {
      runs: verdict.value.runs.length,
      newRuns: fresh.size,
      ...(next === undefined ? {} : { nextPageToken: next }),
      ...(verdict.requestId ? { requestId: verdict.requestId } : {}),
    });
    const counted = countOf(known.size);
    job = {
      ...job,
      import: state,
      counts: { ...job.counts, imported: counted.imported },
      rowsToSend: counted.rowsToSend,
    };
    if (loop) return { job, state: "stopped", error: loop };
    if (next === undefined) {
      delete state.nextPageToken;
      state.listingDone = true;
    } else state.nextPageToken = next;
    deps.saveJob(job);
    live.offer((at) => liveProgressOf({ ...job, import: { ...state } }, 0, at));
  }
  return { job: { ...job, import: state }, state: "listed" };
}

/** One execution of an import job: the listing while pages are left, then (with current values) the refresh. */
export function runImportExecution(
  deps: EngineDeps,
  startJob: SyncJob,
): { job: SyncJob; progress: ExecutionProgress } {
  const state = startJob.import;
  if (!state) throw new Error("not an import job");
  let job: SyncJob = { ...startJob, import: { ...state } };
  if (!state.listingDone) {
    const listed = listPages(deps, {
      ...job,
      executions: job.executions + 1,
      lastActivityAt: deps.clock.now(),
    });
    job = listed.job;
    if (listed.state === "stopped") {
      const reason = `${describeError(listed.error, "import")} The ${job.counts.imported} runs read before are in the sheet "${job.sheetName}".`;
      return stopJob(deps, job, reason, 0);
    }
    if (listed.state === "held") {
      const reason = `${listed.reason} The ${job.counts.imported} runs read so far are in the sheet "${job.sheetName}".`;
      const held = shorten(deps.scrub(reason), MAX_HELD_LENGTH);
      const waiting: SyncJob = { ...job, import: { ...(job.import as ImportState), held } };
      deps.saveJob(waiting);
      return { job: waiting, progress: { ...progressOf(waiting, "paused", 0), message: held, held: true } };
    }
    if (listed.state === "paused") {
      deps.saveJob(job);
      return { job, progress: progressOf(job, "paused", 0) };
    }
    // Nothing to refresh and no credits to sum: the person is told that the filters matched nothing.
    if (job.counts.imported === 0) {
      const finished: SyncJob = { ...job, status: "finished" };
      return {
        job: finished,
        progress: { ...progressOf(finished, "finished", 0), message: nothingMatched(job.scopeLabel) },
      };
    }
    if (!job.import?.withCurrent) {
      const finished: SyncJob = { ...job, status: "finished" };
      return { job: finished, progress: progressOf(finished, "finished", 0) };
    }
    // The refresh goes on in this execution with what is left of its time; the engine counts it as one.
    job = { ...job, executions: job.executions - 1 };
  }
  return runExecution(deps, job);
}
