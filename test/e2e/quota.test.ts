// The daily allowance of web requests end to end, through the built bundle in the local host against the
// stand-in: the add-on's own count matches the host's count of requests across jobs, executions and the
// connection test, starts again at Pacific midnight, a job that would not finish today asks first (No sends
// nothing, Yes sends until Google's quota stops it), and the stop says when the allowance resets.
import { describe, expect, it } from "vitest";
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { columns, lastAlert, records, runIds, TIMINGS, useExtend } from "./harness.js";

const COUNT = "extendSync.urlFetchToday";
const rowsFor = (ids: readonly string[]): CellValue[][] => [
  ["Run ID", "Name"],
  ...ids.map((id, index) => [id, `Quota ${index}`]),
];
const counted = (host: GasHost) =>
  JSON.parse(host.userProperties.get(COUNT) ?? "null") as {
    day: string;
    used: number;
  } | null;

/** Today's Pacific day, as the host's clock (and so the add-on's) has it. */
const pacificDay = (ms: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "America/Los_Angeles" }).format(ms);

describe("the count of web requests", () => {
  // On the virtual clock: which executions reach their limit must not depend on how busy the machine is.
  const e2e = useExtend(TIMINGS.modelOn);

  it("matches the host's own count across a long sync, a refresh and the connection test", async () => {
    const ids = runIds(150);
    const host = e2e.newHost({ ...TIMINGS.modelOn, rows: rowsFor(ids), rate: 10, executionLimitSeconds: 10 });
    const sync = clickAndFinish(host, "Sync all rows", { executionLimitMs: 10_000 });
    expect(sync.executions.length).toBeGreaterThan(1);
    expect(sync.killed).toBe(0);
    expect(counted(host)?.used).toBe(host.urlFetchQuota.used);
    clickAndFinish(host, "Refresh from Extend: all rows", { executionLimitMs: 10_000 });
    host.runFromClient("testConnection", []);
    expect(host.urlFetchQuota.used).toBeGreaterThanOrEqual(301);
    expect(counted(host)).toEqual({ day: pacificDay(host.clock.now()), used: host.urlFetchQuota.used });

    const state = host.runFromClient("sidebarState", []).returned as { value: { quota: { line: string } } };
    expect(state.value.quota.line).toBe(
      `Web requests used by Extend Sync today: ${host.urlFetchQuota.used} of 20,000 (100,000 if your account is Google Workspace, as its address suggests).`,
    );
  });

  it("loses only what an execution killed by Apps Script sent since its last save, never counting more", async () => {
    const ids = runIds(30);
    const host = e2e.newHost({ ...TIMINGS.modelOn, rows: rowsFor(ids), rate: 10, executionLimitSeconds: 3 });
    // Killed after its first batch of 10 went out, before the execution could save its count.
    const sync = clickAndFinish(host, "Sync all rows", {
      executionLimitMs: 3_000,
      killWhen: (index) =>
        index === 0 ? (call) => call.key === "UrlFetchApp.fetchAll" && call.count === 2 : undefined,
    });
    expect(sync.killed).toBe(1);
    expect(columns(host)["Sync Result"]).toEqual(Array(30).fill("Updated"));
    expect(counted(host)?.used).toBe(host.urlFetchQuota.used - 10);
  });

  it("tells a gmail.com account its one allowance, after each step of a job as well", async () => {
    const ids = runIds(5);
    const host = e2e.newHost({
      ...TIMINGS.modelOn,
      rows: rowsFor(ids),
      host: { userEmail: "ana@gmail.com" },
    });
    const started = host.runFromClient("startSyncJob", [{ selectedRowsOnly: false, force: false }]);
    expect((started.returned as { quota?: { line: string } }).quota?.line).toBe(
      "Web requests used by Extend Sync today: 5 of 20,000.",
    );
  });

  it("after a step, counts what was saved before it (by other jobs) with what the step sent", async () => {
    const ids = runIds(5);
    const host = e2e.newHost({
      ...TIMINGS.modelOn,
      rows: rowsFor(ids),
      host: { userEmail: "ana@gmail.com" },
    });
    host.userProperties.set(COUNT, JSON.stringify({ day: pacificDay(host.clock.now()), used: 40 }));
    const started = host.runFromClient("startSyncJob", [{ selectedRowsOnly: false, force: false }]);
    // The step's own save is where the line comes from: the property it wrote, not a second read of it.
    expect(counted(host)?.used).toBe(45);
    expect((started.returned as { quota?: { line: string } }).quota?.line).toBe(
      "Web requests used by Extend Sync today: 45 of 20,000.",
    );
  });
});

describe("a new Pacific day", () => {
  const e2e = useExtend(TIMINGS.modelOn);

  it("starts the count again at Pacific midnight, as the host's quota does", async () => {
    const ids = runIds(12);
    // 23:58 Pacific standard time on 2 December: 07:58 UTC on the 3rd.
    const host = e2e.newHost({
      ...TIMINGS.modelOn,
      rows: rowsFor(ids),
      rate: 10,
      urlFetchDailyQuota: 20,
      host: { urlFetchQuotaReset: "pacific-midnight", virtualStartMs: Date.parse("2026-12-03T07:58:00Z") },
    });
    clickAndFinish(host, "Sync all rows");
    expect(counted(host)).toEqual({ day: "2026-12-02", used: 12 });
    expect(host.urlFetchQuota.used).toBe(12);
    host.clock.advance(5 * 60_000);
    // Resending all 12 would pass a quota of 20 on the same day; after midnight both counts start from 0.
    clickAndFinish(host, "Resend all rows (ignore Unchanged)");
    expect(host.urlFetchQuota.used).toBe(12);
    expect(counted(host)).toEqual({ day: "2026-12-03", used: 12 });
    expect(columns(host)["Sync Result"]).toEqual(Array(12).fill("Updated"));
  });
});

describe("a job that cannot finish today", () => {
  const e2e = useExtend();

  /** Earlier today this user's jobs made 19,990 requests, as the add-on and Google both counted. */
  function nearlySpent(host: GasHost): void {
    host.urlFetchQuota.used = 19_990;
    host.userProperties.set(COUNT, JSON.stringify({ day: pacificDay(host.clock.now()), used: 19_990 }));
  }

  it("asks first with how far it would get; No sends nothing", async () => {
    const ids = runIds(30);
    const host = e2e.newHost({ rows: rowsFor(ids), rate: 10, urlFetchDailyQuota: 20_000 });
    nearlySpent(host);
    host.ui.answerNext({ button: "NO" });
    host.clickMenuItem("Sync all rows");
    const question = host.ui.alerts.at(-1);
    expect(question?.title).toBe("Not enough web requests left today");
    expect(question?.prompt).toBe(
      "This needs about 31 web requests; about 10 are left today of 20,000 (100,000 if your account is Google Workspace, as its address suggests): the sync would stop after about 9 rows. Other scripts of your Google account share the same allowance.\n\nSend anyway?",
    );
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(0);
    expect(columns(host)["Sync Result"] ?? Array(30).fill("")).toEqual(Array(30).fill(""));
    expect(host.urlFetchQuota.used).toBe(19_990);
  });

  it("Yes sends until Google's quota stops it, and the stop says when the allowance resets", async () => {
    const ids = runIds(30);
    const host = e2e.newHost({ rows: rowsFor(ids), rate: 10, urlFetchDailyQuota: 20_000 });
    nearlySpent(host);
    host.ui.answerNext({ button: "YES" });
    clickAndFinish(host, "Sync all rows");
    const sent = (await e2e.extend.stats()).updateRequests.length;
    expect(sent).toBe(10);
    expect(columns(host)["Sync Result"]?.filter((result) => result === "Updated")).toHaveLength(10);
    const resets = /resets at \d\d:\d\d Europe\/Berlin(?: on \d{4}-\d\d-\d\d)? \(midnight Pacific time\)/;
    expect(lastAlert(host)).toMatch(/^Sync stopped: URLFETCH_QUOTA: /);
    expect(lastAlert(host)).toMatch(resets);
    expect(String(records(host, "Extend Sync Log")[0]?.Ended)).toMatch(resets);
    expect(counted(host)?.used).toBe(20_000);
  });

  it("the connection test, when the allowance is spent, says so, that nothing is wrong with the key, and when it resets", async () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(1)), urlFetchDailyQuota: 20_000 });
    host.urlFetchQuota.used = 20_000;
    const reply = host.runFromClient("testConnection", []).returned as {
      ok: boolean;
      value: { kind: string; title: string; message: string };
    };
    expect(reply.ok).toBe(true);
    expect(reply.value.kind).toBe("quota");
    expect(reply.value.title).toBe("Google's daily limit is used up");
    expect(reply.value.message).toMatch(/this says nothing about your key or settings\. Nothing was sent\./);
    expect(reply.value.message).toMatch(
      /resets at \d\d:\d\d Europe\/Berlin(?: on \d{4}-\d\d-\d\d)? \(midnight Pacific time\)/,
    );
    expect(reply.value.message).not.toMatch(/tomorrow/);
    expect((await e2e.extend.stats()).totalRequests).toBe(0);
  });

  it("asks in the sidebar too, for a refresh that would not otherwise ask", async () => {
    const ids = runIds(30);
    const host = e2e.newHost({ rows: rowsFor(ids), rate: 10, urlFetchDailyQuota: 20_000 });
    nearlySpent(host);
    const asked = host.runFromClient("startRefreshJob", [{ selectedRowsOnly: false }]).returned as {
      state: string;
      token: string;
      quota: { text: string; question: string; rowsBeforeStop: number };
    };
    expect(asked.state).toBe("confirm");
    expect(asked.quota.rowsBeforeStop).toBe(9);
    expect(asked.quota.question).toBe("Start the refresh anyway?");
    expect(host.urlFetchQuota.used).toBe(19_990);
    const started = host.runFromClient("startRefreshJob", [
      { selectedRowsOnly: false, confirmToken: asked.token },
    ]).returned as { state: string; message?: string };
    expect(started.state).toBe("stopped");
    expect(started.message).toMatch(/^URLFETCH_QUOTA: .*resets at \d\d:\d\d Europe\/Berlin/);
    expect(host.urlFetchQuota.used).toBe(20_000);
  });

  it("asks before an import with a maximum, and No makes no sheet and sends nothing", async () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(1)), urlFetchDailyQuota: 20_000 });
    nearlySpent(host);
    const sheets = host.spreadsheet.sheets.map((sheet) => sheet.name);
    const asked = host.runFromClient("startImportJob", [{ ...importForm, max: "300", withCurrent: true }])
      .returned as { state: string; quota: { text: string } };
    expect(asked.state).toBe("confirm");
    expect(asked.quota.text).toMatch(
      /^This needs about 310 web requests; about 10 are left today .*the import would stop after about 9 runs\./,
    );
    expect(host.spreadsheet.sheets.map((sheet) => sheet.name)).toEqual(sheets);
    expect(host.urlFetchQuota.used).toBe(19_990);
  });
});
