// What Apps Script refuses before a UrlFetchApp request leaves: URLs too long or not in the manifest's allowlist,
// too many or too large headers, an oversized payload, the daily quota and the short-time ("burst") quota. Every check
// runs for all requests of a call before any is sent, so a refused fetchAll sends nothing.
import { GasException } from "./execution.js";
import { notAllowlistedMessage, urlAllowed } from "./manifest.js";

/** Quotas page (developers.google.com/apps-script/guides/services/quotas): per call limits. */
export const MAX_HEADERS_PER_REQUEST = 100;
export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_PAYLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/**
 * UrlFetchApp reference (developers.google.com/apps-script/reference/url-fetch/url-fetch-app): a URL "can have
 * up to 2,082 characters" (the quotas table rounds it to 2 KB; reference/apps-script.md §1.4). Counted after
 * the host escapes the URL, as Apps Script sends it.
 */
export const MAX_URL_LENGTH = 2082;

// Seen in scripts' own error handling (code search): "Limit Exceeded: URLFetch URL Length." and
// "Limit Exceeded: URLFetch POST Size.". The header and response texts follow the same pattern; Google's exact
// words for those two were not found, so tests should match /Limit Exceeded: URLFetch/.
export const URL_TOO_LONG_MESSAGE = "Limit Exceeded: URLFetch URL Length.";
export const PAYLOAD_TOO_LARGE_MESSAGE = "Limit Exceeded: URLFetch POST Size.";
export const TOO_MANY_HEADERS_MESSAGE = "Limit Exceeded: URLFetch Header Count.";
export const HEADERS_TOO_LARGE_MESSAGE = "Limit Exceeded: URLFetch Header Size.";
export const RESPONSE_TOO_LARGE_MESSAGE = "Limit Exceeded: URLFetch Response Size.";

// Quotas page and github.com/Blacksmoke16/GESI issues 99 and 108 (reference/apps-script.md §1.2).
export const DAILY_QUOTA_MESSAGE = "Service invoked too many times for one day: urlfetch.";
export const BURST_QUOTA_MESSAGE =
  "Service invoked too many times in a short time: urlfetch. Try Utilities.sleep(1000) between calls.";

/** The parts of a built request the limits look at. */
export interface CheckedRequest {
  url: string;
  headers: Record<string, string>;
  payload: string | Uint8Array | undefined;
}

const byteLength = (payload: string | Uint8Array): number =>
  typeof payload === "string" ? Buffer.byteLength(payload, "utf8") : payload.length;

/** Per-request checks: the allowlist (when the manifest has one), header count and size, payload size. */
export function checkRequest(request: CheckedRequest, allowlist: readonly string[] | undefined): void {
  if (allowlist && !urlAllowed(request.url, allowlist)) {
    throw new GasException(notAllowlistedMessage(request.url));
  }
  const headers = Object.entries(request.headers);
  if (headers.length > MAX_HEADERS_PER_REQUEST) throw new GasException(TOO_MANY_HEADERS_MESSAGE);
  const headerBytes = headers.reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(`${name}: ${value}\r\n`, "utf8"),
    0,
  );
  if (headerBytes > MAX_HEADER_BYTES) throw new GasException(HEADERS_TOO_LARGE_MESSAGE);
  if (request.payload !== undefined && byteLength(request.payload) > MAX_PAYLOAD_BYTES) {
    throw new GasException(PAYLOAD_TOO_LARGE_MESSAGE);
  }
}

/**
 * When the daily count starts again. Google's quotas page says quotas "reset 24 hours after the first request";
 * the issue tracker and Google's other APIs count by the Pacific day. Not confirmed either way, so the host has
 * one answer per reading, and "never" (the host's lifetime is one day), the strictest, by default.
 */
export type UrlFetchQuotaReset = "never" | "pacific-midnight" | "24h-after-first-request";

const DAY_MS = 24 * 3_600_000;
const PACIFIC_DAY = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Los_Angeles",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

export interface UrlFetchQuotaOptions {
  /** Calls per day. */
  daily: number;
  /** When that day starts again (default "never"). */
  reset?: UrlFetchQuotaReset | undefined;
  /**
   * Requests allowed in any rolling second before the burst error; undefined = no limit. Google publishes no
   * threshold, so this is off unless a test or run chooses one.
   */
  perSecond?: number | undefined;
}

/** The daily and short-time UrlFetch quotas of one user of the host. */
export class UrlFetchQuota {
  used = 0;
  daily: number;
  perSecond: number | undefined;
  readonly reset: UrlFetchQuotaReset;
  private injectedBursts = 0;
  private readonly recent: number[] = [];
  /** The Pacific day of the count, or when its 24 hours started (by the reset rule). */
  private day: string | undefined;
  private firstRequestAt: number | undefined;

  constructor(options: UrlFetchQuotaOptions) {
    this.daily = options.daily;
    this.perSecond = options.perSecond;
    this.reset = options.reset ?? "never";
  }

  /** Starts the count again when the reset rule says the day is over at `now`. */
  private rollOver(now: number): void {
    if (this.reset === "pacific-midnight") {
      const day = PACIFIC_DAY.format(now);
      if (this.day !== undefined && day !== this.day) this.used = 0;
      this.day = day;
    } else if (this.reset === "24h-after-first-request") {
      if (this.firstRequestAt !== undefined && now >= this.firstRequestAt + DAY_MS) {
        this.used = 0;
        this.firstRequestAt = undefined;
      }
    }
  }

  /** The next `calls` fetch/fetchAll calls fail with the burst error and send nothing. */
  injectBurstErrors(calls: number): void {
    this.injectedBursts += calls;
  }

  /** Admits `requests` requests sent at `now`, or throws the quota error Apps Script would. */
  admit(requests: number, now: number): void {
    if (this.injectedBursts > 0) {
      this.injectedBursts -= 1;
      throw new GasException(BURST_QUOTA_MESSAGE);
    }
    this.rollOver(now);
    if (this.used + requests > this.daily) throw new GasException(DAILY_QUOTA_MESSAGE);
    if (this.perSecond !== undefined) {
      while (this.recent.length > 0 && (this.recent[0] as number) <= now - 1000) this.recent.shift();
      if (this.recent.length + requests > this.perSecond) throw new GasException(BURST_QUOTA_MESSAGE);
      for (let i = 0; i < requests; i += 1) this.recent.push(now);
    }
    this.firstRequestAt ??= now;
    this.used += requests;
  }
}
