// The menu and settings as a user meets them in the built bundle: onOpen in every authorization mode, every
// item bound to an entry function, and settings stored where they belong without echoing the key.
import { afterEach, describe, expect, it } from "vitest";
import { GasHost, type MenuEntry } from "../../dev/gas-host/index.js";
import { describeMenu } from "../../dev/local-run.js";

const SECRET = "sk_test_menu-not-a-real-key";
let host: GasHost;

afterEach(() => host.dispose());

function itemsOf(entries: readonly MenuEntry[]): { caption: string; functionName: string }[] {
  return entries.flatMap((entry) =>
    entry.type === "item" ? [entry] : entry.type === "submenu" ? itemsOf(entry.items) : [],
  );
}

describe("onOpen", () => {
  it.each(["NONE", "LIMITED", "FULL"] as const)(
    "builds the menu in AuthMode.%s without touching anything else",
    (authMode) => {
      host = new GasHost();
      const result = host.open({ authMode });
      expect(result.error).toBeUndefined();
      expect(Object.keys(result.calls).sort()).toEqual(
        [
          "Menu.addItem",
          "Menu.addSeparator",
          "Menu.addSubMenu",
          "Menu.addToUi",
          "SpreadsheetApp.getUi",
          "Ui.createAddonMenu",
          "Ui.createMenu",
        ].sort(),
      );
      expect(describeMenu(host.ui.addonMenu?.items ?? [])).toEqual([
        "  Open sidebar",
        "  Set up a sheet",
        "  ──────────",
        "  Sync all rows",
        "  Sync selected rows",
        "  Continue paused sync",
        "  Undo a sync…",
        "  Check rows (dry run)",
        "  Compare rows with Extend (preview)",
        "  Compare selected rows with Extend",
        "  ──────────",
        "  Add or remove tags ▸",
        "      Add tags: all rows",
        "      Add tags: selected rows",
        "      Remove tags: all rows",
        "      Remove tags: selected rows",
        "      ──────────",
        "      Preview adding tags",
        "      Preview removing tags",
        "  ──────────",
        "  Import runs…",
        "  Refresh from Extend: all rows",
        "  Refresh from Extend: selected rows",
        "  ──────────",
        "  Resend all rows (ignore Unchanged)",
        "  Resend selected rows (ignore Unchanged)",
        "  ──────────",
        "  Settings ▸",
        "      Set API key…",
        "      Remove my API key",
        "      Region…",
        "      Workspace ID…",
        "      Rate limit…",
        "  Help ▸",
        "      Check this spreadsheet",
      ]);
    },
  );

  it("binds every item to a function the bundle exposes", () => {
    host = new GasHost();
    host.open();
    for (const item of itemsOf(host.ui.addonMenu?.items ?? [])) {
      host.ui.answerNext({ button: "CANCEL" });
      // No stand-in here: Check this spreadsheet would ask Extend's real hosts, so any request ends the run.
      const result = host.clickMenuItem(item.caption, { killWhen: (call) => call.service === "UrlFetchApp" });
      expect(result.error?.message ?? "").not.toMatch(/Script function not found/);
    }
  });
});

describe("settings", () => {
  it("stores the API key only in the user's own properties and never shows it back", () => {
    host = new GasHost();
    host.open();
    host.ui.answerNext({ button: "OK", text: `  ${SECRET}  ` });
    host.clickMenuItem("Set API key…");
    expect(host.userProperties.get("extendSync.apiKey")).toBe(SECRET);
    expect([...host.documentProperties.values(), ...host.scriptProperties.values()].join()).not.toContain(
      SECRET,
    );
    expect(host.ui.alerts.at(-1)?.prompt).toBe("Your API key is saved.");
    const visible = [
      ...host.ui.dialogs.map((dialog) => dialog.prompt),
      ...host.logs.map((log) => log.message),
    ].join();
    expect(visible).not.toContain(SECRET);

    host.clickMenuItem("Remove my API key");
    expect(host.userProperties.has("extendSync.apiKey")).toBe(false);
  });

  it.each([
    ["spaces", "two words"],
    ["a paste far longer than any key", "k".repeat(501)],
  ])("refuses a key with %s and keeps the old one", (_, typed) => {
    host = new GasHost();
    host.open();
    host.userProperties.set("extendSync.apiKey", SECRET);
    host.ui.answerNext({ button: "OK", text: typed });
    host.clickMenuItem("Set API key…");
    expect(host.userProperties.get("extendSync.apiKey")).toBe(SECRET);
    expect(host.ui.alerts.at(-1)?.prompt).toMatch(/Nothing was saved/);
  });

  it.each([
    ["Region…", "eu1", "extendSync.setting.region", "EU1"],
    ["Rate limit…", "25", "extendSync.setting.rate", "25"],
    ["Workspace ID…", "ws_abc123", "extendSync.setting.workspaceId", "ws_abc123"],
  ])("%s stores %s in the document's properties", (caption, typed, key, stored) => {
    host = new GasHost();
    host.open();
    host.ui.answerNext({ button: "OK", text: typed });
    host.clickMenuItem(caption);
    expect(host.documentProperties.get(key)).toBe(stored);
  });

  it.each([
    ["Region…", "Mars", /must be US1, US2 or EU1/],
    ["Rate limit…", "fast", /must be a number from 0.5 to 1000/],
  ])("%s refuses %s with a reason", (caption, typed, reason) => {
    host = new GasHost();
    host.open();
    host.ui.answerNext({ button: "OK", text: typed });
    host.clickMenuItem(caption);
    expect(host.ui.alerts.at(-1)?.prompt).toMatch(reason);
    expect([...host.documentProperties.keys()]).toEqual([]);
  });
});
