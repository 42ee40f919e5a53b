// The functions Apps Script must find by name: triggers, menu items and what the sidebar calls. Each only
// delegates; scripts/build.mjs turns every export here into a top-level function of dist/Code.js.

import * as continuing from "./app/continue";
import * as menuRead from "./app/menu-read";
import * as menuSync from "./app/menu-sync";
import * as menuUndo from "./app/menu-undo";
import * as platform from "./app/platform-check";
import * as settings from "./app/settings";
import * as sidebar from "./app/sidebar";
import * as starting from "./app/start";
import * as importing from "./app/start-import";
import * as reading from "./app/start-read";
import * as undoing from "./app/start-undo";
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

export function previewRows(): void {
  menuRead.previewFromMenu("replace");
}

export function previewSelectedRows(): void {
  menuRead.previewFromMenu("replace", true);
}

export function addTagsAllRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: false, force: false, tagMode: "add" });
}

export function addTagsSelectedRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: true, force: false, tagMode: "add" });
}

export function removeTagsAllRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: false, force: false, tagMode: "remove" });
}

export function removeTagsSelectedRows(): void {
  menuSync.startSyncFromMenu({ selectedRowsOnly: true, force: false, tagMode: "remove" });
}

export function previewAddingTags(): void {
  menuRead.previewFromMenu("add");
}

export function previewRemovingTags(): void {
  menuRead.previewFromMenu("remove");
}

export function importRuns(): void {
  menuRead.showImportDialog();
}

export function refreshAllRows(): void {
  menuRead.refreshFromMenu(false);
}

export function refreshSelectedRows(): void {
  menuRead.refreshFromMenu(true);
}

export function continuePausedSync(): void {
  menuSync.continueSyncFromMenu();
}

export function undoSync(): void {
  menuUndo.undoSyncFromMenu();
}

/** Called by the sidebar's History view: the recent syncs and undos of the history sheet, newest first. */
export function historyJobs(): ReturnType<typeof undoing.listHistoryJobs> {
  return undoing.listHistoryJobs();
}

/** Called by the sidebar to undo a sync: `{jobId, confirmToken?}`; answers "confirm-undo" first. */
export function startUndoJob(request: unknown): undoing.UndoStartResult {
  const parsed = undoing.parseUndoRequest(request);
  if (!parsed) return { state: "error", message: "That is not a sync id. Nothing was sent." };
  return undoing.startUndo(parsed);
}

/** Called by the sidebar to start a sync; answers "confirm" with the tag changes to show before sending. */
export function startSyncJob(request: unknown): starting.StartResult {
  return sidebar.inSidebarWords(starting.startSync(starting.parseStartRequest(request)));
}

/** Called by the sidebar to refresh rows from Extend: `{selectedRowsOnly}`. */
export function startRefreshJob(request: unknown): starting.StartResult {
  return sidebar.inSidebarWords(reading.startRefresh(reading.parseRefreshRequest(request)));
}

/** Called by the sidebar to compare rows with Extend: `{tagMode}`. */
export function startPreviewJob(request: unknown): starting.StartResult {
  return sidebar.inSidebarWords(reading.startPreview(reading.parsePreviewRequest(request)));
}

/** Called by the import dialog and the sidebar: List's filters, a maximum count, and whether to read current values. */
export function startImportJob(request: unknown): starting.StartResult {
  return importing.startImportFromClient(request);
}

/** Called by the sidebar (and the import dialog) while a job is under way: one execution of work, then progress. */
export function continueSyncJob(jobId?: unknown): continuing.ContinueResult {
  return continuing.continueSync(typeof jobId === "string" ? jobId : undefined);
}

/** Called by the sidebar every few seconds while a step runs: that step's progress so far, or null. */
export function jobProgress(
  jobId?: unknown,
  startedWithinMs?: unknown,
): ReturnType<typeof continuing.liveProgress> {
  return continuing.liveProgress(jobId, startedWithinMs);
}

/** Called by the sidebar when it opens: the unfinished sync it may offer to resume, or null. */
export function currentSyncJob(): ReturnType<typeof continuing.currentSync> {
  return continuing.currentSync();
}

export function checkThisSpreadsheet(): void {
  platform.checkFromMenu();
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

// Called by the sidebar only (see src/core/views/sidebar-api.ts for what each answers).

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

export function testConnection(input?: unknown): ReturnType<typeof sidebar.testConnection> {
  return sidebar.testConnection(input);
}

export function checkRows(tagMode?: unknown): ReturnType<typeof sidebar.checkRows> {
  return sidebar.checkRows(tagMode);
}

export function rowRequestBody(row: unknown, tagMode?: unknown): ReturnType<typeof sidebar.rowRequestBody> {
  return sidebar.rowRequestBody(row, tagMode);
}

export function selectRow(sheetName: unknown, row: unknown): ReturnType<typeof sidebar.selectRow> {
  return sidebar.selectRow(sheetName, row);
}

export function pauseSyncJob(jobId: unknown): ReturnType<typeof sidebar.pauseSyncJob> {
  return sidebar.pauseSyncJob(jobId);
}

export function endPausedSyncJob(jobId: unknown): ReturnType<typeof sidebar.endPausedSyncJob> {
  return sidebar.endPausedSyncJob(jobId);
}

export function rowsToFix(sheetName: unknown, jobId?: unknown): ReturnType<typeof sidebar.rowsToFix> {
  return sidebar.rowsToFix(sheetName, jobId);
}

export function setUpSheetFromSidebar(): ReturnType<typeof sidebar.setUpSheetFromSidebar> {
  return sidebar.setUpSheetFromSidebar();
}

export function platformCheck(): ReturnType<typeof platform.checkFromSidebar> {
  return platform.checkFromSidebar();
}
