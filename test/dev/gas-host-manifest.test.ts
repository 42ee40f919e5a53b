// The manifest as the host enforces it: urlFetchWhitelist (plus the extra prefixes a local run adds for the
// stand-in) and oauthScopes. Requests go to a recording transport, so no server is needed to see what was sent.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  GasHost,
  type GasHostOptions,
  type Manifest,
  missingScopeMessage,
  notAllowlistedMessage,
  readManifest,
  SCOPE,
  type Transport,
  urlAllowed,
  type WireRequest,
} from "../../dev/gas-host/index.js";
import { configureAddOn } from "../../dev/local-run.js";

const REPO_MANIFEST = join(import.meta.dirname, "..", "..", "appsscript.json");
const STAND_IN = "http://127.0.0.1:40123";

/** A transport that answers 200 to everything and remembers what it was asked to send. */
function recordingTransport(): { transport: Transport; sent: WireRequest[] } {
  const sent: WireRequest[] = [];
  const transport: Transport = (command) => {
    if (command.type !== "batch") return [];
    sent.push(...command.requests);
    return command.requests.map(() => ({
      ok: true as const,
      status: 200,
      headers: [["content-type", "application/json"]] as [string, string][],
      setCookies: [],
      body: new TextEncoder().encode("{}"),
    }));
  };
  return { transport, sent };
}

const fetchScript = `
  function fetchOne(url) { return UrlFetchApp.fetch(url).getResponseCode(); }
  function fetchMany(urls) { return UrlFetchApp.fetchAll(urls).map(function (r) { return r.getResponseCode(); }); }`;

function hostWith(options: GasHostOptions & { scriptCode?: string } = {}) {
  const recorder = recordingTransport();
  const host = new GasHost({ scriptCode: fetchScript, transport: recorder.transport, ...options });
  return { host, sent: recorder.sent };
}

describe("urlFetchWhitelist", () => {
  const manifest: Manifest = {
    urlFetchWhitelist: ["https://api.extend.ai/", "https://*.eu1.example.com/v1/"],
  };

  it("matches prefixes, and a leading *. wildcard matches subdomains only", () => {
    const prefixes = manifest.urlFetchWhitelist ?? [];
    expect(urlAllowed("https://api.extend.ai/workflow_runs/x", prefixes)).toBe(true);
    expect(urlAllowed("https://api.extend.ai.evil.com/", prefixes)).toBe(false);
    expect(urlAllowed("http://api.extend.ai/", prefixes)).toBe(false);
    expect(urlAllowed("https://a.eu1.example.com/v1/runs", prefixes)).toBe(true);
    expect(urlAllowed("https://a.b.eu1.example.com/v1/runs", prefixes)).toBe(true);
    expect(urlAllowed("https://eu1.example.com/v1/runs", prefixes)).toBe(false);
    expect(urlAllowed("https://a.eu1.example.com/v2/runs", prefixes)).toBe(false);
    expect(urlAllowed("https://x.com/a.eu1.example.com/v1/", prefixes)).toBe(false);
  });

  it("refuses a URL outside the allowlist with Apps Script's message and sends nothing", () => {
    const { host, sent } = hostWith({ manifest });
    expect(host.run("fetchOne", ["https://api.extend.ai/workflow_runs/a"]).returned).toBe(200);
    const refused = host.run("fetchOne", ["https://example.org/x"]);
    expect(refused.error).toMatchObject({
      name: "Exception",
      message: notAllowlistedMessage("https://example.org/x"),
    });
    expect(refused.error?.message).toBe(
      "Request to https://example.org/x failed because the URL has not been whitelisted in the script manifest.",
    );
    expect(sent.map((request) => request.url)).toEqual(["https://api.extend.ai/workflow_runs/a"]);
  });

  it("refuses a whole fetchAll when any element is outside the allowlist", () => {
    const { host, sent } = hostWith({ manifest });
    const result = host.run("fetchMany", [["https://api.extend.ai/a", `${STAND_IN}/workflow_runs/b`]]);
    expect(result.error?.message).toBe(notAllowlistedMessage(`${STAND_IN}/workflow_runs/b`));
    expect(sent).toHaveLength(0);
    expect(host.urlFetchQuota.used).toBe(0);
  });

  it("refuses the stand-in with the project's own manifest until its origin is added as an extra prefix", () => {
    const strict = hostWith({ manifest: REPO_MANIFEST });
    expect(strict.host.run("fetchOne", [`${STAND_IN}/workflow_runs/a`]).error?.message).toBe(
      notAllowlistedMessage(`${STAND_IN}/workflow_runs/a`),
    );
    expect(strict.sent).toHaveLength(0);

    const local = hostWith({ manifest: REPO_MANIFEST, extraUrlFetchPrefixes: [`${STAND_IN}/`] });
    expect(local.host.run("fetchOne", [`${STAND_IN}/workflow_runs/a`]).returned).toBe(200);
    expect(local.host.run("fetchOne", ["http://127.0.0.1:40124/x"]).error?.message).toBe(
      notAllowlistedMessage("http://127.0.0.1:40124/x"),
    );
  });

  it("lets configureAddOn allow the base URL's origin, as a local run's test deployment does", () => {
    const { host, sent } = hostWith({ manifest: REPO_MANIFEST });
    configureAddOn(host, { apiKey: "k-not-secret", baseUrl: `${STAND_IN}/` });
    expect(host.urlFetchAllowlist).toContain(`${STAND_IN}/`);
    expect(host.run("fetchOne", [`${STAND_IN}/workflow_runs/a`]).returned).toBe(200);
    expect(sent).toHaveLength(1);
  });

  it("allows every URL when the manifest has no allowlist, and by default for scripts without a manifest", () => {
    expect(hostWith({ manifest: {} }).host.run("fetchOne", ["https://example.org/"]).returned).toBe(200);
    expect(hostWith().host.run("fetchOne", ["https://example.org/"]).returned).toBe(200);
    expect(hostWith().host.manifest).toBeUndefined();
  });

  it("reads the manifest beside the bundle by default", () => {
    const manifestPath = join(import.meta.dirname, "..", "..", "dist", "appsscript.json");
    const host = new GasHost();
    expect(host.manifest).toEqual(readManifest(manifestPath));
    expect(host.manifest?.urlFetchWhitelist).toContain("https://api.extend.ai/");
  });
});

describe("oauthScopes", () => {
  const scopeScript = `
    function sheetName() { return SpreadsheetApp.getActiveSheet().getName(); }
    function menu() { SpreadsheetApp.getUi().createAddonMenu().addItem("Go", "go").addToUi(); return "ok"; }
    function alert() { return String(SpreadsheetApp.getUi().alert("hi")); }
    function sidebar() { SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutput("<p>x</p>")); }
    function email() { return Session.getActiveUser().getEmail(); }
    function fetchOne(url) { return UrlFetchApp.fetch(url).getResponseCode(); }
    function triggers() { return ScriptApp.getProjectTriggers().length; }
    function free() {
      PropertiesService.getUserProperties().setProperty("a", "1");
      CacheService.getUserCache().put("a", "1");
      LockService.getDocumentLock().tryLock(1);
      Logger.log(Utilities.formatDate(new Date(0), "UTC", "yyyy"));
      return Session.getScriptTimeZone();
    }`;
  const withScopes = (scopes: string[]) =>
    hostWith({ scriptCode: scopeScript, manifest: { oauthScopes: scopes } }).host;

  it("refuses each service without its scope, with Apps Script's message", () => {
    const host = withScopes([]);
    expect(host.run("sheetName").error).toMatchObject({
      name: "Exception",
      message:
        "You do not have permission to call SpreadsheetApp.getActiveSheet. Required permissions: (https://www.googleapis.com/auth/spreadsheets.currentonly || https://www.googleapis.com/auth/spreadsheets)",
    });
    expect(host.run("alert").error?.message).toBe(missingScopeMessage("Ui.alert", [SCOPE.containerUi]));
    expect(host.run("sidebar").error?.message).toBe(
      missingScopeMessage("Ui.showSidebar", [SCOPE.containerUi]),
    );
    expect(host.run("email").error?.message).toBe(
      `You do not have permission to call Session.getActiveUser. Required permissions: ${SCOPE.userinfoEmail}`,
    );
    expect(host.run("fetchOne", ["https://example.org/"]).error?.message).toBe(
      missingScopeMessage("UrlFetchApp.fetch", [SCOPE.externalRequest]),
    );
    expect(host.run("triggers").error?.message).toBe(
      missingScopeMessage("ScriptApp.getProjectTriggers", [SCOPE.scriptApp]),
    );
  });

  it("needs no scope for menus, properties, cache, locks, logging and utilities", () => {
    const host = withScopes([]);
    expect(host.run("menu").returned).toBe("ok");
    expect(host.run("free").returned).toBe("Etc/UTC");
  });

  it("runs each service once its scope is granted; either spreadsheet scope will do", () => {
    const host = withScopes([
      SCOPE.spreadsheets,
      SCOPE.containerUi,
      SCOPE.userinfoEmail,
      SCOPE.externalRequest,
      SCOPE.scriptApp,
    ]);
    expect(host.run("sheetName").returned).toBe("Sheet1");
    expect(host.run("alert").returned).toBe("OK");
    expect(host.run("email").returned).toBe("tester@example.com");
    expect(host.run("fetchOne", ["https://example.org/"]).returned).toBe(200);
    expect(host.run("triggers").returned).toBe(0);
    expect(withScopes([SCOPE.spreadsheetsCurrentOnly]).run("sheetName").returned).toBe("Sheet1");
  });

  it("grants everything when the manifest sets no oauthScopes", () => {
    const host = hostWith({ scriptCode: scopeScript, manifest: {} }).host;
    expect(host.run("sheetName").returned).toBe("Sheet1");
    expect(host.run("email").returned).toBe("tester@example.com");
  });

  it("covers everything the add-on calls with the project's own manifest", () => {
    const host = new GasHost({ manifest: REPO_MANIFEST });
    host.spreadsheet.addSheet("Runs").setValues("A1", [["Run ID", "Name"]]);
    host.spreadsheet.select("Runs", "A1");
    expect(host.open().error).toBeUndefined();
    const result = host.clickMenuItem("Check rows (dry run)");
    expect(result.error).toBeUndefined();
    expect(host.ui.modalDialogs.length + host.ui.alerts.length).toBeGreaterThan(0);
  });
});
