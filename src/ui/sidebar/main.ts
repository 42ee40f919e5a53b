// The sidebar's entry: tabs, the three panels and the sync loop, started once the page has loaded. The server
// is asked for the state (is a key set, the settings, an unfinished sync to offer) and nothing else at start.
import type { SidebarState, StartRequest } from "../../core/sidebar-api";
import { wireCheckPanel } from "./check-panel";
import { byId, notice, replaceChildren } from "./dom";
import { callFailure, server } from "./server";
import { renderSettings, wireSettingsPanel } from "./settings-panel";
import { SyncLoop } from "./sync-loop";
import { renderSync } from "./sync-panel";

const TABS = ["sync", "check", "settings"] as const;
type Tab = (typeof TABS)[number];

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

function start(): void {
  let state: SidebarState | undefined;
  let syncSheet = "";
  const syncArea = byId("sync-area");
  const startControls = [byId<HTMLButtonElement>("sync-all"), byId<HTMLButtonElement>("sync-selected")];
  const loop = new SyncLoop(
    { start: server.startSyncJob, continue: server.continueSyncJob },
    { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    (view) => {
      if (view.kind === "offer" || view.kind === "paused-exists") syncSheet = view.job.sheetName;
      renderSync(
        {
          loop,
          area: syncArea,
          startControls,
          budgetSeconds: () => state?.executionBudgetSeconds ?? 300,
          sheetName: () => syncSheet,
        },
        view,
      );
    },
  );

  const onState = (next: SidebarState) => {
    state = next;
    renderSettings(next);
  };
  wireTabs();
  wireSettingsPanel(onState);
  wireCheckPanel();

  const startSync = (selectedRowsOnly: boolean) => {
    syncSheet = "";
    const request: StartRequest = { selectedRowsOnly, force: byId<HTMLInputElement>("sync-force").checked };
    void loop.start(request);
  };
  startControls[0]?.addEventListener("click", () => startSync(false));
  startControls[1]?.addEventListener("click", () => startSync(true));

  server
    .sidebarState()
    .then((reply) => {
      if (!reply.ok)
        return replaceChildren(syncArea, notice("error", "The sidebar could not load", reply.message));
      onState(reply.value);
      if (!reply.value.keySet) showTab("settings");
      loop.offer(reply.value.job);
    })
    .catch((error: unknown) =>
      replaceChildren(syncArea, notice("error", "The sidebar could not load", callFailure(error))),
    );
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
