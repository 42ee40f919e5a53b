// Google's daily allowance of web requests (UrlFetch) as the add-on counts it: the day it counts by (Pacific
// time, as the issue and Google's other quotas have it; Google's quotas page says "24 hours after the first
// request", so the reset is worded to allow for both), the saved count, the account's likely allowance, and
// the words the sidebar, the menu and the run log use for them.

/** URL Fetch calls a day per user (developers.google.com/apps-script/guides/services/quotas). */
export const CONSUMER_DAILY_REQUESTS = 20_000;
export const WORKSPACE_DAILY_REQUESTS = 100_000;

const HOUR_MS = 3_600_000;

/** The day of the month of the `nth` Sunday of a month (UTC calendar). */
function nthSunday(year: number, month: number, nth: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + (nth - 1) * 7;
}

/**
 * Pacific time's offset from UTC in hours at `ms`: daylight time (-7) from the second Sunday of March at 02:00
 * PST (10:00 UTC) to the first Sunday of November at 02:00 PDT (09:00 UTC), standard time (-8) otherwise (the
 * US rule since 2007). Computed here rather than asked of Intl, so the core stays pure and the edges testable.
 */
export function pacificOffsetHours(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const start = Date.UTC(year, 2, nthSunday(year, 2, 2), 10);
  const end = Date.UTC(year, 10, nthSunday(year, 10, 1), 9);
  return ms >= start && ms < end ? -7 : -8;
}

/** The Pacific calendar day of `ms`, as YYYY-MM-DD. */
export function pacificDay(ms: number): string {
  return new Date(ms + pacificOffsetHours(ms) * HOUR_MS).toISOString().slice(0, 10);
}

/** The next Pacific midnight after `ms`: when a count by Pacific day starts again. */
export function nextPacificMidnight(ms: number): number {
  const local = new Date(ms + pacificOffsetHours(ms) * HOUR_MS);
  const nextDay = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  // Clocks change at 02:00, so midnight's offset is that of 00:00 standard time (08:00 UTC) the same night.
  return nextDay - pacificOffsetHours(nextDay + 8 * HOUR_MS) * HOUR_MS;
}

/** What the user property holds: the requests this add-on made on one Pacific day. */
export interface QuotaRecord {
  day: string;
  used: number;
}

/** The saved record, or undefined when it is missing or not one (it is then counted from 0 again). */
export function parseQuotaRecord(text: string | null | undefined): QuotaRecord | undefined {
  if (!text || text.length > 200) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<QuotaRecord> | null;
    if (
      parsed &&
      typeof parsed.day === "string" &&
      /^\d{4}-\d{2}-\d{2}$/.test(parsed.day) &&
      typeof parsed.used === "number" &&
      Number.isSafeInteger(parsed.used) &&
      parsed.used >= 0
    )
      return { day: parsed.day, used: parsed.used };
  } catch {
    // Not JSON: counted afresh.
  }
  return undefined;
}

/** Requests counted today at `now`: a record of an earlier day counts nothing. */
export function usedToday(record: QuotaRecord | undefined, now: number): number {
  return record && record.day === pacificDay(now) ? record.used : 0;
}

/** The record after `requests` more at `now` (a new day starts from them). */
export function addRequests(record: QuotaRecord | undefined, requests: number, now: number): QuotaRecord {
  return { day: pacificDay(now), used: usedToday(record, now) + requests };
}

/**
 * What the account's address suggests. Google does not tell a script whether an account is Google Workspace:
 * a gmail.com or googlemail.com address is a consumer account; another domain is probably Workspace (a personal
 * Google account may use any address, though); no address (Google hides it across domains) says nothing.
 */
export type AccountKind = "consumer" | "probably-workspace" | "unknown";

export function accountKindOf(email: string): AccountKind {
  const domain = /@([^@\s]+)$/.exec(email.trim().toLowerCase())?.[1];
  if (!domain) return "unknown";
  return domain === "gmail.com" || domain === "googlemail.com" ? "consumer" : "probably-workspace";
}

/**
 * What the add-on plans with: 20,000 unless the account is known to have more, which it never is (see
 * AccountKind). A Workspace account is then warned early, never late.
 */
export const PLANNING_LIMIT = CONSUMER_DAILY_REQUESTS;

/** The allowance in words: one figure when the account is known, both otherwise. */
export function allowanceWords(account: AccountKind): string {
  const consumer = CONSUMER_DAILY_REQUESTS.toLocaleString("en-US");
  const workspace = WORKSPACE_DAILY_REQUESTS.toLocaleString("en-US");
  switch (account) {
    case "consumer":
      return consumer;
    case "probably-workspace":
      return `${consumer} (${workspace} if your account is Google Workspace, as its address suggests)`;
    case "unknown":
      return `${consumer} (or ${workspace} on Google Workspace)`;
  }
}

/** What the sidebar shows of the count. */
export interface QuotaView {
  used: number;
  /** Requests left of PLANNING_LIMIT (never below 0). */
  left: number;
  account: AccountKind;
  /** "Used by Extend Sync today: N of 20,000 …" */
  line: string;
}

export function quotaView(used: number, account: AccountKind): QuotaView {
  return {
    used,
    left: Math.max(0, PLANNING_LIMIT - used),
    account,
    line: `Web requests used by Extend Sync today: ${used.toLocaleString("en-US")} of ${allowanceWords(account)}.`,
  };
}

/**
 * When the allowance comes back, for a job the quota stopped. `localMidnight` is the next Pacific midnight in
 * the spreadsheet's time zone ("09:00 Europe/Berlin").
 */
export function resetSentence(localMidnight: string): string {
  return `Google's daily allowance of web requests resets at ${localMidnight} (midnight Pacific time), or, as Google's documentation puts it, 24 hours after your first request of the day.`;
}
