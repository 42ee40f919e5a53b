// The run log says how a job ended even when Apps Script kills the execution that ended it, or when the job's
// sheet was deleted while it was paused, end to end with the built bundle in the local host against the
// stand-in. (Defects the fault matrix and an audit exposed: the log said "Paused: continue it…" for a job that
// was gone.)
import { describe, expect, it } from "vitest";
import type { GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish, syncUnfinished } from "../../dev/local-run.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { lastAlert, records, runIds, SHEET, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 100, ...TIMINGS.modelOn });

describe("the run log says how a sync ended, even when Apps Script kills the execution that ended it", () => {
  it("does not leave 'Paused: continue it…' for a sync stopped by a 401 when the last execution is killed", async () => {
    const ids = runIds(60);
    await e2e.extend.setFaults([
      { kind: "status", status: 401, message: "Invalid API key.", match: { runId: ids[40] ?? "" } },
    ]);
    const host = e2e.newHost({
      rows: [["Run ID", "Name"], ...ids.map((id, index) => [id, `Run ${index}`])],
      rate: 10,
      executionBudgetSeconds: 2,
      ...TIMINGS.modelOn,
    });
    // The first executions pause (a 2-second budget), so the log says "Paused". The execution that meets the
    // 401 clears the job, and is killed at its next service call, before it writes the log.
    let jobCleared = false;
    const run = clickAndFinish(host, "Sync all rows", {
      killWhen: () => (call) => {
        if (jobCleared) return true;
        if (call.key === "Properties.deleteProperty") jobCleared = true;
        return false;
      },
    });
    // Without the kill this test would prove nothing: the execution that met the 401 must have been killed.
    expect(run.killed).toBe(1);
    // What a person can then do: continue the sync if one is left, as the log tells them to.
    if (syncUnfinished(host)) clickAndFinish(host, "Continue paused sync");
    const ended = String(records(host, "Extend Sync Log").at(-1)?.Ended);
    // It was: the job gone, "Continue paused sync" saying there is none, and the log still "Paused: continue it
    // from the menu or the sidebar"; the reason (UNAUTHORIZED) nowhere, and 11 rows left without a word.
    expect(ended).toMatch(/^Stopped: UNAUTHORIZED/);
  });
});

describe("the run log says how a paused job ended when its sheet was deleted", () => {
  /** Starts a job from the menu; the sheet it works on is the one the rows are on. */
  const fromMenu = (caption: string) => (host: GasHost) => {
    host.clickMenuItem(caption);
    return SHEET;
  };
  /** Each kind of job, started so that its first execution pauses (a 1-second budget); the sheet it works on. */
  const starts: [kind: string, noun: string, start: (host: GasHost) => string][] = [
    ["Sync (tags: replace)", "sync", fromMenu("Sync all rows")],
    ["Refresh", "refresh", fromMenu("Refresh from Extend: all rows")],
    ["Preview (tags: replace)", "preview", fromMenu("Compare rows with Extend (preview)")],
    [
      "Import",
      "import",
      (host) => {
        host.runFromClient("startImportJob", [importForm({ max: "60" })]);
        const name = host.spreadsheet.sheets
          .map((sheet) => sheet.name)
          .find((n) => n.startsWith("Extend runs"));
        return name ?? "";
      },
    ],
  ];

  it.each(starts)(
    "%s: the log says it stopped and why, and the message names the job",
    async (kind, noun, start) => {
      // An import's pages of 7 runs at one request a second: its first execution reads one page and pauses.
      await e2e.extend.configure({ maxPageSize: 7 });
      const ids = runIds(60);
      const host = e2e.newHost({
        rows: [["Run ID", "Name"], ...ids.map((id, index) => [id, `Run ${index}`])],
        rate: 1,
        executionBudgetSeconds: 1,
        ...TIMINGS.modelOn,
      });
      const sheetName = start(host);
      expect(String(records(host, "Extend Sync Log").at(-1)?.Ended)).toMatch(/^Paused/);
      host.spreadsheet.removeSheet(sheetName);

      host.clickMenuItem("Continue paused sync");

      expect(lastAlert(host)).toBe(
        `The sheet "${sheetName}" of this ${noun} no longer exists, so the ${noun} has ended. The run log says how far it got.`,
      );
      expect(records(host, "Extend Sync Log").at(-1)).toMatchObject({
        Kind: kind,
        Sheet: sheetName,
        Ended: `Stopped: the sheet "${sheetName}" was deleted before the ${noun} finished`,
      });
      expect(syncUnfinished(host)).toBe(false);
    },
  );
});
