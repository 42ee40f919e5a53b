// The import dialog's entry (Extensions > Extend Sync > Import runs…): the filters form, then the import's
// progress, driven from this page like a long sync from the sidebar. Closing the dialog pauses the import; the
// menu's Continue paused sync or the sidebar goes on with it.
import type { ImportForm } from "../../core/views/sidebar-api";
import { byId } from "./dom";
import { wireImportForm } from "./import-panel";
import { server } from "./server";
import { SyncLoop } from "./sync-loop";
import { jobRenderer } from "./sync-panel";

/** Seconds one execution works before it pauses, for the time-left estimate (the default setting). */
const BUDGET_SECONDS = 300;

function start(): void {
  // Another paused job may be offered here (one job per document); it is shown as what it is.
  const startButton = byId<HTMLButtonElement>("import-start");
  const area = byId("import-area");
  const loop: SyncLoop<ImportForm> = new SyncLoop<ImportForm>(
    { start: server.startImportJob, continue: server.continueSyncJob, progress: server.jobProgress },
    { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    (view) => draw(view),
  );
  const draw = jobRenderer({
    loop,
    requestedKind: () => "import",
    areaOf: () => area,
    startControls: [startButton],
    budgetSeconds: () => BUDGET_SECONDS,
    onPaused: (jobId) => void server.pauseSyncJob(jobId).catch(() => undefined),
    startControlOf: () => startButton,
  });
  wireImportForm((form) => void loop.start(form));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
