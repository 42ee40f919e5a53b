// The execution model of the local Apps Script host: fresh contexts, the 6-minute kill (by deadline or at a
// chosen call), locks between executions, nested executions, google.script.run's rules, auth modes, menus.
import { describe, expect, it } from "vitest";
import { GasHost, MAX_TIME_MESSAGE, type ServiceCall } from "../../dev/gas-host/index.js";

describe("executions", () => {
  it("runs the script's top-level code again in a fresh context for every execution", () => {
    const host = new GasHost({
      scriptCode: `
        var loads = (typeof loads === "number" ? loads : 0) + 1;
        var counter = 0;
        function bump() { counter += 1; return [loads, counter]; }`,
    });
    expect(host.run("bump").returned).toEqual([1, 1]);
    expect(host.run("bump").returned).toEqual([1, 1]);
  });

  it("has no timers, fetch, URL or TextEncoder, as Apps Script's V8 has none", () => {
    const host = new GasHost({
      scriptCode: `function probe() { return [typeof setTimeout, typeof fetch, typeof URL, typeof TextEncoder,
        typeof Buffer, typeof process, typeof SpreadsheetApp, typeof console.log]; }`,
    });
    expect(host.run("probe").returned).toEqual([
      "undefined",
      "undefined",
      "undefined",
      "undefined",
      "undefined",
      "undefined",
      "object",
      "function",
    ]);
  });

  it("reports thrown errors, unknown functions, and awaits an async entry point", () => {
    const host = new GasHost({
      scriptCode: `
        function boom() { throw new TypeError("bad input"); }
        async function later() { await null; return { ok: true }; }
        async function laterFails() { await null; throw new Error("async failure"); }
        var api = { ping: function () { return "pong"; } };`,
    });
    expect(host.run("boom").error).toMatchObject({ name: "TypeError", message: "bad input" });
    expect(host.run("missing").error).toMatchObject({ message: "Script function not found: missing" });
    expect(host.run("later").returned).toEqual({ ok: true });
    expect(host.run("laterFails").error?.message).toBe("async failure");
    expect(host.run("api.ping").returned).toBe("pong");
  });

  it("passes arguments in and copies return values out as plain host data", () => {
    const host = new GasHost({
      scriptCode: `function echo(a) { return { isArray: a.list instanceof Array, list: a.list, when: new Date(0) }; }`,
    });
    const out = host.run("echo", [{ list: [1, "x"] }]).returned as {
      isArray: boolean;
      list: unknown[];
      when: Date;
    };
    expect(out.isArray).toBe(true);
    expect(out.list).toEqual([1, "x"]);
    expect(out.when).toBeInstanceOf(Date);
  });
});

describe("the execution deadline", () => {
  it("kills a script that loops on Utilities.sleep; writes before the kill persist, its catch cannot write", () => {
    const host = new GasHost({
      scriptCode: `
        function work() {
          var sheet = SpreadsheetApp.getActiveSheet();
          var row = 1;
          try {
            while (true) { sheet.getRange(row, 1).setValue("row " + row); row += 1; Utilities.sleep(40); }
          } catch (e) {
            PropertiesService.getUserProperties().setProperty("cursor", String(row));
            return "caught " + e.message;
          }
        }`,
    });
    const started = Date.now();
    const result = host.run("work", [], { executionLimitMs: 300 });
    const elapsed = Date.now() - started;
    expect(result.killed).toBe(true);
    expect(result.returned).toBeUndefined();
    expect(result.error).toEqual({ name: "Exception", message: MAX_TIME_MESSAGE });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
    const written = host.spreadsheet.sheet("Sheet1").values();
    expect(written.length).toBeGreaterThanOrEqual(5);
    expect(written[0]).toEqual(["row 1"]);
    expect(host.userProperties.has("cursor")).toBe(false);
    expect(result.calls["Properties.setProperty"]).toBeUndefined();
  });

  it("makes every later service call of a killed execution throw again", () => {
    const host = new GasHost({
      scriptCode: `
        function stubborn() {
          var messages = [];
          for (var i = 0; i < 3; i++) {
            try { Utilities.sleep(1000); } catch (e) { messages.push(e.message); }
          }
          try { Logger.log("after"); } catch (e) { messages.push(e.message); }
          return messages;
        }`,
    });
    const result = host.run("stubborn", [], { executionLimitMs: 100 });
    expect(result.killed).toBe(true);
    expect(host.logs).toEqual([]);
    expect(result.durationMs).toBeLessThan(1000);
  });

  it("kills a pure CPU loop through the vm timeout", () => {
    const host = new GasHost({ scriptCode: "function spin() { for (;;) {} }" });
    const result = host.run("spin", [], { executionLimitMs: 150 });
    expect(result.killed).toBe(true);
    expect(result.error?.message).toBe(MAX_TIME_MESSAGE);
  });

  it("kills at a chosen service call (killWhen), before that call happens", () => {
    const host = new GasHost({
      scriptCode: `function write() { var s = SpreadsheetApp.getActiveSheet();
        for (var i = 1; i <= 5; i++) s.getRange(i, 1).setValue(i); return "done"; }`,
    });
    const seen: ServiceCall[] = [];
    const result = host.run("write", [], {
      killWhen: (call) => {
        seen.push(call);
        return call.key === "Range.setValue" && call.count === 3;
      },
    });
    expect(result.killed).toBe(true);
    expect(host.spreadsheet.sheet("Sheet1").values()).toEqual([[1], [2]]);
    expect(result.calls["Range.setValue"]).toBe(2);
    expect(seen.at(-1)).toMatchObject({
      service: "Range",
      method: "setValue",
      count: 3,
      functionName: "write",
    });
    expect(seen.map((call) => call.seq)).toEqual(seen.map((_, i) => i + 1));
  });
});

describe("locks", () => {
  const script = `
    function holdAndFetch() {
      var lock = LockService.getDocumentLock();
      var got = lock.tryLock(1000);
      Utilities.sleep(1);
      return [got, lock.hasLock()];
    }
    function tryOnce() { var lock = LockService.getDocumentLock(); return [lock.tryLock(50), lock.hasLock()]; }
    function waitOnce() { LockService.getDocumentLock().waitLock(50); return "got it"; }
    function holdForever() { LockService.getScriptLock().waitLock(10); while (true) Utilities.sleep(20); }
    function scriptLock() { return LockService.getScriptLock().tryLock(10); }`;

  it("denies a second execution the document lock while the first holds it, and releases it at the end", () => {
    const host = new GasHost({ scriptCode: script });
    const nested: unknown[] = [];
    const first = host.run("holdAndFetch", [], {
      onServiceCall: (call) => {
        if (call.key === "Utilities.sleep") {
          nested.push(host.run("tryOnce").returned);
          const waited = host.run("waitOnce");
          nested.push(waited.error?.message);
        }
      },
    });
    expect(first.returned).toEqual([true, true]);
    expect(nested).toEqual([
      [false, false],
      "Lock timeout: another process was holding the lock for too long.",
    ]);
    expect(host.locks.holder("document")).toBeUndefined();
    expect(host.run("tryOnce").returned).toEqual([true, true]);
  });

  it("releases the locks of a killed execution", () => {
    const host = new GasHost({ scriptCode: script });
    const result = host.run("holdForever", [], { executionLimitMs: 120 });
    expect(result.killed).toBe(true);
    expect(host.locks.holder("script")).toBeUndefined();
    expect(host.run("scriptLock").returned).toBe(true);
  });

  it("lets a test hold a lock on behalf of someone else", () => {
    const host = new GasHost({ scriptCode: script });
    host.locks.hold("document", "other-user");
    expect(host.run("tryOnce").returned).toEqual([false, false]);
    host.locks.release("document");
    expect(host.run("tryOnce").returned).toEqual([true, true]);
  });

  it("kills an execution whose lock wait would outlast its deadline", () => {
    const host = new GasHost({ scriptCode: script });
    host.locks.hold("document");
    const result = host.run("waitOnce", [], { executionLimitMs: 40 });
    expect(result.killed).toBe(true);
  });
});

describe("nested executions", () => {
  it("run in their own context while the outer execution is suspended in a service call", () => {
    const host = new GasHost({
      scriptCode: `
        var mine = Math.random();
        function outer() {
          var props = PropertiesService.getDocumentProperties();
          props.setProperty("who", "outer");
          var before = mine;
          SpreadsheetApp.flush();
          return [before === mine, props.getProperty("who")];
        }
        function inner() { PropertiesService.getDocumentProperties().setProperty("who", "inner"); return mine; }`,
    });
    let innerId = "";
    host.onServiceCall = (call) => {
      if (call.key === "SpreadsheetApp.flush") innerId = host.run("inner").executionId;
    };
    const result = host.run("outer");
    host.onServiceCall = undefined;
    expect(result.returned).toEqual([true, "inner"]);
    expect(innerId).not.toBe(result.executionId);
    expect(host.executions.map((e) => e.functionName)).toEqual(["inner", "outer"]);
  });
});

describe("google.script.run rules (runFromClient)", () => {
  const host = new GasHost({
    scriptCode: `
      function save(settings) { return { got: settings, type: typeof settings.when }; }
      function withDate() { return { at: new Date(0), n: 1 }; }
      function holes() { return [1, undefined, 3]; }
      function secret_() { return "private"; }`,
  });

  it("refuses Date and function arguments before anything runs", () => {
    const before = host.executions.length;
    expect(() => host.runFromClient("save", [{ when: new Date() }])).toThrow(
      "Failed due to illegal value in property: 0.when",
    );
    expect(() => host.runFromClient("save", [() => 1])).toThrow("Failed due to illegal value in property: 0");
    expect(host.executions.length).toBe(before);
  });

  it("refuses private (trailing underscore) and dotted names", () => {
    expect(() => host.runFromClient("secret_")).toThrow(/cannot call secret_/);
    expect(host.run("secret_").returned).toBe("private");
  });

  it("copies plain data, turns undefined array slots into null and a Date-bearing result into null", () => {
    expect(host.runFromClient("save", [{ a: [1, { b: "c" }], skip: undefined }]).returned).toEqual({
      got: { a: [1, { b: "c" }] },
      type: "undefined",
    });
    expect(host.runFromClient("holes").returned).toEqual([1, null, 3]);
    const dated = host.runFromClient("withDate");
    expect(dated.returned).toBeNull();
    expect(dated.returnRejected).toMatch(/at/);
  });
});

describe("authorization modes and menus", () => {
  const script = `
    function onOpen(e) {
      var ui = SpreadsheetApp.getUi();
      ui.createAddonMenu()
        .addItem("Sync rows", "syncRows")
        .addSeparator()
        .addSubMenu(ui.createMenu("Advanced").addItem("Reset", "resetAll").addItem("Broken", "notDefined"))
        .addToUi();
      if (e && e.authMode != ScriptApp.AuthMode.NONE) {
        PropertiesService.getDocumentProperties().setProperty("opened", String(e.authMode));
      }
    }
    function syncRows() { return "synced"; }
    function resetAll() { return "reset"; }
    function fetchInNone() { UrlFetchApp.fetch("http://127.0.0.1:9/"); }`;

  it("records the menu tree onOpen builds and clicks items by caption, submenus included", () => {
    const host = new GasHost({ scriptCode: script });
    expect(host.open().error).toBeUndefined();
    expect(host.ui.addonMenu?.items).toEqual([
      { type: "item", caption: "Sync rows", functionName: "syncRows" },
      { type: "separator" },
      {
        type: "submenu",
        caption: "Advanced",
        items: [
          { type: "item", caption: "Reset", functionName: "resetAll" },
          { type: "item", caption: "Broken", functionName: "notDefined" },
        ],
      },
    ]);
    expect(host.documentProperties.get("opened")).toBe("LIMITED");
    expect(host.clickMenuItem("Sync rows").returned).toBe("synced");
    expect(host.clickMenuItem("Reset").returned).toBe("reset");
    expect(() => host.clickMenuItem("Nope")).toThrow(/no menu item "Nope".*"Sync rows"/);
    expect(() => host.clickMenuItem("Broken")).toThrow(/names notDefined, which the script does not define/);
    host.open();
    expect(host.ui.menus).toHaveLength(1);
  });

  it("in AuthMode.NONE allows menus but not properties; LIMITED forbids UrlFetchApp", () => {
    const host = new GasHost({
      scriptCode: `${script}
        function propsInNone() { PropertiesService.getDocumentProperties(); }`,
    });
    expect(host.open({ authMode: "NONE" }).error).toBeUndefined();
    expect(host.ui.addonMenu).toBeDefined();
    expect(host.documentProperties.size).toBe(0);
    expect(host.run("propsInNone", [], { authMode: "NONE" }).error?.message).toBe(
      "You do not have permission to call PropertiesService.getDocumentProperties",
    );
    expect(host.run("fetchInNone", [], { authMode: "LIMITED" }).error?.message).toBe(
      "You do not have permission to call UrlFetchApp.fetch",
    );
  });
});

describe("call counters", () => {
  it("count every service call per Service.method, across executions, until reset", () => {
    const host = new GasHost({
      scriptCode: `function run() { var s = SpreadsheetApp.getActiveSheet();
        s.getRange(1, 1).setValue(1); s.getRange(2, 1).setValue(2); return s.getRange("A1:A2").getValues(); }`,
    });
    const result = host.run("run");
    host.run("run");
    expect(result.calls).toEqual({
      "SpreadsheetApp.getActiveSheet": 1,
      "Sheet.getRange": 3,
      "Range.setValue": 2,
      "Range.getValues": 1,
    });
    expect(host.calls.count("Range.setValue")).toBe(4);
    expect(host.calls.total("Range.")).toBe(6);
    host.calls.reset();
    expect(host.calls.count("Range.setValue")).toBe(0);
    expect(host.calls.snapshot().size).toBe(0);
  });
});
