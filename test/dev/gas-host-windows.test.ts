// The add-on's sidebars and dialogs in the local host: Sheets shows one at a time, so showing one closes the one
// on screen (and with it a page's loop that drives work), and the user may close the one on screen.
import { describe, expect, it } from "vitest";
import { GasHost } from "../../dev/gas-host/index.js";

const script = `
  function page(text) { return HtmlService.createHtmlOutput("<p>" + text + "</p>"); }
  function sidebar() { SpreadsheetApp.getUi().showSidebar(page("s").setTitle("Extend Sync")); }
  function dialog() { SpreadsheetApp.getUi().showModalDialog(page("d"), "Dry run"); }
  function modeless() { SpreadsheetApp.getUi().showModelessDialog(page("m"), "Report"); }
  function alertOnly() { SpreadsheetApp.getUi().alert("Only a message"); }`;

describe("one add-on window at a time", () => {
  it("closes the sidebar when a dialog is shown, and that dialog when the next one is", () => {
    const host = new GasHost({ scriptCode: script });
    host.run("sidebar");
    const sidebar = host.ui.openWindow;
    expect(sidebar).toMatchObject({ kind: "sidebar", title: "Extend Sync", open: true });

    host.run("alertOnly");
    expect(host.ui.openWindow).toBe(sidebar);

    host.run("dialog");
    expect(sidebar).toMatchObject({ open: false, closedBy: 'modal "Dry run"' });
    expect(host.ui.openWindow).toMatchObject({ kind: "modal", title: "Dry run", open: true });

    host.run("modeless");
    expect(host.ui.modalDialogs.map((dialog) => [dialog.title, dialog.open])).toEqual([
      ["Dry run", false],
      ["Report", true],
    ]);
  });

  it("lets the user close the window on screen", () => {
    const host = new GasHost({ scriptCode: script });
    host.run("sidebar");
    host.ui.closeWindow();
    expect(host.ui.openWindow).toBeUndefined();
    expect(host.ui.sidebar).toMatchObject({ open: false, closedBy: "user" });
  });
});
