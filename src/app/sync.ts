// The sync as users start it: from the menu (with alerts) or from the sidebar loop (returning progress).
// Wires the pure engine to Apps Script; holds the document lock only while claiming or releasing a sync.

import { dryRunReport, renderDryRun } from "../core/dry-run";
import { beginSync, ensureOutputColumns, runExecution, type SyncProgress } from "../core/engine";
import { emptyCounts, jobIsActive, leaseIsHeld, type SyncJob } from "../core/job";
import { type PlanResult, planSync, type SyncPlan, tagWarnings } from "../core/plan";
import { DEFAULT_RETRY_POLICY } from "../core/retry";
import { summarize } from "../core/run-log";
import { baseUrlOf, executionBudgetMs, type Settings } from "../core/settings";
import { describeTagChange } from "../core/tags";
import { appsScriptClock, isoDateFormatter } from "../gas/clock";
import { urlFetchHttp } from "../gas/http";
import { apiKeyStore, jobStore, settingsStore } from "../gas/properties";
import { writeRunLog } from "../gas/run-log";
import { SpreadsheetSheet } from "../gas/sheet";

const LOCK_WAIT_MS = 10_000;
/** A batch must be expected to end before this share of Apps Script's limit has passed. */
const HARD_LIMIT_SHARE = 0.95;
const MAX_WARNINGS_SHOWN = 15;
const SHEET_CHANGED =
  "The sheet changed while the sync was starting (rows were sorted, moved or edited). Nothing was sent: start the sync again.";

export interface StartOptions {
  selectedRowsOnly: boolean;
  force: boolean;
}

/** Why a sync cannot run or go on now, in words for the person who clicked. */
class UserFacingError extends Error {}

function activeUser(): string {
  try {
    return Session.getActiveUser().getEmail() || "an editor (email not available)";
  } catch {
    return "an editor (email not available)";
  }
}

function formatTime(ms: number): string {
  const zone = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
  return Utilities.formatDate(new Date(ms), zone, "yyyy-MM-dd HH:mm");
}

function busyMessage(job: SyncJob): string {
  return `A sync is already running (started by ${job.startedBy}, at ${formatTime(job.startedAt)}). Nothing was sent. Wait for it to finish, then try again.`;
}

function withDocumentLock<T>(work: () => T): T {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(LOCK_WAIT_MS))
    throw new UserFacingError(
      "Another sync is starting in this document right now. Nothing was sent: try again in a moment.",
    );
  try {
    return work();
  } finally {
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}

/**
 * The rows of the user's selection below the header. Rows a filter hides are left out: the user did not see
 * them (a selection of the visible "Failed" rows must not resend the others). One call per selected row is
 * made only when the sheet has a filter.
 */
function selectedRows(sheet: GoogleAppsScript.Spreadsheet.Sheet): Set<number> {
  const rows = new Set<number>();
  const ranges = sheet.getActiveRangeList()?.getRanges() ?? [];
  const filtered = sheet.getFilter() !== null;
  for (const range of ranges) {
    if (range.getSheet().getSheetId() !== sheet.getSheetId()) continue;
    for (let row = Math.max(2, range.getRow()); row <= range.getLastRow(); row++) {
      if (!filtered || !sheet.isRowHiddenByFilter(row)) rows.add(row);
    }
  }
  return rows;
}

function scopeLabel(rows: Set<number> | "all"): string {
  if (rows === "all") return "all rows";
  const sorted = [...rows].sort((a, b) => a - b);
  const spans: string[] = [];
  for (const row of sorted) {
    const last = spans[spans.length - 1];
    const [from, to] = (last ?? "").split("-").map(Number);
    if (last !== undefined && (to ?? from) === row - 1) spans[spans.length - 1] = `${from}-${row}`;
    else spans.push(String(row));
  }
  const text = `rows ${spans.join(", ")}`;
  return text.length > 200 ? `${sorted.length} selected rows` : text;
}

interface ExecutionContext {
  startedAt: number;
  settings: Settings;
  apiKey: string;
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet;
}

function executionContext(startedAt: number): ExecutionContext {
  const apiKey = apiKeyStore.get();
  if (!apiKey) {
    throw new UserFacingError(
      "No Extend API key is set for you. Choose Extensions > Extend Sync > Settings > Set API key, then sync again.",
    );
  }
  return {
    startedAt,
    settings: settingsStore.load(),
    apiKey,
    spreadsheet: SpreadsheetApp.getActiveSpreadsheet(),
  };
}

function newLease(context: ExecutionContext) {
  return {
    token: Utilities.getUuid(),
    expiresAt: context.startedAt + context.settings.executionLimitSeconds * 1000,
  };
}

function sheetOf(context: ExecutionContext, job: SyncJob): GoogleAppsScript.Spreadsheet.Sheet {
  const sheet = context.spreadsheet.getSheets().find((candidate) => candidate.getSheetId() === job.sheetId);
  if (!sheet) {
    // Nothing left to sync: end the job so it neither blocks the document nor asks to be continued.
    jobStore.clear();
    throw new UserFacingError(
      `The sheet "${job.sheetName}" of this sync no longer exists, so the sync has ended.`,
    );
  }
  return sheet;
}

/** Gives the sync back after a failure mid-way, so it can go on at once instead of after the lease expires. */
function releaseLease(job: SyncJob): void {
  const current = jobStore.load();
  if (current?.id === job.id && current.lease) {
    delete current.lease;
    jobStore.save(current);
  }
}

/** Runs one execution of the job (whose lease this execution holds), then releases the lease and logs. */
function work(context: ExecutionContext, job: SyncJob): { job: SyncJob; progress: SyncProgress } {
  const { settings } = context;
  const connection = {
    baseUrl: baseUrlOf(settings),
    apiKey: context.apiKey,
    ...(settings.workspaceId ? { workspaceId: settings.workspaceId } : {}),
  };
  try {
    const result = runExecution(
      {
        sheet: new SpreadsheetSheet(sheetOf(context, job)),
        http: urlFetchHttp,
        clock: appsScriptClock,
        random: Math.random,
        parse: { dateToIso: isoDateFormatter(context.spreadsheet.getSpreadsheetTimeZone()) },
        connection,
        retryPolicy: DEFAULT_RETRY_POLICY,
        rate: settings.rate,
        budgetEndsAt: context.startedAt + executionBudgetMs(settings),
        mustStopBy: context.startedAt + settings.executionLimitSeconds * 1000 * HARD_LIMIT_SHARE,
        saveJob: jobStore.save,
      },
      job,
    );
    const ended: SyncJob = { ...result.job, lastActivityAt: Date.now() };
    delete ended.lease;
    const ending = result.progress.state;
    writeRunLog(context.spreadsheet, ended, ending, Date.now());
    if (ending === "paused") jobStore.save(ended);
    else jobStore.clear();
    return { job: ended, progress: result.progress };
  } catch (error) {
    releaseLease(job);
    if (error instanceof UserFacingError) throw error;
    // A service failed mid-way (a quota, a Sheets error).
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserFacingError(
      `The sync was interrupted: ${reason} Rows already updated keep their results. Choose Extensions > Extend Sync > Continue paused sync to go on.`,
    );
  }
}

function plan(
  context: ExecutionContext,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  options: StartOptions,
): { result: PlanResult; rows: Set<number> | "all" } {
  const rows = options.selectedRowsOnly ? selectedRows(sheet) : "all";
  const dateToIso = isoDateFormatter(context.spreadsheet.getSpreadsheetTimeZone());
  return {
    result: planSync(new SpreadsheetSheet(sheet).readAll(), rows, options.force, { dateToIso }),
    rows,
  };
}

function plannable(planned: { result: PlanResult }): SyncPlan {
  if (!planned.result.ok) {
    throw new UserFacingError(`This sheet cannot be synced: ${planned.result.problems.join(" ")}`);
  }
  return planned.result.plan;
}

function confirmTagChanges(plan: SyncPlan): boolean {
  const warnings = tagWarnings(plan);
  if (warnings.length === 0) return true;
  const lines = warnings
    .slice(0, MAX_WARNINGS_SHOWN)
    .map((warning) => `Row ${warning.row}: ${warning.changes.map(describeTagChange).join("; ")}`);
  if (warnings.length > MAX_WARNINGS_SHOWN)
    lines.push(`…and ${warnings.length - MAX_WARNINGS_SHOWN} more rows.`);
  const ui = SpreadsheetApp.getUi();
  const answer = ui.alert(
    "Extend will change some tags",
    `Tags may only contain letters, digits, "_" and "-"; Extend removes anything else.\n\n${lines.join("\n")}\n\nSend the rows with the cleaned tags?`,
    ui.ButtonSet.YES_NO,
  );
  return answer === ui.Button.YES;
}

/** Menu: plans, confirms tag changes, claims the document's sync, marks rows and runs the first execution. */
export function startSyncFromMenu(options: StartOptions): void {
  const startedAt = Date.now();
  const ui = SpreadsheetApp.getUi();
  try {
    const context = executionContext(startedAt);
    const existing = jobStore.load();
    if (existing && jobIsActive(existing, startedAt)) throw new UserFacingError(busyMessage(existing));
    if (existing && existing.status === "running") {
      const answer = ui.alert(
        "A paused sync exists",
        `A sync started by ${existing.startedBy} at ${formatTime(existing.startedAt)} was paused before it finished. Continue that sync? (No starts a new one instead.)`,
        ui.ButtonSet.YES_NO_CANCEL,
      );
      if (answer === ui.Button.YES) {
        continueSyncFromMenu(startedAt);
        return;
      }
      if (answer !== ui.Button.NO) return;
    }
    const sheet = context.spreadsheet.getActiveSheet();
    const preview = plannable(plan(context, sheet, options));
    if (preview.rows.length === 0)
      throw new UserFacingError(
        "There are no rows to sync: select rows below the header row, or fill in some Run IDs.",
      );
    if (!confirmTagChanges(preview)) return;

    const job = withDocumentLock(() => {
      const current = jobStore.load();
      if (current && jobIsActive(current, Date.now())) throw new UserFacingError(busyMessage(current));
      // Re-read: the sheet may have been sorted or edited while the confirmation was open.
      const planned = plan(context, sheet, options);
      const fresh = plannable(planned);
      if (JSON.stringify(tagWarnings(fresh)) !== JSON.stringify(tagWarnings(preview))) {
        throw new UserFacingError(SHEET_CHANGED);
      }
      const port = new SpreadsheetSheet(sheet);
      const outputs = ensureOutputColumns(port, fresh.columns, sheet.getLastColumn());
      const id = Utilities.getUuid().slice(0, 8);
      const dateToIso = isoDateFormatter(context.spreadsheet.getSpreadsheetTimeZone());
      const begun = beginSync(port, fresh, outputs, id, { dateToIso });
      if (begun === "sheet changed") throw new UserFacingError(SHEET_CHANGED);
      if (current?.status === "running") {
        const replaced: SyncJob = {
          ...current,
          status: "stopped",
          stopReason: `replaced by a new sync started by ${activeUser()}`,
        };
        writeRunLog(context.spreadsheet, replaced, "stopped", Date.now());
      }
      const created: SyncJob = {
        id,
        sheetId: sheet.getSheetId(),
        sheetName: sheet.getName(),
        scopeLabel: scopeLabel(planned.rows),
        force: options.force,
        startedBy: activeUser(),
        startedAt,
        lastActivityAt: Date.now(),
        lease: newLease(context),
        executions: 0,
        rate: context.settings.rate,
        rowsToSend: begun.rowsToSend,
        counts: { ...emptyCounts(), ...begun.counts },
        status: "running",
      };
      jobStore.save(created);
      return created;
    });
    const { job: ended, progress } = work(context, job);
    ui.alert("Extend Sync", summarize(ended, progress.state, progress.rowsLeft), ui.ButtonSet.OK);
  } catch (error) {
    if (error instanceof UserFacingError) ui.alert("Extend Sync", error.message, ui.ButtonSet.OK);
    else throw error;
  }
}

/** Claims the lease of the current job for this execution, or says why not. */
function claimJob(context: ExecutionContext, jobId?: string): SyncJob | "none" | "busy" {
  return withDocumentLock(() => {
    const job = jobStore.load();
    if (job?.status !== "running" || (jobId !== undefined && job.id !== jobId)) return "none";
    if (leaseIsHeld(job, Date.now())) return "busy";
    const claimed: SyncJob = { ...job, lease: newLease(context), lastActivityAt: Date.now() };
    jobStore.save(claimed);
    return claimed;
  });
}

type Continued =
  | { kind: "none" }
  | { kind: "busy"; message: string }
  | { kind: "ran"; job: SyncJob; progress: SyncProgress };

/** `startedAt` is when this execution began: Apps Script's limit counts from there, alerts included. */
function continueJob(jobId: string | undefined, startedAt: number): Continued {
  const context = executionContext(startedAt);
  const claimed = claimJob(context, jobId);
  if (claimed === "none") return { kind: "none" };
  if (claimed === "busy") {
    const job = jobStore.load();
    return { kind: "busy", message: job ? busyMessage(job) : "A sync is running." };
  }
  return { kind: "ran", ...work(context, claimed) };
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

export function continueSyncFromMenu(startedAt = Date.now()): void {
  const ui = SpreadsheetApp.getUi();
  try {
    const result = continueJob(undefined, startedAt);
    const message =
      result.kind === "none"
        ? "There is no paused sync to continue."
        : result.kind === "busy"
          ? result.message
          : summarize(result.job, result.progress.state, result.progress.rowsLeft);
    ui.alert("Extend Sync", message, ui.ButtonSet.OK);
  } catch (error) {
    if (error instanceof UserFacingError) ui.alert("Extend Sync", error.message, ui.ButtonSet.OK);
    else throw error;
  }
}

/** Menu: shows what a sync of all rows would send, without sending or writing anything. */
export function showDryRun(): void {
  const ui = SpreadsheetApp.getUi();
  try {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    const dateToIso = isoDateFormatter(spreadsheet.getSpreadsheetTimeZone());
    const sheet = spreadsheet.getActiveSheet();
    const result = planSync(new SpreadsheetSheet(sheet).readAll(), "all", false, { dateToIso });
    const report = dryRunReport(plannable({ result }));
    const page = HtmlService.createHtmlOutput(renderDryRun(report)).setWidth(900).setHeight(600);
    ui.showModalDialog(page, "Dry run: nothing was sent");
  } catch (error) {
    if (error instanceof UserFacingError) ui.alert("Extend Sync", error.message, ui.ButtonSet.OK);
    else throw error;
  }
}
