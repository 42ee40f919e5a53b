// The sync as the menu starts it: the same start and continue as the sidebar's, with Apps Script alerts for
// the questions (tag changes, a paused sync) and for the summary at the end of the execution.
import { dryRunReport, renderDryRun } from "../core/dry-run";
import type { SyncProgress } from "../core/engine";
import { planSync, type TagWarning } from "../core/plan";
import { summarize } from "../core/run-log";
import { describeTagChange } from "../core/tags";
import { isoDateFormatter } from "../gas/clock";
import { SpreadsheetSheet } from "../gas/sheet";
import { formatTime, UserFacingError } from "./context";
import { continueJob } from "./continue";
import { plannable, type StartOptions, type StartRequest, startSync } from "./start";

const MAX_WARNINGS_SHOWN = 15;

function tell(message: string): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert("Extend Sync", message, ui.ButtonSet.OK);
}

function confirmTagChanges(warnings: readonly TagWarning[]): boolean {
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

function summaryOf(progress: SyncProgress): string {
  return summarize(progress);
}

/** Menu: starts a sync, asking about tag changes and a paused sync with alerts, then shows the summary. */
export function startSyncFromMenu(options: StartOptions): void {
  const startedAt = Date.now();
  const ui = SpreadsheetApp.getUi();
  let request: StartRequest = { ...options };
  // At most: a question about a paused sync, then one about tag changes, then one more if the sheet changed.
  for (let asked = 0; asked < 4; asked++) {
    const result = startSync(request, startedAt);
    switch (result.state) {
      case "confirm":
        if (!confirmTagChanges(result.warnings)) return;
        request = { ...request, confirmToken: result.token };
        continue;
      case "paused-exists": {
        const answer = ui.alert(
          "A paused sync exists",
          `A sync started by ${result.job.startedBy} at ${formatTime(result.job.startedAt)} was paused before it finished. Continue that sync? (No starts a new one instead.)`,
          ui.ButtonSet.YES_NO_CANCEL,
        );
        if (answer === ui.Button.YES) {
          continueSyncFromMenu(startedAt);
          return;
        }
        if (answer !== ui.Button.NO) return;
        request = { ...request, replacePaused: true };
        continue;
      }
      case "busy":
      case "error":
        tell(result.message);
        return;
      default:
        tell(summaryOf(result));
        return;
    }
  }
  tell("The sheet kept changing while the sync was starting. Nothing was sent: start the sync again.");
}

export function continueSyncFromMenu(startedAt = Date.now()): void {
  try {
    const result = continueJob(undefined, startedAt);
    if (result.kind === "none") tell("There is no paused sync to continue.");
    else if (result.kind === "busy") tell(result.message);
    else tell(summaryOf(result.progress));
  } catch (error) {
    if (error instanceof UserFacingError) tell(error.message);
    else throw error;
  }
}

/** Menu: shows what a sync of all rows would send, without sending or writing anything. */
export function showDryRun(): void {
  try {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    const dateToIso = isoDateFormatter(spreadsheet.getSpreadsheetTimeZone());
    const sheet = spreadsheet.getActiveSheet();
    const result = planSync(new SpreadsheetSheet(sheet).readAll(), "all", false, { dateToIso });
    const report = dryRunReport(plannable(result));
    const page = HtmlService.createHtmlOutput(renderDryRun(report)).setWidth(900).setHeight(600);
    SpreadsheetApp.getUi().showModalDialog(page, "Dry run: nothing was sent");
  } catch (error) {
    if (error instanceof UserFacingError) tell(error.message);
    else throw error;
  }
}
