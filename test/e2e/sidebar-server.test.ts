// The sidebar's server functions in the built bundle, called as google.script.run calls them: the install
// offer, the key kept from the page, settings checked, the connection test against answers by region, Set up a
// sheet on new, existing and foreign sheets, and row selection.
import { afterEach, describe, expect, it } from "vitest";
import { GasHost, type WireCommand, type WireResult } from "../../dev/gas-host/index.js";
import { OUTPUT_COLUMN_NAMES } from "../support/columns.js";

const SECRET = "sk_test_sidebar-server-key";
let host: GasHost;
afterEach(() => host?.dispose());

type Reply = { ok: boolean; value?: Record<string, unknown>; message?: string };

function call(name: string, ...args: unknown[]): Reply {
  const result = host.runFromClient(name, args);
  if (result.error) throw new Error(`${name}: ${result.error.message}`);
  return result.returned as Reply;
}

/** Extend by region: the hosts that accept the key answer 200, the others 401; workspace rules optional. */
function extendByRegion(accepting: string[], workspace?: { required: string }) {
  const seen: string[] = [];
  const transport = (command: WireCommand | { type: "exit" }): WireResult[] => {
    if (command.type !== "batch") return [];
    return command.requests.map((request) => {
      seen.push(request.url);
      const headers = new Map(request.headers.map(([name, value]) => [name.toLowerCase(), value]));
      const host = new URL(request.url).host;
      const keyOk = headers.get("authorization") === `Bearer ${SECRET}` && accepting.includes(host);
      const workspaceOk = !workspace || headers.get("x-extend-workspace-id") === workspace.required;
      const status = keyOk && workspaceOk ? 200 : 401;
      const body = status === 200 ? { object: "list", data: [] } : { code: "UNAUTHORIZED", message: "Nope" };
      return {
        ok: true,
        status,
        headers: [["content-type", "application/json"]],
        setCookies: [],
        body: new TextEncoder().encode(JSON.stringify(body)),
      };
    });
  };
  return { transport, seen };
}

describe("opening", () => {
  it("offers the sidebar on install with full authorization, and onOpen only builds the menu", () => {
    host = new GasHost();
    host.install({ authMode: "FULL" });
    expect(host.ui.sidebar?.title).toBe("Extend Sync");
    expect(host.ui.sidebar?.html).toContain('role="tablist"');
    host.ui.clear();
    host.install({ authMode: "LIMITED" });
    expect(host.ui.sidebars).toHaveLength(0);
    host.open({ authMode: "FULL" });
    expect(host.ui.sidebars).toHaveLength(0);
    host.clickMenuItem("Open sidebar");
    expect(host.ui.sidebars).toHaveLength(1);
  });
});

describe("the key and settings", () => {
  it("stores the key for this user only and answers only whether one is set", () => {
    host = new GasHost();
    expect(call("sidebarState").value).toMatchObject({ keySet: false, job: null });
    const saved = call("saveApiKey", `  ${SECRET}  `);
    expect(saved).toMatchObject({ ok: true, value: { keySet: true } });
    expect(host.userProperties.get("extendSync.apiKey")).toBe(SECRET);
    expect(JSON.stringify(host.executions.map((execution) => execution.returned))).not.toContain(SECRET);
    expect(call("saveApiKey", "two words")).toMatchObject({ ok: false });
    expect(host.userProperties.get("extendSync.apiKey")).toBe(SECRET);
    expect(call("forgetApiKey").value).toMatchObject({ keySet: false });
    expect(host.userPropertiesOf("other@example.com").size).toBe(0);
  });

  it("saves valid settings for the document and refuses others with a reason", () => {
    host = new GasHost();
    expect(call("saveSettings", { region: "EU1", workspaceId: "ws_9", rate: 25 }).value).toMatchObject({
      settings: { region: "EU1", workspaceId: "ws_9", rate: 25, ratePlan: "scale" },
    });
    expect(host.documentProperties.get("extendSync.setting.region")).toBe("EU1");
    const refused = call("saveSettings", { region: "EU1", rate: "lots" });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/rate/);
    expect(call("saveSettings", { region: "US1", workspaceId: "", rate: 10 }).value).toMatchObject({
      settings: { workspaceId: "" },
    });
  });
});

describe("testConnection", () => {
  function verdictWith(
    accepting: string[],
    settings: Record<string, string> = {},
    workspace?: { required: string },
  ) {
    const extend = extendByRegion(accepting, workspace);
    // A test may ask for several verdicts: each host but the last is done with here.
    host?.dispose();
    host = new GasHost({ transport: extend.transport });
    host.userProperties.set("extendSync.apiKey", SECRET);
    for (const [name, value] of Object.entries(settings))
      host.documentProperties.set(`extendSync.setting.${name}`, value);
    const reply = call("testConnection");
    expect(JSON.stringify(reply)).not.toContain(SECRET);
    return { verdict: reply.value as { kind: string; message: string }, seen: extend.seen };
  }

  it("makes one read call when the key works", () => {
    const { verdict, seen } = verdictWith(["api.extend.ai"]);
    expect(verdict.kind).toBe("connected");
    expect(seen).toEqual(["https://api.extend.ai/workflow_runs?maxPageSize=1"]);
  });

  it("finds the key's region", () => {
    const { verdict, seen } = verdictWith(["api.eu1.extend.ai"]);
    expect(verdict.kind).toBe("wrong-region");
    expect(verdict.message).toContain("EU1");
    expect(seen).toHaveLength(3);
  });

  it("tells a bad key from a wrong workspace id", () => {
    expect(verdictWith([]).verdict.kind).toBe("bad-key");
    expect(verdictWith(["api.extend.ai"], { workspaceId: "ws_wrong" }, undefined).verdict.kind).toBe(
      "connected",
    );
    host.dispose();
    const wrong = extendByRegion(["api.extend.ai"]);
    host = new GasHost({
      transport: (command) =>
        wrong.transport(command).map((result, index) => {
          if (command.type !== "batch" || !result.ok) return result;
          const sentWorkspace = command.requests[index]?.headers.some(
            ([name]) => name === "x-extend-workspace-id",
          );
          return sentWorkspace ? { ...result, status: 401 } : result;
        }),
    });
    host.userProperties.set("extendSync.apiKey", SECRET);
    host.documentProperties.set("extendSync.setting.workspaceId", "ws_wrong");
    expect((call("testConnection").value as { kind: string }).kind).toBe("workspace-wrong");
  });

  it("says no key is set before asking anything", () => {
    const extend = extendByRegion([]);
    host = new GasHost({ transport: extend.transport });
    expect(call("testConnection").value).toMatchObject({ kind: "no-key" });
    expect(extend.seen).toEqual([]);
  });
});

describe("Set up a sheet", () => {
  it("sets up an empty sheet: headers with notes, frozen row, hidden state, validation, colours, example row", () => {
    host = new GasHost();
    host.open();
    host.clickMenuItem("Set up a sheet");
    const sheet = host.spreadsheet.sheet("Sheet1");
    const [header = [], example = []] = sheet.values();
    expect(header).toEqual(["Run ID", "Name", "metadata.customer", "Tags", ...OUTPUT_COLUMN_NAMES]);
    expect(example[0]).toMatch(/^workflow_run_/);
    expect((sheet.notes()[0] ?? []).every((note) => note.length > 20)).toBe(true);
    expect(sheet.frozenRows).toBe(1);
    expect(sheet.hiddenColumns.has(10)).toBe(true);
    expect(sheet.cell(2, 1)?.validation?.allowInvalid).toBe(true);
    expect(sheet.conditionalFormatRules.length).toBeGreaterThanOrEqual(3);
    expect(host.ui.toasts.at(-1)?.message).toMatch(/is ready/);
  });

  it("adds only missing headers to a sync sheet and changes no data", () => {
    host = new GasHost();
    const sheet = host.spreadsheet.addSheet("Runs");
    sheet.setValues("A1", [
      ["Name", "run id", "Sync Result", "Mine"],
      ["A", "workflow_run_a", "Updated", "keep"],
    ]);
    host.spreadsheet.select("Runs", "A1");
    const reply = call("setUpSheetFromSidebar");
    expect(reply.value).toMatchObject({
      createdSheet: false,
      added: ["Tags", "Run Status", "Synced At", "Sync Error", "Dashboard Link", "Sync State"],
    });
    expect(sheet.values()[1]?.slice(0, 4)).toEqual(["A", "workflow_run_a", "Updated", "keep"]);
    expect(sheet.values()).toHaveLength(2);
    expect(call("setUpSheetFromSidebar").value).toMatchObject({ added: [] });
  });

  it("leaves a sheet of other data alone and sets up a new sheet", () => {
    host = new GasHost();
    host.spreadsheet.sheet("Sheet1").setValues("A1", [
      ["Invoice", "Amount"],
      ["INV-1", 10],
    ]);
    const reply = call("setUpSheetFromSidebar");
    expect(reply.value).toMatchObject({ createdSheet: true, sheetName: "Extend Sync" });
    expect(host.spreadsheet.sheet("Sheet1").values()).toEqual([
      ["Invoice", "Amount"],
      ["INV-1", 10],
    ]);
  });
});

describe("rows", () => {
  it("selects a row by sheet name and refuses rows outside the sheet", () => {
    host = new GasHost();
    const sheet = host.spreadsheet.addSheet("Runs");
    sheet.setValues("A1", [
      ["Run ID", "Name"],
      ["workflow_run_a", "A"],
      ["workflow_run_b", "B"],
    ]);
    expect(call("selectRow", "Runs", 3)).toMatchObject({ ok: true, value: { row: 3 } });
    expect(host.spreadsheet.selection).toMatchObject({ sheetName: "Runs", ranges: [{ row: 3, numRows: 1 }] });
    expect(call("selectRow", "Runs", 99).ok).toBe(false);
    expect(call("selectRow", "Nope", 2).message).toMatch(/no sheet named/);
    expect(call("rowRequestBody", 2).value).toMatchObject({ row: 2, runId: "workflow_run_a" });
  });
});

describe("starting read-back jobs from the browser", () => {
  function withKey(rows: unknown[][] = [["Run ID", "Tags"]]) {
    host = new GasHost();
    host.spreadsheet.addSheet("Runs").setValues("A1", rows as never, { raw: true });
    host.spreadsheet.select("Runs", "A1");
    host.userProperties.set("extendSync.apiKey", SECRET);
    host.open();
  }

  it.each<[Record<string, unknown>, RegExp]>([
    [
      { max: "abc" },
      /^The maximum number of runs must be a whole number from 1 to 400,000, or empty for all\. Nothing was imported\.$/,
    ],
    [{ max: 0 }, /^The maximum number of runs must be/],
    [{ status: "DONE" }, /^Status must be one of PENDING, .*, or empty for any\. Nothing was imported\.$/],
    [{ sortBy: "name" }, /^Sort by must be the creation or the update time/],
    [{ workflowId: "a\nb" }, /^Workflow ID is not something Extend could match/],
    [{ batchId: 42 }, /^Batch ID must be text/],
  ])("refuses the import filters %j before any sheet or request", (form, message) => {
    withKey();
    const sheets = host.spreadsheet.sheets.map((sheet) => sheet.name);
    const result = host.runFromClient("startImportJob", [form]);
    expect(result.returned).toEqual({ state: "error", message: expect.stringMatching(message) });
    expect(host.spreadsheet.sheets.map((sheet) => sheet.name)).toEqual(sheets);
  });

  it("says what to do when there is nothing to refresh or compare", () => {
    withKey();
    expect(host.runFromClient("startRefreshJob", [{ selectedRowsOnly: "yes" }]).returned).toEqual({
      state: "error",
      message: "There are no Run IDs to refresh: select rows below the header row, or fill in some Run IDs.",
    });
    expect(host.runFromClient("startPreviewJob", [{ tagMode: "merge" }]).returned).toMatchObject({
      state: "error",
      message: expect.stringMatching(/^No row of this sheet would be sent/),
    });
  });

  it("checks rows under the tag mode the browser names, replace for anything else", () => {
    withKey([
      ["Run ID", "Tags"],
      ["workflow_run_1", "#CLEAR"],
    ]);
    const add = call("checkRows", "add");
    expect(add.value).toMatchObject({ tagMode: "add", counts: { invalid: 1, toSend: 0 } });
    const other = call("checkRows", { tagMode: "add" });
    expect(other.value).toMatchObject({ tagMode: "replace", counts: { invalid: 0, toSend: 1 } });
  });

  it("opens the import dialog from the menu", () => {
    withKey();
    host.clickMenuItem("Import runs…");
    const dialog = host.ui.shown.at(-1);
    expect(dialog).toMatchObject({ kind: "modal", title: "Import runs from Extend" });
    expect(dialog?.html).toContain('<form id="import-form" novalidate>');
  });
});
