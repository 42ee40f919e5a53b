// What each error means for the person at the sheet, and what they can do about it. Codes come from Extend's
// error bodies; NETWORK_ERROR, BAD_RESPONSE, INVALID_RUN_ID, UNUSABLE_TAGS, HISTORY_TOO_LARGE, CHANGED_SINCE, SHEET_FULL, LIST_LOOP, URLFETCH_QUOTA,
// URLFETCH_BURST, INVALID_ROW and RESULT_NOT_WRITTEN are the add-on's own for failures that have no Extend code.
// A refresh or preview (a read) and an import get advice in their own words. Every text names the entry of the
// user guide's error list that explains it (docs/user-guide.md; where the guide is hosted depends on how the
// add-on is published, so no address is written).
import type { SyncError } from "./classify";
import { shorten } from "./secrets";

const WHAT_TO_DO: ReadonlyMap<string, string> = new Map(
  Object.entries({
    UNAUTHORIZED:
      "Extend did not accept the API key. Set a valid key in Settings (the sidebar's Settings tab, or Extensions > Extend Sync > Settings > Set API key) and check the region; if Extend's message names a workspace, set the Workspace ID there too. Press Test connection, then sync again.",
    USAGE_BLOCKED:
      "Your Extend organization is blocked for insufficient credits. Ask an Extend admin to add credits, then sync again.",
    NOT_FOUND:
      "Check the Run ID: no such workflow run exists in this workspace and region (see Settings for both).",
    FORBIDDEN:
      "The API key may not change this run: check the Workspace ID in Settings, or ask an Extend admin.",
    INVALID_REQUEST: "Extend refused this row's values: correct them as the message says, then sync again.",
    RATE_LIMIT_EXCEEDED:
      "Extend kept answering that the rate limit was reached: sync again later, or lower the rate in Settings.",
    INTERNAL_ERROR:
      "Extend had a temporary problem: sync again later. If it persists, give Extend support the request id.",
    NETWORK_ERROR:
      "The request did not get through: sync again. Rows that were updated are skipped as unchanged.",
    BAD_RESPONSE:
      "Extend's answer could not be read, so the change may or may not be stored: sync again to be sure.",
    URLFETCH_QUOTA:
      "Your Google account has used up today's Apps Script allowance of web requests. Rows not sent yet were left as they were: sync again once it resets (unchanged rows will not count again).",
    URLFETCH_BURST:
      "Apps Script refused to send requests this fast, through every retry: sync again in a minute, or lower the rate in Settings.",
    ENDPOINT_REMOVED: "This version of the add-on is out of date: ask whoever installed it to update it.",
    UNUSABLE_TAGS:
      "Look at the run's tags in the Extend dashboard, or sync this row with the Replace tag mode, which sets the whole list.",
    HISTORY_TOO_LARGE:
      "Check the run's metadata in the Extend dashboard, or turn Keep history off in Settings to send it without a record (it then cannot be undone).",
    CHANGED_SINCE:
      "Nothing to do if the later change is right. To put the run back anyway, set its values in a sheet and sync it.",
  }),
);

/** What a job is doing when an error comes: advice differs for a read and an import. */
export type ErrorContext = "sync" | "read" | "import";

const READ_WHAT_TO_DO: ReadonlyMap<string, string> = new Map(
  Object.entries({
    UNAUTHORIZED:
      "Extend did not accept the API key. Set a valid key in Settings (the sidebar's Settings tab, or Extensions > Extend Sync > Settings > Set API key) and check the region; if Extend's message names a workspace, set the Workspace ID there too. Press Test connection, then try again.",
    USAGE_BLOCKED:
      "Your Extend organization is blocked for insufficient credits. Ask an Extend admin to add credits, then try again.",
    NOT_FOUND:
      "Check the Run ID: no such workflow run exists in this workspace and region (see Settings for both).",
    FORBIDDEN:
      "The API key may not read this run: check the Workspace ID in Settings, or ask an Extend admin.",
    INVALID_REQUEST: "Extend refused to read this run: check the Run ID.",
    INVALID_RUN_ID: "Copy the workflow run id again from Extend.",
    RATE_LIMIT_EXCEEDED:
      "Extend kept answering that the rate limit was reached: refresh again later, or lower the rate in Settings.",
    INTERNAL_ERROR:
      "Extend had a temporary problem: refresh again later. If it persists, give Extend support the request id.",
    NETWORK_ERROR: "The request did not get through: refresh again.",
    BAD_RESPONSE: "Extend's answer could not be read: refresh again.",
    URLFETCH_QUOTA:
      "Your Google account has used up today's Apps Script allowance of web requests: refresh again once it resets.",
  }),
);

/** The import keeps its cursor when the person must fix something first: it goes on, it does not start over. */
const IMPORT_WHAT_TO_DO: ReadonlyMap<string, string> = new Map(
  Object.entries({
    UNAUTHORIZED:
      "Extend did not accept the API key. Set a valid key in Settings (the sidebar's Settings tab, or Extensions > Extend Sync > Settings > Set API key) and check the region; if Extend's message names a workspace, set the Workspace ID there too. Press Test connection, then continue the import: it goes on from where it stopped.",
    USAGE_BLOCKED:
      "Your Extend organization is blocked for insufficient credits. Ask an Extend admin to add credits, then continue the import: it goes on from where it stopped.",
    NOT_FOUND:
      "Check the filters: the workflow or batch may not exist in this workspace and region (see Settings for both).",
    FORBIDDEN:
      "The API key may not list these runs: check the Workspace ID in Settings, or ask an Extend admin.",
    INVALID_REQUEST: "Extend refused the filters: correct them as the message says, then import again.",
    RATE_LIMIT_EXCEEDED:
      "Extend kept answering that the rate limit was reached: import again later, or lower the rate in Settings.",
    INTERNAL_ERROR:
      "Extend had a temporary problem: import again later. If it persists, give Extend support the request id.",
    NETWORK_ERROR: "The request did not get through: import again.",
    BAD_RESPONSE: "Extend's answer could not be read: import again.",
    URLFETCH_QUOTA:
      "Your Google account has used up today's Apps Script allowance of web requests: continue the import once it resets, it goes on from where it stopped.",
    LIST_LOOP:
      "The import stopped so as not to use up your daily allowance of web requests; the runs read so far stay in their sheet. Import again later, perhaps with narrower filters or a maximum; if it happens again, give Extend support the request id.",
    SHEET_FULL:
      "Sheets would not take more rows: a spreadsheet holds at most 10 million cells. Import fewer runs (a maximum, or narrower filters), or delete sheets you no longer need, then import again.",
  }),
);

const FALLBACK = "Sync again later. If it keeps failing, give Extend support the request id.";
const OTHER_FALLBACK = "Try again later. If it keeps failing, give Extend support the request id.";

/** Codes the add-on writes without advice from the tables above: the text beside them says what to do. */
const CODES_WITHOUT_ADVICE = ["INVALID_ROW", "RESULT_NOT_WRITTEN"] as const;

/** The user guide's entry for codes it does not know (a server's code is never repeated in the reference). */
export const OTHER_CODES_ENTRY = "Other codes";

/** Every code with an entry of its own in the user guide's error list. */
export function documentedCodes(): string[] {
  const codes = [WHAT_TO_DO, READ_WHAT_TO_DO, IMPORT_WHAT_TO_DO].flatMap((table) => [...table.keys()]);
  return [...new Set([...codes, ...CODES_WITHOUT_ADVICE])];
}

/** For bodies without an Extend code (empty, HTML from a proxy): the code their HTTP status stands for. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "INVALID_REQUEST",
  401: "UNAUTHORIZED",
  402: "USAGE_BLOCKED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  422: "INVALID_REQUEST",
  429: "RATE_LIMIT_EXCEEDED",
};

/** The code of a table's entry that answers for an error: its own, or the one its HTTP status stands for. */
function entryFrom(table: ReadonlyMap<string, string>, error: SyncError): string | undefined {
  // A Map, not an object: a code such as "constructor" must not find Object.prototype's members.
  if (table.has(error.code)) return error.code;
  const byStatus = error.httpStatus === undefined ? undefined : CODE_BY_STATUS[error.httpStatus];
  return byStatus !== undefined && table.has(byStatus) ? byStatus : undefined;
}

/** The tables an error's advice is looked up in, the context's own first. */
function tablesFor(context: ErrorContext): ReadonlyMap<string, string>[] {
  if (context === "import") return [IMPORT_WHAT_TO_DO, READ_WHAT_TO_DO, WHAT_TO_DO];
  if (context === "read") return [READ_WHAT_TO_DO, WHAT_TO_DO];
  return [WHAT_TO_DO];
}

/** The advice for an error and the code of the entry it came from (none for the fallback). */
function advice(error: SyncError, context: ErrorContext): { text: string; entry?: string } {
  for (const table of tablesFor(context)) {
    const entry = entryFrom(table, error);
    const text = entry === undefined ? undefined : table.get(entry);
    if (entry !== undefined && text !== undefined) return { text, entry };
  }
  return { text: context === "sync" ? FALLBACK : OTHER_FALLBACK };
}

export function whatToDo(error: SyncError, context: ErrorContext = "sync"): string {
  return advice(error, context).text;
}

/** The sentence that sends the reader to the user guide's entry for a code, by the entry's name. */
export function guideReference(entry: string): string {
  return `See "${entry}" in the user guide.`;
}

/** Long enough for any real message; an HTML error page or a runaway body is cut, not pasted into a cell. */
export const MAX_MESSAGE_LENGTH = 500;

/** Extend's message as a sentence, so "What to do" never runs on from it. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function describeError(error: SyncError, context: ErrorContext = "sync"): string {
  const requestId = error.requestId ? ` (request id ${shorten(error.requestId, 100)})` : "";
  const message = asSentence(shorten(error.message, MAX_MESSAGE_LENGTH));
  const { text, entry = OTHER_CODES_ENTRY } = advice(error, context);
  return `${shorten(error.code, 100)}: ${message} What to do: ${text}${requestId} ${guideReference(entry)}`;
}

/** A row's problems, as its Sync Error and the sidebar's lists give them. */
export function describeInvalidRow(errors: readonly string[]): string {
  return `INVALID_ROW: ${errors.join(" ")} ${guideReference("INVALID_ROW")}`;
}

/** The short note a row gets when Sheets refused its full result; `problem` says what happened. */
export function describeUnwrittenResult(problem: string): string {
  return `RESULT_NOT_WRITTEN: ${problem} ${guideReference("RESULT_NOT_WRITTEN")}`;
}
