// What every execution of a sync shares: the user's key and settings, the document lock, the job lease, and the
// error type whose message is shown to the person who clicked as it is.
import { JOB_NOUN, type JobKind } from "../core/engine/job";
import type { Settings } from "../core/views/settings";
import { isoDateFormatter } from "../gas/clock";
import { apiKeyStore, settingsStore } from "../gas/properties";

const LOCK_WAIT_MS = 10_000;

/** Why a sync cannot run or go on now, in words for the person who clicked (no stack, no internals). */
export class UserFacingError extends Error {}

export interface ExecutionContext {
  /** When this execution began: Apps Script's limit counts from there, dialogs included. */
  startedAt: number;
  settings: Settings;
  apiKey: string;
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet;
  /** Dates as ISO text in the spreadsheet's time zone, asked of Sheets once per execution, when first needed. */
  dateToIso(date: Date): string;
}

export const NO_KEY_MESSAGE =
  "No Extend API key is set for you. Open Extensions > Extend Sync > Open sidebar (or Settings > Set API key), save your key, then sync again.";

export function executionContext(startedAt: number): ExecutionContext {
  const apiKey = apiKeyStore.get();
  if (!apiKey) throw new UserFacingError(NO_KEY_MESSAGE);
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  let format: ((date: Date) => string) | undefined;
  return {
    startedAt,
    settings: settingsStore.load(),
    apiKey,
    spreadsheet,
    dateToIso: (date) => {
      format ??= isoDateFormatter(spreadsheet.getSpreadsheetTimeZone());
      return format(date);
    },
  };
}

export function activeUser(): string {
  try {
    return Session.getActiveUser().getEmail() || "an editor (email not available)";
  } catch {
    return "an editor (email not available)";
  }
}

/** A time in the spreadsheet's time zone, as the run log writes it ("2026-04-02 12:31"). */
export function formatTime(ms: number, timeZone = spreadsheetTimeZone()): string {
  return Utilities.formatDate(new Date(ms), timeZone, "yyyy-MM-dd HH:mm");
}

export function spreadsheetTimeZone(): string {
  return SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
}

/**
 * A time in a message, with the spreadsheet's zone named ("2026-04-02 12:31 (Europe/Berlin)"): the server cannot
 * know the zone of the browser that shows the message, and the sidebar names the zone wherever it differs, so a
 * message that did not would show a time that seems to disagree with the sidebar's.
 */
export function messageTime(ms: number): string {
  const timeZone = spreadsheetTimeZone();
  return `${formatTime(ms, timeZone)} (${timeZone})`;
}

/** The refusal of a start while another execution drives a job. */
export function busyMessage(kind: JobKind, startedBy: string, startedAt: number): string {
  return `A ${JOB_NOUN[kind]} is already running (started by ${startedBy}, at ${messageTime(startedAt)}). Nothing was sent. Wait for it to finish, then try again.`;
}

/** What underDocumentLock answers when another execution keeps the lock past the wait. */
export const LOCK_BUSY = Symbol("the document lock is busy");

/**
 * Runs `work` holding the document lock, or answers LOCK_BUSY when another execution keeps it past the wait.
 * getDocumentLock() is null outside a document. With `flush`, writes made under the lock are committed before
 * the lock is released, so another execution never reads a sheet without them; the lock is released even when
 * that commit throws, and a write Sheets refuses at that commit is then reported, not swallowed (`work`'s own
 * failure, if any, comes first).
 */
export function underDocumentLock<T>(work: () => T, flush = false): T | typeof LOCK_BUSY {
  const lock = LockService.getDocumentLock();
  if (!lock)
    throw new UserFacingError("Extend Sync works only inside a spreadsheet: open one and try again.");
  if (!lock.tryLock(LOCK_WAIT_MS)) return LOCK_BUSY;
  let result: T;
  try {
    result = work();
  } catch (error) {
    if (flush)
      try {
        SpreadsheetApp.flush();
      } catch {
        // The failure of `work` is the one to report; Apps Script commits what it can at the end anyway.
      }
    lock.releaseLock();
    throw error;
  }
  try {
    if (flush) SpreadsheetApp.flush();
  } finally {
    lock.releaseLock();
  }
  return result;
}

/** Runs `work` holding the document lock, its sheet writes committed before; a busy lock is a refusal. */
export function withDocumentLock<T>(work: () => T): T {
  const result = underDocumentLock(work, true);
  if (result === LOCK_BUSY)
    throw new UserFacingError(
      "Another sync is starting in this document right now. Nothing was sent: try again in a moment.",
    );
  return result;
}

export function newLease(context: ExecutionContext): { token: string; expiresAt: number } {
  return {
    token: Utilities.getUuid(),
    expiresAt: context.startedAt + context.settings.executionLimitSeconds * 1000,
  };
}
