// Refresh, preview and import as the menu starts them: refresh and preview through the same start as the
// sidebar's, with alerts; the import opens a dialog whose own page starts and drives the import (asking first
// while the sidebar drives a job, since the dialog closes the sidebar).

import type { TagMode } from "../core/requests/tag-mode";
import type { PreviewRequest, RefreshRequest } from "../core/views/sidebar-api";
import { mayCloseSidebar, startFromMenu } from "./menu-sync";
import { startPreview, startRefresh } from "./start-read";

export const IMPORT_DIALOG_FILE = "ImportDialog";
export const IMPORT_DIALOG_TITLE = "Import runs from Extend";

export function refreshFromMenu(selectedRowsOnly: boolean): void {
  startFromMenu<RefreshRequest>(startRefresh, { selectedRowsOnly }, "refresh");
}

export function previewFromMenu(tagMode: TagMode, selectedRowsOnly = false): void {
  startFromMenu<PreviewRequest>(startPreview, { tagMode, selectedRowsOnly }, "preview");
}

export function showImportDialog(): void {
  if (!mayCloseSidebar("Import runs", "when it has finished, import from the sidebar's Import tab.")) return;
  const page = HtmlService.createHtmlOutputFromFile(IMPORT_DIALOG_FILE).setWidth(460).setHeight(560);
  SpreadsheetApp.getUi().showModalDialog(page, IMPORT_DIALOG_TITLE);
}
