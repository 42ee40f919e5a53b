// "Test connection": one cheap read (GET /workflow_runs?maxPageSize=1) and, only when Extend refuses the key,
// a few probes sent together that tell a bad key from a key of another region or a wrong workspace id. The
// verdict is chosen from HTTP statuses and Extend error codes only; the messages' English is never parsed.

import type { ApiErrorBody } from "../../extend/api";
import { API_VERSION, BASE_URL_BY_REGION, type Region } from "../../extend/api";
import { headerValue, parseErrorBody } from "../../extend/errors";
import { type AttemptResult, classifyAttempt, READ_AT_MOST } from "../requests/classify";
import { type Scrub, scrubberFor } from "../requests/secrets";
import { baseUrlOf, type Settings } from "./settings";

export interface ProbeRequest {
  url: string;
  method: "get";
  headers: Record<string, string>;
  muteHttpExceptions: true;
  followRedirects: false;
}

/** What one probe asks: the region it went to, and whether it carried the workspace header. */
export interface Probe {
  region: Region;
  withWorkspace: boolean;
  request: ProbeRequest;
}

export type VerdictKind =
  | "connected"
  | "no-key"
  | "bad-key"
  | "wrong-region"
  | "workspace-needed"
  | "workspace-wrong"
  | "rate-limited"
  | "usage-blocked"
  | "network"
  | "quota"
  | "extend-error"
  | "unexpected";

export interface ConnectionVerdict {
  ok: boolean;
  kind: VerdictKind;
  /** What happened, in a few words. */
  title: string;
  /** What it means and what to do. */
  message: string;
  requestId?: string;
}

export function probeRequest(baseUrl: string, apiKey: string, workspaceId?: string): ProbeRequest {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${apiKey}`,
    "x-extend-api-version": API_VERSION,
  };
  if (workspaceId) headers["x-extend-workspace-id"] = workspaceId;
  return {
    url: `${baseUrl.replace(/\/+$/, "")}/workflow_runs?maxPageSize=1`,
    method: "get",
    headers,
    muteHttpExceptions: true,
    followRedirects: false,
  };
}

export function firstProbe(settings: Settings, apiKey: string): Probe {
  return {
    region: settings.region,
    withWorkspace: settings.workspaceId !== undefined,
    request: probeRequest(baseUrlOf(settings), apiKey, settings.workspaceId),
  };
}

/** The most of a request id, and of an Extend code, a verdict shows. */
const MAX_REQUEST_ID = 100;
const MAX_CODE_SHOWN = 60;

/**
 * An answer's body as Extend's error shape, reading at most READ_AT_MOST characters of it (as
 * src/core/requests/classify.ts does).
 */
function errorBodyOf(body: string): ApiErrorBody {
  return parseErrorBody(body.slice(0, READ_AT_MOST));
}

/** Server text made safe to show: at most READ_AT_MOST characters read, the key and bearer tokens removed, cut. */
function fromServer(text: string, length: number, scrub: Scrub): string {
  return scrub(text.slice(0, READ_AT_MOST)).slice(0, length);
}

/** Whether an answer means Extend refused the key (or its access), so the follow-up probes can say why. */
function refused(answer: AttemptResult): boolean {
  if (!("response" in answer)) return false;
  const { status, body } = answer.response;
  const code = errorBodyOf(body).code;
  return status === 401 || status === 403 || code === "UNAUTHORIZED" || code === "FORBIDDEN";
}

/**
 * The probes to send in one fetchAll after the first answer: the other regions (a key works in one region
 * only), and the same region without the workspace header (is the workspace id the problem?). A local base
 * URL override means there are no other regions to ask.
 */
export function followUpProbes(settings: Settings, apiKey: string, first: AttemptResult): Probe[] {
  if (!refused(first)) return [];
  const probes: Probe[] = [];
  if (settings.baseUrlOverride === undefined) {
    for (const region of Object.keys(BASE_URL_BY_REGION) as Region[]) {
      if (region === settings.region) continue;
      probes.push({
        region,
        withWorkspace: settings.workspaceId !== undefined,
        request: probeRequest(BASE_URL_BY_REGION[region], apiKey, settings.workspaceId),
      });
    }
  }
  if (settings.workspaceId !== undefined) {
    probes.push({
      region: settings.region,
      withWorkspace: false,
      request: probeRequest(baseUrlOf(settings), apiKey),
    });
  }
  return probes;
}

const succeeded = (answer: AttemptResult | undefined): boolean =>
  answer !== undefined &&
  "response" in answer &&
  answer.response.status >= 200 &&
  answer.response.status < 300;

/** The request id of an answer (its body's, else its header's), scrubbed and cut. */
function requestIdOf(
  headers: Readonly<Record<string, string | string[]>>,
  parsed: ApiErrorBody,
  scrub: Scrub,
): string | undefined {
  const requestId = parsed.requestId ?? headerValue(headers, "x-extend-request-id");
  return requestId ? fromServer(requestId, MAX_REQUEST_ID, scrub) : undefined;
}

function verdict(kind: VerdictKind, title: string, message: string, requestId?: string): ConnectionVerdict {
  const result: ConnectionVerdict = { ok: kind === "connected", kind, title, message };
  if (requestId) result.requestId = requestId;
  return result;
}

export const NO_KEY_VERDICT: ConnectionVerdict = {
  ok: false,
  kind: "no-key",
  title: "No API key is set",
  message: "Paste your Extend API key above and press Save key, then test again.",
};

/** A known Extend code decides first; without one, the HTTP status stands for it. */
function codeOf(status: number, code: string | undefined): string {
  if (code) return code;
  if (status === 401) return "UNAUTHORIZED";
  if (status === 402) return "USAGE_BLOCKED";
  if (status === 403) return "FORBIDDEN";
  if (status === 429) return "RATE_LIMIT_EXCEEDED";
  if (status >= 500) return "INTERNAL_ERROR";
  return `HTTP_${status}`;
}

/**
 * The verdict on the first answer and the follow-ups'. `scrub` removes the user's key (and any bearer token)
 * from the server's text the verdict carries (the request id, an unexpected code): a proxy may echo it.
 */
export function connectionVerdict(
  settings: Settings,
  first: AttemptResult,
  followUps: readonly { probe: Probe; answer: AttemptResult | undefined }[] = [],
  scrub: Scrub = scrubberFor([]),
): ConnectionVerdict {
  const where = `region ${settings.region}${settings.workspaceId ? `, workspace ${settings.workspaceId}` : ""}`;
  if (!("response" in first)) {
    // Only the code is used: the transport's text never reaches the verdict.
    const classified = classifyAttempt(first, 0, scrubberFor([]));
    const code = classified.kind === "success" ? "" : classified.error.code;
    if (code === "URLFETCH_QUOTA")
      return verdict(
        "quota",
        "Google's daily limit is used up",
        "Your Google account has used today's Apps Script allowance of web requests, so the test could not reach Extend: this says nothing about your key or settings. Nothing was sent.",
      );
    return verdict(
      "network",
      "Extend could not be reached",
      "The request did not get through (a network problem between Google and Extend). Wait a minute and test again. If it keeps failing, check the Region setting.",
    );
  }
  const { status, body, headers } = first.response;
  const parsed = errorBodyOf(body);
  const requestId = requestIdOf(headers, parsed, scrub);
  if (status >= 200 && status < 300)
    return verdict(
      "connected",
      "Connected",
      `Extend accepted your API key (${where}). You can sync.`,
      requestId,
    );
  const code = codeOf(status, parsed.code);
  switch (code) {
    case "UNAUTHORIZED":
    case "FORBIDDEN": {
      const otherRegion = followUps.find(
        (entry) => entry.probe.region !== settings.region && succeeded(entry.answer),
      );
      if (otherRegion)
        return verdict(
          "wrong-region",
          "Wrong region",
          `Your key belongs to region ${otherRegion.probe.region}, not ${settings.region}. Choose ${otherRegion.probe.region} under Region, save, and test again.`,
          requestId,
        );
      const withoutWorkspace = followUps.find(
        (entry) => !entry.probe.withWorkspace && succeeded(entry.answer),
      );
      if (settings.workspaceId && (withoutWorkspace || status === 403))
        return verdict(
          "workspace-wrong",
          "Wrong workspace ID",
          `Your key has no access to workspace ${settings.workspaceId}. Copy the workspace id again from the Extend dashboard (or clear it for a key made for one workspace), save, and test again.`,
          requestId,
        );
      if (!settings.workspaceId && status === 403)
        return verdict(
          "workspace-needed",
          "Workspace ID needed",
          "Extend knows your key but needs to know which workspace to use: it is an organization-wide key. Enter the Workspace ID from the Extend dashboard, save, and test again.",
          requestId,
        );
      return verdict(
        "bad-key",
        "API key refused",
        `Extend did not accept this API key (${where}). Copy the key again from the Extend dashboard (Developers), save it, and test again. An organization-wide key also needs a Workspace ID.`,
        requestId,
      );
    }
    case "RATE_LIMIT_EXCEEDED":
      return verdict(
        "rate-limited",
        "Extend is busy (rate limit)",
        "Your key works, but your organization is sending Extend too many requests right now (other integrations count too). Wait a minute and test again; a sync slows down by itself.",
        requestId,
      );
    case "USAGE_BLOCKED":
      return verdict(
        "usage-blocked",
        "Organization blocked",
        "Your key works, but your Extend organization is blocked for insufficient credits. Ask an Extend admin to add credits.",
        requestId,
      );
    case "INTERNAL_ERROR":
      return verdict(
        "extend-error",
        "Extend had a problem",
        `Extend answered with an error of its own (HTTP ${status}). Test again in a few minutes; if it persists, give Extend support the request id.`,
        requestId,
      );
    case "ENDPOINT_REMOVED":
      return verdict(
        "unexpected",
        "Add-on out of date",
        "Extend no longer offers what this version of the add-on calls. Ask whoever installed it to update it.",
        requestId,
      );
    default:
      return verdict(
        "unexpected",
        `Unexpected answer (HTTP ${status})`,
        `Extend answered in a way the add-on does not expect (${fromServer(code, MAX_CODE_SHOWN, scrub)}). Check the Region setting and test again; if it persists, give Extend support the request id.`,
        requestId,
      );
  }
}
