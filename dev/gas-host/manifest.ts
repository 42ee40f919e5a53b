// The project manifest (appsscript.json) as Apps Script enforces it at run time: the URL allowlist
// (urlFetchWhitelist) and the OAuth scopes (oauthScopes). Once a manifest sets oauthScopes, Apps Script stops
// detecting scopes from the code, so a service the list does not cover fails; the host maps each service call
// to the scopes that would let it run. Sources: developers.google.com/apps-script/manifest/allowlist-url and
// developers.google.com/workspace/add-ons/concepts/editor-scopes (reference/apps-script.md §4.5).
import { existsSync, readFileSync } from "node:fs";

export interface Manifest {
  timeZone?: string;
  oauthScopes?: string[];
  urlFetchWhitelist?: string[];
  [field: string]: unknown;
}

export const SCOPE = {
  spreadsheetsCurrentOnly: "https://www.googleapis.com/auth/spreadsheets.currentonly",
  spreadsheets: "https://www.googleapis.com/auth/spreadsheets",
  containerUi: "https://www.googleapis.com/auth/script.container.ui",
  externalRequest: "https://www.googleapis.com/auth/script.external_request",
  userinfoEmail: "https://www.googleapis.com/auth/userinfo.email",
  scriptApp: "https://www.googleapis.com/auth/script.scriptapp",
} as const;

/** Reads a manifest file; a missing file means "no manifest" (Apps Script then allows every URL and scope). */
export function readManifest(path: string): Manifest | undefined {
  if (!existsSync(path)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`gas-host: ${path} is not a JSON object`);
  }
  return parsed as Manifest;
}

// Seen in Apps Script's own error texts: "Request to https://oauth2.googleapis.com/token failed because the URL
// has not been whitelisted in the script manifest." (github.com/grahamearley/FirestoreGoogleAppsScript/issues/135;
// the same wording in github.com/diegomanuel/binance-to-google-sheets/issues/83).
export const notAllowlistedMessage = (url: string): string =>
  `Request to ${url} failed because the URL has not been whitelisted in the script manifest.`;

/**
 * Whether `url` starts with one of the allowlisted prefixes. A prefix may start its host with one "*." wildcard
 * ("https://*.example.com/"), which matches any subdomain, as the allowlist page describes.
 */
export function urlAllowed(url: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => {
    const wildcard = /^(https?:\/\/)\*\.(.*)$/.exec(prefix);
    if (!wildcard) return url.startsWith(prefix);
    const [, scheme = "", rest = ""] = wildcard;
    if (!url.startsWith(scheme)) return false;
    const afterScheme = url.slice(scheme.length);
    const dot = afterScheme.indexOf(`.${rest}`);
    return dot > 0 && !afterScheme.slice(0, dot).includes("/") && afterScheme.slice(dot + 1).startsWith(rest);
  });
}

const SPREADSHEET_SCOPES = [SCOPE.spreadsheetsCurrentOnly, SCOPE.spreadsheets];
const SHEET_OBJECTS = new Set(["Spreadsheet", "Sheet", "Range", "RangeList", "Selection"]);
// SpreadsheetApp calls that touch no spreadsheet data: they work in AuthMode.NONE, before any authorization.
const SPREADSHEET_APP_WITHOUT_SCOPE = new Set(["getUi", "newDataValidation", "newConditionalFormatRule"]);
const UI_WITH_SCOPE = new Set(["alert", "prompt", "showSidebar", "showModalDialog", "showModelessDialog"]);
const TRIGGER_METHODS = new Set(["newTrigger", "getProjectTriggers", "getUserTriggers", "deleteTrigger"]);

/**
 * The scopes of which one must be granted for a service call, or undefined when the call needs none. Menus,
 * HtmlService, PropertiesService, LockService, CacheService, Utilities and logging need no scope.
 */
export function requiredScopes(service: string, method: string): readonly string[] | undefined {
  if (SHEET_OBJECTS.has(service)) return SPREADSHEET_SCOPES;
  if (service === "SpreadsheetApp") {
    return SPREADSHEET_APP_WITHOUT_SCOPE.has(method) ? undefined : SPREADSHEET_SCOPES;
  }
  if (service === "Ui") return UI_WITH_SCOPE.has(method) ? [SCOPE.containerUi] : undefined;
  if (service === "UrlFetchApp") return [SCOPE.externalRequest];
  if (service === "Session" && (method === "getActiveUser" || method === "getEffectiveUser")) {
    return [SCOPE.userinfoEmail];
  }
  if (service === "ScriptApp" && TRIGGER_METHODS.has(method)) return [SCOPE.scriptApp];
  return undefined;
}

// "You do not have permission to call SpreadsheetApp.getActiveSpreadsheet. Required permissions:
// (https://www.googleapis.com/auth/spreadsheets.currentonly || https://www.googleapis.com/auth/spreadsheets)"
// is Apps Script's text, alternatives in parentheses joined by " || " and a single scope bare (quoted in
// projects found by code search, e.g. for UrlFetchApp.fetch and script.external_request). Newer runs also
// say "Specified permissions are not sufficient to call X." with the same "Required permissions" tail.
export const missingScopeMessage = (key: string, scopes: readonly string[]): string =>
  `You do not have permission to call ${key}. Required permissions: ${
    scopes.length === 1 ? scopes[0] : `(${scopes.join(" || ")})`
  }`;
