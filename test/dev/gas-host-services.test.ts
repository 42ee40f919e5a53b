// The host's non-spreadsheet services: property stores and their limits, cache expiry, Utilities (dates in time
// zones, Java-style digests, base64, a sleep that blocks), Session, Logger/console, UI dialogs and HtmlService.

import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GasHost, PROPERTY_QUOTA_MESSAGE } from "../../dev/gas-host/index.js";

describe("PropertiesService", () => {
  const script = `
    function set(kind, key, value) {
      var store = PropertiesService["get" + kind + "Properties"]();
      try { store.setProperty(key, value); return "ok"; } catch (e) { return e.message; }
    }
    function setMany(props, deleteOthers) {
      try { PropertiesService.getUserProperties().setProperties(props, deleteOthers); return "ok"; }
      catch (e) { return e.message; }
    }
    function read() { var p = PropertiesService.getUserProperties();
      return { all: p.getProperties(), keys: p.getKeys().sort(), missing: p.getProperty("nope") }; }
    function wipe() { PropertiesService.getUserProperties().deleteProperty("a"); PropertiesService.getScriptProperties().deleteAllProperties(); }`;

  it("persists string values across executions and per store", () => {
    const host = new GasHost({ scriptCode: script });
    expect(host.run("set", ["User", "a", 12]).returned).toBe("ok");
    expect(host.run("set", ["Document", "a", "doc"]).returned).toBe("ok");
    expect(host.run("set", ["Script", "s", true]).returned).toBe("ok");
    expect(host.run("read").returned).toEqual({ all: { a: "12" }, keys: ["a"], missing: null });
    expect(host.documentProperties.get("a")).toBe("doc");
    expect(host.scriptProperties.get("s")).toBe("true");
    host.run("wipe");
    expect(host.userProperties.size).toBe(0);
    expect(host.scriptProperties.size).toBe(0);
    expect(host.documentProperties.size).toBe(1);
  });

  it("keeps user properties per user", () => {
    const host = new GasHost({ scriptCode: script });
    host.run("set", ["User", "k", "mine"]);
    host.run("set", ["User", "k", "theirs"], { userEmail: "other@example.com" });
    expect(host.userProperties.get("k")).toBe("mine");
    expect(host.userPropertiesOf("other@example.com").get("k")).toBe("theirs");
  });

  it("rejects a value over 9 KB and a store over 500 KB, leaving the store unchanged", () => {
    const host = new GasHost({ scriptCode: script });
    expect(host.run("set", ["User", "big", "x".repeat(9 * 1024 + 1)]).returned).toBe(
      "Argument too large: value",
    );
    expect(host.run("set", ["User", "fits", "x".repeat(9 * 1024 - 4)]).returned).toBe("ok");
    const chunk = "y".repeat(9000);
    const many: Record<string, string> = {};
    for (let i = 0; i < 56; i += 1) many[`k${i}`] = chunk;
    expect(host.run("setMany", [many, false]).returned).toBe(PROPERTY_QUOTA_MESSAGE);
    expect([...host.userProperties.keys()]).toEqual(["fits"]);
    expect(host.run("setMany", [{ only: "1" }, true]).returned).toBe("ok");
    expect([...host.userProperties.keys()]).toEqual(["only"]);
  });
});

describe("CacheService", () => {
  const script = `
    function put(key, value, seconds) {
      try { CacheService.getScriptCache().put(key, value, seconds); return "ok"; } catch (e) { return e.message; }
    }
    function get(keys) { var c = CacheService.getScriptCache(); return [c.get(keys[0]), c.getAll(keys)]; }`;

  it("expires entries after their expiration (default 600 s) by the host clock", () => {
    const host = new GasHost({ scriptCode: script });
    host.run("put", ["short", "1", 5]);
    host.run("put", ["default", "2"]);
    expect(host.run("get", [["short", "default"]]).returned).toEqual(["1", { short: "1", default: "2" }]);
    host.clock.advance(5_001);
    expect(host.run("get", [["short", "default"]]).returned).toEqual([null, { default: "2" }]);
    host.clock.advance(595_000);
    expect(host.run("get", [["default"]]).returned).toEqual([null, {}]);
  });

  it("enforces key, value and expiration limits", () => {
    const host = new GasHost({ scriptCode: script });
    expect(host.run("put", ["k".repeat(251), "v"]).returned).toBe("Argument too large: key");
    expect(host.run("put", ["k", "v".repeat(100 * 1024 + 1)]).returned).toBe("Argument too large: value");
    expect(host.run("put", ["k", "v", 21_601]).returned).toBe("Argument too large: expirationInSeconds");
    expect(host.run("put", ["k", "v", 21_600]).returned).toBe("ok");
  });
});

describe("Utilities", () => {
  it("formats dates like SimpleDateFormat in any time zone", () => {
    const host = new GasHost({
      scriptCode: `function fmt(ms, tz, pattern) { return Utilities.formatDate(new Date(ms), tz, pattern); }`,
    });
    const at = Date.UTC(2026, 6, 4, 21, 5, 9, 7);
    const fmt = (tz: string, pattern: string) => host.run("fmt", [at, tz, pattern]).returned;
    expect(fmt("Europe/Berlin", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toBe("2026-07-04T23:05:09.007+02:00");
    expect(fmt("America/New_York", "EEE, d MMM yyyy h:mm a Z")).toBe("Sat, 4 Jul 2026 5:05 PM -0400");
    expect(fmt("Asia/Kolkata", "yy/M/d HH:mm X")).toBe("26/7/5 02:35 +0530");
    expect(fmt("Etc/UTC", "yyyy-MM-dd HH:mm:ss XXX")).toBe("2026-07-04 21:05:09 Z");
    expect(fmt("Europe/Berlin", "EEEE MMMM dd 'o''clock' ''")).toBe("Saturday July 04 o'clock '");
    expect(fmt("Not/AZone", "HH:mm")).toBe("21:05");
    expect(String(fmt("Europe/Berlin", "z"))).toMatch(/^(GMT\+2|CEST)$/);
    expect(host.run("fmt", [at, "UTC", "yyyy q"]).error?.message).toBe("Illegal pattern character 'q'");
  });

  it("computes digests as Java signed bytes and base64 like Apps Script", () => {
    const host = new GasHost({
      scriptCode: `function run() {
        var md5 = Utilities.computeDigest(Utilities.DigestAlgorithm.MD5, "hello");
        var sha = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, "héllo", Utilities.Charset.UTF_8);
        var hmac = Utilities.computeHmacSha256Signature("msg", "test-key-not-secret");
        return { md5: md5, sha: sha, hmac: hmac,
          b64: Utilities.base64Encode("héllo?>"), safe: Utilities.base64EncodeWebSafe("héllo?>"),
          back: Utilities.newBlob(Utilities.base64Decode(Utilities.base64Encode("héllo"))).getDataAsString(),
          bad: (function () { try { Utilities.base64Decode("***"); } catch (e) { return e.message; } })(),
          uuid: Utilities.getUuid() };
      }`,
    });
    const out = host.run("run").returned as Record<string, unknown>;
    const signed = (buffer: Buffer) => Array.from(buffer, (b) => (b > 127 ? b - 256 : b));
    expect(out.md5).toEqual(signed(createHash("md5").update("hello").digest()));
    expect((out.md5 as number[]).some((b) => b < 0)).toBe(true);
    expect(out.sha).toEqual(signed(createHash("sha256").update("héllo").digest()));
    expect((out.hmac as number[]).length).toBe(32);
    expect(out.b64).toBe(Buffer.from("héllo?>").toString("base64"));
    expect(out.safe).toBe(Buffer.from("héllo?>").toString("base64").replace(/\+/g, "-").replace(/\//g, "_"));
    expect(out.back).toBe("héllo");
    expect(out.bad).toBe("Could not decode string.");
    expect(out.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("sleeps for real, blocking the execution", () => {
    const host = new GasHost({
      scriptCode: "function nap() { var t = Date.now(); Utilities.sleep(120); return Date.now() - t; }",
    });
    expect(host.run("nap").returned).toBeGreaterThanOrEqual(115);
  });
});

describe("Session, Logger and console", () => {
  it("reports the user and the script time zone, and captures logs per execution", () => {
    const host = new GasHost({
      scriptCode: `function run() {
        Logger.log("rows: %s of %s", 3, 10);
        Logger.log({ a: 1 });
        console.warn("careful", { b: 2 });
        return [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail(), Session.getScriptTimeZone(),
          Session.getTemporaryActiveUserKey().length > 10, Logger.getLog()];
      }`,
      userEmail: "ana@example.com",
    });
    const result = host.run("run");
    expect(result.returned).toEqual([
      "ana@example.com",
      "ana@example.com",
      "Etc/UTC",
      true,
      'rows: 3 of 10\n{"a":1}\n',
    ]);
    expect(host.logs.map((l) => [l.source, l.level, l.message])).toEqual([
      ["Logger", "info", "rows: 3 of 10"],
      ["Logger", "info", '{"a":1}'],
      ["console", "warn", "careful { b: 2 }"],
    ]);
    expect(host.logs.every((l) => l.executionId === result.executionId)).toBe(true);
  });
});

describe("UI dialogs", () => {
  const script = `
    function confirm() { var ui = SpreadsheetApp.getUi();
      return String(ui.alert("Run sync", "Update 3 runs?", ui.ButtonSet.YES_NO)) + "|" +
        (ui.alert("Done") == ui.Button.OK); }
    function ask() { var ui = SpreadsheetApp.getUi();
      var r = ui.prompt("API key", "Paste your key", ui.ButtonSet.OK_CANCEL);
      return [String(r.getSelectedButton()), r.getResponseText(), r.getSelectedButton() == ui.Button.OK]; }
    function askOk() { return String(SpreadsheetApp.getUi().prompt("Name?").getSelectedButton()); }
    function notify() { SpreadsheetApp.getActive().toast("3 rows updated", "Extend", 10); SpreadsheetApp.getActive().toast("hi"); }`;

  it("answers alerts OK/YES and prompts CANCEL (or the close box) when nothing is queued", () => {
    const host = new GasHost({ scriptCode: script });
    expect(host.run("confirm").returned).toBe("YES|true");
    expect(host.run("ask").returned).toEqual(["CANCEL", "", false]);
    expect(host.run("askOk").returned).toBe("CLOSE");
    expect(host.ui.alerts.map((a) => [a.title, a.prompt, a.buttons, a.answer])).toEqual([
      ["Run sync", "Update 3 runs?", "YES_NO", "YES"],
      [null, "Done", "OK", "OK"],
    ]);
  });

  it("answers from the queue, in order, and rejects an answer the dialog does not offer", () => {
    const host = new GasHost({ scriptCode: script });
    host.ui.answerNext({ button: "NO" }).answerNext({ button: "CLOSE" });
    expect(host.run("confirm").returned).toBe("NO|false");
    host.ui.answerNext({ button: "OK", text: "test-key-not-secret" });
    expect(host.run("ask").returned).toEqual(["OK", "test-key-not-secret", true]);
    expect(host.ui.prompts[0]?.responseText).toBe("test-key-not-secret");
    host.ui.answerNext({ button: "YES" });
    expect(host.run("ask").error?.message).toMatch(/YES is not a button of ButtonSet.OK_CANCEL/);
  });

  it("records toasts", () => {
    const host = new GasHost({ scriptCode: script });
    host.run("notify");
    expect(host.ui.toasts.map((t) => [t.message, t.title, t.timeoutSeconds])).toEqual([
      ["3 rows updated", "Extend", 10],
      ["hi", "", 5],
    ]);
  });
});

describe("HtmlService", () => {
  const htmlDir = mkdtempSync(join(tmpdir(), "gas-host-html-"));
  writeFileSync(
    join(htmlDir, "Sidebar.html"),
    [
      "<h1><?= title ?></h1>",
      "<? for (var i = 0; i < rows.length; i++) { ?><li><?= rows[i] ?></li><? } ?>",
      "<?!= include('Styles'); ?>",
      "<script>var config = <?= config ?>;</script>",
    ].join("\n"),
  );
  writeFileSync(join(htmlDir, "Styles.html"), "<style>b{}</style>");
  const script = `
    function include(name) { return HtmlService.createHtmlOutputFromFile(name).getContent(); }
    function showSidebar() {
      var t = HtmlService.createTemplateFromFile("Sidebar");
      t.title = "Runs <&>";
      t.rows = ["a", "<b>"];
      t.config = { key: "</script>" };
      SpreadsheetApp.getUi().showSidebar(t.evaluate().setTitle("Extend Sync"));
    }
    function dialog() {
      SpreadsheetApp.getUi().showModalDialog(HtmlService.createHtmlOutput("<p>x</p>").setWidth(400).setHeight(200), "Confirm");
    }
    function missing() { HtmlService.createHtmlOutputFromFile("Nope"); }`;

  it("evaluates templates in the script's context with escaping, and captures the sidebar", () => {
    const host = new GasHost({ scriptCode: script, htmlDir });
    expect(host.run("showSidebar").error).toBeUndefined();
    expect(host.ui.sidebar?.title).toBe("Extend Sync");
    expect(host.ui.sidebar?.html).toBe(
      [
        "<h1>Runs &lt;&amp;&gt;</h1>",
        "<li>a</li><li>&lt;b&gt;</li>",
        "<style>b{}</style>",
        '<script>var config = {"key":"\\u003c/script\\u003e"};</script>',
      ].join("\n"),
    );
  });

  it("captures dialogs and reports a missing file as Apps Script does", () => {
    const host = new GasHost({ scriptCode: script, htmlDir });
    host.run("dialog");
    expect(host.ui.modalDialogs).toEqual([
      expect.objectContaining({ kind: "modal", title: "Confirm", html: "<p>x</p>", width: 400, height: 200 }),
    ]);
    expect(host.run("missing").error?.message).toBe("No HTML file named Nope was found.");
  });
});
