// Java SimpleDateFormat patterns, which Utilities.formatDate and the host's CSV export use, rendered through
// Intl for the time zone. Zone names ("z") come from Intl and may differ from Java's ("GMT+2" vs "CEST").
import { GasException } from "./execution.js";
import { isValidTimeZone, timeZoneName, type ZonedParts, zonedParts } from "./time-zone.js";

const monthsLong = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const daysLong = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

type Token = { letter: string; count: number } | { text: string };

const tokenize = (pattern: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      if (pattern.charAt(i + 1) === "'") {
        tokens.push({ text: "'" });
        i += 2;
        continue;
      }
      let text = "";
      let j = i + 1;
      for (;;) {
        const end = pattern.indexOf("'", j);
        if (end < 0) throw new GasException("Unterminated quote");
        text += pattern.slice(j, end);
        if (pattern.charAt(end + 1) !== "'") {
          i = end + 1;
          break;
        }
        text += "'";
        j = end + 2;
      }
      tokens.push({ text });
      continue;
    }
    if (/[a-zA-Z]/.test(ch)) {
      let count = 1;
      while (pattern.charAt(i + count) === ch) count += 1;
      tokens.push({ letter: ch, count });
      i += count;
      continue;
    }
    tokens.push({ text: ch });
    i += 1;
  }
  return tokens;
};

const pad = (value: number, width: number): string => {
  const sign = value < 0 ? "-" : "";
  return sign + String(Math.abs(value)).padStart(width, "0");
};

const offsetText = (minutes: number, colon: boolean, hoursOnly: boolean): string => {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const hh = pad(Math.floor(abs / 60), 2);
  const mm = pad(abs % 60, 2);
  if (hoursOnly && abs % 60 === 0) return `${sign}${hh}`;
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
};

const dayOfYear = (parts: ZonedParts): number => {
  const start = Date.UTC(parts.year, 0, 1);
  return Math.round((Date.UTC(parts.year, parts.month - 1, parts.day) - start) / 86_400_000) + 1;
};

const field = (letter: string, count: number, parts: ZonedParts, ms: number, timeZone: string): string => {
  switch (letter) {
    case "G":
      return parts.year > 0 ? "AD" : "BC";
    case "y":
    case "Y":
    case "u":
      if (letter === "u") return String(parts.weekday === 0 ? 7 : parts.weekday);
      return count === 2 ? pad(parts.year % 100, 2) : pad(parts.year, count);
    case "M":
    case "L":
      if (count >= 4) return monthsLong[parts.month - 1] ?? "";
      if (count === 3) return (monthsLong[parts.month - 1] ?? "").slice(0, 3);
      return pad(parts.month, count);
    case "d":
      return pad(parts.day, count);
    case "D":
      return pad(dayOfYear(parts), count);
    case "E":
      return count >= 4 ? (daysLong[parts.weekday] ?? "") : (daysLong[parts.weekday] ?? "").slice(0, 3);
    case "a":
      return parts.hour < 12 ? "AM" : "PM";
    case "H":
      return pad(parts.hour, count);
    case "k":
      return pad(parts.hour === 0 ? 24 : parts.hour, count);
    case "K":
      return pad(parts.hour % 12, count);
    case "h":
      return pad(parts.hour % 12 === 0 ? 12 : parts.hour % 12, count);
    case "m":
      return pad(parts.minute, count);
    case "s":
      return pad(parts.second, count);
    case "S":
      return pad(parts.millisecond, count);
    case "z":
      return timeZoneName(ms, timeZone, count >= 4 ? "long" : "short");
    case "Z":
      return offsetText(parts.offsetMinutes, false, false);
    case "X":
      if (parts.offsetMinutes === 0) return "Z";
      return offsetText(parts.offsetMinutes, count >= 3, count === 1);
    default:
      throw new GasException(`Illegal pattern character '${letter}'`);
  }
};

/** Formats like Java's SimpleDateFormat; an unknown zone falls back to GMT as Java's TimeZone does. */
export const formatDate = (date: Date, timeZone: string, pattern: string): string => {
  const zone = isValidTimeZone(timeZone) ? timeZone : "GMT";
  const ms = date.getTime();
  const parts = zonedParts(ms, zone);
  return tokenize(pattern)
    .map((token) => ("text" in token ? token.text : field(token.letter, token.count, parts, ms, zone)))
    .join("");
};
