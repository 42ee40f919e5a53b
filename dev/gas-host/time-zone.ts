// Wall-clock arithmetic in named time zones through Intl, independent of the Node process's TZ: spreadsheet
// dates live in the spreadsheet's zone and Utilities.formatDate takes any zone.
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday */
  weekday: number;
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
      era: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

export const isValidTimeZone = (timeZone: string): boolean => {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
};

export const zonedParts = (ms: number, timeZone: string): ZonedParts => {
  const values: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) values[part.type] = part.value;
  const rawYear = Number(values.year);
  const year = values.era === "BC" || values.era === "B" ? 1 - rawYear : rawYear;
  const month = Number(values.month);
  const day = Number(values.day);
  const hour = Number(values.hour);
  const minute = Number(values.minute);
  const second = Number(values.second);
  const millisecond = ((ms % 1000) + 1000) % 1000;
  const asUtc = utcMs(year, month, day, hour, minute, second, millisecond);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millisecond,
    weekday: weekdays.indexOf(values.weekday ?? "Sun"),
    offsetMinutes: Math.round((asUtc - ms) / 60_000),
  };
};

const utcMs = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number => {
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y);
  return date.getTime();
};

/** The instant at which the wall clock in `timeZone` shows the given time (first match in a DST overlap). */
export const zonedTimeToUtc = (
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number => {
  const wall = utcMs(year, month, day, hour, minute, second, millisecond);
  let guess = wall - zonedParts(wall, timeZone).offsetMinutes * 60_000;
  guess = wall - zonedParts(guess, timeZone).offsetMinutes * 60_000;
  return guess;
};

export const timeZoneName = (ms: number, timeZone: string, style: "short" | "long"): string => {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: style }).formatToParts(
    new Date(ms),
  );
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
};
