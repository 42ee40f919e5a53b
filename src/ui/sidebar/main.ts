// The sidebar's entry: tabs, the five panels and the loop that drives a job, started once the page has loaded.
// The server is asked for the state (is a key set, the settings, an unfinished job to offer) and nothing else
// at start. One job per document, so one loop: its view is drawn in the area of the tab the job belongs to.

import { parseTagMode, TAG_MODE_MEANING } from "../../core/requests/tag-mode";
import type { JobKind, JobStart, SidebarState, TagMode } from "../../core/views/sidebar-api";
import { wireCheckPanel } from "./check-panel";
import { byId, goToSettingsButton, h, notice, replaceChildren, showResult } from "./dom";
import { type HistoryPanel, wireHistoryPanel } from "./history-panel";
import { wireImportForm } from "./import-panel";
import { wirePlatformPanel } from "./platform-panel";
import { callFailure, server, startJob } from "./server";
import { renderSettings, showQuotaUsed, wireSettingsPanel } from "./settings-panel";
import { SyncLoop } from "./sync-loop";
import { jobRenderer } from "./sync-panel";

const TABS = ["sync", "check", "import", "settings", "history"] as const;
type Tab = (typeof TABS)[number];

/** Where each kind of job is shown: its tab, and the area in it. */
const HOME: Readonly<Record<JobKind, { tab: Tab; area: string }>> = {
  update: { tab: "sync", area: "sync-area" },
  refresh: { tab: "sync", area: "sync-area" },
  preview: { tab: "check", area: "preview-area" },
  import: { tab: "import", area: "import-area" },
  undo: { tab: "history", area: "history-area" },
};

/** The button that starts each kind of job (focus returns there when its prompt is dismissed). */
const START_CONTROL: Readonly<Record<JobKind, string>> = {
  update: "sync-all",
  refresh: "refresh-all",
  preview: "preview-rows",
  import: "import-start",
  undo: "history-refresh",
};

/** Set once the History tab is wired: its list is read each time the tab is shown. */
let history: HistoryPanel | undefined;

function showTab(tab: Tab): void {
  if (tab === "history" && byId("tab-history").getAttribute("aria-selected") !== "true")
    void history?.refresh();
  for (const name of TABS) {
    const selected = name === tab;
    byId(`tab-${name}`).setAttribute("aria-selected", String(selected));
    byId(`tab-${name}`).tabIndex = selected ? 0 : -1;
    byId(`panel-${name}`).hidden = !selected;
  }
}

/** The tab a key moves to from the tab at `index` (WAI-ARIA tabs pattern, automatic activation), if any. */
function tabForKey(key: string, index: number): Tab | undefined {
  const last = TABS.length - 1;
  const target: Record<string, number> = {
    ArrowRight: index === last ? 0 : index + 1,
    ArrowLeft: index === 0 ? last : index - 1,
    Home: 0,
    End: last,
  };
  const at = target[key];
  return at === undefined ? undefined : TABS[at];
}

/** The tab list is one Tab stop (the selected tab); arrows, Home and End move between tabs. */
function wireTabs(): void {
  TABS.forEach((name, index) => {
    const tab = byId(`tab-${name}`);
    tab.addEventListener("click", () => showTab(name));
    tab.addEventListener("keydown", (event) => {
      const next = tabForKey(event.key, index);
      if (!next) return;
      event.preventDefault();
      showTab(next);
      byId(`tab-${next}`).focus();
    });
  });
  showTab("sync");
}

/** The tag mode chosen in the Sync tab, and its meaning under the choice. */
function wireTagMode(): () => TagMode {
  const chosen = () =>
    parseTagMode(document.querySelector<HTMLInputElement>('input[name="tag-mode"]:checked')?.value) ??
    "replace";
  const hint = byId("tag-mode-hint");
  const explain = () => {
    hint.textContent = TAG_MODE_MEANING[chosen()];
  };
  document.querySelectorAll<HTMLInputElement>('input[name="tag-mode"]').forEach((input) => {
    input.addEventListener("change", explain);
  });
  explain();
  return chosen;
}

/** A job asked for before a key is saved: what to do, and a button that goes there. */
function showNoKey(areaId: string): void {
  showResult(
    byId(areaId),
    notice(
      "error",
      "No API key saved",
      "Nothing was sent. Save your Extend API key in the Settings tab, then try again.",
      h("div", { class: "buttons" }, goToSettingsButton()),
    ),
  );
}

function start(): void {
  let state: SidebarState | undefined;
  const syncArea = byId("sync-area");
  const startControls = [
    "sync-all",
    "sync-selected",
    "refresh-all",
    "refresh-selected",
    "preview-rows",
    "preview-selected",
    "import-start",
  ].map((id) => byId<HTMLButtonElement>(id));
  const loop: SyncLoop<JobStart> = new SyncLoop<JobStart>(
    {
      start: startJob,
      continue: server.continueSyncJob,
      progress: server.jobProgress,
      end: server.endPausedSyncJob,
    },
    { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    (view) => {
      draw(view);
      // "The undo cannot start: … is running" holds only while this sidebar's job runs.
      if (view.kind !== "running" && view.kind !== "starting") history?.clearNote();
      if (view.kind === "done" && view.progress.kind === "undo") void history?.refresh();
      if ((view.kind === "running" || view.kind === "paused") && view.figures.quota)
        showQuotaUsed(view.figures.quota);
      if (view.kind === "done" && view.progress.quota) showQuotaUsed(view.progress.quota.line);
    },
  );
  const draw = jobRenderer({
    loop,
    requestedKind: () => loop.requested?.kind,
    areaOf: (kind) => byId(HOME[kind].area),
    startControls,
    budgetSeconds: () => state?.executionBudgetSeconds ?? 300,
    onMove: (kind) => showTab(HOME[kind].tab),
    viewer: () => ({ timeZone: state?.timeZone, you: state?.you }),
    onPaused: (jobId) => void server.pauseSyncJob(jobId).catch(() => undefined),
    startControlOf: (kind) => byId(START_CONTROL[kind]),
    onUndo: (jobId, from) => {
      showTab("history");
      void history?.askUndo(jobId, from);
    },
  });
  const run = (job: JobStart) => {
    if (state && !state.keySet) return showNoKey(HOME[job.kind].area);
    void loop.start(job);
  };

  const onState = (next: SidebarState) => {
    state = next;
  };
  const drivenKind = (): JobKind | undefined => {
    if (!loop.busy) return undefined;
    const view = loop.current;
    if (view.kind === "running" || view.kind === "paused") return view.figures.kind ?? loop.requested?.kind;
    return loop.requested?.kind;
  };
  history = wireHistoryPanel({
    timeZone: () => state?.timeZone,
    you: () => state?.you,
    driving: drivenKind,
    showDriven: () => {
      const kind = drivenKind();
      if (kind) showTab(HOME[kind].tab);
    },
    sendUndo: (jobId, confirmToken, replacePaused) =>
      run({ kind: "undo", jobId, confirmToken, ...(replacePaused ? { replacePaused } : {}) }),
    unfinished: (jobId, job) => loop.unfinished({ kind: "undo", jobId }, job),
  });
  loop.onUndoConfirmation = (answer, request) => {
    if (request.kind !== "undo" || !history) return false;
    showTab("history");
    history.showConfirmation({ ...answer, jobId: request.jobId }, request.replacePaused === true);
    return true;
  };
  wireTabs();
  wireSettingsPanel(onState);
  wirePlatformPanel();
  const tagMode = wireTagMode();
  wireCheckPanel(tagMode, (selectedRowsOnly) =>
    run({ kind: "preview", tagMode: tagMode(), selectedRowsOnly }),
  );
  wireImportForm((form) => run({ kind: "import", ...form }));

  const sync = (selectedRowsOnly: boolean) =>
    run({
      kind: "update",
      selectedRowsOnly,
      force: byId<HTMLInputElement>("sync-force").checked,
      tagMode: tagMode(),
    });
  byId("sync-all").addEventListener("click", () => sync(false));
  byId("sync-selected").addEventListener("click", () => sync(true));
  byId("refresh-all").addEventListener("click", () => run({ kind: "refresh", selectedRowsOnly: false }));
  byId("refresh-selected").addEventListener("click", () => run({ kind: "refresh", selectedRowsOnly: true }));

  server
    .sidebarState()
    .then((reply) => {
      if (!reply.ok)
        return replaceChildren(syncArea, notice("error", "The sidebar could not load", reply.message));
      onState(reply.value);
      renderSettings(reply.value);
      if (!reply.value.keySet) showTab("settings");
      loop.offer(reply.value.job ?? null);
    })
    .catch((error: unknown) =>
      replaceChildren(syncArea, notice("error", "The sidebar could not load", callFailure(error))),
    );
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
