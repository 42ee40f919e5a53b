// The API key never leaves the user's own property (issue #7, "Secrets"): a distinctive key goes through a full
// sync, a resend, a dry run, 401 and 402 stops, every error path the stand-in can produce (with the stand-in
// echoing the key back in messages, codes, HTML pages and headers), the menu's settings, every server function
// the sidebar calls, and `npm start` with EXTEND_API_KEY. Afterwards no cell, note, property, cache entry, log
// line, alert, prompt, dialog or sidebar HTML, toast, value returned to the browser, error, printed line or
// written file holds the key or a recognisable piece of it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish, configureAddOn, startAndFinish, syncUnfinished } from "../../dev/local-run.js";
import {
  ECHO_AUTHORIZATION as BEARER,
  ECHO_API_KEY as ECHO,
  ECHO_RUN_ID,
  type FaultRule,
} from "../../dev/stand-in/faults.js";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { records, SHEET } from "./harness.js";

const KEY = "sk_live_PROOF_9f8e7d6c5b4a";
/** The key, and pieces of it long enough to recognise: a leak cut in half is still a leak. */
const KEY_FORMS = [KEY, "PROOF_9f8e7d6c5b4a", "9f8e7d6c5b4a", "sk_live_PROOF", encodeURIComponent(KEY)];
const API_KEY_PROPERTY = "extendSync.apiKey";
const REPO = join(import.meta.dirname, "../..");

let extend: StandInClient;
let host: GasHost;
const ids = seededRunIds(40, 1);
const id = (index: number) => ids[index] ?? "";

/** One row per hostile answer; every rule answers its row every time, so retries meet it again. */
const HOSTILE_ANSWERS: FaultRule[] = [
  { kind: "status", status: 400, message: `Bad key ${ECHO}; header was Authorization: ${BEARER}` },
  { kind: "status", status: 403, code: `FORBIDDEN_${ECHO}`, message: `No access for ${ECHO}` },
  { kind: "status", status: 404, message: `${"x".repeat(490)}${ECHO} (key across the 500-character cut)` },
  { kind: "status", status: 408, message: `Timed out waiting for ${ECHO}` },
  { kind: "status", status: 409, message: `Conflict: ${BEARER}` },
  {
    kind: "status",
    status: 422,
    message: `metadata refused for ${ECHO}`,
    headers: { "x-extend-request-id": `req_${ECHO}` },
  },
  {
    kind: "status",
    status: 429,
    message: `Slow down, ${ECHO}`,
    headers: { "Retry-After": "1", "x-extend-request-id": ECHO },
  },
  { kind: "status", status: 500, message: `Internal error while handling ${BEARER}` },
  { kind: "status", status: 504, code: "GATEWAY_TIMEOUT", message: `Upstream saw ${ECHO}` },
  {
    kind: "custom",
    status: 422,
    contentType: "text/html",
    body: `<html><body><h1>Refused</h1><p>Authorization: ${BEARER}</p></body></html>`,
  },
  {
    kind: "custom",
    status: 502,
    contentType: "text/html",
    body: `<html>${"y".repeat(19_990)}${ECHO}</html>`,
  },
  {
    kind: "custom",
    status: 500,
    body: `{"error":{"code":"INTERNAL_ERROR","message":"wrapped ${ECHO}","requestId":"${ECHO}"}}`,
  },
  { kind: "custom", status: 200, body: `{"object":"not_a_run","echo":"${ECHO}"}` },
  {
    kind: "custom",
    status: 200,
    apply: true,
    body: `{"object":"workflow_run","id":"${ECHO_RUN_ID}","status":"PROCESSED ${ECHO}","dashboardUrl":"https://dashboard.extend.ai/workflows/${ECHO_RUN_ID}?k=${ECHO}"}`,
    headers: { "x-extend-request-id": `req_${ECHO}` },
  },
  { kind: "500-json" },
  { kind: "500-html" },
  { kind: "503", headers: { "x-extend-request-id": `${BEARER}` } },
  { kind: "502-html" },
  { kind: "drop" },
  { kind: "drop-after-apply" },
  // Past UrlFetchApp's 60-second timeout, every time.
  { kind: "delay", delayMs: 61_000 },
  { kind: "malformed" },
];

const HOSTILE = HOSTILE_ANSWERS.map(
  (rule, index): FaultRule => ({
    times: "unlimited",
    ...rule,
    match: { runId: id(index) },
  }),
);

const HEADER = ["Run ID", "Name", "metadata.team", "Tags"];
const rows = () => [
  HEADER,
  ...ids.slice(0, 30).map((runId, index) => [runId, `Run ${index}`, "ops", "prod, key test"]),
];

function leaksIn(label: string, text: string | undefined | null): string[] {
  if (!text) return [];
  return KEY_FORMS.filter((form) => text.includes(form)).map((form) => `${label} holds "${form}"`);
}

/** Everything the add-on wrote, showed, stored, logged or returned in the host. */
function leaksInHost(target: GasHost): string[] {
  const found: string[] = [];
  for (const sheet of target.spreadsheet.sheets) {
    const texts = [sheet.values(), sheet.formulas(), sheet.notes(), sheet.displayValues()].flat(2);
    found.push(...leaksIn(`sheet ${sheet.name}`, texts.map(String).join("\n")));
  }
  const stores = {
    "document property": target.documentProperties,
    "script property": target.scriptProperties,
  };
  for (const [label, store] of Object.entries(stores))
    for (const [name, value] of store) found.push(...leaksIn(`${label} ${name}`, `${name}=${value}`));
  for (const [name, value] of target.userProperties) {
    if (name === API_KEY_PROPERTY) expect(value).toBe(KEY);
    else found.push(...leaksIn(`user property ${name}`, `${name}=${value}`));
  }
  const caches = [target.caches.script, target.caches.document, target.caches.user(target.userEmail)];
  for (const cache of caches)
    for (const [name, entry] of cache.entries)
      found.push(...leaksIn(`cache ${name}`, `${name}=${entry.value}`));
  for (const entry of target.logs) found.push(...leaksIn("log line", entry.message));
  for (const dialog of target.ui.dialogs)
    found.push(...leaksIn(`${dialog.kind} "${dialog.title}"`, `${dialog.title}\n${dialog.prompt}`));
  for (const shown of target.ui.shown)
    found.push(...leaksIn(`${shown.kind} HTML`, `${shown.title}\n${shown.html}`));
  for (const toast of target.ui.toasts) found.push(...leaksIn("toast", `${toast.title}\n${toast.message}`));
  for (const execution of target.executions) {
    found.push(
      ...leaksIn(`what ${execution.functionName} returned`, JSON.stringify(execution.returned ?? null)),
    );
    found.push(
      ...leaksIn(
        `error of ${execution.functionName}`,
        `${execution.error?.message}\n${execution.error?.stack}`,
      ),
    );
  }
  return found;
}

function call(name: string, ...args: unknown[]): unknown {
  const result = host.runFromClient(name, args);
  expect(result.error, `${name} threw`).toBeUndefined();
  return result.returned;
}

beforeAll(async () => {
  extend = await startStandInProcess({ apiKey: KEY, runCount: 40, rate: 0, virtualClock: true });
});
afterAll(async () => {
  host?.dispose();
  await extend.close();
});

describe("the API key stays in the user's own property", () => {
  it("through syncs, stops, error answers that echo it, the dry run, the menu and the sidebar", async () => {
    await extend.setFaults(HOSTILE);
    // On the stand-in's virtual clock, so retries and Retry-After waits pass in simulated time.
    host = new GasHost({ timeZone: "Europe/Berlin", clock: "virtual", costModel: "on" });
    host.spreadsheet.addSheet(SHEET).setValues("A1", rows(), { raw: true });
    host.spreadsheet.select(SHEET, "A1");
    configureAddOn(host, { apiKey: KEY, baseUrl: extend.url, rate: 100 });
    host.open();

    // The sidebar as a person uses it: save the key, settings, test, check rows, then a sync it drives.
    call("sidebarState");
    call("saveApiKey", `  ${KEY}  `);
    call("currentSyncJob");
    call("checkRows");
    call("rowRequestBody", 2);
    call("selectRow", SHEET, 3);
    const started = call("startSyncJob", { force: false }) as { state: string; token?: string };
    if (started.state === "confirm") call("startSyncJob", { force: false, confirmToken: started.token });
    const states: string[] = [];
    for (let steps = 0; syncUnfinished(host) && steps < 500; steps++) {
      const step = call("continueSyncJob") as { state: string };
      states.push(step.state);
      // As the sidebar does: a step still running elsewhere (or cut off) is waited for, then asked again.
      if (step.state === "busy") host.clock.wait(1_000);
    }
    expect(syncUnfinished(host), `the sidebar's steps answered ${states.join(", ")}`).toBe(false);
    call("rowsToFix", SHEET);
    const results = records(host).map((row) => String(row["Sync Result"]));
    expect(results.filter((result) => result === "Failed").length).toBeGreaterThan(10);
    const errors = records(host).map((row) => String(row["Sync Error"]));
    expect(errors.join("\n")).toContain("[redacted]");

    // The menu: a resend of every row (the same hostile answers), with error bodies wrapped this time.
    await extend.configure({ wrapErrors: true });
    clickAndFinish(host, "Resend all rows (ignore Unchanged)");
    host.clickMenuItem("Check rows (dry run)");
    expect(host.ui.modalDialogs.length).toBeGreaterThan(0);

    // The read paths meet the same answers: a refresh and a preview read each run (GET).
    clickAndFinish(host, "Refresh from Extend: all rows");
    clickAndFinish(host, "Compare rows with Extend (preview)");
    // An import whose List fails with the key in its message, then one whose cursor holds it.
    await extend.setFaults([
      { kind: "status", status: 400, message: `List refused for ${ECHO}`, match: { path: "/workflow_runs" } },
    ]);
    startAndFinish(host, "startImportJob", [importForm()]);
    await extend.setFaults([
      {
        kind: "custom",
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ object: "list", data: [], nextPageToken: `page2-${ECHO}` }),
        times: "unlimited",
        match: { path: "/workflow_runs" },
      },
    ]);
    startAndFinish(host, "startImportJob", [importForm()]);
    expect(String(records(host, "Extend Sync Log").at(-1)?.Ended)).toMatch(/^Stopped: BAD_RESPONSE/);
    await extend.setFaults(HOSTILE);
    // An import opens its new sheet: the person goes back to theirs.
    host.spreadsheet.select(SHEET, "A1");

    // A stop on 401 whose message and headers echo the key, then one on 402.
    await extend.setFaults([
      {
        kind: "status",
        status: 401,
        message: `Invalid API key ${ECHO}`,
        headers: { "x-extend-request-id": ECHO },
      },
    ]);
    clickAndFinish(host, "Resend all rows (ignore Unchanged)");
    expect(host.ui.alerts.at(-1)?.prompt).toMatch(/^Sync stopped: UNAUTHORIZED/);
    await extend.setFaults([
      { kind: "status", status: 402, code: "USAGE_BLOCKED", message: `Blocked: ${BEARER}` },
    ]);
    clickAndFinish(host, "Resend all rows (ignore Unchanged)");
    expect(host.ui.alerts.at(-1)?.prompt).toMatch(/^Sync stopped: USAGE_BLOCKED/);

    // The connection test: accepted, then refused with a message echoing the key.
    await extend.setFaults([]);
    call("testConnection");
    await extend.setFaults([
      { kind: "status", status: 401, message: `Key ${ECHO} is revoked`, times: "unlimited" },
    ]);
    call("testConnection");
    await extend.setFaults([]);

    // The settings from the menu, the key typed into its prompt.
    host.ui.answerNext({ button: "OK", text: KEY });
    host.clickMenuItem("Set API key…");
    host.ui.answerNext({ button: "OK", text: "EU1" });
    host.clickMenuItem("Region…");
    host.ui.answerNext({ button: "OK", text: "25" });
    host.clickMenuItem("Rate limit…");
    call("saveSettings", { region: "US1", workspaceId: "", rate: 100 });
    call("setUpSheetFromSidebar");
    call("sidebarState");
    host.clickMenuItem("Open sidebar");

    expect(host.userProperties.get(API_KEY_PROPERTY)).toBe(KEY);
    expect(leaksInHost(host)).toEqual([]);
  }, 120_000);
});

describe("npm start with EXTEND_API_KEY", () => {
  it("prints the key nowhere and writes it into no file, even when Extend echoes it", async () => {
    const realTime = await startStandInProcess({ apiKey: KEY, runCount: 10, rate: 0 });
    let folder: string | undefined;
    try {
      const answers: FaultRule[] = [
        { kind: "status", status: 422, message: `Refused for ${ECHO}` },
        { kind: "custom", status: 404, contentType: "text/html", body: `<p>${BEARER}</p>` },
        {
          kind: "status",
          status: 400,
          code: `BAD_${ECHO}`,
          message: "x",
          headers: { "x-extend-request-id": ECHO },
        },
      ];
      const echoing = answers.map(
        (rule, index): FaultRule => ({
          ...rule,
          times: "unlimited",
          match: { runId: seededRunIds(5)[index] ?? "" },
        }),
      );
      await realTime.setFaults(echoing);
      folder = mkdtempSync(join(tmpdir(), "secrets-start-"));
      const csv = join(folder, "runs.csv");
      writeFileSync(
        csv,
        ["Run ID,Name", ...seededRunIds(5).map((runId, index) => `${runId},Secret test ${index}`)].join("\n"),
      );
      const run = spawnSync(
        process.execPath,
        ["--import", "tsx", join(REPO, "dev/start.ts"), csv, "--base-url", realTime.url],
        { cwd: REPO, env: { ...process.env, EXTEND_API_KEY: KEY }, encoding: "utf8", timeout: 90_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Failed/);
      expect([...leaksIn("stdout", run.stdout), ...leaksIn("stderr", run.stderr)]).toEqual([]);
      const written = readFileSync(csv.replace(/\.csv$/, ".synced.csv"), "utf8");
      expect(written).toMatch(/\[redacted\]/);
      expect(leaksIn("the written .synced.csv", written)).toEqual([]);
    } finally {
      await realTime.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
