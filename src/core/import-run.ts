// One execution of an import: read List's pages one after another (each waits for the cursor of the one
// before), paced and retried like updates, and append each page's runs to the new sheet; the cursor is saved
// after every page. A kill between an append and the save makes the next execution read that page again, so
// runs already in the sheet are recognised by id and not written twice. With current values asked for, the
// appended rows carry the job's mark and, once the listing is done, the engine refreshes them like any refresh.
import { cellText } from "./cell";
import { classifyAnswer, type SyncError } from "./classify";
import { type EngineDeps, progressOf, runExecution, type SyncProgress, stopJob } from "./engine";
import { mapHeaders } from "./headers";
import { importRow, MAX_PAGE_SIZE, parseListPage } from "./import-list";
import type { ImportState, SyncJob } from "./job";
import { describeError } from "./messages";
import { pendingStateCell } from "./outcome";
import { newPacer, type PacerState, recordBatch, waitBeforeBatch } from "./pacing";
import { buildListRequest } from "./request";
import { retryDelayMs } from "./retry";
import { exceptionText } from "./secrets";
import { sendBatch } from "./send";

/** First guess of how long one page takes, before one has been timed. */
const INITIAL_PAGE_ESTIMATE_MS = 1_000;

type Listed =
  | { job: SyncJob; state: "listed" | "paused" }
  | { job: SyncJob; state: "stopped"; error: SyncError };

function listPages(deps: EngineDeps, startJob: SyncJob): Listed {
  let job = startJob;
  const state = job.import as ImportState;
  const values = deps.sheet.readAll();
  const headers = mapHeaders(values[0] ?? []);
  if (!headers.ok)
    return {
      job,
      state: "stopped",
      error: {
        code: "SHEET_CHANGED",
        message: `The import's sheet "${job.sheetName}" lost its header row (${headers.problems.join(" ")}).`,
      },
    };
  // The sheet is the truth about what was imported: an execution killed after an append but before the save
  // left rows the job does not count yet.
  const known = new Set<string>();
  for (let index = 1; index < values.length; index++) {
    const id = cellText(values[index]?.[headers.columns.runId] ?? "", deps.parse.dateToIso);
    if (id !== "") known.add(id);
  }
  const countOf = (imported: number) =>
    state.withCurrent ? { imported, rowsToSend: imported } : { imported, rowsToSend: 0 };
  job = {
    ...job,
    counts: { ...job.counts, imported: known.size },
    rowsToSend: countOf(known.size).rowsToSend,
  };

  let pacer: PacerState = {
    ...newPacer(deps.rate, job.getRate ?? deps.rate),
    recent: job.recentGets ?? [],
    notBefore: job.nextGetAt ?? 0,
  };
  let estimateMs = INITIAL_PAGE_ESTIMATE_MS;
  let attempts = 0;
  let pagesThisExecution = 0;
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
    if (!verdict || verdict.kind === "stop" || verdict.kind === "failed")
      return {
        job,
        state: "stopped",
        error: verdict?.error ?? { code: "NETWORK_ERROR", message: "The request did not complete." },
      };
    if (verdict.kind === "retry") {
      attempts += answer?.attempts ?? 1;
      const delay = retryDelayMs(deps.retryPolicy, attempts, verdict.retryAfterMs, deps.random);
      if (delay === undefined) return { job, state: "stopped", error: verdict.error };
      pacer = { ...pacer, notBefore: Math.max(pacer.notBefore, answeredAt + delay) };
      job = { ...job, nextGetAt: pacer.notBefore };
      continue;
    }
    attempts = 0;
    const rows = [];
    for (const run of verdict.value.runs) {
      if (known.has(run.id) || reachedMax()) continue;
      known.add(run.id);
      const mark = state.withCurrent
        ? pendingStateCell({ runId: run.id, state: {}, link: "" }, job.id, "", true)
        : "";
      rows.push(importRow(run, state.withCurrent, mark));
    }
    if (rows.length > 0) {
      try {
        deps.sheet.appendRows(rows);
      } catch (error) {
        // Sheets refuses rows past its limits (10 million cells a spreadsheet): going on cannot help.
        return {
          job,
          state: "stopped",
          error: { code: "SHEET_FULL", message: exceptionText(error, deps.scrub, 500) },
        };
      }
    }
    state.pages += 1;
    if (verdict.value.nextPageToken !== undefined && verdict.value.nextPageToken === state.nextPageToken)
      if (rows.length === 0)
        // The same cursor again and nothing new: following it would read this page for ever.
        return {
          job,
          state: "stopped",
          error: { code: "BAD_RESPONSE", message: "Extend answered the same page again." },
        };
    if (verdict.value.nextPageToken === undefined) {
      delete state.nextPageToken;
      state.listingDone = true;
    } else state.nextPageToken = verdict.value.nextPageToken;
    const counted = countOf(known.size);
    job = {
      ...job,
      import: state,
      counts: { ...job.counts, imported: counted.imported },
      rowsToSend: counted.rowsToSend,
    };
    deps.saveJob(job);
  }
  return { job: { ...job, import: state }, state: "listed" };
}

/** One execution of an import job: the listing while pages are left, then (with current values) the refresh. */
export function runImportExecution(
  deps: EngineDeps,
  startJob: SyncJob,
): { job: SyncJob; progress: SyncProgress } {
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
    if (listed.state === "paused") {
      deps.saveJob(job);
      return { job, progress: progressOf(job, "paused", 0) };
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
