// Jobs as the menu starts them: the same start and continue as the sidebar's, with Apps Script alerts for the
// questions (tag changes and tag mode, a paused job) and for the summary at the end of the execution; a
// finished preview shows its report in a dialog. Sheets shows one add-on window at a time, so a dialog the menu
// opens closes the sidebar: while the sidebar drives a job, the menu asks first.

import { JOB_NOUN, type JobView, jobIsActive, jobKind } from "../core/engine/job";
import { planSync, type TagWarning } from "../core/engine/plan";
import { TAG_MODE_MEANING, type TagMode } from "../core/requests/tag-mode";
import { describeTagChange } from "../core/requests/tags";
import { dryRunReport, renderDryRun } from "../core/views/dry-run";
import { localeWarnings } from "../core/views/locale-warnings";
import { renderPreview } from "../core/views/preview-page";
import { confirmationWords } from "../core/views/quota-estimate";
import { describeKind, summarize } from "../core/views/run-log";
import type { SyncProgress } from "../core/views/sidebar-api";
import { isoDateFormatter } from "../gas/clock";
import { jobStore } from "../gas/properties";
import { SpreadsheetSheet } from "../gas/sheet";
import { busyMessage, messageTime, UserFacingError } from "./context";
import { continueJob } from "./continue";
import {
  type Confirmation,
  plannable,
  type StartOptions,
  type StartRequest,
  type StartResult,
  startSync,
} from "./start";

const MAX_WARNINGS_SHOWN = 15;

export function tell(message: string): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert("Extend Sync", message, ui.ButtonSet.OK);
}

/**
 * Whether to open `window` (a dialog) now. A dialog closes the sidebar, which stops the loop driving a job; when a
 * job is being driven (jobIsActive), the person is told and chooses: Yes opens the dialog and the job waits,
 * paused, where it is; No keeps it going and points to the sidebar's own tab for the same thing.
 */
export function mayCloseSidebar(window: string, inTheSidebar: string): boolean {
  const job = jobStore.load();
  if (!job || !jobIsActive(job, Date.now())) return true;
  const noun = JOB_NOUN[jobKind(job)];
  const ui = SpreadsheetApp.getUi();
  const answer = ui.alert(
    `A ${noun} is under way`,
    `A ${noun} started by ${job.startedBy} at ${messageTime(job.startedAt)} is under way. Google Sheets shows one Extend Sync window at a time: if the sidebar is driving it, opening ${window} now closes the sidebar and the ${noun} stops where it is. Nothing is lost or sent twice.\n\nOpen ${window} anyway? Yes opens it; the ${noun} then waits until you press Resume in the sidebar (Extensions > Extend Sync > Open sidebar) or choose Continue paused sync. No keeps the ${noun} going: ${inTheSidebar}`,
    ui.ButtonSet.YES_NO,
  );
  return answer === ui.Button.YES;
}

function tagChangeLines(warnings: readonly TagWarning[], rows: number): string[] {
  const lines = warnings
    .slice(0, MAX_WARNINGS_SHOWN)
    .map((warning) => `Row ${warning.row}: ${warning.changes.map(describeTagChange).join("; ")}`);
  if (rows > lines.length) lines.push(`…and ${rows - lines.length} more rows.`);
  return lines;
}

function confirmSending(confirmation: Confirmation): boolean {
  const ui = SpreadsheetApp.getUi();
  const parts: string[] = [];
  if (confirmation.tagMode !== "replace" && confirmation.rowsNamingTags > 0)
    parts.push(
      `Tag mode: ${confirmation.tagMode}. ${TAG_MODE_MEANING[confirmation.tagMode]} ${confirmation.rowsNamingTags} rows name tags.`,
    );
  if (confirmation.rowsWithTagChanges > 0)
    parts.push(
      `Tags may only contain letters, digits, "_" and "-"; Extend removes anything else.\n\n${tagChangeLines(confirmation.warnings, confirmation.rowsWithTagChanges).join("\n")}`,
    );
  if (confirmation.quota) parts.push(confirmation.quota.text);
  const { title, question } = confirmationWords(confirmation);
  const answer = ui.alert(title, `${parts.join("\n\n")}\n\n${question}`, ui.ButtonSet.YES_NO);
  return answer === ui.Button.YES;
}

/** The end of an execution as the menu shows it: a preview's report in a dialog, anything else in an alert. */
export function showProgress(progress: SyncProgress): void {
  if (progress.state === "finished" && progress.preview) {
    const page = HtmlService.createHtmlOutput(renderPreview(progress.preview, progress.counts))
      .setWidth(900)
      .setHeight(600);
    SpreadsheetApp.getUi().showModalDialog(page, "Preview: current and proposed values (nothing was sent)");
    if (progress.logFailure) tell(progress.logFailure);
    return;
  }
  tell(summarize(progress));
}

/**
 * Starts a job with `start`, asking about a paused job (and, for a sync, tag changes and the tag mode) with
 * alerts, then shows how the first execution ended.
 */
export function startFromMenu<R extends { confirmToken?: string; replacePaused?: boolean }>(
  start: (request: R, startedAt: number) => StartResult,
  first: R,
  noun: string,
): void {
  const startedAt = Date.now();
  const _ui = SpreadsheetApp.getUi();
  let request = first;
  // At most: a question about a paused job, then one about tags, then one more if the sheet changed.
  for (let asked = 0; asked < 4; asked++) {
    const result = start(request, startedAt);
    switch (result.state) {
      case "confirm":
        if (!confirmSending(result)) return;
        request = { ...request, confirmToken: result.token };
        continue;
      case "paused-exists":
        if (answerPausedJob(result.job, noun, startedAt) === "handled") return;
        request = { ...request, replacePaused: true };
        continue;
      case "busy":
      case "error":
        tell(result.message);
        return;
      default:
        showProgress(result);
        return;
    }
  }
  tell(`The sheet kept changing while the ${noun} was starting. Nothing was sent: start the ${noun} again.`);
}

/** Menu: starts a sync, asking about tag changes and a paused sync with alerts, then shows the summary. */
export function startSyncFromMenu(options: StartOptions): void {
  startFromMenu<StartRequest>(startSync, { ...options }, "sync");
}

export function continueSyncFromMenu(startedAt = Date.now()): void {
  try {
    const result = continueJob(undefined, startedAt);
    if (result.kind === "none") tell("There is no paused sync, refresh, preview or import to continue.");
    else if (result.kind === "busy") tell(result.message);
    else showProgress(result.progress);
  } catch (error) {
    if (error instanceof UserFacingError) tell(error.message);
    else throw error;
  }
}

/** Menu: shows what a sync of all rows would send, without sending or writing anything. */
export function showDryRun(tagMode: TagMode = "replace"): void {
  if (!mayCloseSidebar("Check rows", "the sidebar's Check rows tab checks the rows too.")) return;
  try {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    const dateToIso = isoDateFormatter(spreadsheet.getSpreadsheetTimeZone());
    const sheet = spreadsheet.getActiveSheet();
    const values = new SpreadsheetSheet(sheet).readAll();
    const plan = plannable(planSync(values, "all", false, { dateToIso }, tagMode));
    const warnings = localeWarnings(values, plan, spreadsheet.getSpreadsheetLocale());
    const report = dryRunReport(plan, tagMode, warnings);
    const page = HtmlService.createHtmlOutput(renderDryRun(report)).setWidth(900).setHeight(600);
    SpreadsheetApp.getUi().showModalDialog(page, "Dry run: nothing was sent");
  } catch (error) {
    if (error instanceof UserFacingError) tell(error.message);
    else throw error;
  }
}

/** "A sync", "An undo": a noun (or a phrase starting with one) with its article, capitalised. */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? "An" : "A"} ${phrase}`;
}

/**
 * A job driven elsewhere right now, named for a person who asked for a `noun` from the menu: what runs, where,
 * who started it and when, and what to do (the menu neither joins nor ends a job a sidebar drives).
 */
export function runningJobMessage(job: JobView, noun: string): string {
  return `The ${noun} cannot start now: ${withArticle(describeKind(job.kind, job.tagMode).toLowerCase()).toLowerCase()} of the sheet "${job.sheetName}", started by ${job.startedBy} at ${messageTime(job.startedAt)}, is running. Nothing was sent. Wait for it to finish (the sidebar driving it shows its progress and can pause it), then try again.`;
}

/**
 * Another job is unfinished when the menu starts one: one driven from a sidebar is only named (the menu neither
 * joins nor replaces it); a paused one is continued (Yes), or ended so that the new `noun` starts (No).
 */
export function answerPausedJob(paused: JobView, noun: string, startedAt: number): "handled" | "replace" {
  if (paused.active) {
    tell(busyMessage(paused.kind, paused.startedBy, paused.startedAt));
    return "handled";
  }
  const ui = SpreadsheetApp.getUi();
  const pausedBy =
    paused.pausedBy !== undefined && paused.pausedAt !== undefined
      ? ` Paused by ${paused.pausedBy} at ${messageTime(paused.pausedAt)}.`
      : "";
  const answer = ui.alert(
    `A paused ${JOB_NOUN[paused.kind]} exists`,
    `${withArticle(describeKind(paused.kind, paused.tagMode).toLowerCase())} of the sheet "${paused.sheetName}", started by ${paused.startedBy} at ${messageTime(paused.startedAt)}, was paused before it finished.${pausedBy} Continue it? (No ends it and starts the new ${noun} instead.)`,
    ui.ButtonSet.YES_NO_CANCEL,
  );
  if (answer === ui.Button.YES) {
    continueSyncFromMenu(startedAt);
    return "handled";
  }
  return answer === ui.Button.NO ? "replace" : "handled";
}
