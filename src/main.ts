// The functions Apps Script must find by name: triggers, menu items and what the sidebar calls. Each only
// delegates; scripts/build.mjs turns every export here into a top-level function of dist/Code.js.
import * as settings from "./app/settings";
import * as sync from "./app/sync";
import { buildMenu } from "./ui/menu";

export function onOpen(): void {
  buildMenu(SpreadsheetApp.getUi());
}

export function onInstall(): void {
  onOpen();
}

export function syncAllRows(): void {
  sync.startSyncFromMenu({ selectedRowsOnly: false, force: false });
}

export function syncSelectedRows(): void {
  sync.startSyncFromMenu({ selectedRowsOnly: true, force: false });
}

export function resendAllRows(): void {
  sync.startSyncFromMenu({ selectedRowsOnly: false, force: true });
}

export function resendSelectedRows(): void {
  sync.startSyncFromMenu({ selectedRowsOnly: true, force: true });
}

export function checkRowsDryRun(): void {
  sync.showDryRun();
}

export function continuePausedSync(): void {
  sync.continueSyncFromMenu();
}

/** Called by the sidebar while a sync is under way: one execution of work, then progress. */
export function continueSyncJob(jobId?: string): sync.ContinueResult {
  return sync.continueSync(jobId);
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
