// The functions Apps Script must find by name: triggers, menu items and what the sidebar calls. Each only
// delegates; scripts/build.mjs turns every export here into a top-level function of dist/Code.js.

import * as continuing from "./app/continue";
import * as menuSync from "./app/menu-sync";
import * as settings from "./app/settings";
import * as sidebar from "./app/sidebar";
import * as starting from "./app/start";
import { buildMenu } from "./ui/menu";

export function onOpen(): void {
  buildMenu(SpreadsheetApp.getUi());
}

/** Installing from the Marketplace runs this with full authorization: offer the sidebar straight away. */
export function onInstall(event?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen();
  if (event?.authMode === ScriptApp.AuthMode.FULL) sidebar.showSidebar();
}

export function openSidebar(): void {
  sidebar.showSidebar();
}

export function setUpSheet(): void {
  sidebar.setUpSheetFromMenu();
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

// Called by the sidebar only (see src/core/sidebar-api.ts for what each answers).

export function sidebarState(): ReturnType<typeof sidebar.sidebarState> {
  return sidebar.sidebarState();
}

export function saveApiKey(key: unknown): ReturnType<typeof sidebar.saveApiKey> {
  return sidebar.saveApiKey(key);
}

export function forgetApiKey(): ReturnType<typeof sidebar.removeApiKey> {
  return sidebar.removeApiKey();
}

export function saveSettings(input: unknown): ReturnType<typeof sidebar.saveSettings> {
  return sidebar.saveSettings(input);
}

export function testConnection(): ReturnType<typeof sidebar.testConnection> {
  return sidebar.testConnection();
}

export function checkRows(): ReturnType<typeof sidebar.checkRows> {
  return sidebar.checkRows();
}

export function rowRequestBody(row: unknown): ReturnType<typeof sidebar.rowRequestBody> {
  return sidebar.rowRequestBody(row);
}

export function selectRow(sheetName: unknown, row: unknown): ReturnType<typeof sidebar.selectRow> {
  return sidebar.selectRow(sheetName, row);
}

export function rowsToFix(sheetName: unknown): ReturnType<typeof sidebar.rowsToFix> {
  return sidebar.rowsToFix(sheetName);
}

export function setUpSheetFromSidebar(): ReturnType<typeof sidebar.setUpSheetFromSidebar> {
  return sidebar.setUpSheetFromSidebar();
}
