// A job's view wherever it runs (the Sync tab for syncs and refreshes, Check rows for a preview, Import for an
// import, and the import dialog), by the loop's state: the tag-change and tag-mode confirmation, live progress
// with Pause and Resume, the offer to resume a job found on opening, and the end (job-end.ts).

import { TAG_MODE_MEANING } from "../../core/requests/tag-mode";
import { describeTagChange } from "../../core/requests/tags";
import type { RowList } from "../../core/views/check-view";
import { confirmationWords } from "../../core/views/quota-estimate";
import { describeKind, notSyncedReasonText } from "../../core/views/run-log";
import type { JobKind, JobView, SyncProgress } from "../../core/views/sidebar-api";
import { type Child, focusOn, h, notice, replaceChildren } from "./dom";
import { counted, formatCount, formatTime } from "./format";
import { doneBlock, readDoneBlock, showRowsToFix, undoDoneBlock } from "./job-end";
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
  /** The spreadsheet's time zone and the person's email, once the server has said them. */
  viewer: () => Viewer;
  /** The button that starts a job of the kind shown, where focus returns when a prompt is dismissed. */
  startControl?: () => HTMLElement | null;
  /** Offers the undo of a finished job that kept history (the History tab's confirmation). */
  onUndo?: (jobId: string, from: HTMLElement) => void;
}

export interface Viewer {
  timeZone?: string;
  you?: string;
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** A problem's heading says which: the job never started, or it stopped part-way and waits (Resume shown). */
function errorTitle(kind: JobKind, waiting: boolean): string {
  return waiting ? `${WORDS[kind].paused}: it needs you` : `${capitalized(WORDS[kind].noun)} not started`;
}

/** "End this sync" beside Resume, where the page can end a job (not the import dialog). */
function endButton(context: SyncPanelContext, noun = WORDS[context.kind()].noun): HTMLElement | null {
  return context.loop.canEnd ? button(`End this ${noun}`, () => void context.loop.end()) : null;
}

/**
 * An unfinished job found on opening or on starting another: who started it, and who paused it and when, or
 * that a step runs now elsewhere, or when its last step ended. Every state offers Resume (joining a job driven
 * elsewhere is safe: each step waits its turn); a job nobody drives may also be replaced.
 */
function offerChildren(context: SyncPanelContext, kind: "offer" | "paused-exists", job: JobView): Child[] {
  const { loop } = context;
  const { timeZone, you } = context.viewer();
  const at = (ms: number) => formatTime(ms, timeZone);
  const person = (email: string) => (you !== undefined && email === you ? "you" : email);
  const { noun } = WORDS[job.kind];
  const stepRunning = job.leaseHeld && job.pausedBy === undefined;
  const title = stepRunning
    ? `${capitalized(WORDS[job.kind].aNoun)} is under way`
    : `A paused ${noun} is waiting`;
  // An undo's rows are records of the history sheet: it is named by the sync it undoes, and counts runs.
  const undo = job.kind === "undo";
  const lines: Child[] = [
    undo
      ? `Undo of ${job.scopeLabel}, started by ${person(job.startedBy)} on ${at(job.startedAt)}.`
      : `${describeKind(job.kind, job.tagMode)}, started by ${person(job.startedBy)} on ${at(job.startedAt)} for ${job.scopeLabel} of "${job.sheetName}".`,
    job.listing
      ? `${counted(job.counts.imported, "run", "runs")} imported so far.`
      : `${formatCount(job.rowsLeft)} of ${counted(job.rowsToSend, undo ? "run" : "row", undo ? "runs" : "rows")} left.`,
  ];
  const lastDriver = person(job.lastDrivenBy ?? job.startedBy);
  if (job.pausedBy !== undefined && job.pausedAt !== undefined)
    lines.push(`Paused by ${person(job.pausedBy)} at ${at(job.pausedAt)}. Nothing is being sent.`);
  else if (stepRunning)
    lines.push(
      `A step is running now, driven by ${lastDriver} (another window or another editor). Resume joins in safely: each step waits its turn.`,
    );
  else if (job.lastActivityAt !== undefined)
    lines.push(
      `Its last step ended at ${at(job.lastActivityAt)} (driven by ${lastDriver}). Nothing is being sent unless another window drives it; Resume goes on safely either way.`,
    );
  if (kind === "paused-exists") {
    // The job asked for waits: say so, and what each way on is (one job per spreadsheet at a time).
    const asked = WORDS[context.kind()].noun;
    lines.push(
      `The ${asked} you asked for cannot start while this ${noun} is unfinished (one job at a time). Nothing was sent. ${
        job.active
          ? `Resume follows this ${noun} here; or wait until it finishes, then ask for the ${asked} again.`
          : `Resume finishes this ${noun} first; or end it and start the ${asked}.`
      }`,
    );
  }
  const actions: Child[] = [button("Resume", () => void loop.resume(), true)];
  if (kind === "paused-exists" && !job.active)
    actions.push(button(`End it and start a new ${noun}`, () => void loop.replace()));
  if (kind === "offer" && !job.active) actions.push(endButton(context, noun));
  actions.push(button(kind === "offer" ? "Not now" : "Cancel", () => loop.cancel()));
  return [notice("info", title, ...lines, h("div", { class: "buttons" }, ...actions))];
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
                `Tag mode: ${view.tagMode}. ${TAG_MODE_MEANING[view.tagMode]} ${counted(view.rowsNamingTags, "row names", "rows name")} tags.`,
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
          more > 0 ? h("p", { class: "more" }, `…and ${counted(more, "more row", "more rows")}.`) : null,
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
    case "offer":
      return offerChildren(context, view.kind, view.job);
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
          `Paused by you at ${formatTime(Date.now(), context.viewer().timeZone)}. Nothing is being sent. Resume whenever you like, also after closing the sidebar.`,
        ),
        ...progressBlock(view.figures, true, context.budgetSeconds()),
        h(
          "div",
          { class: "buttons" },
          button("Resume", () => void loop.resume(), true),
          endButton(context),
        ),
      ];
    case "done": {
      const sheetName = view.progress.sheetName || context.sheetName();
      if (view.progress.kind === "undo") return undoDoneBlock(view.progress);
      if (view.progress.kind !== "update") return readDoneBlock(view.progress, sheetName);
      const holder = h("div", {});
      void showRowsToFix(sheetName, view.progress.jobId, holder);
      const { notSynced = [] } = view.progress;
      const notSyncedList: RowList = {
        total: Math.max(notSynced.length, view.progress.counts.notSynced ?? 0),
        rows: notSynced.map((entry) => ({
          row: entry.row,
          runId: entry.runId,
          text: `Not synced: ${notSyncedReasonText(entry.reason)}.`,
        })),
      };
      return [
        ...doneBlock(view.progress),
        undoOffer(context, view.progress),
        rowList("Rows not synced", sheetName, notSyncedList),
        holder,
      ];
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
        notice("error", errorTitle(context.kind(), view.jobId !== undefined), view.message),
        ...(view.figures ? progressBlock(view.figures, true, context.budgetSeconds()) : []),
        view.jobId
          ? h(
              "div",
              { class: "buttons" },
              button("Resume", () => void loop.resume(), true),
              endButton(context),
            )
          : null,
      ];
    case "ended":
      return [notice("info", `${capitalized(WORDS[view.ended.kind].noun)} ended`, view.ended.message)];
  }
}

/** "Undo this sync…" under a sync that recorded its changes in the history sheet (keep history on). */
function undoOffer(context: SyncPanelContext, progress: SyncProgress): HTMLElement | null {
  const { onUndo } = context;
  if (!onUndo || !progress.historyKept || progress.counts.updated === 0) return null;
  const offer = button("Undo this sync…", () => onUndo(progress.jobId, offer));
  return h("div", { class: "buttons" }, offer);
}

/** Each element under `root`, depth first (plain childNodes, so it also walks the unit tests' fake DOM). */
function* elementsUnder(root: Node): Generator<HTMLElement> {
  for (const child of Array.from(root.childNodes)) {
    if (!("tagName" in child)) continue;
    yield child as HTMLElement;
    yield* elementsUnder(child);
  }
}

function firstUnder(root: Node, wanted: (element: HTMLElement) => boolean): HTMLElement | null {
  for (const element of elementsUnder(root)) if (wanted(element)) return element;
  return null;
}

const hasClass = (name: string) => (element: HTMLElement) =>
  (element.getAttribute("class") ?? "").split(" ").includes(name);

/** The state a view shows, for focus: a redraw of the same state (a progress tick) does not move the keyboard. */
function focusKey(view: SyncView): string {
  return view.kind === "running" && view.pausing ? "pausing" : view.kind;
}

/**
 * Where the keyboard goes when the view changes state: the prompt's Send, the next action (Pause, Resume), or
 * the result or problem. Never left on a button just disabled or redrawn (focus would fall to the page).
 */
function focusTarget(area: HTMLElement, view: SyncView): HTMLElement | null {
  const isButton = (element: HTMLElement) => element.tagName.toLowerCase() === "button";
  switch (view.kind) {
    case "idle":
      return null;
    case "starting":
      return firstUnder(area, hasClass("busy"));
    case "running":
      return view.pausing ? firstUnder(area, hasClass("busy")) : firstUnder(area, isButton);
    case "confirm":
    case "paused":
    case "offer":
    case "paused-exists":
      return firstUnder(area, (element) => isButton(element) && hasClass("primary")(element));
    case "done":
    case "gone":
    case "ended":
    case "error":
      return firstUnder(area, hasClass("notice"));
  }
}

const lastFocusKey = new WeakMap<HTMLElement, string>();

export function renderSync(context: SyncPanelContext, view: SyncView): void {
  const running = view.kind === "running" || view.kind === "starting";
  const { area } = context;
  const focused = typeof document.activeElement === "object" ? document.activeElement : null;
  const focusedLabel = focused && area.contains?.(focused) ? focused.textContent : null;
  for (const control of context.startControls) control.disabled = running;
  replaceChildren(area, ...viewChildren(context, view));
  const key = focusKey(view);
  if (lastFocusKey.get(area) !== key) {
    lastFocusKey.set(area, key);
    // A prompt dismissed (Cancel, Not now) took its button away: focus goes back to where the job starts.
    focusOn(focusTarget(area, view) ?? (focusedLabel !== null ? context.startControl?.() : null));
  } else if (focusedLabel !== null) {
    const again = firstUnder(
      area,
      (element) => element.tagName.toLowerCase() === "button" && element.textContent === focusedLabel,
    );
    again?.focus({ preventScroll: true });
  }
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
    case "ended":
      return view.ended.kind;
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
  viewer?: () => Viewer;
  /** Called once when the person's Pause has taken effect, so the job records who paused it and when. */
  onPaused?: (jobId: string) => void;
  /** The button that starts a job of each kind (see SyncPanelContext.startControl). */
  startControlOf?: (kind: JobKind) => HTMLElement | null;
  /** See SyncPanelContext.onUndo. */
  onUndo?: (jobId: string, from: HTMLElement) => void;
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
  let previous: SyncView["kind"] = "idle";
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
    // The tab first: focus given to a control in a hidden panel is lost.
    if (moved && !settled) display.onMove?.(kind);
    renderSync(
      {
        loop: display.loop,
        kind: () => kind,
        area,
        startControls: display.startControls,
        budgetSeconds: display.budgetSeconds,
        sheetName: () => sheetName,
        viewer: display.viewer ?? (() => ({})),
        startControl: () => display.startControlOf?.(kind) ?? null,
        ...(display.onUndo ? { onUndo: display.onUndo } : {}),
      },
      view,
    );
    if (view.kind === "paused" && previous !== "paused") display.onPaused?.(view.figures.jobId);
    previous = view.kind;
  };
}
