// A job's view wherever it runs (the Sync tab for syncs and refreshes, Check rows for a preview, Import for an
// import, and the import dialog), by the loop's state: the tag-change and tag-mode confirmation, live progress
// with Pause and Resume, the offer to resume a job found on opening, and the end (job-end.ts).

import { TAG_MODE_MEANING } from "../../core/requests/tag-mode";
import { describeTagChange } from "../../core/requests/tags";
import type { RowList } from "../../core/views/check-view";
import { confirmationWords } from "../../core/views/quota-estimate";
import { describeKind, notSyncedReasonText } from "../../core/views/run-log";
import type { JobKind } from "../../core/views/sidebar-api";
import { type Child, h, notice, replaceChildren } from "./dom";
import { formatCount, formatTime } from "./format";
import { doneBlock, readDoneBlock, showRowsToFix } from "./job-end";
import { button, progressBlock, WORDS } from "./progress-view";
import { rowList } from "./rows";
import type { Restartable, SyncLoop, SyncView } from "./sync-loop";

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
      const more = view.rowsWithTagChanges - items.length;
      const changes = view.rowsWithTagChanges > 0;
      const words = confirmationWords(view);
      return [
        h(
          "div",
          {
            class: "notice notice-info",
            role: "group",
            "aria-label": changes ? "Tags to confirm" : words.title,
          },
          h("strong", {}, words.title),
          view.tagMode !== "replace" && view.rowsNamingTags > 0
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
            : null,
          view.quota ? h("p", { class: "quota-shortfall" }, view.quota.text) : null,
          changes ? null : h("p", {}, words.question),
          h("ul", { class: "rows" }, ...items),
          more > 0 ? h("p", { class: "more" }, `…and ${more} more rows.`) : null,
          h(
            "div",
            { class: "buttons" },
            button(
              view.quota && context.kind() !== "update" ? "Start" : "Send",
              () => void loop.confirm(),
              true,
            ),
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
      const { noun, aNoun } = WORDS[job.kind];
      const title =
        view.kind === "offer" && job.active
          ? `${aNoun.charAt(0).toUpperCase()}${aNoun.slice(1)} is under way`
          : `A paused ${noun} is waiting`;
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
          view.pausing
            ? "Pausing after the current step…"
            : `${WORDS[context.kind()].running}${view.figures.tagMode ? ` Tag mode: ${view.figures.tagMode}.` : ""}`,
        ),
        ...progressBlock(view.figures, false, context.budgetSeconds(), view.observedRowsPerSecond),
        view.note ? h("p", { class: "note" }, view.note) : null,
        view.figures.quota ? h("p", { class: "hint quota-used" }, view.figures.quota) : null,
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
          `${WORDS[context.kind()].paused}${view.figures.tagMode ? ` (tag mode: ${view.figures.tagMode})` : ""}`,
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

/** The kind of job a view shows, where the view itself carries it. */
export function kindOfView(view: SyncView): JobKind | undefined {
  switch (view.kind) {
    case "running":
    case "paused":
      return view.figures.kind;
    case "error":
      return view.figures?.kind;
    case "done":
      return view.progress.kind;
    case "offer":
      return view.job.kind;
    default:
      return undefined;
  }
}

export interface JobDisplay {
  loop: SyncLoop<Restartable>;
  /** The kind of the start request the loop holds (what the person last asked for), if any. */
  requestedKind: () => JobKind | undefined;
  /** Where a job of each kind is drawn. */
  areaOf: (kind: JobKind) => HTMLElement;
  startControls: HTMLButtonElement[];
  budgetSeconds: () => number;
  /** Called when a job is drawn into another area than the last one (to show that area's tab). */
  onMove?: (kind: JobKind) => void;
}

/**
 * Draws each view of the loop into the area of the job it shows: the kind the view carries (running, paused,
 * error with figures, done, offer), else for starting, confirm, paused-exists and a start's error the kind of
 * the request the loop holds, and for idle and gone the area drawn into last. When the area changes, the last
 * one is cleared, so no stale view (a Pause of a job now shown elsewhere) is left behind.
 */
export function jobRenderer(display: JobDisplay): (view: SyncView) => void {
  let shown: { kind: JobKind; area: HTMLElement } | undefined;
  let sheetName = "";
  return (view) => {
    if (view.kind === "offer" || view.kind === "paused-exists") sheetName = view.job.sheetName;
    const settled = view.kind === "idle" || view.kind === "gone";
    const kind =
      kindOfView(view) ??
      (settled ? shown?.kind : undefined) ??
      display.requestedKind() ??
      shown?.kind ??
      "update";
    const area = display.areaOf(kind);
    const moved = shown?.area !== area;
    if (shown && moved) replaceChildren(shown.area);
    shown = { kind, area };
    renderSync(
      {
        loop: display.loop,
        kind: () => kind,
        area,
        startControls: display.startControls,
        budgetSeconds: display.budgetSeconds,
        sheetName: () => sheetName,
      },
      view,
    );
    if (moved && !settled) display.onMove?.(kind);
  };
}
