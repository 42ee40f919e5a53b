// The count of web requests this add-on made today for the user, kept in one user property as
// {day, used} by Pacific day (src/core/views/quota.ts). Requests are counted in the execution and saved in one
// read and one write now and then (a property read and write cost ~90 ms; the read is spared when the record
// was read with the key or written a few seconds before), and at the end of each execution: an
// execution killed in between loses its last part of the count. Other scripts of the user spend the same
// allowance unseen, and two executions saving at once may lose one's part: the count is an estimate.
import {
  accountKindOf,
  addRequests,
  nextPacificMidnight,
  parseQuotaRecord,
  type QuotaRecord,
  type QuotaView,
  quotaView,
  resetSentence,
  usedToday,
} from "../core/views/quota";

const USED = "extendSync.urlFetchToday";
/** A long execution saves its count at most this often (besides at its end). */
const SAVE_EVERY_MS = 30_000;

let unsaved = 0;
let savedAt = Date.now();

/** Requests that left (or may have left) this script. */
export function countRequests(requests: number): void {
  unsaved += requests;
}

/**
 * Adds the requests counted since the last save to the user's record. A failure to save (the properties quota)
 * keeps them for the next try: the count must never stop a job.
 */
export function saveRequestCount(now = Date.now()): void {
  if (unsaved === 0) return;
  try {
    const properties = PropertiesService.getUserProperties();
    const record = addRequests(savedRecord(now), unsaved, now);
    properties.setProperty(USED, JSON.stringify(record));
    unsaved = 0;
    savedAt = now;
    known = { record, at: now };
  } catch {
    // Kept in `unsaved`; the next save adds it.
  }
}

/**
 * The record as this execution last read it (with the key, apiKeyStore.get) or wrote it: a save or quotaNow
 * within a few seconds starts from it rather than asking for the property again (~30 ms). Another execution's
 * part added in between is missed, as it would be a moment later: the count is an estimate.
 */
let known: { record: QuotaRecord | undefined; at: number } | undefined;
const KNOWN_FOR_MS = 5_000;

/** The saved record (undefined: none yet) as last read or written, when that was a moment ago; else a read. */
function savedRecord(now: number): QuotaRecord | undefined {
  if (known && now - known.at >= 0 && now - known.at < KNOWN_FOR_MS) return known.record;
  return parseQuotaRecord(PropertiesService.getUserProperties().getProperty(USED));
}

/** The saved record's text as a read of all the user's properties returned it, at `now`. */
export function noteQuotaRecord(properties: Record<string, string>, now = Date.now()): void {
  known = { record: parseQuotaRecord(properties[USED] ?? null), at: now };
}

/** Saves the count when the last save is SAVE_EVERY_MS old: cheap enough to call after every batch. */
export function saveRequestCountNowAndThen(now = Date.now()): void {
  if (now - savedAt >= SAVE_EVERY_MS) saveRequestCount(now);
}

function activeEmail(): string {
  try {
    return Session.getActiveUser().getEmail();
  } catch {
    return "";
  }
}

/** Today's count (saved and not yet saved) with the account's likely allowance. */
export function quotaNow(now = Date.now()): QuotaView {
  let saved = 0;
  try {
    saved = usedToday(savedRecord(now), now);
  } catch {
    // Unreadable now: what this execution counted is still shown.
  }
  return quotaView(saved + unsaved, accountKindOf(activeEmail()));
}

/** The next Pacific midnight in the spreadsheet's time zone, as "09:00 Europe/Berlin" (with the day if not today). */
export function localTimeOf(ms: number, timeZone: string, now = Date.now()): string {
  const day = (at: number) => Utilities.formatDate(new Date(at), timeZone, "yyyy-MM-dd");
  const time = Utilities.formatDate(new Date(ms), timeZone, "HH:mm");
  return day(ms) === day(now) ? `${time} ${timeZone}` : `${time} ${timeZone} on ${day(ms)}`;
}

/** When the daily allowance of web requests comes back, said in the spreadsheet's time zone. */
export function quotaResetSentence(timeZone: string, now = Date.now()): string {
  return resetSentence(localTimeOf(nextPacificMidnight(now), timeZone, now));
}
