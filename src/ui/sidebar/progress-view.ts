// How a job's progress looks in the sidebar and the import dialog: the words for each kind of job, buttons, the
// progress bar with its counts and the time left, or, while an import still reads pages, the runs so far.
import type { JobKind } from "../../core/views/sidebar-api";
import { type Child, h } from "./dom";
import {
  formatCount,
  formatDuration,
  formatRate,
  type ProgressFigures,
  percent,
  secondsLeft,
} from "./format";

/** The words each kind of job is shown with. */
export const WORDS: Readonly<
  Record<
    JobKind,
    {
      running: string;
      done: string;
      stopped: string;
      paused: string;
      sent: string;
      bar: string;
      /** The job in a sentence: its noun (as in "a paused sync"), and the noun with its article ("an import"). */
      noun: string;
      aNoun: string;
    }
  >
> = {
  update: {
    running: "Syncing…",
    done: "Sync finished",
    stopped: "Sync stopped",
    paused: "Sync paused",
    sent: "sent",
    bar: "Rows synced",
    noun: "sync",
    aNoun: "a sync",
  },
  refresh: {
    running: "Reading from Extend…",
    done: "Refresh finished",
    stopped: "Refresh stopped",
    paused: "Refresh paused",
    sent: "read",
    bar: "Rows refreshed",
    noun: "refresh",
    aNoun: "a refresh",
  },
  preview: {
    running: "Comparing with Extend…",
    done: "Comparison finished",
    stopped: "Comparison stopped",
    paused: "Comparison paused",
    sent: "read",
    bar: "Rows compared",
    noun: "comparison",
    aNoun: "a comparison",
  },
  import: {
    running: "Importing…",
    done: "Import finished",
    stopped: "Import stopped",
    paused: "Import paused",
    sent: "read",
    bar: "Imported runs read",
    noun: "import",
    aNoun: "an import",
  },
  undo: {
    running: "Undoing…",
    done: "Undo finished",
    stopped: "Undo stopped",
    paused: "Undo paused",
    sent: "checked",
    bar: "Runs checked",
    noun: "undo",
    aNoun: "an undo",
  },
};

export function button(label: string, onclick: () => void, primary = false): HTMLButtonElement {
  return h("button", { type: "button", class: primary ? "primary" : undefined, onclick }, label);
}

/** An undo's rows are history records, one per run: it counts runs, as its confirmation and its end do. */
const unitOf = (figures: ProgressFigures) => (figures.kind === "undo" ? "runs" : "rows");
const rateNoun = (figures: ProgressFigures) => (figures.kind === "undo" ? "run" : "row");

function progressBar(figures: ProgressFigures, paused: boolean): HTMLElement {
  const bar = h("div", {});
  bar.style.width = `${percent(figures)}%`;
  return h(
    "div",
    {
      class: paused ? "progress paused" : "progress",
      role: "progressbar",
      "aria-label": WORDS[figures.kind].bar,
      "aria-valuemin": 0,
      "aria-valuemax": figures.rowsToSend,
      "aria-valuenow": figures.rowsDone,
      "aria-valuetext": `${formatCount(figures.rowsDone)} of ${formatCount(figures.rowsToSend)} ${unitOf(figures)}`,
    },
    bar,
  );
}

export function progressBlock(
  figures: ProgressFigures,
  paused: boolean,
  budgetSeconds: number,
  observed?: number,
): Child[] {
  if (figures.listing)
    return [
      h(
        "p",
        { class: "progress-line", role: "status" },
        `${formatCount(figures.imported)} runs imported so far. Extend sends them page by page; the total is not known in advance.`,
      ),
      h("p", { class: "hint" }, `Rate ${formatRate(figures.rate, "run")}`),
    ];
  const left = secondsLeft({
    rowsLeft: figures.rowsLeft,
    rate: figures.rate,
    budgetSeconds,
    ...(observed !== undefined ? { observedRowsPerSecond: observed } : {}),
  });
  return [
    progressBar(figures, paused),
    h(
      "div",
      { class: "progress-line" },
      h(
        "span",
        {},
        `${formatCount(figures.rowsDone)} of ${formatCount(figures.rowsToSend)} ${unitOf(figures)}`,
      ),
      h("span", {}, `${percent(figures)}%`),
    ),
    h(
      "div",
      { class: "stats" },
      h(
        "div",
        { class: "stat" },
        h("b", { class: "stat-value" }, formatCount(figures.sent)),
        h("span", { class: "stat-label" }, WORDS[figures.kind].sent),
      ),
      h(
        "div",
        { class: figures.failed > 0 ? "stat failed" : "stat" },
        h("b", { class: "stat-value" }, formatCount(figures.failed)),
        h("span", { class: "stat-label" }, figures.kind === "undo" ? "not undone" : "failed"),
      ),
      h(
        "div",
        { class: "stat" },
        h("b", { class: "stat-value" }, formatCount(figures.rowsLeft)),
        h("span", { class: "stat-label" }, "left"),
      ),
    ),
    h(
      "p",
      { class: "hint" },
      paused
        ? `Rate ${formatRate(figures.rate, rateNoun(figures))}`
        : `Rate ${formatRate(figures.rate, rateNoun(figures))} · ${formatDuration(left)} left`,
    ),
  ];
}
