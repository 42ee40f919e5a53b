// What must hold after a job during which the person edited the sheet (user-edits.ts): rows deleted are counted
// as deleted and never written elsewhere, a row whose Sync State was cleared is named as not synced, a row the
// person inserted stays empty, every row still there shows only its own run, and the job's counts equal what the
// rows showed of it whenever they were last seen (a row's outcome may have gone with a deleted column or row).
import { isDeepStrictEqual } from "node:util";
import type { CellValue } from "../../dev/gas-host/index.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { runIdTag } from "../../src/core/fingerprint.js";
import { DASHBOARD_BASE, type Violations } from "./checks.js";
import { TAGS_KEY, tagsOf } from "./extend-state.js";
import type { RowIntent } from "./sheet.js";
import type { EditLog, RowSeen } from "./user-edits.js";

export type Job = "update" | "refresh" | "preview";

const doneBy = (row: RowSeen | undefined) => String(row?.["Sync State"] ?? "").match(/\bdone=([^\s:]+)/)?.[1];
const pendingFor = (row: RowSeen | undefined) =>
  String(row?.["Sync State"] ?? "").match(/\bpending=([^\s:]+)/)?.[1];

/** How a row's outcome from this job reads, if the row shows it. */
function outcomeOf(row: RowSeen, job: Job): string | undefined {
  if (job === "update") {
    const result = String(row["Sync Result"] ?? "");
    if (result === "") return undefined;
    return result.startsWith("Updated") ? "updated" : result;
  }
  if (String(row["Refresh Error"] ?? "") !== "") return "readFailed";
  if (!(row["Refreshed At"] instanceof Date)) return undefined;
  if (job === "refresh") return "read";
  return /\bsent=/.test(String(row["Sync State"])) ? "matching" : "changing";
}

/** Every sighting of each row, oldest first: before each batch of edits, just before deleting or clearing it, at the end. */
function sightings(log: EditLog, final: ReadonlyMap<string, RowSeen>): Map<string, RowSeen[]> {
  const all = new Map<string, RowSeen[]>();
  const add = (key: string, row: RowSeen) => all.set(key, [...(all.get(key) ?? []), row]);
  for (const seen of log.seen) for (const [key, row] of seen) add(key, row);
  for (const [key, row] of log.cleared) add(key, row);
  for (const [key, row] of log.deleted) add(key, row);
  for (const [key, row] of final) add(key, row);
  return all;
}

export interface CountCheck {
  job: Job;
  jobId: string;
  intents: ReadonlyMap<string, RowIntent>;
  /** Rows the job marked to work on when it started. */
  toWorkOn: (intent: RowIntent) => boolean;
  /** The job covers every row of the sheet (rows it did not mark are named as not synced). */
  allRows: boolean;
  finished: boolean;
  /** The job's counts, from its log row and its final progress. */
  counts: Record<string, number>;
  label: string;
}

const COUNTED: Record<Job, string[]> = {
  update: ["updated", "Failed", "Invalid", "Unchanged", "Nothing to change"],
  refresh: ["read", "readFailed"],
  preview: ["matching", "changing", "readFailed"],
};
const COUNT_NAME: Record<string, string> = {
  Failed: "failed",
  Invalid: "invalid",
  Unchanged: "unchanged",
  "Nothing to change": "noop",
};

/** The job's counts against what its rows showed of it, deleted and cleared rows included. */
export function checkCountsAfterEdits(
  log: EditLog,
  final: ReadonlyMap<string, RowSeen>,
  check: CountCheck,
  found: Violations,
): void {
  const seen = sightings(log, final);
  const expected: Record<string, Set<string>> = {};
  let missing = 0;
  for (const [key, intent] of check.intents) {
    const rows = seen.get(key) ?? [];
    const done = rows.find((row) => doneBy(row) === check.jobId && outcomeOf(row, check.job) !== undefined);
    const outcome = done && outcomeOf(done, check.job);
    if (outcome) {
      // A read counts each run once, however many rows name it; an update counts rows.
      const counted = check.job === "update" ? key : intent.runId;
      expected[outcome] = (expected[outcome] ?? new Set()).add(counted);
    }
    // Rows marked at the start and deleted since, whether or not the job had written them first.
    if (log.deleted.has(key) && check.toWorkOn(intent)) missing += 1;
  }
  for (const outcome of COUNTED[check.job]) {
    const name = COUNT_NAME[outcome] ?? outcome;
    const shown = expected[outcome]?.size ?? 0;
    if (check.counts[name] !== shown)
      found.add(`${check.label}: counts ${check.counts[name]} ${name}, the rows showed ${shown}`);
  }
  if (!check.finished) return;
  if (check.counts.missing !== missing)
    found.add(`${check.label}: counts ${check.counts.missing} rows deleted during the job, ${missing} were`);
  let notSynced = 0;
  for (const [key, row] of final) {
    const intent = check.intents.get(key);
    if (!intent || String(row["Run ID"] ?? "") === "") continue;
    const marked = doneBy(row) === check.jobId || pendingFor(row) === check.jobId;
    if (!marked && (check.allRows || check.toWorkOn(intent))) notSynced += 1;
  }
  if (check.counts.notSynced !== notSynced)
    found.add(
      `${check.label}: names ${check.counts.notSynced} rows not synced, ${notSynced} lost their mark or were never marked`,
    );
}

/** How many rows a "Rows Not Synced" text names: each "row N: …" and "K more". */
export function notSyncedNamed(text: string): number {
  const named = text.match(/\brow \d+: /g)?.length ?? 0;
  return named + Number(text.match(/; (\d+) more$/)?.[1] ?? 0);
}

/** Rows the person inserted stay empty: no job writes a row that names no run. */
export function checkInsertedRowsEmpty(
  values: readonly (readonly CellValue[])[],
  keyColumn: number,
  found: Violations,
): void {
  values.slice(1).forEach((cells, index) => {
    if (String(cells[keyColumn] ?? "") === "" && cells.some((cell) => cell !== ""))
      found.add(
        `row ${index + 2}, a row the person inserted, was written: ${JSON.stringify(cells).slice(0, 200)}`,
      );
  });
}

/** Every row still in the sheet shows only its own run: its link, its Sync State, its current values. */
export function checkOwnRun(
  final: ReadonlyMap<string, RowSeen>,
  intents: ReadonlyMap<string, RowIntent>,
  runs: ReadonlyMap<string, StoredRun>,
  deletedHeaders: readonly string[],
  found: Violations,
): void {
  for (const [key, row] of final) {
    const intent = intents.get(key);
    if (!intent) {
      found.add(`${key}: a row the scenario does not know`);
      continue;
    }
    const link = String(row["Dashboard Link"] ?? "");
    if (link !== "" && link !== DASHBOARD_BASE + intent.runId)
      found.add(`${key}: Dashboard Link of another run: ${link}`);
    const of = String(row["Sync State"] ?? "").match(/\bof=(\w+)/)?.[1];
    if (of !== undefined && of !== runIdTag(intent.runId)) found.add(`${key}: Sync State names another run`);
    const run = runs.get(intent.runId);
    const tags = row["Current Tags"];
    if (run && tags !== undefined && row["Refreshed At"] instanceof Date && row["Refresh Error"] === "") {
      const expected = run.metadata[TAGS_KEY] === undefined ? "" : tagsOf(run.metadata).join(", ");
      // A column deleted mid-job takes the values written before with it; the job adds it back for later rows.
      const lost = tags === "" && deletedHeaders.includes("Current Tags");
      if (tags !== expected && !lost)
        found.add(`${key}: Current Tags ${String(tags)} are not its run's ${expected}`);
    }
  }
}

/** The person's own cells of every row still there, by header, as they typed them (or as they renamed it). */
export function checkUserCellsByHeader(
  before: ReadonlyMap<string, RowSeen>,
  final: ReadonlyMap<string, RowSeen>,
  headers: readonly string[],
  renamed: ReadonlyMap<string, string>,
  found: Violations,
): void {
  for (const [key, row] of final) {
    const was = before.get(key);
    if (!was) continue;
    for (const header of headers) {
      if (!(header in row)) continue;
      const expected = header === "Name" && renamed.has(key) ? renamed.get(key) : was[header];
      const now = row[header];
      const same =
        expected instanceof Date
          ? now instanceof Date && now.getTime() === expected.getTime()
          : isDeepStrictEqual(now, expected);
      if (!same)
        found.add(`${key}: ${header} changed: ${JSON.stringify(expected)} -> ${JSON.stringify(now)}`);
    }
  }
}
