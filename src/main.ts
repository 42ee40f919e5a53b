// The functions Apps Script must find by name: triggers, menu items and what the sidebar calls. Each only
// delegates; scripts/build.mjs turns every export here into a top-level function of dist/Code.js.

import * as continuing from "./app/continue";
import * as menuSync from "./app/menu-sync";
import * as settings from "./app/settings";
import * as starting from "./app/start";
import { buildMenu } from "./ui/menu";

export function onOpen(): void {
  buildMenu(SpreadsheetApp.getUi());
}

export function onInstall(): void {
  onOpen();
}

export function syncAllRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: false, force: false });
}

export function syncSelectedRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: true, force: false });
}

export function resendAllRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: false, force: true });
}

export function resendSelectedRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: true, force: true });
}

export function checkRowsDryRun(): void {
  menuSync.showDryRun();
}

export function continuePausedSync(): void {
  menuSync.continueSyncFromMenu();
}

/** Called by the sidebar to start a sync; answers "confirm" with the tag changes to show before sending. */
export function startSyncJob(request: unknown): starting.StartResult {
  return starting.startSync(starting.parseStartRequest(request));
}

/** Called by the sidebar while a sync is under way: one execution of work, then progress. */
export function continueSyncJob(jobId?: unknown): continuing.ContinueResult {
  return continuing.continueSync(typeof jobId === "string" ? jobId : undefined);
}

/** Called by the sidebar when it opens: the unfinished sync it may offer to resume, or null. */
export function currentSyncJob(): ReturnType<typeof continuing.currentSync> {
  return continuing.currentSync();
}

export function setApiKey(): void {
  settings.setApiKey();
}

export function removeApiKey(): void {
  settings.removeApiKey();
}

export function chooseRegion(): void {
  settings.chooseRegion();
}

export function setWorkspaceId(): void {
  settings.setWorkspaceId();
}

export function setRateLimit(): void {
  settings.setRateLimit();
}
