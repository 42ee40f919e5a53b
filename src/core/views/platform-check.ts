// The platform check (Help > Check this spreadsheet): what each probe observed, read as the answer to one of the
// questions Google leaves open (docs/platform/apps-script.md §8), and the report those answers make. Every
// answer comes from what the spreadsheet did, never from a setting; a probe that failed says why and the
// others stand. The probes themselves are in src/gas/platform-probes.ts, the run in src/app/platform-check.ts.

/** A probe's outcome: what it found, or why it could not find it. */
export type Finding<T> = { ok: true; value: T } | { ok: false; reason: string };

export const found = <T>(value: T): Finding<T> => ({ ok: true, value });
export const notChecked = (reason: string): Finding<never> => ({ ok: false, reason });

/** One open question and this spreadsheet's answer: a short code (for tests and tickets) and plain words. */
export interface Behaviour {
  id: BehaviourId;
  question: string;
  answer: Finding<{ code: string; words: string }>;
}

export type BehaviourId =
  | "plain-text-apostrophe"
  | "refused-write"
  | "sheet-name-lookup"
  | "sheet-name-duplicate"
  | "true-false"
  | "dates"
  | "decimal-comma"
  | "formula-separator"
  | "session-email"
  | "document-lock"
  | "fetch-all-failure";

export const QUESTIONS: Readonly<Record<BehaviourId, string>> = {
  "plain-text-apostrophe": "A leading apostrophe written into a Plain text (@) cell",
  "refused-write": "When a write refused by strict data validation is reported",
  "sheet-name-lookup": "Whether a sheet is found by its name in another case",
  "sheet-name-duplicate": "Whether a sheet may be named like another but for case",
  "true-false": "How TRUE and FALSE written as text are read",
  dates: "How dates written as text are read",
  "decimal-comma": "How 1,5 and 1.5 written as text are read",
  "formula-separator": "Which argument separator a formula written by the add-on takes",
  "session-email": "Whether Google gives the add-on your email address",
  "document-lock": "The document lock",
  "fetch-all-failure": "Whether one failed request makes fetchAll throw or return",
};

const answer = (code: string, words: string) => found({ code, words });

/** What a Plain text cell holds after `written` (which starts with an apostrophe) was written into it. */
export function apostropheAnswer(written: string, readBack: unknown): Behaviour["answer"] {
  if (readBack === written) return answer("keep", "kept as a character (the cell shows it)");
  if (readBack === written.slice(1)) return answer("strip", "removed, as in any other cell");
  return answer("other", `read back as ${describeValue(readBack)}`);
}

/** Where a write that strict validation refuses failed, if it failed at all. */
export interface RefusedWriteObservation {
  threwAtWrite: boolean;
  threwAtFlush: boolean;
  /** The cell's value afterwards. */
  after: unknown;
  written: string;
}

export function refusedWriteAnswer(seen: RefusedWriteObservation): Behaviour["answer"] {
  if (seen.threwAtWrite) return answer("at-write", "the write itself throws (setValues)");
  if (seen.threwAtFlush)
    return answer("at-flush", "the write is dropped and the next read or flush throws instead");
  if (seen.after === seen.written)
    return answer("not-refused", "not refused: the script's write was stored despite the rule");
  return answer("silent", `dropped without an error (the cell holds ${describeValue(seen.after)})`);
}

export function nameLookupAnswer(foundSameSheet: boolean): Behaviour["answer"] {
  return foundSameSheet
    ? answer("any-case", "found: getSheetByName ignores case")
    : answer("exact", "not found: getSheetByName needs the exact case");
}

export function nameDuplicateAnswer(refused: boolean): Behaviour["answer"] {
  return refused
    ? answer("refused", "refused: names are unique regardless of case")
    : answer("allowed", "allowed: two sheets may differ only in case");
}

/**
 * A value as Range.getValues gave it, in words: a Date comes already written as ISO text by the adapter, so
 * it is handed in as `{ date: iso }`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === "boolean") return `the true/false value ${value ? "TRUE" : "FALSE"}`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string") return `the text "${value.slice(0, 40)}"`;
  if (typeof value === "object" && value !== null && "date" in value)
    return `the date ${String((value as { date: unknown }).date)}`;
  return "nothing readable";
}

/** Text written into plain cells, each with what it became. */
export interface Parsed {
  written: string;
  readBack: unknown;
}

const kindOf = (value: unknown): string =>
  typeof value === "object" && value !== null && "date" in value ? "date" : typeof value;

/** The answer to one parsing question: its code lists what each text became (boolean, date, number, string). */
export function parsingAnswer(parsed: readonly Parsed[]): Behaviour["answer"] {
  if (parsed.length === 0) return notChecked("nothing was read back");
  return answer(
    parsed.map((entry) => kindOf(entry.readBack)).join(","),
    parsed.map((entry) => `"${entry.written}" became ${describeValue(entry.readBack)}`).join("; "),
  );
}

/** What a formula with "," and one with ";" between its arguments showed: `expected` when it worked. */
export function separatorAnswer(comma: unknown, semicolon: unknown, expected: string): Behaviour["answer"] {
  const commaWorks = comma === expected;
  const semicolonWorks = semicolon === expected;
  if (commaWorks && semicolonWorks) return answer("both", 'both "," and ";" work');
  if (commaWorks) return answer("comma", `"," works; ";" gives ${describeValue(semicolon)}`);
  if (semicolonWorks) return answer("semicolon", `";" works; "," gives ${describeValue(comma)}`);
  return answer("neither", `neither works ("," gives ${describeValue(comma)})`);
}

export function sessionAnswer(email: string): Behaviour["answer"] {
  // The address itself is not part of the report: it goes into support tickets.
  return email.includes("@")
    ? answer("email", "yes (an address is given; it is not shown here)")
    : answer("empty", "no: the address comes back empty");
}

export function lockAnswer(lock: "none" | "acquired" | "busy", callMs: number): Behaviour["answer"] {
  if (lock === "none") return answer("none", "there is no document lock here");
  if (lock === "busy") return answer("busy", "held by another execution (a sync may be running)");
  return answer("acquired", `taken and released (about ${Math.round(callMs)} ms a call)`);
}

/** Every fetchAll the check made: whether it threw, and how many of its places came back empty. */
export interface FetchAllObservation {
  threw?: string;
  emptySlots: number;
}

/** Google's own refusals (the allowlist, the daily quota) throw whatever the answer is: they do not count. */
const NOT_A_TRANSPORT_FAILURE = /whitelist|allowlist|too many times/i;

export function fetchAllAnswer(observations: readonly FetchAllObservation[]): Behaviour["answer"] {
  const thrown = observations.find(
    (seen) => seen.threw !== undefined && !NOT_A_TRANSPORT_FAILURE.test(seen.threw),
  );
  if (thrown)
    return answer("throws", `a request failed and the whole fetchAll threw (${thrown.threw ?? ""})`);
  if (observations.some((seen) => seen.emptySlots > 0))
    return answer("returns", "a request failed and fetchAll returned the others' answers, that one empty");
  return answer(
    "not-observed",
    "not observed: no request failed during the check (the add-on copes with either answer)",
  );
}
