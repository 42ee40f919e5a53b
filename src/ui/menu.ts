// The Extensions > Extend Sync menu. onOpen may run before the user has authorised the add-on in this
// document (AuthMode.NONE), so it only builds the menu: no properties, no network.

export const MENU_ITEMS = {
  openSidebar: "Open sidebar",
  setUpSheet: "Set up a sheet",
  syncAll: "Sync all rows",
  syncSelected: "Sync selected rows",
  continueSync: "Continue paused sync",
  dryRun: "Check rows (dry run)",
  resendAll: "Resend all rows (ignore Unchanged)",
  resendSelected: "Resend selected rows (ignore Unchanged)",
  setApiKey: "Set API key…",
  removeApiKey: "Remove my API key",
  chooseRegion: "Region…",
  setWorkspaceId: "Workspace ID…",
  setRateLimit: "Rate limit…",
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
    .addItem(MENU_ITEMS.dryRun, "checkRowsDryRun")
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
    .addToUi();
}
