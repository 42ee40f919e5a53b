// A job's view wherever it runs (the Sync tab for syncs and refreshes, Check rows for a preview, Import for an
// import, and the import dialog): the tag-change and tag-mode confirmation, live progress with Pause and
// Resume, the offer to resume a job found on opening, and at the end the counts, the rows left to fix, a
// preview's report or where an import or a credits summary went.

import type { RowList } from "../../core/check-view";
import { describeKind, notSyncedReasonText } from "../../core/run-log";
import type { JobKind, SyncProgress } from "../../core/sidebar-api";
import { TAG_MODE_MEANING } from "../../core/tag-mode";
import { describeTagChange } from "../../core/tags";
import { type Child, h, notice, replaceChildren } from "./dom";
import {
  formatCount,
  formatDuration,
  formatRate,
  formatTime,
  type ProgressFigures,
  percent,
  secondsLeft,
} from "./format";
import { renderPreviewReport } from "./preview-view";
import { rowList } from "./rows";
import { callFailure, server } from "./server";
import type { Restartable, SyncLoop, SyncView } from "./sync-loop";

/** The words each kind of job is shown with. */
const WORDS: Readonly<
  Record<
    JobKind,
    { running: string; done: string; stopped: string; paused: string; sent: string; bar: string }
  >
> = {
  update: {
    running: "Syncing…",
    done: "Sync finished",
    stopped: "Sync stopped",
    paused: "Sync paused",
    sent: "sent",
    bar: "Rows synced",
  },
  refresh: {
    running: "Reading from Extend…",
    done: "Refresh finished",
    stopped: "Refresh stopped",
    paused: "Refresh paused",
    sent: "read",
    bar: "Rows refreshed",
  },
  preview: {
    running: "Comparing with Extend…",
    done: "Comparison finished",
    stopped: "Comparison stopped",
    paused: "Comparison paused",
    sent: "read",
    bar: "Rows compared",
  },
  import: {
    running: "Importing…",
    done: "Import finished",
    stopped: "Import stopped",
    paused: "Import paused",
    sent: "read",
    bar: "Imported runs read",
  },
};

export interface SyncPanelContext {
  loop: SyncLoop<Restartable>;
  /** The kind of the job shown. */
  kind: () => JobKind;
  area: HTMLElement;
  startControls: HTMLButtonElement[];
  budgetSeconds: () => number;
  /** The sheet of the sync shown, when known (else the sheet the person is on). */
  sheetName: () => string;
}

function button(label: string, onclick: () => void, primary = false): HTMLButtonElement {
  return h("button", { type: "button", class: primary ? "primary" : undefined, onclick }, label);
}

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
      "aria-valuetext": `${formatCount(figures.rowsDone)} of ${formatCount(figures.rowsToSend)} rows`,
    },
    bar,
  );
}

function progressBlock(
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
      h("p", { class: "hint" }, `Rate ${formatRate(figures.rate)}`),
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
      h("span", {}, `${formatCount(figures.rowsDone)} of ${formatCount(figures.rowsToSend)} rows`),
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
        h("span", { class: "stat-label" }, "failed"),
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
        ? `Rate ${formatRate(figures.rate)}`
        : `Rate ${formatRate(figures.rate)} · ${formatDuration(left)} left`,
    ),
  ];
}

/** The end of a refresh, preview or import. */
function readDoneBlock(progress: SyncProgress, sheetName: string): Child[] {
  const { counts, kind } = progress;
  const words = WORDS[kind];
  const lines: Child[] = [];
  if (kind === "import")
    lines.push(`${formatCount(counts.imported)} runs imported into the sheet "${progress.sheetName}".`);
  if (counts.read + counts.readFailed > 0 || kind !== "import")
    lines.push(
      `${formatCount(counts.read)} runs read${counts.readFailed > 0 ? `, ${formatCount(counts.readFailed)} could not be read (their Refresh Error says why)` : ""}.`,
    );
  if (kind === "preview" && counts.invalid + counts.noop > 0)
    lines.push(
      `${formatCount(counts.invalid)} invalid rows and ${formatCount(counts.noop)} with nothing to change were not compared (Check rows lists them).`,
    );
  if (progress.summarySheet) lines.push(`Credits by usage tag are in the sheet "${progress.summarySheet}".`);
  if (progress.message) lines.push(progress.message);
  if (progress.logFailure) lines.push(progress.logFailure);
  const ok = progress.state === "finished" && counts.readFailed === 0;
  const title = progress.state === "finished" ? words.done : words.stopped;
  const children: Child[] = [notice(ok ? "ok" : "error", title, ...lines)];
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
  return children;
}

function doneBlock(progress: SyncProgress): Child[] {
  const { counts } = progress;
  const failed = counts.failed > 0 ? `: ${formatCount(counts.failed)} rows failed` : "";
  const title = progress.state === "finished" ? `Sync finished${failed}` : "Sync stopped";
  const lines: Child[] = [
    `${formatCount(counts.updated)} updated, ${formatCount(counts.failed)} failed, ${formatCount(counts.invalid)} invalid, ${formatCount(counts.unchanged)} unchanged, ${formatCount(counts.noop)} with nothing to change.`,
  ];
  if (counts.missing > 0) lines.push(`${formatCount(counts.missing)} rows were deleted while the sync ran.`);
  if (counts.notSynced > 0)
    lines.push(`${formatCount(counts.notSynced)} rows were not synced (listed below): sync them again.`);
  if (progress.message) lines.push(progress.message);
  if (progress.state === "stopped") lines.push("Rows not sent yet were left as they were.");
  const kind = progress.state === "finished" && counts.failed === 0 ? "ok" : "error";
  return [notice(kind, title, ...lines)];
}

async function showRowsToFix(syncedSheet: string, holder: HTMLElement): Promise<void> {
  try {
    const reply = await server.rowsToFix(syncedSheet);
    if (!reply.ok)
      return replaceChildren(holder, notice("error", "Could not list the rows to fix", reply.message));
    const { failed, invalid, sheetName } = reply.value;
    if (failed.total + invalid.total === 0) return replaceChildren(holder);
    replaceChildren(
      holder,
      h(
        "p",
        { class: "hint" },
        "Fix these rows in the sheet (Sync Error says what to do), then sync again: rows already updated are skipped.",
      ),
      rowList("Failed rows", sheetName, failed),
      rowList("Invalid rows", sheetName, invalid),
    );
  } catch (error) {
    replaceChildren(holder, notice("error", "Could not list the rows to fix", callFailure(error)));
  }
}

function viewChildren(context: SyncPanelContext, view: SyncView): Child[] {
  const { loop } = context;
  switch (view.kind) {
    case "idle":
      return [];
    case "starting":
      return [
        h(
          "p",
          { class: "busy", role: "status" },
          context.kind() === "import" ? "Starting the import…" : "Checking the rows…",
        ),
      ];
    case "confirm": {
      const items = view.warnings
        .slice(0, 100)
        .map((warning) =>
          h("li", {}, h("b", {}, `Row ${warning.row}: `), warning.changes.map(describeTagChange).join("; ")),
        );
      const more = view.warnings.length - items.length;
      const changes = view.warnings.length > 0;
      return [
        h(
          "div",
          { class: "notice notice-info", role: "group", "aria-label": "Tags to confirm" },
          h("strong", {}, changes ? "Extend will change some tags" : `Sync with tag mode ${view.tagMode}?`),
          view.tagMode !== "replace"
            ? h(
                "p",
                {},
                `Tag mode: ${view.tagMode}. ${TAG_MODE_MEANING[view.tagMode]} ${formatCount(view.rowsNamingTags)} rows name tags.`,
              )
            : null,
          changes
            ? h(
                "p",
                {},
                'Tags may contain only letters, digits, "_" and "-"; Extend removes anything else. Send the rows with these tags?',
              )
            : h("p", {}, "Send the rows?"),
          h("ul", { class: "rows" }, ...items),
          more > 0 ? h("p", { class: "more" }, `…and ${more} more rows.`) : null,
          h(
            "div",
            { class: "buttons" },
            button("Send", () => void loop.confirm(), true),
            button("Cancel", () => loop.cancel()),
          ),
        ),
      ];
    }
    case "paused-exists":
    case "offer": {
      const { job } = view;
      const what = describeKind(job.kind, job.tagMode);
      const who = `${what}, started by ${job.startedBy} on ${formatTime(job.startedAt)} for ${job.scopeLabel} of "${job.sheetName}".`;
      const noun = WORDS[job.kind].paused.split(" ")[0]?.toLowerCase() ?? "sync";
      const title =
        view.kind === "offer" && job.active ? `A ${noun} is under way` : `A paused ${noun} is waiting`;
      const lines: Child[] = [
        who,
        job.listing
          ? `${formatCount(job.counts.imported)} runs imported so far.`
          : `${formatCount(job.rowsLeft)} of ${formatCount(job.rowsToSend)} rows left.`,
      ];
      if (job.active)
        lines.push(
          "It was driven moments ago (from another window, by another editor, or by a step still running). Resume joins in safely: each step waits its turn.",
        );
      const actions: Child[] = [button("Resume", () => void loop.resume(), true)];
      if (view.kind === "paused-exists")
        actions.push(button("End it and start anew", () => void loop.replace()));
      actions.push(button(view.kind === "offer" ? "Not now" : "Cancel", () => loop.cancel()));
      return [notice("info", title, ...lines, h("div", { class: "buttons" }, ...actions))];
    }
    case "running": {
      const pause = button("Pause", () => loop.pause());
      pause.disabled = view.pausing;
      return [
        h(
          "p",
          { class: "busy", role: "status" },
          view.pausing ? "Pausing after the current step…" : WORDS[context.kind()].running,
        ),
        ...progressBlock(view.figures, false, context.budgetSeconds(), view.observedRowsPerSecond),
        view.note ? h("p", { class: "note" }, view.note) : null,
        h("div", { class: "buttons" }, pause),
        h(
          "p",
          { class: "hint" },
          "Keep this open: it starts each next step. Closing it pauses safely; Resume goes on.",
        ),
      ];
    }
    case "paused":
      return [
        notice(
          "info",
          WORDS[context.kind()].paused,
          "Nothing is being sent. Resume whenever you like, also after closing the sidebar.",
        ),
        ...progressBlock(view.figures, true, context.budgetSeconds()),
        h(
          "div",
          { class: "buttons" },
          button("Resume", () => void loop.resume(), true),
        ),
      ];
    case "done": {
      const sheetName = view.progress.sheetName || context.sheetName();
      if (view.progress.kind !== "update") return readDoneBlock(view.progress, sheetName);
      const holder = h("div", {});
      void showRowsToFix(sheetName, holder);
      const { notSynced = [] } = view.progress;
      const notSyncedList: RowList = {
        total: Math.max(notSynced.length, view.progress.counts.notSynced ?? 0),
        rows: notSynced.map((entry) => ({
          row: entry.row,
          runId: entry.runId,
          text: `Not synced: ${notSyncedReasonText(entry.reason)}.`,
        })),
      };
      return [...doneBlock(view.progress), rowList("Rows not synced", sheetName, notSyncedList), holder];
    }
    case "gone":
      return [
        notice(
          "info",
          "This job has ended",
          "It finished or was replaced (perhaps by another editor). The sheet shows every row's result.",
        ),
      ];
    case "error":
      return [
        notice("error", "This needs attention", view.message),
        ...(view.figures ? progressBlock(view.figures, true, context.budgetSeconds()) : []),
        view.jobId
          ? h(
              "div",
              { class: "buttons" },
              button("Resume", () => void loop.resume(), true),
            )
          : null,
      ];
  }
}

export function renderSync(context: SyncPanelContext, view: SyncView): void {
  const running = view.kind === "running" || view.kind === "starting";
  for (const control of context.startControls) control.disabled = running;
  replaceChildren(context.area, ...viewChildren(context, view));
}
