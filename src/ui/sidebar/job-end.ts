// How a job's end looks: a sync's counts and the rows left to fix (read from the sheet), or for a refresh,
// preview or import what was read, where the import or the credits summary went, and a preview's report.
import type { SyncProblems, SyncProgress } from "../../core/views/sidebar-api";
import { type Child, goToSettingsButton, h, notice, replaceChildren } from "./dom";
import { counted, formatCount } from "./format";
import { renderPreviewReport } from "./preview-view";
import { button, WORDS } from "./progress-view";
import { rowList } from "./rows";
import { callFailure, server } from "./server";

/** The end of a refresh, preview or import. */
export function readDoneBlock(progress: SyncProgress, sheetName: string): Child[] {
  const { counts, kind } = progress;
  const words = WORDS[kind];
  // The message names the filters and says what became of the empty sheet.
  if (kind === "import" && progress.state === "finished" && counts.imported === 0)
    return [notice("info", "No runs matched these filters", progress.message ?? "", progress.logFailure)];
  const lines: Child[] = [];
  if (kind === "import")
    lines.push(`${counted(counts.imported, "run", "runs")} imported into the sheet "${progress.sheetName}".`);
  if (counts.read + counts.readFailed > 0 || kind !== "import")
    lines.push(
      `${counted(counts.read, "run", "runs")} read${counts.readFailed > 0 ? `, ${formatCount(counts.readFailed)} could not be read (their Refresh Error says why)` : ""}.`,
    );
  if (kind === "preview" && counts.invalid + counts.noop > 0)
    lines.push(
      `${counted(counts.invalid, "invalid row", "invalid rows")} and ${formatCount(counts.noop)} with nothing to change were not compared (Check rows lists them).`,
    );
  if (progress.summarySheet) lines.push(`Credits by usage tag are in the sheet "${progress.summarySheet}".`);
  if (progress.message) lines.push(progress.message);
  if (progress.logFailure) lines.push(progress.logFailure);
  const finished = progress.state === "finished";
  // Red only when the job stopped or read nothing; a few unread runs among good reads are listed below instead.
  const tone =
    !finished || (counts.read === 0 && counts.readFailed > 0)
      ? "error"
      : counts.readFailed > 0
        ? "info"
        : "ok";
  const title = !finished
    ? words.stopped
    : counts.readFailed > 0
      ? `${words.done}: ${formatCount(counts.readFailed)} ${counts.readFailed === 1 ? "run" : "runs"} could not be read`
      : words.done;
  const children: Child[] = [notice(tone, title, ...lines), ...settingsAction(progress)];
  if (kind === "import" && counts.imported > 0) {
    const target = progress.sheetName || sheetName;
    children.push(
      h(
        "div",
        { class: "buttons" },
        button(`Go to "${target}"`, () => void server.selectRow(target, 2).catch(() => undefined)),
      ),
    );
  }
  if (progress.preview) children.push(renderPreviewReport(progress.preview));
  if (counts.readFailed > 0) {
    const holder = h("div", {});
    void showUnreadRows(progress.sheetName || sheetName, progress.jobId, holder);
    children.push(holder);
  }
  return children;
}

/** The rows whose run could not be read, with their Refresh Error, read from the sheet like the rows to fix. */
function showUnreadRows(sheetName: string, jobId: string, holder: HTMLElement): Promise<void> {
  return showListedRows(sheetName, jobId, holder, "Could not list the rows not read", (problems) =>
    problems.unread.total === 0
      ? []
      : [
          hint(
            "These runs could not be read (Refresh Error says why): correct the Run ID or the settings, then refresh again.",
          ),
          rowList("Runs not read", problems.sheetName, problems.unread),
        ],
  );
}

export function doneBlock(progress: SyncProgress): Child[] {
  const { counts } = progress;
  const failed = counts.failed > 0 ? `: ${counted(counts.failed, "row", "rows")} failed` : "";
  const title = progress.state === "finished" ? `Sync finished${failed}` : "Sync stopped";
  const lines: Child[] = [
    `${formatCount(counts.updated)} updated, ${formatCount(counts.failed)} failed, ${formatCount(counts.invalid)} invalid, ${formatCount(counts.unchanged)} unchanged, ${formatCount(counts.noop)} with nothing to change.`,
  ];
  if (counts.missing > 0)
    lines.push(`${counted(counts.missing, "row was", "rows were")} deleted while the sync ran.`);
  if (counts.notSynced > 0)
    lines.push(
      `${counted(counts.notSynced, "row was", "rows were")} not synced (listed below): sync ${counts.notSynced === 1 ? "it" : "them"} again.`,
    );
  if (progress.message) lines.push(progress.message);
  if (progress.logFailure) lines.push(progress.logFailure);
  if (progress.state === "stopped") lines.push("Rows not sent yet were left as they were.");
  const kind = progress.state === "finished" && counts.failed === 0 ? "ok" : "error";
  return [notice(kind, title, ...lines), ...settingsAction(progress)];
}

/**
 * The end of an undo: runs put back, already as before, and not undone. A run changed since the sync is "failed"
 * with both values in its Sync Error (engine/undo.ts), so the runs not undone are listed from the history sheet.
 */
export function undoDoneBlock(progress: SyncProgress): Child[] {
  const { counts } = progress;
  const notUndone = counts.failed + counts.invalid;
  const title =
    progress.state !== "finished"
      ? WORDS.undo.stopped
      : notUndone > 0
        ? `${WORDS.undo.done}: ${counted(notUndone, "run", "runs")} not undone`
        : WORDS.undo.done;
  // An undo of an undo puts back what that undo took away: "before the undo", "since the undo".
  const undone = progress.undoesUndo ? "undo" : "sync";
  const lines: Child[] = [
    `${counted(counts.updated, "run", "runs")} put back as they were before the ${undone}, ${formatCount(counts.unchanged)} already as they were, ${formatCount(counts.failed)} not undone (changed since the ${undone}, or failed)${counts.invalid > 0 ? `, ${formatCount(counts.invalid)} with records that could not be read` : ""}.`,
    "Names cannot be undone. This undo kept its own history: the History tab can undo it in turn.",
  ];
  if (progress.message) lines.push(progress.message);
  if (progress.logFailure) lines.push(progress.logFailure);
  if (progress.state === "stopped") lines.push("Runs not sent yet were left as they were.");
  const holder = h("div", {});
  if (notUndone > 0) void showRunsNotUndone(progress.sheetName, progress.jobId, holder, undone);
  const tone = progress.state === "finished" && notUndone === 0 ? "ok" : "error";
  return [notice(tone, title, ...lines), ...settingsAction(progress), holder];
}

/** The runs an undo left alone, each with its Sync Error (for a run changed since: both values). */
function showRunsNotUndone(
  historySheet: string,
  undoId: string,
  holder: HTMLElement,
  undone: "sync" | "undo",
): Promise<void> {
  return showListedRows(historySheet, undoId, holder, "Could not list the runs not undone", (problems) => [
    hint(
      `These runs were left as they are. A run changed since the ${undone} keeps the newer values: check them in Extend, and change them by hand or with a new sync if they should go back.`,
    ),
    rowList("Runs not undone", problems.sheetName, problems.failed),
    rowList("Records that could not be read", problems.sheetName, problems.invalid),
  ]);
}

/** A job Extend stopped because of the key or the workspace: the next action is the Settings tab. */
function settingsAction(progress: SyncProgress): Child[] {
  const keyProblem =
    progress.state === "stopped" && /^(UNAUTHORIZED|FORBIDDEN):/.test(progress.message ?? "");
  return keyProblem ? [h("div", { class: "buttons" }, goToSettingsButton())] : [];
}

export function showRowsToFix(syncedSheet: string, jobId: string, holder: HTMLElement): Promise<void> {
  return showListedRows(syncedSheet, jobId, holder, "Could not list the rows to fix", (problems) =>
    problems.failed.total + problems.invalid.total === 0
      ? []
      : [
          hint(
            "Fix these rows in the sheet (Sync Error says what to do), then sync again: rows already updated are skipped.",
          ),
          rowList("Failed rows", problems.sheetName, problems.failed),
          rowList("Invalid rows", problems.sheetName, problems.invalid),
        ],
  );
}

const hint = (text: string): HTMLElement => h("p", { class: "hint" }, text);

/**
 * The rows job `jobId` left to look at, read from the sheet (rowsToFix: only the rows it wrote) and shown in
 * `holder` by `render`; a failed call shows `failureTitle` with why, so the end of a job never waits on a list
 * silently.
 */
async function showListedRows(
  sheetName: string,
  jobId: string,
  holder: HTMLElement,
  failureTitle: string,
  render: (problems: SyncProblems) => Child[],
): Promise<void> {
  try {
    const reply = await server.rowsToFix(sheetName, jobId);
    if (!reply.ok) return replaceChildren(holder, notice("error", failureTitle, reply.message));
    replaceChildren(holder, ...render(reply.value));
  } catch (error) {
    replaceChildren(holder, notice("error", failureTitle, callFailure(error)));
  }
}
