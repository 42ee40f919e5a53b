// Clock over Date and Utilities.sleep: Apps Script has no timers, so waiting means blocking.
import type { Clock } from "../core/engine/ports";

export const appsScriptClock: Clock = {
  now: () => Date.now(),
  sleep: (ms: number) => {
    if (ms > 0) Utilities.sleep(Math.ceil(ms));
  },
};

/** Dates as ISO 8601 in the spreadsheet's zone: a date without a time stays a plain date. */
export function isoDateFormatter(timeZone: string): (date: Date) => string {
  // A column of dates repeats the same few days; each Utilities call is a service call.
  const known = new Map<number, string>();
  return (date: Date) => {
    const cached = known.get(date.getTime());
    if (cached !== undefined) return cached;
    const time = Utilities.formatDate(date, timeZone, "HH:mm:ss.SSS");
    const iso =
      time === "00:00:00.000"
        ? Utilities.formatDate(date, timeZone, "yyyy-MM-dd")
        : Utilities.formatDate(date, timeZone, "yyyy-MM-dd'T'HH:mm:ssXXX");
    known.set(date.getTime(), iso);
    return iso;
  };
}
