// Limits the host enforces as Apps Script and Sheets do: the 50,000-character cell, the 10-million-cell
// workbook, UrlFetch's per-call and short-time limits, Utilities.sleep's longest sleep, the daily Properties
// quota and simultaneous executions;
// and the two behaviours Google leaves open, each selectable: the apostrophe in plain-text cells and a formula
// still "Loading...".
import { describe, expect, it } from "vitest";
import {
  BURST_QUOTA_MESSAGE,
  CELL_TOO_LONG_MESSAGE,
  type ExecutionResult,
  GasHost,
  type GasHostOptions,
  LOADING_TEXT,
  MAX_CELL_CHARACTERS,
  MAX_HEADERS_PER_REQUEST,
  MAX_PAYLOAD_BYTES,
  MAX_RESPONSE_BYTES,
  MAX_URL_LENGTH,
  PAYLOAD_TOO_LARGE_MESSAGE,
  PROPERTIES_DAILY_QUOTA_MESSAGE,
  TOO_MANY_EXECUTIONS_MESSAGE,
  type Transport,
  URL_TOO_LONG_MESSAGE,
  WORKBOOK_FULL_MESSAGE,
} from "../../dev/gas-host/index.js";
import { MAX_SLEEP_MS } from "../../dev/gas-host/utilities.js";

const ok = (result: ExecutionResult): unknown => {
  expect(result.error).toBeUndefined();
  return result.returned;
};

describe("the 50,000-character cell", () => {
  const script = `
    function setValues(values) { SpreadsheetApp.getActiveSheet().getRange(1, 1, values.length, values[0].length).setValues(values); }
    function setValue(value) { SpreadsheetApp.getActiveSheet().getRange("A1:B1").setValue(value); }
    function appendRow(row) { SpreadsheetApp.getActiveSheet().appendRow(row); }
    function setFormula(formula) { SpreadsheetApp.getActiveSheet().getRange("C1").setFormula(formula); }`;
  const longest = "x".repeat(MAX_CELL_CHARACTERS);
  const tooLong = `${longest}y`;

  it.each([
    ["setValues", [[["fine", tooLong]]]],
    ["setValue", [tooLong]],
    ["appendRow", [["fine", tooLong]]],
    ["setFormula", [`="${tooLong}"`]],
  ])("%s of a longer string throws Sheets' message and writes nothing of the call", (method, args) => {
    const host = new GasHost({ scriptCode: script });
    const result = host.run(method, args);
    expect(result.error).toMatchObject({ name: "Exception", message: CELL_TOO_LONG_MESSAGE });
    expect(host.spreadsheet.sheet("Sheet1").values()).toEqual([]);
  });

  it("accepts exactly 50,000 characters", () => {
    const host = new GasHost({ scriptCode: script });
    ok(host.run("setValues", [[["fine", longest]]]));
    ok(host.run("appendRow", [[longest]]));
    expect(host.spreadsheet.sheet("Sheet1").values()).toEqual([
      ["fine", longest],
      [longest, ""],
    ]);
  });
});

describe("the 10-million-cell workbook", () => {
  it("refuses to insert columns past the limit and changes nothing", () => {
    const host = new GasHost({
      scriptCode: `function grow(n) { SpreadsheetApp.getActiveSheet().insertColumnsAfter(1, n); }`,
    });
    host.spreadsheet.sheet("Sheet1").ensureSize(300_000, 26);
    ok(host.run("grow", [7]));
    expect(host.run("grow", [1]).error?.message).toBe(WORKBOOK_FULL_MESSAGE);
    expect(host.spreadsheet.sheet("Sheet1").maxColumns).toBe(33);
  });
});

describe("a leading apostrophe written into a plain-text cell", () => {
  const script = `
    function write(text) {
      var range = SpreadsheetApp.getActiveSheet().getRange("A1:B1");
      range.setNumberFormats([["@", "General"]]);
      range.setValues([[text, text]]);
      return range.getValues()[0];
    }`;

  it("is stripped by default, in plain-text cells as in any other", () => {
    const host = new GasHost({ scriptCode: script });
    expect(ok(host.run("write", ["'=1+2"]))).toEqual(["=1+2", "=1+2"]);
    expect(ok(host.run("write", ["'007"]))).toEqual(["007", "007"]);
  });

  it("is kept as a literal character in plain-text cells with plainTextApostrophe: keep", () => {
    const host = new GasHost({ scriptCode: script, plainTextApostrophe: "keep" });
    expect(ok(host.run("write", ["'=1+2"]))).toEqual(["'=1+2", "=1+2"]);
    expect(host.spreadsheet.sheet("Sheet1").formulas()).toEqual([["", ""]]);
    expect(ok(host.run("write", ["''x"]))).toEqual(["''x", "'x"]);
  });
});

describe("a formula still calculating", () => {
  const script = `
    function read() {
      var range = SpreadsheetApp.getActiveSheet().getRange("A1:B1");
      return { values: range.getValues()[0], display: range.getDisplayValues()[0] };
    }`;

  it("reads as Loading... for as many reads as the test asks, then as its value", () => {
    const host = new GasHost({ scriptCode: script });
    const sheet = host.spreadsheet.sheet("Sheet1");
    sheet.setValues("A1", [[1, 2]], { raw: true });
    sheet.setFormula("B1", "=IMPORTXML(A1)", 42);
    sheet.setLoading("B1", 1);
    expect(ok(host.run("read"))).toEqual({ values: [1, LOADING_TEXT], display: ["1", "42"] });
    expect(ok(host.run("read"))).toEqual({ values: [1, 42], display: ["1", "42"] });
    sheet.setLoading("B1");
    expect(ok(host.run("read"))).toEqual({ values: [1, LOADING_TEXT], display: ["1", LOADING_TEXT] });
  });

  it("is only possible for formula cells", () => {
    const host = new GasHost({ scriptCode: script });
    host.spreadsheet.sheet("Sheet1").setValues("A1", [[1]], { raw: true });
    expect(() => host.spreadsheet.sheet("Sheet1").setLoading("A1")).toThrow(/without a formula/);
  });
});

/** Answers every request with `body`, counting how many were sent. */
function answering(body: Uint8Array): { transport: Transport; sent: () => number } {
  let sent = 0;
  const transport: Transport = (command) => {
    if (command.type !== "batch") return [];
    sent += command.requests.length;
    return command.requests.map(() => ({
      ok: true as const,
      status: 200,
      headers: [],
      setCookies: [],
      body,
    }));
  };
  return { transport, sent: () => sent };
}

describe("UrlFetchApp limits", () => {
  const script = `
    function fetchMany(n, params) {
      var requests = [];
      for (var i = 0; i < n; i++) requests.push(Object.assign({ url: "https://api.example.com/" + i }, params || {}));
      return UrlFetchApp.fetchAll(requests).length;
    }
    function fetchOne() { return UrlFetchApp.fetch("https://api.example.com/").getResponseCode(); }
    function fetchUrl(url) { return UrlFetchApp.fetch(url).getResponseCode(); }`;
  const hostWith = (options: GasHostOptions = {}, body = new Uint8Array(2)) => {
    const fake = answering(body);
    return {
      host: new GasHost({ scriptCode: script, transport: fake.transport, ...options }),
      sent: fake.sent,
    };
  };

  it("throws the short-time quota error past the per-second limit, counting each request, and sends nothing", () => {
    const { host, sent } = hostWith({ urlFetchPerSecondLimit: 5 });
    expect(ok(host.run("fetchMany", [4]))).toBe(4);
    expect(host.run("fetchMany", [2]).error?.message).toBe(BURST_QUOTA_MESSAGE);
    expect(sent()).toBe(4);
    host.clock.advance(1_000);
    expect(ok(host.run("fetchMany", [5]))).toBe(5);
  });

  it("has no short-time limit unless one is chosen", () => {
    const { host } = hostWith();
    expect(ok(host.run("fetchMany", [500]))).toBe(500);
  });

  it("lets a test inject the short-time quota error into the next calls", () => {
    const { host, sent } = hostWith();
    host.injectUrlFetchBurstErrors(2);
    expect(host.run("fetchOne").error).toMatchObject({ name: "Exception", message: BURST_QUOTA_MESSAGE });
    expect(host.run("fetchMany", [3]).error?.message).toBe(BURST_QUOTA_MESSAGE);
    expect(sent()).toBe(0);
    expect(ok(host.run("fetchOne"))).toBe(200);
  });

  it("refuses a URL longer than 2,082 characters (as escaped) and sends nothing", () => {
    const { host, sent } = hostWith();
    const base = "https://api.example.com/";
    const longest = base + "a".repeat(MAX_URL_LENGTH - base.length);
    expect(ok(host.run("fetchUrl", [longest]))).toBe(200);
    expect(host.run("fetchUrl", [`${longest}a`]).error).toMatchObject({
      name: "Exception",
      message: URL_TOO_LONG_MESSAGE,
    });
    // A space is sent as %20, so the escaped URL is the one that counts.
    expect(host.run("fetchUrl", [`${longest.slice(0, -1)} `]).error?.message).toBe(URL_TOO_LONG_MESSAGE);
    expect(sent()).toBe(1);
  });

  it("refuses more than 100 headers or 8 KB of headers in one request", () => {
    const { host, sent } = hostWith();
    const headers = (count: number, size = 1) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, "v".repeat(size)]));
    expect(ok(host.run("fetchMany", [1, { headers: headers(MAX_HEADERS_PER_REQUEST) }]))).toBe(1);
    expect(
      host.run("fetchMany", [1, { headers: headers(MAX_HEADERS_PER_REQUEST + 1) }]).error?.message,
    ).toMatch(/^Limit Exceeded: URLFetch /);
    expect(host.run("fetchMany", [1, { headers: headers(2, 4100) }]).error?.message).toMatch(
      /^Limit Exceeded: URLFetch /,
    );
    expect(sent()).toBe(1);
  });

  it("refuses a payload over 50 MB and a response over 50 MB", () => {
    const big = hostWith();
    const payload = "p".repeat(MAX_PAYLOAD_BYTES + 1);
    expect(big.host.run("fetchMany", [1, { method: "post", payload }]).error?.message).toBe(
      PAYLOAD_TOO_LARGE_MESSAGE,
    );
    expect(big.sent()).toBe(0);
    const huge = hostWith({}, new Uint8Array(MAX_RESPONSE_BYTES + 1));
    expect(huge.host.run("fetchOne").error?.message).toMatch(/^Limit Exceeded: URLFetch /);
  });
});

describe("Utilities.sleep", () => {
  it("sleeps up to 5 minutes and refuses longer sleeps without waiting", () => {
    const host = new GasHost({
      clock: "virtual",
      costModel: "off",
      scriptCode: "function nap(ms) { var t = Date.now(); Utilities.sleep(ms); return Date.now() - t; }",
    });
    expect(ok(host.run("nap", [MAX_SLEEP_MS]))).toBeGreaterThanOrEqual(MAX_SLEEP_MS);
    const refused = host.run("nap", [MAX_SLEEP_MS + 1]);
    expect(refused.error).toMatchObject({ name: "Exception", message: "Invalid argument: milliseconds" });
    expect(refused.accounting.timeMs.sleep).toBe(0);
  });
});

describe("the daily Properties quota", () => {
  it("counts every read and write and then throws Apps Script's message", () => {
    const host = new GasHost({
      propertiesDailyQuota: 3,
      scriptCode: `function touch() { var p = PropertiesService.getUserProperties(); p.setProperty("a", "1"); return p.getProperty("a"); }`,
    });
    expect(ok(host.run("touch"))).toBe("1");
    expect(host.run("touch").error?.message).toBe(PROPERTIES_DAILY_QUOTA_MESSAGE);
    expect(host.propertiesQuota.used).toBe(3);
  });
});

describe("simultaneous executions", () => {
  it("refuses an execution beyond the per-user limit without running it", () => {
    const host = new GasHost({
      maxSimultaneousExecutions: 2,
      scriptCode: `function outer() { return Session.getScriptTimeZone(); } function inner() { return "ran"; }`,
    });
    const nested: ExecutionResult[] = [];
    const third = () => {
      nested.push(host.run("inner"));
    };
    const second = () => {
      nested.push(host.run("outer", [], { onServiceCall: third }));
    };
    ok(host.run("outer", [], { onServiceCall: second }));
    expect(nested.map((result) => result.error?.message ?? result.returned)).toEqual([
      TOO_MANY_EXECUTIONS_MESSAGE,
      "Etc/UTC",
    ]);
    expect(ok(host.run("inner"))).toBe("ran");
    const other = host.run("inner", [], { userEmail: "other@example.com" });
    expect(other.returned).toBe("ran");
  });
});
