// The platform check (Help > Check this spreadsheet, and the sidebar's Settings) through the built bundle: run
// under each answer the host models for a question Google leaves open, it must name that answer, by watching
// what the spreadsheet does. Every run must leave the user's sheets as they were, remove its temporary sheet,
// send no update, and show the key nowhere; a check killed part-way leaves a sheet the next one removes.
import { describe, expect, it } from "vitest";
import { parseCostModel } from "../../bench/cost-model-file.js";
import { COST_MODELS, type CostModelName, type GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import type { PlatformCheckView } from "../../src/core/views/platform-report.js";
import type { Reply } from "../../src/core/views/sidebar-api.js";
import { API_KEY, everythingVisible, type HostSetup, runIds, SHEET, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 3, ...TIMINGS.modelOn });

const ROWS = [
  ["Run ID", "Name", "Tags"],
  ["run_a", "'0012", "=1+1"],
  ["run_b", "TRUE", "2026-04-12"],
];

function newHost(setup: Omit<HostSetup, "rows" | "clock"> = {}): GasHost {
  const host = e2e.newHost({ rows: ROWS, ...TIMINGS.modelOn, ...setup });
  // A second sheet of the user's, and the run log of an earlier job, so "nothing changed" covers more than one.
  host.spreadsheet.addSheet("Notes").setValues("A1", [["kept", 1]], { raw: true });
  return host;
}

/** Every sheet as stored: names in order, values, formulas, display values and notes; and the active sheet. */
function snapshot(host: GasHost): string {
  return JSON.stringify({
    active: host.spreadsheet.activeSheet.name,
    sheets: host.spreadsheet.sheets.map((sheet) => ({
      name: sheet.name,
      values: sheet
        .values()
        .map((row) => row.map((value) => (value instanceof Date ? value.toISOString() : value))),
      formulas: sheet.formulas(),
      display: sheet.displayValues(),
      notes: sheet.notes(),
    })),
  });
}

const checkSheets = (host: GasHost) =>
  host.spreadsheet.sheets.filter((sheet) => sheet.name.toLowerCase().startsWith("extend sync check"));

function check(host: GasHost): PlatformCheckView {
  const result = host.runFromClient("platformCheck");
  expect(result.error).toBeUndefined();
  const reply = result.returned as Reply<PlatformCheckView>;
  if (!reply.ok) throw new Error(reply.message);
  return reply.value;
}

/** Runs the check and asserts what every run must leave true; returns the sidebar's view. */
async function checkCleanly(host: GasHost): Promise<PlatformCheckView> {
  const before = snapshot(host);
  const posts = (await e2e.extend.stats()).updatesApplied;
  const view = check(host);
  // The snapshot holds every sheet's name: the temporary sheet is gone.
  expect(snapshot(host)).toBe(before);
  const stats = await e2e.extend.stats();
  expect(Object.keys(stats.byRoute).filter((route) => !route.startsWith("GET"))).toEqual([]);
  expect(stats.updatesApplied).toBe(posts);
  expect(view.text).not.toContain(API_KEY);
  expect([...host.userProperties.keys()]).toEqual(["extendSync.apiKey"]);
  return view;
}

describe.each([
  { option: { plainTextApostrophe: "strip" }, id: "plain-text-apostrophe", answer: "strip" },
  { option: { plainTextApostrophe: "keep" }, id: "plain-text-apostrophe", answer: "keep" },
  { option: { refusedWriteTiming: "at-write" }, id: "refused-write", answer: "at-write" },
  { option: { refusedWriteTiming: "at-flush" }, id: "refused-write", answer: "at-flush" },
  { option: { sheetNameLookup: "exact" }, id: "sheet-name-lookup", answer: "exact" },
  { option: { sheetNameLookup: "any-case" }, id: "sheet-name-lookup", answer: "any-case" },
  { option: { locale: "en_US", formulaSyntax: "locale" }, id: "formula-separator", answer: "comma" },
  { option: { locale: "de_DE", formulaSyntax: "english" }, id: "formula-separator", answer: "comma" },
  { option: { locale: "de_DE", formulaSyntax: "locale" }, id: "formula-separator", answer: "semicolon" },
  { option: { locale: "fr_FR", formulaSyntax: "locale" }, id: "formula-separator", answer: "semicolon" },
  { option: { activeUserEmail: "" }, id: "session-email", answer: "empty" },
  { option: {}, id: "session-email", answer: "email" },
] as const)("the check under $option", ({ option, id, answer }) => {
  it(`reports ${id}: ${answer}, and changes nothing`, async () => {
    const host = newHost({ platform: option });
    const view = await checkCleanly(host);
    expect(view.answers[id]).toBe(answer);
    expect(view.text).toContain(`[${answer}]`);
    // Names are unique regardless of case in the host under every option.
    expect(view.answers["sheet-name-duplicate"]).toBe("refused");
    expect(view.answers["document-lock"]).toBe("acquired");
  });
});

describe.each(["en_US", "en_GB", "de_DE", "fr_FR"])("the check in locale %s", (locale) => {
  it("reports what TRUE/FALSE, dates and decimals written as text become, as the spreadsheet reads them", async () => {
    const host = newHost({ platform: { locale } });
    const view = await checkCleanly(host);
    // The oracle: the same texts typed into a sheet of this spreadsheet, read back by type.
    const texts = ["TRUE", "FALSE", "2026-04-12", "12.04.2026", "04/12/2026", "1,5", "1.5"];
    const sheet = host.spreadsheet.addSheet("oracle");
    sheet.setValues("A1", [texts]);
    const kinds = (sheet.values()[0] ?? []).map((value) => (value instanceof Date ? "date" : typeof value));
    expect(view.answers["true-false"]).toBe(kinds.slice(0, 2).join(","));
    expect(view.answers.dates).toBe(kinds.slice(2, 5).join(","));
    expect(view.answers["decimal-comma"]).toBe(kinds.slice(5).join(","));
    expect(view.text).toContain(`Spreadsheet locale: ${locale}`);
  });
});

describe.each([
  { throws: true, drop: true, answer: "throws" },
  { throws: false, drop: true, answer: "returns" },
  { throws: true, drop: false, answer: "not-observed" },
  { throws: false, drop: false, answer: "not-observed" },
])(
  "fetchAll, throwing on a transport failure: $throws, a request dropped: $drop",
  ({ throws, drop, answer }) => {
    it(`reports ${answer}`, async () => {
      const host = newHost({ platform: { fetchAllThrowsOnTransportError: throws } });
      if (drop)
        await e2e.extend.setFaults([{ kind: "drop", match: { method: "GET", path: "/workflow_runs" } }]);
      const view = await checkCleanly(host);
      expect(view.answers["fetch-all-failure"]).toBe(answer);
      // Each target is also asked alone: its status stands whatever the fetchAll did.
      expect(view.text).toContain("base URL set for local runs: HTTP 200");
    });
  },
);

it("without a saved key, says so and reports Extend's 401 for the List", async () => {
  const host = newHost();
  host.userProperties.delete("extendSync.apiKey");
  const before = snapshot(host);
  const view = check(host);
  expect(snapshot(host)).toBe(before);
  expect(view.text).toContain("API key: not saved");
  expect(view.text).toContain("base URL set for local runs: HTTP 401");
});

describe.each(["on", "high"] as const)("costs under the host's %s model", (model: CostModelName) => {
  it("are measured as the host charges them, in the cost model's fields", async () => {
    const host = newHost({ costModel: model });
    const view = await checkCleanly(host);
    const json = view.text.slice(view.text.indexOf("\n{") + 1);
    // What the bench's --cost-model FILE.json takes, as the report gives it.
    const measured = parseCostModel(json, "the report");
    const charged = COST_MODELS[model];
    expect(Object.keys(measured).sort()).toEqual(Object.keys(charged).sort());
    // The script's own CPU time passes on the virtual clock too (a millisecond or two on top), and the
    // script's Date counts whole milliseconds (a commit of 30.1 ms may read as 30).
    const near = (value: number, expected: number, above = 2, below = 1) => {
      expect(value).toBeGreaterThanOrEqual(expected - below);
      expect(value).toBeLessThanOrEqual(expected + above);
    };
    near(measured.sheets.roundTripMs, charged.sheets.roundTripMs);
    near(measured.sheets.writeQueueMs, charged.sheets.writeQueueMs, 1, 0.1);
    near(measured.sheets.commitMs, charged.sheets.commitMs + charged.sheets.cellWriteMs);
    near(measured.sheets.cellWriteMs, charged.sheets.cellWriteMs, 0.01, 0.01);
    near(measured.sheets.cellReadMs, charged.sheets.cellReadMs, 0.01, 0.01);
    near(measured.properties.getMs, charged.properties.getMs);
    near(measured.properties.setMs, charged.properties.setMs);
    near(measured.lock.callMs, charged.lock.callMs);
    near(measured.sleepOverheadMs, charged.sleepOverheadMs);
    expect(measured.urlFetch.callMs).toBeGreaterThanOrEqual(charged.urlFetch.callMs);
    expect(measured.executionGapMs).toBe(COST_MODELS.on.executionGapMs);
    expect(view.text).toContain("Not measured, the typical figure kept: executionGapMs");
  });
});

it("reports a probe that fails as not checked, and the others go on", async () => {
  const host = newHost();
  const result = host.runFromClient("platformCheck", [], {
    onServiceCall: (call) => {
      if (call.key === "Range.setDataValidation") throw new Error("Service Spreadsheets failed");
    },
  });
  const reply = result.returned as Reply<PlatformCheckView>;
  if (!reply.ok) throw new Error(reply.message);
  expect(reply.value.answers["refused-write"]).toBeUndefined();
  expect(reply.value.text).toContain(
    "When a write refused by strict data validation is reported: could not be checked: Service Spreadsheets failed",
  );
  expect(reply.value.answers["plain-text-apostrophe"]).toBe("strip");
  expect(reply.value.answers["fetch-all-failure"]).toBe("not-observed");
  expect(checkSheets(host)).toEqual([]);
});

it("a check killed part-way leaves its marked sheet, which the next check removes", async () => {
  const host = newHost();
  const before = snapshot(host);
  const killed = host.runFromClient("platformCheck", [], {
    killWhen: (call) => call.key === "Range.setDataValidation",
  });
  expect(killed.killed).toBe(true);
  expect(checkSheets(host).map((sheet) => sheet.name)).toEqual(["Extend Sync Check"]);
  const view = check(host);
  expect(view.text).toContain("A temporary sheet left by an earlier check that was stopped was removed.");
  expect(checkSheets(host)).toEqual([]);
  expect(snapshot(host)).toBe(before);
});

it("leaves alone a sheet of the user's named like its own, and uses another name", async () => {
  const host = newHost();
  host.spreadsheet.addSheet("extend sync check").setValues("A1", [["mine"]], { raw: true });
  const view = await checkCleanly(host);
  expect(view.answers["plain-text-apostrophe"]).toBe("strip");
  expect(host.spreadsheet.findSheet("extend sync check")?.values()).toEqual([["mine"]]);
});

it("Help > Check this spreadsheet shows the report in a dialog with Copy report, without the key", async () => {
  const host = newHost();
  const before = snapshot(host);
  const result = host.clickMenuItem("Check this spreadsheet");
  expect(result.error).toBeUndefined();
  const dialog = host.ui.modalDialogs.at(-1);
  expect(dialog?.title).toBe("Extend Sync: platform check");
  expect(dialog?.html).toContain("How this spreadsheet behaves");
  expect(dialog?.html).toContain("Copy report");
  expect(dialog?.html).not.toContain(API_KEY);
  expect(everythingVisible(host)).not.toContain(API_KEY);
  expect(snapshot(host)).toBe(before);
  expect(host.spreadsheet.sheets.map((sheet) => sheet.name)).toEqual(["Sheet1", SHEET, "Notes"]);
});

it("reports the run log's last job, without who started it", async () => {
  const [first = "", second = ""] = runIds(2);
  const host = e2e.newHost({
    rows: [
      ["Run ID", "Name"],
      [first, "Invoice A"],
      [second, "Invoice B"],
    ],
    ...TIMINGS.modelOn,
  });
  clickAndFinish(host, "Sync all rows");
  const posts = (await e2e.extend.stats()).updatesApplied;
  const view = check(host);
  const lastJob = view.text.split("\n")[view.text.split("\n").indexOf("Last job") + 1] ?? "";
  expect(lastJob).toContain("Kind: Sync (tags: replace)");
  expect(lastJob).toContain("Updated: 2");
  expect(lastJob).not.toContain("tester@example.com");
  expect((await e2e.extend.stats()).updatesApplied).toBe(posts);
});
