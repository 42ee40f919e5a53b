// The host's simulated clock and cost model: one virtual time for the script's Date, sleeps, deadlines, cache
// expiry, cost charges and fetch latency; Sheets writes queued and paid at the next read, flush or the end of
// the execution; the accounting per service that tests and the benchmark read.
import { describe, expect, it } from "vitest";
import {
  COST_MODELS,
  type CostModel,
  GasHost,
  type GasHostOptions,
  MAX_TIME_MESSAGE,
  SIMULATED_LATENCY_HEADER,
  type Transport,
  VIRTUAL_NOW_HEADER,
  type WireRequest,
} from "../../dev/gas-host/index.js";

/** Round numbers, so every charge can be checked exactly. */
const MODEL: CostModel = {
  name: "test",
  sheets: { roundTripMs: 100, cellReadMs: 1, writeQueueMs: 2, commitMs: 50, cellWriteMs: 3 },
  properties: { getMs: 30, setMs: 60 },
  cache: { getMs: 3, putMs: 90 },
  lock: { callMs: 40 },
  urlFetch: { callMs: 20, concurrency: 2, jitterMs: 0 },
  sleepOverheadMs: 5,
  executionGapMs: 1000,
};

const virtualHost = (scriptCode: string, options: GasHostOptions = {}) =>
  new GasHost({ scriptCode, clock: "virtual", costModel: MODEL, ...options });

/** Measured in the script with its own Date.now(), which includes a little CPU time of its own. */
const near = (actual: number, expected: number) => {
  expect(actual).toBeGreaterThanOrEqual(expected);
  expect(actual).toBeLessThan(expected + 25);
};

describe("Sheets writes and reads", () => {
  const script = `
    function writeThenRead() {
      var sheet = SpreadsheetApp.getActiveSheet();
      var t0 = Date.now();
      sheet.getRange("A1").setValue(1);
      sheet.getRange("A2").setValue(2);
      sheet.getRange("A3").setValue(3);
      var t1 = Date.now();
      sheet.getRange("A1:B2").getValues();
      var t2 = Date.now();
      sheet.getRange("A1:B2").getValues();
      var t3 = Date.now();
      return [t1 - t0, t2 - t1, t3 - t2];
    }
    function writeThenFlush() {
      var sheet = SpreadsheetApp.getActiveSheet();
      sheet.getRange("A1:C1").setValues([[1, 2, 3]]);
      var t0 = Date.now();
      SpreadsheetApp.flush();
      var t1 = Date.now();
      SpreadsheetApp.flush();
      sheet.getLastRow();
      return [t1 - t0, Date.now() - t1];
    }
    function writeOnly() { SpreadsheetApp.getActiveSheet().getRange("A1:B2").setValues([[1, 2], [3, 4]]); }`;

  it("queues writes cheaply and makes the next read pay their commit once", () => {
    const host = virtualHost(script);
    const result = host.run("writeThenRead");
    const [writes, firstRead, secondRead] = result.returned as number[];
    near(writes as number, 3 * 2);
    near(firstRead as number, 50 + 3 * 3 + 100 + 4 * 1);
    near(secondRead as number, 100 + 4 * 1);
    expect(result.accounting.sheets).toEqual({
      roundTrips: 2,
      cellsRead: 8,
      writeCalls: 3,
      cellsWritten: 3,
      commits: 1,
    });
    expect(result.accounting.timeMs.sheets).toBe(6 + 59 + 104 + 104);
  });

  it("makes SpreadsheetApp.flush() pay the commit, and a flush with nothing queued costs nothing", () => {
    const host = virtualHost(script);
    const result = host.run("writeThenFlush");
    const [flush, afterwards] = result.returned as number[];
    near(flush as number, 50 + 3 * 3);
    near(afterwards as number, 100);
    expect(result.accounting.sheets.commits).toBe(1);
  });

  it("commits what is still queued when the execution ends, and counts it in the execution's time", () => {
    const host = virtualHost(script);
    const result = host.run("writeOnly");
    expect(result.accounting.sheets.commits).toBe(1);
    expect(result.accounting.timeMs.sheets).toBe(2 + 50 + 4 * 3);
    expect(result.durationMs).toBeGreaterThanOrEqual(2 + 50 + 12);
  });

  it('charges a whole-row read such as getRange("1:1") for every column of the sheet, not the used ones', () => {
    const host = virtualHost(`function go() {
      var sheet = SpreadsheetApp.getActiveSheet();
      sheet.insertColumnsAfter(1, 14);
      var t = Date.now();
      var width = sheet.getRange("1:1").getValues()[0].length;
      return [width, Date.now() - t];
    }`);
    const result = host.run("go");
    const [width, took] = result.returned as number[];
    expect(width).toBe(26 + 14);
    near(took as number, 100 + 40 * 1);
    expect(result.accounting.sheets.cellsRead).toBe(40);
    expect(result.accounting.timeMs.sheets).toBe(100 + 100 + 40);
  });

  it("charges structural edits and getLastRow as round trips, and getRange nothing", () => {
    const host = virtualHost(`function go() {
      var sheet = SpreadsheetApp.getActiveSheet();
      sheet.getRange(1, 1, 10, 10);
      sheet.getLastRow();
      sheet.insertColumnsAfter(1, 2);
      sheet.hideColumns(2);
    }`);
    const result = host.run("go");
    expect(result.accounting.sheets.roundTrips).toBe(3);
    expect(result.accounting.timeMs.sheets).toBe(300);
    expect(result.accounting.calls.sheets).toBe(5);
  });
});

describe("other services", () => {
  it("charges Properties reads and writes and lock calls, and lets the script's Date see them", () => {
    const host = virtualHost(`function go() {
      var p = PropertiesService.getDocumentProperties();
      var t0 = Date.now();
      p.setProperty("a", "1");
      var t1 = Date.now();
      p.getProperty("a");
      var t2 = Date.now();
      var lock = LockService.getDocumentLock();
      lock.tryLock(1000);
      lock.releaseLock();
      return [t1 - t0, t2 - t1, Date.now() - t2];
    }`);
    const result = host.run("go");
    const [set, get, lock] = result.returned as number[];
    near(set as number, 60);
    near(get as number, 30);
    near(lock as number, 80);
    expect(result.accounting.timeMs).toMatchObject({ properties: 90, lock: 80 });
    expect(result.accounting.calls).toMatchObject({ properties: 2, lock: 2 });
  });

  it("charges cache puts and gets (the live progress's store) under their own area", () => {
    const host = virtualHost(`function go() {
      var cache = CacheService.getDocumentCache();
      var t0 = Date.now();
      cache.put("a", "1", 60);
      var t1 = Date.now();
      cache.get("a");
      cache.remove("a");
      return [t1 - t0, Date.now() - t1];
    }`);
    const result = host.run("go");
    const [put, rest] = result.returned as number[];
    near(put as number, 90);
    near(rest as number, 93);
    expect(result.accounting.timeMs).toMatchObject({ cache: 183 });
    expect(result.accounting.calls).toMatchObject({ cache: 3 });
  });

  it("counts nothing and charges nothing with the model off", () => {
    const host = new GasHost({
      clock: "virtual",
      scriptCode: `function go() { var t = Date.now(); SpreadsheetApp.getActiveSheet().getRange("A1").setValue(1);
        SpreadsheetApp.getActiveSheet().getDataRange().getValues(); PropertiesService.getUserProperties().getKeys();
        return Date.now() - t; }`,
    });
    const result = host.run("go");
    expect(result.returned as number).toBeLessThan(25);
    expect(result.accounting.timeMs).toMatchObject({ sheets: 0, properties: 0 });
    expect(result.accounting.sheets.commits).toBe(1);
  });
});

describe("the virtual clock", () => {
  it("passes a sleep (and its inaccuracy) in virtual time, without waiting for it", () => {
    const host = virtualHost(
      `function go() { var t = Date.now(); Utilities.sleep(120000); return Date.now() - t; }`,
    );
    const started = performance.now();
    const result = host.run("go");
    // Not waited out: a real sleep would take the whole 120 s (a bound far from it, so a busy machine passes).
    expect(performance.now() - started).toBeLessThan(120_000 / 4);
    near(result.returned as number, 120_005);
    expect(result.accounting.timeMs.sleep).toBe(120_005);
  });

  it("kills an execution at its virtual deadline, reporting exactly the limit", () => {
    const host = virtualHost(`function go() { while (true) Utilities.sleep(60000); }`);
    const started = performance.now();
    const result = host.run("go", [], { executionLimitMs: 360_000 });
    expect(performance.now() - started).toBeLessThan(360_000 / 4);
    expect(result.killed).toBe(true);
    expect(result.error?.message).toBe(MAX_TIME_MESSAGE);
    expect(result.durationMs).toBeCloseTo(360_000, 0);
  });

  it("advances virtual time by the script's own CPU time", () => {
    const host = virtualHost(`function go() {
      var t = Date.now(), x = 0;
      while (Date.now() - t < 60) x += Math.sqrt(x + 1);
      return Date.now() - t;
    }`);
    const result = host.run("go");
    expect(result.returned as number).toBeGreaterThanOrEqual(60);
    expect(result.accounting.timeMs.cpu).toBeGreaterThanOrEqual(50);
  });

  it("makes a busy lock's tryLock and waitLock wait out their timeout in virtual time", () => {
    const host = virtualHost(`
      function tryIt() { var t = Date.now(); var got = LockService.getDocumentLock().tryLock(30000);
        return [got, Date.now() - t]; }
      function waitIt() { LockService.getDocumentLock().waitLock(20000); }`);
    host.locks.hold("document", "other-user");
    const started = performance.now();
    const tried = host.run("tryIt");
    const [got, waited] = tried.returned as [boolean, number];
    expect(got).toBe(false);
    near(waited, 30_000 + 40);
    expect(tried.accounting.timeMs.lock).toBe(30_040);
    const waitedOut = host.run("waitIt");
    expect(waitedOut.error?.message).toBe("Lock timeout: another process was holding the lock for too long.");
    expect(waitedOut.accounting.timeMs.lock).toBe(20_040);
    expect(waitedOut.durationMs).toBeGreaterThanOrEqual(20_040);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("puts a gap between executions, and expires cache entries on the same clock", () => {
    const host = virtualHost(`
      function put() { CacheService.getScriptCache().put("k", "v", 1); return Date.now(); }
      function get() { return [CacheService.getScriptCache().get("k"), Date.now()]; }`);
    const putAt = host.run("put").returned as number;
    const [value, getAt] = host.run("get").returned as [string | null, number];
    expect(getAt - putAt).toBeGreaterThanOrEqual(1000);
    expect(value).toBeNull();
    expect(host.accounting.snapshot().timeMs.gap).toBe(1000);
    expect(host.accounting.snapshot().executions).toBe(2);
  });

  it("gives the script real Dates that read virtual time", () => {
    const start = Date.UTC(2030, 0, 1);
    const host = virtualHost(
      `function go() { var d = new Date(); return [d instanceof Date, d.getTime(), typeof Date(),
        new Date(2020, 0, 2).getFullYear(), Object.prototype.toString.call(d), d.constructor === Date]; }`,
      { virtualStartMs: start, costModel: "off" },
    );
    const [isDate, time, called, year, tag, sameConstructor] = host.run("go").returned as unknown[];
    expect([isDate, called, year, tag, sameConstructor]).toEqual([
      true,
      "string",
      2020,
      "[object Date]",
      true,
    ]);
    expect(time as number).toBeGreaterThanOrEqual(start);
    expect(time as number).toBeLessThan(start + 1000);
  });
});

describe("UrlFetchApp in virtual time", () => {
  /** Answers with the latency each URL names (/ms/<n>), or a status (/status/<n>), recording stamps. */
  function latencyTransport(): { transport: Transport; sent: WireRequest[] } {
    const sent: WireRequest[] = [];
    const transport: Transport = (command) => {
      if (command.type !== "batch") return [];
      sent.push(...command.requests);
      return command.requests.map((request) => {
        const [, kind, value] = new URL(request.url).pathname.split("/");
        return {
          ok: true as const,
          status: kind === "status" ? Number(value) : 200,
          headers: [[SIMULATED_LATENCY_HEADER, kind === "ms" ? String(value) : "0"]] as [string, string][],
          setCookies: [],
          body: new Uint8Array(0),
        };
      });
    };
    return { transport, sent };
  }
  const script = `function go(urls) {
    var t = Date.now();
    var codes = UrlFetchApp.fetchAll(urls.map(function (u) { return { url: u, muteHttpExceptions: true }; }))
      .map(function (r) { return [r.getResponseCode(), Object.keys(r.getHeaders()).length]; });
    return { ms: Date.now() - t, codes: codes };
  }
  function one(url) { return UrlFetchApp.fetch(url).getResponseCode(); }`;
  const base = "https://api.example.com";

  it("sends waves of the model's concurrency one after another, each taking its longest latency", () => {
    const { transport, sent } = latencyTransport();
    const host = virtualHost(script, { transport, virtualStartMs: 1_000_000 });
    const result = host.run("go", [[100, 300, 50, 50, 200].map((ms) => `${base}/ms/${ms}`)]);
    const { ms, codes } = result.returned as { ms: number; codes: number[][] };
    near(ms, 20 + 300 + 50 + 200);
    expect(codes).toEqual([
      [200, 0],
      [200, 0],
      [200, 0],
      [200, 0],
      [200, 0],
    ]);
    const stamps = sent.map((request) => {
      const header = request.headers.find(([name]) => name === VIRTUAL_NOW_HEADER);
      return Number(header?.[1]);
    });
    const first = stamps[0] as number;
    expect(stamps.map((stamp) => stamp - first)).toEqual([0, 0, 300, 300, 350]);
    expect(result.accounting.urlFetch).toEqual({ requests: 5, waves: 3, answered429: 0 });
    expect(result.accounting.timeMs.urlFetch).toBe(570);
  });

  it("spreads each request's arrival by the model's jitter, the same way every run", () => {
    const stampsOf = () => {
      const { transport, sent } = latencyTransport();
      const jittery = { ...MODEL, urlFetch: { ...MODEL.urlFetch, concurrency: 10, jitterMs: 30 } };
      const host = virtualHost(script, { transport, costModel: jittery, virtualStartMs: 1_000_000 });
      const result = host.run("go", [Array.from({ length: 6 }, () => `${base}/ms/100`)]);
      const stamps = sent.map((request) =>
        Number(request.headers.find(([name]) => name === VIRTUAL_NOW_HEADER)?.[1]),
      );
      return { stamps, urlFetchMs: result.accounting.timeMs.urlFetch };
    };
    const first = stampsOf();
    const earliest = Math.min(...first.stamps);
    expect(Math.max(...first.stamps) - earliest).toBeGreaterThan(0);
    expect(Math.max(...first.stamps) - earliest).toBeLessThan(30);
    expect(first.urlFetchMs).toBeCloseTo(20 + 100 + (Math.max(...first.stamps) - earliest), -1);
    // The script's own CPU time before the fetch differs a little from run to run; the spread does not.
    const spread = (stamps: number[]) => stamps.map((stamp) => Math.round((stamp - (stamps[0] ?? 0)) * 1000));
    expect(spread(stampsOf().stamps)).toEqual(spread(first.stamps));
  });

  it("turns a latency past the 60-second timeout into a timeout after 60 virtual seconds", () => {
    const { transport } = latencyTransport();
    const host = virtualHost(script, { transport });
    const before = host.clock.now();
    expect(host.run("one", [`${base}/ms/61000`]).error?.message).toBe(`Timeout: ${base}/ms/61000`);
    expect(host.clock.now() - before).toBeGreaterThanOrEqual(60_020);
  });

  it("kills the execution when a wave would end past its deadline", () => {
    const { transport } = latencyTransport();
    const host = virtualHost(script, { transport });
    const result = host.run("go", [[`${base}/ms/5000`]], { executionLimitMs: 3000 });
    expect(result.killed).toBe(true);
    expect(result.durationMs).toBeCloseTo(3000, 0);
  });

  it("counts the 429 answers the script received", () => {
    const { transport } = latencyTransport();
    const host = virtualHost(script, { transport });
    const result = host.run("go", [[`${base}/status/429`, `${base}/status/200`, `${base}/status/429`]]);
    expect(result.accounting.urlFetch.answered429).toBe(2);
  });
});

describe("the cost model in real time", () => {
  it("charges by really waiting, so the script's own clock sees it", () => {
    const host = new GasHost({
      costModel: { ...COST_MODELS.off, properties: { getMs: 150, setMs: 0 } },
      scriptCode: `function go() { var t = Date.now(); PropertiesService.getUserProperties().getProperty("a");
        return Date.now() - t; }`,
    });
    const started = performance.now();
    expect(host.run("go").returned as number).toBeGreaterThanOrEqual(148);
    expect(performance.now() - started).toBeGreaterThanOrEqual(148);
  });

  it("publishes on, high and off presets, high never cheaper than on", () => {
    const { on, high, off } = COST_MODELS;
    expect(off.sheets.roundTripMs + off.executionGapMs + off.urlFetch.callMs).toBe(0);
    expect(high.sheets.roundTripMs).toBeGreaterThanOrEqual(on.sheets.roundTripMs);
    expect(high.sheets.cellReadMs).toBeGreaterThanOrEqual(on.sheets.cellReadMs);
    expect(high.sheets.commitMs).toBeGreaterThanOrEqual(on.sheets.commitMs);
    expect(high.properties.setMs).toBeGreaterThanOrEqual(on.properties.setMs);
    expect(high.cache.putMs).toBeGreaterThanOrEqual(on.cache.putMs);
    expect(high.cache.getMs).toBeGreaterThanOrEqual(on.cache.getMs);
    expect(high.urlFetch.callMs).toBeGreaterThanOrEqual(on.urlFetch.callMs);
    expect(high.urlFetch.concurrency).toBeLessThanOrEqual(on.urlFetch.concurrency);
    expect(high.executionGapMs).toBeGreaterThanOrEqual(on.executionGapMs);
  });
});
