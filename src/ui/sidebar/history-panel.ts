// The History tab: the recent syncs and undos of the history sheet, newest first, each with "Undo this sync…",
// and the undo's confirmation. Asking for the confirmation sends nothing (startUndoJob without a token); Send
// hands the confirmed token to the job loop, which drives the undo like a sync, in this tab's area.
import { type HistoryJob, jobWords, kindNoun, type UndoSummary } from "../../core/jobs/history-jobs";
import { estimateRequests, type QuotaShortfall } from "../../core/views/quota-estimate";
import type { JobKind, JobView } from "../../core/views/sidebar-api";
import { byId, type Child, focusOn, goToSettingsButton, h, notice, replaceChildren, showResult } from "./dom";
import { counted, formatCount, formatTime } from "./format";
import { button, WORDS } from "./progress-view";
import { callFailure, server } from "./server";

export interface HistoryPanel {
  /** Reads the list again (after a job ends, or when the tab is shown). */
  refresh(): Promise<void>;
  /** Asks for the confirmation of an undo of `jobId` and shows it; `from` gets focus back on Cancel. */
  askUndo(jobId: string, from?: HTMLElement | null): Promise<void>;
  /** Removes the note that a job this sidebar drives is running (once it no longer runs). */
  clearNote(): void;
  /** Shows a confirmation the job loop was answered with (an undo asked for after ending a paused job). */
  showConfirmation(answer: UndoAnswer, replacePaused: boolean): void;
}

type UndoAnswer = { jobId: string; token: string; summary: UndoSummary; quota?: QuotaShortfall };

export interface HistoryContext {
  timeZone: () => string | undefined;
  you: () => string | undefined;
  /** Starts the confirmed undo (the job loop); `replacePaused` ends the paused job first. */
  sendUndo: (jobId: string, confirmToken: string, replacePaused: boolean) => void;
  /** The kind of the job this sidebar drives now, if any, so no second one is asked for. */
  driving: () => JobKind | undefined;
  /** Shows the job this sidebar drives (its tab). */
  showDriven: () => void;
  /** Another job is unfinished: the loop shows it (Resume, end it and undo, Cancel) for the undo of `jobId`. */
  unfinished: (jobId: string, job: JobView) => void;
}

/** "sync", "undo of <id>": the kind in words for a finance reader. */
function kindWords(kind: string): string {
  const undone = /^undo of (\S+)$/.exec(kind)?.[1];
  return undone ? `Undo of ${undone}` : "Sync";
}

function jobItem(job: HistoryJob, context: HistoryContext, ask: (jobId: string, from: HTMLElement) => void) {
  const who = job.who === context.you() ? "you" : job.who || "someone";
  const undoButton = button(job.kind === "sync" ? "Undo this sync…" : "Undo this undo…", () =>
    ask(job.id, undoButton),
  );
  undoButton.setAttribute("aria-label", `${undoButton.textContent} ${job.id}`);
  return h(
    "li",
    { class: "history-job" },
    h("strong", {}, `${kindWords(job.kind)} · ${formatTime(job.at, context.timeZone())}`),
    h(
      "p",
      {},
      job.kind === "sync"
        ? `By ${who}, sheet "${job.sheet}": ${counted(job.runs, "run", "runs")} changed. Job ${job.id}.`
        : `By ${who}: ${counted(job.runs, "run", "runs")} changed back. Job ${job.id}.`,
    ),
    job.undoneBy ? h("p", { class: "hint" }, `Undone by the undo ${job.undoneBy}.`) : null,
    h("div", { class: "buttons" }, undoButton),
  );
}

const EMPTY_LINES = [
  "History lists each sync that changed runs in Extend, so you can put the runs back as they were before it.",
  'It is kept in the sheet "Extend Sync History" while Keep history is on (Settings tab, on by default). Syncs made with it off cannot be undone.',
];

/** What the undo will do, in the words the menu's prompt uses, laid out for the sidebar. */
function confirmation(
  summary: UndoSummary,
  shortfall: QuotaShortfall | undefined,
  context: HistoryContext,
  onSend: () => void,
  onCancel: () => void,
): HTMLElement {
  const estimate = estimateRequests({ kind: "undo", rows: summary.runs, rowsReadFirst: 0 });
  const noun = kindNoun(summary.kind);
  const back: Child[] = [];
  if (summary.runsWithTags > 0)
    back.push(h("li", {}, `Usage tags of ${counted(summary.runsWithTags, "run", "runs")}.`));
  if (summary.keys.length > 0)
    back.push(
      h(
        "li",
        {},
        `Metadata ${summary.keys.length === 1 ? "key" : "keys"}: ${summary.keys.join(", ")} (a key a run did not have before is emptied).`,
      ),
    );
  const lines: Child[] = [
    `The ${jobWords(summary.kind, summary.jobId, summary.sheet)}, by ${summary.who === context.you() ? "you" : summary.who} at ${formatTime(summary.at, context.timeZone())}: ${counted(summary.runs, "run is", "runs are")} read, and each that still holds what the ${noun} set gets its values from before back.`,
  ];
  if (back.length > 0) lines.push(h("p", {}, "What changes back:"), h("ul", {}, ...back));
  lines.push(
    "Runs someone changed since are skipped and listed at the end with both values: a later change is never overwritten.",
  );
  if (summary.names > 0)
    lines.push(
      `Names cannot be undone (Extend never returns a run's name): ${counted(summary.names, "run keeps its", "runs keep their")} new ${summary.names === 1 ? "name" : "names"}.`,
    );
  if (summary.undoneBy)
    lines.push(`It was undone before (undo ${summary.undoneBy}); runs already back are left as they are.`);
  lines.push("The undo keeps its own history, so it can be undone in turn.");
  if (shortfall) lines.push(h("p", { class: "quota-line" }, `${shortfall.text} ${shortfall.question}`));
  else if (estimate)
    lines.push(
      `Google's daily allowance: about ${formatCount(estimate.requests)} web requests (a read and a write for each run).`,
    );
  return h(
    "div",
    { class: "undo-confirm" },
    notice("info", `Undo this ${noun}?`, ...lines),
    h("div", { class: "buttons" }, button("Send", onSend, true), button("Cancel", onCancel)),
  );
}

export function wireHistoryPanel(context: HistoryContext): HistoryPanel {
  const list = byId("history-list");
  const area = byId("history-area");
  const refreshButton = byId<HTMLButtonElement>("history-refresh");

  const note = byId("history-note");

  const present = (answer: UndoAnswer, replacePaused: boolean, from?: HTMLElement | null) => {
    replaceChildren(note);
    const panel = confirmation(
      answer.summary,
      answer.quota,
      context,
      () => {
        replaceChildren(area);
        context.sendUndo(answer.jobId, answer.token, replacePaused);
      },
      () => {
        replaceChildren(area);
        focusOn(from && document.contains(from) ? from : refreshButton);
      },
    );
    replaceChildren(area, panel);
    focusOn(panel.querySelector<HTMLElement>(".notice"));
  };

  const askUndo = async (jobId: string, from?: HTMLElement | null) => {
    const driving = context.driving();
    if (driving !== undefined) {
      // This sidebar drives a job: the undo waits for it, and the notice says which and what to do.
      const { noun, aNoun } = WORDS[driving];
      const elsewhere = driving !== "undo";
      const shown = notice(
        "error",
        `The undo cannot start: ${aNoun} is running`,
        `${aNoun.charAt(0).toUpperCase()}${aNoun.slice(1)} is running in this sidebar${elsewhere ? "" : " (above)"}, and one job runs at a time. Nothing was sent. Wait for the ${noun} to finish, or pause it, then choose Undo again.`,
        elsewhere
          ? h(
              "div",
              { class: "buttons" },
              button(`Go to the ${noun}`, () => context.showDriven()),
            )
          : null,
      );
      replaceChildren(note, shown);
      focusOn(shown);
      return;
    }
    replaceChildren(note);
    replaceChildren(area, h("p", { class: "busy" }, "Reading the history…"));
    try {
      const answer = await server.askUndo(jobId);
      if ("state" in answer && answer.state === "confirm-undo")
        return present({ ...answer, jobId }, false, from);
      if ("state" in answer && answer.state === "paused-exists") {
        replaceChildren(area);
        return context.unfinished(jobId, answer.job);
      }
      const message =
        "message" in answer && answer.message ? answer.message : "The undo could not be prepared.";
      showResult(area, notice("error", "The undo did not start", message));
    } catch (error) {
      showResult(area, notice("error", "The undo did not start", callFailure(error)));
    }
  };

  const refresh = async () => {
    refreshButton.disabled = true;
    try {
      const jobs = await server.historyJobs();
      if (jobs.length === 0) {
        replaceChildren(
          list,
          notice(
            "info",
            "No history yet",
            ...EMPTY_LINES,
            "Sync rows from the Sync tab with Keep history on; each sync then appears here.",
            h("div", { class: "buttons" }, goToSettingsButton()),
          ),
        );
        return;
      }
      replaceChildren(
        list,
        h(
          "ul",
          { class: "history-jobs", "aria-label": "Recent syncs and undos, newest first" },
          ...jobs.map((job) => jobItem(job, context, (id, from) => void askUndo(id, from))),
        ),
      );
    } catch (error) {
      replaceChildren(list, notice("error", "Could not read the history", callFailure(error)));
    } finally {
      refreshButton.disabled = false;
    }
  };

  refreshButton.addEventListener("click", () => void refresh());
  return {
    refresh,
    askUndo,
    clearNote: () => replaceChildren(note),
    showConfirmation: (answer, replacePaused) => present(answer, replacePaused),
  };
}
