// The sidebar's entry: tabs, the four panels and the loop that drives a job, started once the page has loaded.
// The server is asked for the state (is a key set, the settings, an unfinished job to offer) and nothing else
// at start. One job per document, so one loop: its view is drawn in the area of the tab the job belongs to.

import { parseTagMode, TAG_MODE_MEANING } from "../../core/requests/tag-mode";
import type { JobKind, JobStart, SidebarState, TagMode } from "../../core/views/sidebar-api";
import { wireCheckPanel } from "./check-panel";
import { byId, notice, replaceChildren } from "./dom";
import { wireImportForm } from "./import-panel";
import { wirePlatformPanel } from "./platform-panel";
import { callFailure, server, startJob } from "./server";
import { renderSettings, wireSettingsPanel } from "./settings-panel";
import { SyncLoop } from "./sync-loop";
import { jobRenderer } from "./sync-panel";

const TABS = ["sync", "check", "import", "settings"] as const;
type Tab = (typeof TABS)[number];

/** Where each kind of job is shown: its tab, and the area in it. */
const HOME: Readonly<Record<JobKind, { tab: Tab; area: string }>> = {
  update: { tab: "sync", area: "sync-area" },
  refresh: { tab: "sync", area: "sync-area" },
  preview: { tab: "check", area: "preview-area" },
  import: { tab: "import", area: "import-area" },
};

function showTab(tab: Tab): void {
  for (const name of TABS) {
    const selected = name === tab;
    byId(`tab-${name}`).setAttribute("aria-selected", String(selected));
    byId(`tab-${name}`).tabIndex = selected ? 0 : -1;
    byId(`panel-${name}`).hidden = !selected;
  }
}

function wireTabs(): void {
  TABS.forEach((name, index) => {
    const tab = byId(`tab-${name}`);
    tab.addEventListener("click", () => showTab(name));
    tab.addEventListener("keydown", (event) => {
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (step === 0) return;
      const next = TABS[(index + step + TABS.length) % TABS.length] as Tab;
      showTab(next);
      byId(`tab-${next}`).focus();
    });
  });
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

function start(): void {
  let state: SidebarState | undefined;
  const syncArea = byId("sync-area");
  const startControls = [
    "sync-all",
    "sync-selected",
    "refresh-all",
    "refresh-selected",
    "preview-rows",
    "import-start",
  ].map((id) => byId<HTMLButtonElement>(id));
  const loop: SyncLoop<JobStart> = new SyncLoop<JobStart>(
    { start: startJob, continue: server.continueSyncJob },
    { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    (view) => draw(view),
  );
  const draw = jobRenderer({
    loop,
    requestedKind: () => loop.requested?.kind,
    areaOf: (kind) => byId(HOME[kind].area),
    startControls,
    budgetSeconds: () => state?.executionBudgetSeconds ?? 300,
    onMove: (kind) => showTab(HOME[kind].tab),
  });
  const run = (job: JobStart) => void loop.start(job);

  const onState = (next: SidebarState) => {
    state = next;
  };
  wireTabs();
  wireSettingsPanel(onState);
  wirePlatformPanel();
  const tagMode = wireTagMode();
  wireCheckPanel(tagMode, () => run({ kind: "preview", tagMode: tagMode() }));
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
