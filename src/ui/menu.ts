// The Extensions > Extend Sync menu. onOpen may run before the user has authorised the add-on in this
// document (AuthMode.NONE), so it only builds the menu: no properties, no network. The tag mode is chosen per
// sync by the item clicked (Sync all rows replaces tags; the submenu adds or removes them), never remembered.

export const MENU_ITEMS = {
  openSidebar: "Open sidebar",
  setUpSheet: "Set up a sheet",
  syncAll: "Sync all rows",
  syncSelected: "Sync selected rows",
  continueSync: "Continue paused sync",
  undoSync: "Undo a sync…",
  dryRun: "Check rows (dry run)",
  preview: "Compare rows with Extend (preview)",
  previewSelected: "Compare selected rows with Extend",
  tagModes: "Add or remove tags",
  addAll: "Add tags: all rows",
  addSelected: "Add tags: selected rows",
  removeAll: "Remove tags: all rows",
  removeSelected: "Remove tags: selected rows",
  previewAdd: "Preview adding tags",
  previewRemove: "Preview removing tags",
  importRuns: "Import runs…",
  refreshAll: "Refresh from Extend: all rows",
  refreshSelected: "Refresh from Extend: selected rows",
  resendAll: "Resend all rows (ignore Unchanged)",
  resendSelected: "Resend selected rows (ignore Unchanged)",
  setApiKey: "Set API key…",
  removeApiKey: "Remove my API key",
  chooseRegion: "Region…",
  setWorkspaceId: "Workspace ID…",
  setRateLimit: "Rate limit…",
  help: "Help",
  checkSpreadsheet: "Check this spreadsheet",
} as const;

/** Menu captions point at these entry functions by name; src/main.ts exports each one. */
export function buildMenu(ui: GoogleAppsScript.Base.Ui): void {
  ui.createAddonMenu()
    .addItem(MENU_ITEMS.openSidebar, "openSidebar")
    .addItem(MENU_ITEMS.setUpSheet, "setUpSheet")
    .addSeparator()
    .addItem(MENU_ITEMS.syncAll, "syncAllRows")
    .addItem(MENU_ITEMS.syncSelected, "syncSelectedRows")
    .addItem(MENU_ITEMS.continueSync, "continuePausedSync")
    .addItem(MENU_ITEMS.undoSync, "undoSync")
    .addItem(MENU_ITEMS.dryRun, "checkRowsDryRun")
    .addItem(MENU_ITEMS.preview, "previewRows")
    .addItem(MENU_ITEMS.previewSelected, "previewSelectedRows")
    .addSeparator()
    .addSubMenu(
      ui
        .createMenu(MENU_ITEMS.tagModes)
        .addItem(MENU_ITEMS.addAll, "addTagsAllRows")
        .addItem(MENU_ITEMS.addSelected, "addTagsSelectedRows")
        .addItem(MENU_ITEMS.removeAll, "removeTagsAllRows")
        .addItem(MENU_ITEMS.removeSelected, "removeTagsSelectedRows")
        .addSeparator()
        .addItem(MENU_ITEMS.previewAdd, "previewAddingTags")
        .addItem(MENU_ITEMS.previewRemove, "previewRemovingTags"),
    )
    .addSeparator()
    .addItem(MENU_ITEMS.importRuns, "importRuns")
    .addItem(MENU_ITEMS.refreshAll, "refreshAllRows")
    .addItem(MENU_ITEMS.refreshSelected, "refreshSelectedRows")
    .addSeparator()
    .addItem(MENU_ITEMS.resendAll, "resendAllRows")
    .addItem(MENU_ITEMS.resendSelected, "resendSelectedRows")
    .addSeparator()
    .addSubMenu(
      ui
        .createMenu("Settings")
        .addItem(MENU_ITEMS.setApiKey, "setApiKey")
        .addItem(MENU_ITEMS.removeApiKey, "removeApiKey")
        .addItem(MENU_ITEMS.chooseRegion, "chooseRegion")
        .addItem(MENU_ITEMS.setWorkspaceId, "setWorkspaceId")
        .addItem(MENU_ITEMS.setRateLimit, "setRateLimit"),
    )
    .addSubMenu(ui.createMenu(MENU_ITEMS.help).addItem(MENU_ITEMS.checkSpreadsheet, "checkThisSpreadsheet"))
    .addToUi();
}
