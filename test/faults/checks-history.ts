// What must hold of the history sheet after every job of the history kinds (issue 18): no change in Extend
// without its record, whatever the faults and kills; records that hold the values before the job (so its undo
// can put them back) and what it sent; those left "Sending" (maybe applied) counted for the report. And of an
// undo: each run it was given is back exactly as before the sync, or its record says why not, and a run another
// client changed in between is left as that client set it.
import { isDeepStrictEqual } from "node:util";
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import type { ReceivedUpdate } from "../../dev/stand-in/stats.js";
import { records } from "../e2e/harness.js";
import type { Stored, Violations } from "./checks.js";

export const HISTORY_SHEET = "Extend Sync History";
const TAGS_KEY = "extend:usage_tags";

type Metadata = Record<string, unknown>;

export interface HistoryRow {
  /** Data row, 0-based, in the sheet's current order. */
  index: number;
  jobId: string;
  runId: string;
  before?: Metadata;
  sent?: { metadata?: Metadata };
  sentText: string;
  state: string;
  cells: Record<string, CellValue>;
}

function parsed(text: CellValue): Metadata | undefined {
  try {
    const value = JSON.parse(String(text)) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Metadata)
      : undefined;
  } catch {
    return undefined;
  }
}

export function historyRows(host: GasHost): HistoryRow[] {
  if (!host.spreadsheet.findSheet(HISTORY_SHEET)) return [];
  return records(host, HISTORY_SHEET).map((cells, index) => {
    const before = parsed(cells["Values Before"] ?? "");
    const sent = parsed(cells["Values Sent"] ?? "");
    return {
      index,
      jobId: String(cells["Job ID"] ?? ""),
      runId: String(cells["Run ID"] ?? ""),
      ...(before ? { before } : {}),
      ...(sent ? { sent } : {}),
      sentText: String(cells["Values Sent"] ?? ""),
      state: String(cells["History State"] ?? ""),
      cells,
    };
  });
}

/** The same JSON, keys in any order (Extend's answers need not keep the order a body had). */
export const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b);

/** A key a run lacks, null, and (for the tags) an empty list all mean the run holds no value there. */
function emptyAt(key: string, value: unknown): boolean {
  return (
    value === undefined || value === null || (key === TAGS_KEY && Array.isArray(value) && value.length === 0)
  );
}

/** The run's metadata without the keys that hold nothing: what "the same values" compares. */
export function present(metadata: Metadata | undefined): Metadata {
  return Object.fromEntries(Object.entries(metadata ?? {}).filter(([key, value]) => !emptyAt(key, value)));
}

/** Whether the run holds every key `sent` sets as it sets it (an empty value as no value). */
function holdsSent(metadata: Metadata | undefined, sent: Metadata): boolean {
  return Object.entries(sent).every(([key, value]) =>
    emptyAt(key, value) ? emptyAt(key, metadata?.[key]) : same(metadata?.[key], value),
  );
}

/** The seeded values of the keys `sent` sets, a key the run lacked left out (history.ts's valuesBefore). */
function seededBefore(seed: Metadata, sent: Metadata): Metadata {
  return Object.fromEntries(
    Object.keys(sent).flatMap((key) => (key in seed ? [[key, seed[key] ?? null]] : [])),
  );
}

/**
 * No change without its record: every update Extend received has a record sending exactly that body; every run
 * whose values differ from the seed has records whose earliest holds the seeded values before and one of which
 * sent what the run holds now; every record in one of its three states (countSending: those left "Sending").
 */
export function checkHistory(
  host: GasHost,
  context: {
    updates: readonly ReceivedUpdate[];
    seed: ReadonlyMap<string, Stored | null>;
    stored: ReadonlyMap<string, Stored | null>;
    /** Runs someone other than the add-on changed (not the add-on's to record). */
    changedElsewhere?: ReadonlySet<string>;
  },
  label: string,
  found: Violations,
): HistoryRow[] {
  const rows = historyRows(host);
  const sentBodies = new Set(rows.map((row) => `${row.runId} ${row.sentText}`));
  for (const update of context.updates)
    if (!sentBodies.has(`${update.runId} ${JSON.stringify(update.body)}`))
      found.add(
        `${label}: ${update.runId} was sent ${JSON.stringify(update.body).slice(0, 200)} without a record`,
      );
  const byRun = new Map<string, HistoryRow[]>();
  for (const row of rows) byRun.set(row.runId, [...(byRun.get(row.runId) ?? []), row]);
  for (const [runId, seeded] of context.seed) {
    if (context.changedElsewhere?.has(runId)) continue;
    const now = context.stored.get(runId);
    if (same(present(now?.metadata), present(seeded?.metadata))) continue;
    // Records come in the order they were written only while nobody sorts the sheet: by Time, then row.
    const own = (byRun.get(runId) ?? []).sort(
      (a, b) => Number(a.cells.Time ?? 0) - Number(b.cells.Time ?? 0) || a.index - b.index,
    );
    const first = own[0];
    if (!first) {
      found.add(`${label}: ${runId} changed in Extend without a record`);
      continue;
    }
    const seedMetadata = (seeded?.metadata ?? {}) as Metadata;
    if (!first.before || !same(first.before, seededBefore(seedMetadata, first.sent?.metadata ?? {})))
      found.add(
        `${label}: ${runId}'s first record holds ${String(first.cells["Values Before"]).slice(0, 200)} before, the run held ${JSON.stringify(seedMetadata).slice(0, 200)}`,
      );
    if (!own.some((row) => row.sent && holdsSent(now?.metadata as Metadata, row.sent.metadata ?? {})))
      found.add(`${label}: ${runId} holds values no record of it sent`);
  }
  for (const row of rows)
    if (!["Sending", "Applied", "Not confirmed"].includes(row.state))
      found.add(`${label}: the record of ${row.runId} (job ${row.jobId}) has the state "${row.state}"`);
  return rows;
}

/**
 * Records still "Sending" (maybe applied) after their job ended. The engine settles only the records the
 * execution that wrote them settles; one killed or stopped before its outcomes were written, or whose record
 * moved (the history sheet sorted), leaves them so for good. An undo reads each run and decides, so undoing stays
 * right; the report counts them (issue 18 wants none: an open defect).
 */
export function countSending(rows: readonly HistoryRow[]): number {
  return rows.filter((row) => row.state === "Sending").length;
}

/**
 * After an undo of `syncId`: every run the sync recorded is back as seeded (null or an empty tag list where it
 * lacked a key), or the undo's row of its record says Failed with a reason; a run another client changed is
 * left as that client set it, and reported as changed since. Rows it restored or found unchanged must be so.
 */
export function checkUndone(
  rows: readonly HistoryRow[],
  context: {
    syncId: string;
    seed: ReadonlyMap<string, Stored | null>;
    stored: ReadonlyMap<string, Stored | null>;
    changedElsewhere: ReadonlyMap<string, Metadata>;
    /** The undo may have stopped (401, 402) or been left with rows not yet done: not every row has ended. */
    finished: boolean;
  },
  label: string,
  found: Violations,
): { restored: number; reported: number } {
  let restored = 0;
  let reported = 0;
  const syncRuns = new Set(rows.filter((row) => row.jobId === context.syncId).map((row) => row.runId));
  for (const runId of syncRuns) {
    const now = present(context.stored.get(runId)?.metadata);
    const outcomes = rows.filter((row) => row.jobId === context.syncId && row.runId === runId);
    const results = outcomes.map((row) => String(row.cells["Sync Result"] ?? ""));
    const errors = outcomes.map((row) => String(row.cells["Sync Error"] ?? ""));
    const elsewhere = context.changedElsewhere.get(runId);
    if (elsewhere) {
      if (!same(now, present(elsewhere)))
        found.add(
          `${label}: ${runId}, changed by another client, now holds ${JSON.stringify(now).slice(0, 200)}`,
        );
      if (context.finished && !errors.some((error) => /changed since/i.test(error)))
        found.add(
          `${label}: ${runId}, changed by another client, is not reported as changed since: ${results}`,
        );
      reported += 1;
      continue;
    }
    const back = same(now, present(context.seed.get(runId)?.metadata));
    if (back) restored += 1;
    const failed = results.includes("Failed") && errors.every((error) => error !== "");
    if (failed) reported += 1;
    if (!back && !failed && (context.finished || results.some((result) => result !== "")))
      found.add(
        `${label}: ${runId} is not back as before the sync (${JSON.stringify(now).slice(0, 200)}) and its records say ${JSON.stringify(results)}`,
      );
    if (!back && results.some((result) => result.startsWith("Updated") || result === "Unchanged"))
      found.add(`${label}: ${runId} is marked ${JSON.stringify(results)} but is not back as before the sync`);
  }
  return { restored, reported };
}
