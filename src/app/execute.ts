// One execution of the document's job, whatever its kind: the services it needs, its work, then the run log and
// the saved (or cleared) job; also how a job ends when its sheet was deleted.

import { type EngineDeps, type JustStarted, runExecution } from "../core/engine/engine";
import { JOB_NOUN, jobKind, type SyncJob } from "../core/engine/job";
import { creditsRuns, creditsSummary } from "../core/jobs/credits/credits";
import { runImportExecution } from "../core/jobs/import/import-run";
import { previewReport } from "../core/jobs/preview-report";
import { DEFAULT_RETRY_POLICY } from "../core/requests/retry";
import { exceptionText, type Scrub, scrubberFor } from "../core/requests/secrets";
import { baseUrlOf, executionBudgetMs } from "../core/views/settings";
import type { SyncProgress } from "../core/views/sidebar-api";
import { appsScriptClock } from "../gas/clock";
import { writeCreditsSheet } from "../gas/credits-sheet";
import { HistorySheet } from "../gas/history-sheet";
import { urlFetchHttp } from "../gas/http";
import { progressCache } from "../gas/progress-cache";
import { jobStore } from "../gas/properties";
import {
  quotaNow,
  quotaResetSentence,
  saveRequestCount,
  saveRequestCountNowAndThen,
} from "../gas/quota-count";
import { writeRunLog } from "../gas/run-log";
import { SpreadsheetSheet } from "../gas/sheet";
import { type ExecutionContext, UserFacingError } from "./context";
import { CLAIM_LOST_MESSAGE, ClaimLost, claimOf, endClaimed, giveBackClaim, saveClaimed } from "./job-claim";

/** A batch must be expected to end before this share of Apps Script's limit has passed. */
const HARD_LIMIT_SHARE = 0.95;

export function sheetOf(
  context: ExecutionContext,
  job: SyncJob,
  scrub: Scrub,
): GoogleAppsScript.Spreadsheet.Sheet {
  const sheet = context.spreadsheet.getSheets().find((candidate) => candidate.getSheetId() === job.sheetId);
  if (!sheet) endWithoutSheet(context, job, scrub);
  return sheet;
}

/**
 * A job whose sheet was deleted has nothing left to work on: the run log says so and the job ends, in one step
 * under the lock as any ending (job-claim.ts), so it neither blocks the document nor asks to be continued.
 */
function endWithoutSheet(context: ExecutionContext, job: SyncJob, scrub: Scrub): never {
  const noun = JOB_NOUN[jobKind(job)];
  const ended: SyncJob = {
    ...job,
    status: "stopped",
    stopReason: `the sheet "${job.sheetName}" was deleted before the ${noun} finished`,
    lastActivityAt: Date.now(),
  };
  delete ended.lease;
  let logged = "The run log says how far it got.";
  const log = () => {
    try {
      writeRunLog(context.spreadsheet, ended, "stopped", Date.now());
    } catch (error) {
      logged = `The run log could not be written (${describeException(error, scrub)}).`;
    }
  };
  if (!endClaimed(claimOf(job), ended, "stopped", log)) throw new ClaimLost(CLAIM_LOST_MESSAGE);
  throw new UserFacingError(
    `The sheet "${job.sheetName}" of this ${noun} no longer exists, so the ${noun} has ended. ${logged}`,
  );
}

/** What an execution ends with. */
export interface Worked {
  job: SyncJob;
  progress: SyncProgress;
}

/** Text of an exception, safe to show: without the key, a bearer token or a stack, and short. */
export function describeException(error: unknown, scrub: Scrub): string {
  return exceptionText(error, scrub, 500);
}

/**
 * Runs one execution of the job (whose lease this execution holds), then logs and releases the lease (or, when
 * the job ended, removes it). `started` and `marks` are what the execution that started the sync knows (the
 * read it planned from, the tags of the rows it marked and saved), so it need not read them again. Throws
 * ClaimLost when another execution took the job over meanwhile.
 */
export function work(
  context: ExecutionContext,
  job: SyncJob,
  started?: JustStarted,
  marks?: readonly string[],
): Worked {
  const { settings } = context;
  const claim = claimOf(job);
  const scrub = scrubberFor([context.apiKey]);
  const connection = {
    baseUrl: baseUrlOf(settings),
    apiKey: context.apiKey,
    ...(settings.workspaceId ? { workspaceId: settings.workspaceId } : {}),
  };
  try {
    const deps: EngineDeps = {
      sheet: new SpreadsheetSheet(sheetOf(context, job, scrub)),
      http: urlFetchHttp,
      clock: appsScriptClock,
      random: Math.random,
      parse: { dateToIso: context.dateToIso },
      connection,
      retryPolicy: DEFAULT_RETRY_POLICY,
      scrub,
      rate: settings.rate,
      budgetEndsAt: context.startedAt + executionBudgetMs(settings),
      mustStopBy: context.startedAt + settings.executionLimitSeconds * 1000 * HARD_LIMIT_SHARE,
      saveJob: (saved) => {
        saveClaimed(saved, claim);
        saveRequestCountNowAndThen();
      },
      // An undo's sheet holds other records of the same runs: a run id's mark could not tell them apart.
      loadMarks: () => {
        if (jobKind(job) === "undo") return undefined;
        return marks ? jobStore.marksAsSaved(marks) : jobStore.loadMarks(job.id);
      },
      publishProgress: (view) => progressCache.publish(view),
    };
    if (job.keepHistory || jobKind(job) === "undo") deps.history = new HistorySheet(context.spreadsheet);
    const result =
      jobKind(job) === "import" ? runImportExecution(deps, job) : runExecution(deps, job, started);
    const ended: SyncJob = { ...result.job, lastActivityAt: Date.now() };
    delete ended.lease;
    const ending = result.progress.state;
    const progress: SyncProgress = { ...result.progress };
    if (ended.stopReason?.startsWith("URLFETCH_QUOTA")) {
      ended.stopReason = `${ended.stopReason} ${quotaResets(context)}`;
      progress.message = ended.stopReason;
    }
    if (ending === "finished" && ended.import && ended.counts.imported === 0)
      removeEmptyImportSheet(context, ended, progress, scrub);
    else if (ending === "finished") finishWork(context, ended, deps, progress);
    // The log, then the job released or removed: an execution killed between the two leaves the job claimed
    // until its lease runs out, and the next one goes on (or ends the job again) and rewrites its log row.
    const log = () => {
      try {
        writeRunLog(context.spreadsheet, ended, ending, Date.now());
      } catch (error) {
        // The sync's own outcome stands; the log is a record of it, and its failure is only reported.
        const logFailure = `The run log could not be written (${describeException(error, scrub)}).`;
        progress.logFailure = progress.logFailure ? `${progress.logFailure} ${logFailure}` : logFailure;
      }
    };
    // Counted before the job is released: the release is the execution's last shared call, so what it returns is
    // what the job was at that moment, with no other editor's execution in between.
    saveRequestCount();
    progress.quota = quotaNow();
    // An execution that lost its claim meanwhile leaves the job, and its log, to the one that has it.
    if (!endClaimed(claim, ended, ending, log)) throw new ClaimLost(CLAIM_LOST_MESSAGE);
    return { job: ended, progress };
  } catch (error) {
    saveRequestCount();
    if (error instanceof ClaimLost) throw error;
    giveBackClaim(claim);
    if (error instanceof UserFacingError) throw error;
    // A service failed mid-way (a quota, a Sheets error).
    const text = describeException(error, scrub);
    const resets = DAILY_QUOTA.test(text) ? ` ${quotaResets(context)}` : "";
    throw new UserFacingError(
      jobKind(job) === "update" || jobKind(job) === "undo"
        ? `The ${JOB_NOUN[jobKind(job)]} was interrupted: ${text}${resets} Rows already updated keep their results. Go on with Resume in the sidebar, or Extensions > Extend Sync > Continue paused sync.`
        : `The ${JOB_NOUN[jobKind(job)]} was interrupted: ${text}${resets} What was read so far is kept. Go on with Resume in the sidebar, or Extensions > Extend Sync > Continue paused sync.`,
    );
  }
}

/** Apps Script's daily UrlFetch quota, met outside the engine's own requests. */
const DAILY_QUOTA = /Service invoked too many times for one day/i;

/** When the daily allowance of web requests comes back, in the spreadsheet's time zone. */
function quotaResets(context: ExecutionContext): string {
  return quotaResetSentence(context.spreadsheet.getSpreadsheetTimeZone());
}

/**
 * An import that matched nothing made a sheet with only its header: it is deleted, unless something was typed
 * in it meanwhile (then it is kept, and the person is told why). The job and the message say which.
 */
function removeEmptyImportSheet(
  context: ExecutionContext,
  job: SyncJob,
  progress: SyncProgress,
  scrub: Scrub,
): void {
  const state = job.import;
  if (!state) return;
  const sheet = context.spreadsheet.getSheets().find((candidate) => candidate.getSheetId() === job.sheetId);
  let said: string;
  try {
    if (sheet && sheet.getLastRow() <= 1) {
      context.spreadsheet.deleteSheet(sheet);
      state.emptySheet = "deleted";
      said = `The empty sheet "${job.sheetName}" it made was deleted.`;
    } else {
      state.emptySheet = "kept";
      said = `The sheet "${job.sheetName}" it made was kept: something was typed in it.`;
    }
  } catch (error) {
    state.emptySheet = "kept";
    said = `The empty sheet "${job.sheetName}" could not be deleted (${describeException(error, scrub)}): delete it yourself.`;
  }
  progress.message = progress.message ? `${progress.message} ${said}` : said;
}

/**
 * What a finished job leaves behind: a refresh (or an import with current values) rebuilds the credits summary,
 * a preview reports row by row. Their failure is reported; the job's own outcome stands.
 */
function finishWork(context: ExecutionContext, job: SyncJob, deps: EngineDeps, progress: SyncProgress): void {
  const kind = jobKind(job);
  const reads = kind === "refresh" || (kind === "import" && job.import?.withCurrent === true);
  if (!reads && kind !== "preview") return;
  try {
    const values = deps.sheet.readAll();
    if (kind === "preview") {
      progress.preview = previewReport(values, job, deps.parse);
      return;
    }
    const { runs, unreadable } = creditsRuns(values, job.id, deps.parse.dateToIso);
    const summary = creditsSummary({
      runs,
      readAt: new Date(),
      source:
        kind === "import"
          ? `the import of ${job.scopeLabel} into the sheet "${job.sheetName}"`
          : `${job.scopeLabel} of the sheet "${job.sheetName}"`,
      unreadable,
      sourceSheetId: job.sheetId,
    });
    progress.summarySheet = writeCreditsSheet(context.spreadsheet, summary, {
      sheetId: job.sheetId,
      sheetName: job.sheetName,
    });
  } catch (error) {
    const what = kind === "preview" ? "The preview's report" : "The credits summary";
    progress.logFailure = `${what} could not be made (${describeException(error, deps.scrub)}).`;
  }
}
