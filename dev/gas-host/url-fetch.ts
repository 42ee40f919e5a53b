// A blocking UrlFetchApp over real HTTP. Requests run in a synckit worker (fetch-worker.mjs) while this thread
// waits in Atomics.wait, so every server a test uses must live in another thread or process. Apps Script
// semantics kept here: request building from params, HTTP errors thrown unless muted, transport failures
// always thrown, one transport failure failing a whole fetchAll, the limits of url-fetch-limits.ts, and the
// time requests take (url-fetch-waves.ts).
import { fileURLToPath } from "node:url";
import { startWorkerThread } from "synckit";
import { blobStateOf, decodeText, fromByteArray, isByteArray, makeBlob, toSignedBytes } from "./blob.js";
import {
  type Execution,
  GasException,
  serviceObject,
  signatureError,
  URL_FETCH_REQUESTS,
} from "./execution.js";
import { isPlainObject } from "./realm.js";
import {
  checkRequest,
  MAX_RESPONSE_BYTES,
  MAX_URL_LENGTH,
  RESPONSE_TOO_LARGE_MESSAGE,
  URL_TOO_LONG_MESSAGE,
  type UrlFetchQuota,
} from "./url-fetch-limits.js";
import { sendInWaves } from "./url-fetch-waves.js";
import type { Transport, WireRequest, WireResult } from "./wire.js";

type HTTPResponse = GoogleAppsScript.URL_Fetch.HTTPResponse;

/** One synckit worker; dispose() ends it (and the host stays usable for everything but fetching). */
export class FetchWorker {
  private call: Transport | undefined;

  get transport(): Transport {
    this.call ??= startWorkerThread<Transport>(fileURLToPath(new URL("./fetch-worker.mjs", import.meta.url)));
    return this.call;
  }

  dispose(): void {
    if (!this.call) return;
    try {
      this.call({ type: "exit" });
    } catch {
      // the worker is gone already
    }
    this.call = undefined;
  }
}

export interface UrlFetchOptions {
  transport: () => Transport;
  /** Per-request timeout (Apps Script: about 60 s, not configurable by the script). */
  timeoutMs: number;
  fetchAllThrowsOnTransportError: boolean;
  quota: UrlFetchQuota;
  /** URL prefixes allowed (the manifest's urlFetchWhitelist plus the host's extra ones); undefined = all. */
  allowlist: readonly string[] | undefined;
  /** Host time, for the short-time quota. */
  now: () => number;
  /** Seeded uniform [0, 1), for the cost model's network jitter. */
  random: () => number;
  scriptId: string;
}

const METHODS = new Set(["get", "delete", "patch", "post", "put"]);
const TRUNCATE_AT = 150;

interface Built {
  url: string;
  method: string;
  headers: Record<string, string>;
  contentType: string | undefined;
  payload: string | Uint8Array | undefined;
  mute: boolean;
  followRedirects: boolean;
  validateHttpsCertificates: boolean;
}

const escapeUrl = (url: string): string =>
  url.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g, (ch) => encodeURIComponent(ch));

const formEncode = (fields: Record<string, unknown>): string =>
  Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");

const build = (url: unknown, params: unknown): Built => {
  if (typeof url !== "string") throw signatureError("UrlFetchApp.fetch", [url, params]);
  if (params !== undefined && !isPlainObject(params))
    throw signatureError("UrlFetchApp.fetch", [url, params]);
  const p = (params ?? {}) as GoogleAppsScript.URL_Fetch.URLFetchRequestOptions;
  const finalUrl = p.escaping === false ? url : escapeUrl(url);
  if (finalUrl.length > MAX_URL_LENGTH) throw new GasException(URL_TOO_LONG_MESSAGE);
  let parsed: URL;
  try {
    parsed = new URL(finalUrl);
  } catch {
    throw new GasException(`Invalid argument: ${url}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new GasException(`Invalid argument: ${url}`);
  const method = String(p.method ?? "get").toLowerCase();
  if (!METHODS.has(method)) throw new GasException(`Invalid argument: method`);
  const headers: Record<string, string> = {};
  if (p.headers !== undefined) {
    if (!isPlainObject(p.headers)) throw signatureError("UrlFetchApp.fetch", [url, params]);
    for (const [name, value] of Object.entries(p.headers)) headers[name] = String(value);
  }
  let payload: string | Uint8Array | undefined;
  let contentType = p.contentType;
  const raw = p.payload as unknown;
  const blob = blobStateOf(raw);
  if (raw === undefined || raw === null) payload = undefined;
  else if (typeof raw === "string") payload = raw;
  else if (blob) {
    payload = blob.bytes;
    contentType ??= blob.contentType ?? undefined;
  } else if (isByteArray(raw)) payload = fromByteArray(raw);
  else if (isPlainObject(raw)) payload = formEncode(raw);
  else payload = String(raw);
  const headerType = Object.keys(headers).find((name) => name.toLowerCase() === "content-type");
  if (payload !== undefined && contentType === undefined && headerType === undefined) {
    contentType = "application/x-www-form-urlencoded";
  }
  return {
    url: finalUrl,
    method,
    headers,
    contentType,
    payload,
    mute: p.muteHttpExceptions === true,
    followRedirects: p.followRedirects !== false,
    validateHttpsCertificates: p.validateHttpsCertificates !== false,
  };
};

const toWire = (request: Built, scriptId: string): WireRequest => {
  const headers: [string, string][] = Object.entries(request.headers);
  if (request.contentType !== undefined) {
    const index = headers.findIndex(([name]) => name.toLowerCase() === "content-type");
    if (index >= 0) headers.splice(index, 1);
    headers.push(["Content-Type", request.contentType]);
  }
  if (!headers.some(([name]) => name.toLowerCase() === "user-agent")) {
    headers.push([
      "User-Agent",
      `Mozilla/5.0 (compatible; Google-Apps-Script; beanserver; +https://script.google.com; id: ${scriptId})`,
    ]);
  }
  const sendsBody = request.payload !== undefined && request.method !== "get";
  return {
    url: request.url,
    method: request.method.toUpperCase(),
    headers,
    ...(sendsBody ? { body: request.payload } : {}),
    redirect: request.followRedirects ? "follow" : "manual",
  };
};

const origin = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
};

const transportMessage = (result: { kind: string }, url: string): string => {
  if (result.kind === "dns") return `DNS error: ${url}`;
  if (result.kind === "timeout") return `Timeout: ${url}`;
  return `Address unavailable: ${url}`;
};

const charsetOf = (contentType: string | undefined): string | undefined =>
  /charset=([^;]+)/i
    .exec(contentType ?? "")?.[1]
    ?.trim()
    .replace(/^"|"$/g, "");

const makeResponse = (exec: Execution, result: Extract<WireResult, { ok: true }>): HTTPResponse => {
  const single: Record<string, string> = {};
  const all: Record<string, string | string[]> = {};
  for (const [name, value] of result.headers) {
    single[name] = value;
    all[name] = value;
  }
  if (result.setCookies.length > 0) {
    single["set-cookie"] = result.setCookies[0] as string;
    all["set-cookie"] =
      result.setCookies.length === 1 ? (result.setCookies[0] as string) : [...result.setCookies];
  }
  const contentType = single["content-type"];
  const body = new Uint8Array(result.body);
  return serviceObject(exec, "HTTPResponse", {
    getResponseCode: () => result.status,
    getContentText: (charset?: string) => decodeText(body, charset ?? charsetOf(contentType) ?? "UTF-8"),
    getContent: () => exec.realm.array(toSignedBytes(body)),
    getHeaders: () => exec.realm.object(Object.entries(single)),
    getAllHeaders: () => exec.realm.object(Object.entries(all)),
    getBlob: () => makeBlob(exec, new Uint8Array(body), contentType ?? null),
    getAs: (type: string) => makeBlob(exec, new Uint8Array(body), contentType ?? null).getAs(type),
  } satisfies HTTPResponse);
};

const httpError = (request: Built, status: number, body: Uint8Array): GasException => {
  const text = decodeText(body);
  const shown = text.length > TRUNCATE_AT ? `${text.slice(0, TRUNCATE_AT - 3)}...` : text;
  return new GasException(
    `Request failed for ${origin(request.url)} returned code ${status}. Truncated server response: ${shown} (use muteHttpExceptions option to examine full response)`,
  );
};

export const makeUrlFetchApp = (
  exec: Execution,
  options: UrlFetchOptions,
): GoogleAppsScript.URL_Fetch.UrlFetchApp => {
  const send = (requests: Built[]): WireResult[] => {
    for (const request of requests) checkRequest(request, options.allowlist);
    options.quota.admit(requests.length, options.now());
    exec.countExtra(URL_FETCH_REQUESTS, requests.length);
    exec.ledger.count("urlFetch.requests", requests.length);
    const { callMs, concurrency, jitterMs } = exec.meter.model.urlFetch;
    exec.spend(callMs, "urlFetch");
    return sendInWaves(
      exec,
      requests.map((request) => toWire(request, options.scriptId)),
      {
        transport: options.transport,
        timeoutMs: options.timeoutMs,
        concurrency,
        jitterMs,
        random: options.random,
      },
    );
  };
  const settle = (request: Built, result: WireResult): HTTPResponse => {
    if (!result.ok) throw new GasException(transportMessage(result, request.url));
    if (result.body.length > MAX_RESPONSE_BYTES) throw new GasException(RESPONSE_TOO_LARGE_MESSAGE);
    if (result.status >= 400 && !request.mute) throw httpError(request, result.status, result.body);
    return makeResponse(exec, result);
  };

  return serviceObject(exec, "UrlFetchApp", {
    fetch: (url: string, params?: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions) => {
      const request = build(url, params);
      const [result] = send([request]);
      return settle(request, result as WireResult);
    },
    fetchAll: (requests: (GoogleAppsScript.URL_Fetch.URLFetchRequest | string)[]) => {
      if (!Array.isArray(requests)) throw signatureError("UrlFetchApp.fetchAll", [requests]);
      const built = requests.map((entry) => {
        if (typeof entry === "string") return build(entry, undefined);
        if (!isPlainObject(entry)) throw signatureError("UrlFetchApp.fetchAll", [requests]);
        const { url, ...params } = entry;
        return build(url, params);
      });
      if (built.length === 0) return exec.realm.array([] as HTTPResponse[]);
      const results = send(built);
      if (options.fetchAllThrowsOnTransportError) {
        const failed = results.findIndex((result) => !result.ok);
        if (failed >= 0) settle(built[failed] as Built, results[failed] as WireResult);
      }
      return exec.realm.array(
        results.map((result, i) =>
          !result.ok && !options.fetchAllThrowsOnTransportError ? null : settle(built[i] as Built, result),
        ),
      ) as HTTPResponse[];
    },
    getRequest: (url: string, params?: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions) => {
      const request = build(url, params);
      const wire = toWire(request, options.scriptId);
      const payload =
        request.payload === undefined
          ? ""
          : typeof request.payload === "string"
            ? request.payload
            : decodeText(request.payload);
      return exec.realm.object([
        ["url", request.url],
        ["method", request.method],
        [
          "headers",
          Object.fromEntries(wire.headers.filter(([name]) => name.toLowerCase() !== "content-type")),
        ],
        ["contentType", request.contentType ?? ""],
        ["payload", payload],
        ["muteHttpExceptions", request.mute],
        ["followRedirects", request.followRedirects],
        ["validateHttpsCertificates", request.validateHttpsCertificates],
        ["useIntranet", false],
      ]) as unknown as GoogleAppsScript.URL_Fetch.URLFetchRequest;
    },
  } satisfies GoogleAppsScript.URL_Fetch.UrlFetchApp);
};
