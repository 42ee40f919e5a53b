// An add-on shows one sidebar or dialog at a time: a dialog opened from the menu while the sidebar drives a job
// closes the sidebar, and its loop with it. The menu's dialogs say so first and let the person choose: keep the
// job going (No), or open the dialog and leave the job paused safely until it is resumed (Yes).
import { describe, expect, it } from "vitest";
import type { GasHost, HtmlShownRecord } from "../../dev/gas-host/index.js";
import { clickAndFinish, driveFromSidebar, syncUnfinished } from "../../dev/local-run.js";
import { columns, runIds, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 300 });

const ROWS = 150;

/** A sheet the sidebar syncs in several executions of about a second each. */
function syncingHost(): { host: GasHost; sidebar: HtmlShownRecord } {
  const host = e2e.newHost({
    rows: [["Run ID", "Name"], ...runIds(ROWS).map((id, index) => [id, `Run ${index}`])],
    rate: 50,
    executionBudgetSeconds: 1,
  });
  host.clickMenuItem("Open sidebar");
  const sidebar = host.ui.openWindow;
  if (sidebar?.kind !== "sidebar") throw new Error("the sidebar did not open");
  const started = host.runFromClient("startSyncJob", [
    { selectedRowsOnly: false, force: false, tagMode: "replace" },
  ]);
  expect(started.returned).toMatchObject({ state: "paused" });
  return { host, sidebar };
}

const lastAlert = (host: GasHost) => host.ui.alerts.at(-1);

describe.each([
  ["Check rows (dry run)", "Dry run: nothing was sent"],
  ["Import runs…", "Import runs from Extend"],
])("%s while the sidebar drives a sync", (caption, dialogTitle) => {
  it("says a sync is running, and with No keeps the sidebar and its sync going", async () => {
    const { host, sidebar } = syncingHost();
    let clicked = false;
    const drive = driveFromSidebar(host, sidebar, () => {
      if (clicked) return;
      clicked = true;
      host.ui.answerNext({ button: "NO" });
      expect(host.clickMenuItem(caption).error).toBeUndefined();
    });

    expect(lastAlert(host)?.title).toBe("A sync is under way");
    expect(lastAlert(host)?.prompt).toMatch(/closes the sidebar/);
    // The time is the spreadsheet's, and says so: the person's browser may be elsewhere.
    expect(lastAlert(host)?.prompt).toMatch(/ at \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Berlin\) is under way/);
    expect(host.ui.modalDialogs.map((dialog) => dialog.title)).not.toContain(dialogTitle);
    expect(drive.ended).toBe("finished");
    expect(sidebar.open).toBe(true);
    expect(columns(host)["Sync Result"]).toEqual(Array(ROWS).fill("Updated"));
  });

  it("with Yes opens it, which closes the sidebar and leaves the sync paused safely until it is continued", async () => {
    const { host, sidebar } = syncingHost();
    const drive = driveFromSidebar(host, sidebar, (calls) => {
      if (calls !== 1) return;
      host.ui.answerNext({ button: "YES" });
      host.clickMenuItem(caption);
    });

    expect(lastAlert(host)?.prompt).toMatch(/Resume/);
    expect(drive.ended).toBe("sidebar closed");
    expect(host.ui.openWindow?.title).toBe(dialogTitle);
    expect(sidebar.closedBy).toMatch(/^modal/);
    expect(syncUnfinished(host)).toBe(true);

    clickAndFinish(host, "Continue paused sync");
    expect(columns(host)["Sync Result"]).toEqual(Array(ROWS).fill("Updated"));
    const updates = Object.values((await e2e.extend.stats()).updatesByRunId);
    expect(Math.max(...updates)).toBe(1);
  });
});

describe("the menu's dialogs with no job being driven", () => {
  it("open at once, without a question", () => {
    const host = e2e.newHost({ rows: [["Run ID"], [runIds(1)[0] ?? ""]] });
    host.clickMenuItem("Check rows (dry run)");
    expect(host.ui.alerts).toHaveLength(0);
    expect(host.ui.openWindow?.title).toBe("Dry run: nothing was sent");
  });
});
