// The menu's "Undo a sync…": another unfinished job named first, then the list of recent syncs, the id typed,
// the confirmation in an alert, and the undo's first execution (start-undo.ts does the work).
import { describeUndo } from "../core/jobs/history-jobs";
import { formatTime, messageTime, spreadsheetTimeZone } from "./context";
import { answerPausedJob, runningJobMessage, showProgress, tell } from "./menu-sync";
import { listHistoryJobs, parseUndoRequest, startUndo, type UndoRequest, unfinishedJob } from "./start-undo";

const JOBS_LISTED = 10;

export function undoSyncFromMenu(): void {
  const ui = SpreadsheetApp.getUi();
  const jobs = listHistoryJobs();
  if (jobs.length === 0) {
    tell(
      'There is nothing to undo yet: syncs record their changes in the sheet "Extend Sync History" while Keep history is on.',
    );
    return;
  }
  // Another job first: the person is told before typing an id, and chooses what becomes of a paused one.
  const startedAt = Date.now();
  let replacePaused = false;
  const unfinished = unfinishedJob();
  if (unfinished?.active) {
    tell(runningJobMessage(unfinished, "undo"));
    return;
  }
  if (unfinished) {
    if (answerPausedJob(unfinished, "undo", startedAt) === "handled") return;
    replacePaused = true;
  }
  // One read of the zone for every line (a Sheets round trip each otherwise).
  const timeZone = spreadsheetTimeZone();
  const lines = jobs
    .slice(0, JOBS_LISTED)
    .map(
      (job) =>
        `${job.id}: ${job.kind === "sync" ? `sync of the sheet "${job.sheet}"` : job.kind}, ${formatTime(job.at, timeZone)}, ${job.who}, ${job.runs} ${job.runs === 1 ? "run" : "runs"}${job.undoneBy ? ` (undone by the undo ${job.undoneBy})` : ""}`,
    );
  const response = ui.prompt(
    "Undo a sync",
    `Type the id of the sync to undo (the first word of its line; the run log's Sync ID). Times are in the spreadsheet's time zone, ${timeZone}:\n\n${lines.join("\n")}`,
    ui.ButtonSet.OK_CANCEL,
  );
  if (response.getSelectedButton() !== ui.Button.OK) return;
  const first = parseUndoRequest({ jobId: response.getResponseText() });
  if (!first) {
    tell("That is not a sync id (letters, digits and dashes). Nothing was sent.");
    return;
  }
  let request: UndoRequest = replacePaused ? { ...first, replacePaused } : first;
  for (let asked = 0; asked < 4; asked++) {
    const result = startUndo(request, startedAt);
    switch (result.state) {
      case "confirm-undo": {
        const answer = ui.alert(
          "Undo this sync?",
          `${describeUndo(result.summary, messageTime(result.summary.at))}${result.quota ? `\n\n${result.quota.text}` : ""}\n\n${result.quota?.question ?? "Start the undo?"}`,
          ui.ButtonSet.YES_NO,
        );
        if (answer !== ui.Button.YES) return;
        request = { ...request, confirmToken: result.token };
        continue;
      }
      case "paused-exists":
        if (answerPausedJob(result.job, "undo", startedAt) === "handled") return;
        request = { ...request, replacePaused: true };
        continue;
      case "confirm":
        return;
      case "busy":
      case "error":
        tell(result.message);
        return;
      default:
        showProgress(result);
        return;
    }
  }
  tell("The history kept changing while the undo was starting. Nothing was sent: start the undo again.");
}
