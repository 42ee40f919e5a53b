// What must hold after every sync of a fault scenario, whatever went wrong: each row in a correct, explained
// state; Extend holding exactly what the rows asked (or what it had, for rows never sent); the user's cells
// untouched; no row lost or given another row's outputs; requests per row within the retry policy's bound.
// Each check returns violations (text naming the row) instead of throwing, so the report can count them too.
import { isDeepStrictEqual } from "node:util";
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import type { ReceivedUpdate } from "../../dev/stand-in/stats.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { runIdTag } from "../../src/core/requests/fingerprint.js";
import { DEFAULT_RETRY_POLICY } from "../../src/core/requests/retry.js";
import { OUTPUT_COLUMN_NAMES } from "../support/columns.js";
import { HEADER, type RowIntent, rowKeyOf, SHEET_NAME, USER_COLUMNS } from "./sheet.js";

export const DASHBOARD_BASE = "https://dashboard.extend.ai/workflows/";
const CELL_LIMIT = 50_000;

/**
 * Requests one row may cause in one sync: the retry policy's attempts, one more when a fetchAll throws and the
 * request is tried alone, and one resend for every killed execution that sent the row but had not yet written it.
 */
export function requestsPerRowBound(killedExecutionsThatSentIt: number): number {
  return DEFAULT_RETRY_POLICY.maxAttempts + 1 + killedExecutionsThatSentIt;
}

export type Stored = Pick<StoredRun, "name" | "metadata" | "status">;

export interface SheetRow {
  key: string;
  /** Sheet row, 1-based. */
  row: number;
  values: CellValue[];
  formulas: string[];
  notes: string[];
  outputs: Record<string, CellValue>;
  outputFormulas: string[];
}

export const OUTPUT_NAMES = OUTPUT_COLUMN_NAMES;

/** The read-only columns a refresh or preview writes. */
export const READ_NAMES = [
  "Current Tags",
  "Current Metadata",
  "Credits",
  "Failure Reason",
  "Refreshed At",
  "Refresh Error",
] as const;

export interface SheetView {
  header: CellValue[];
  rows: SheetRow[];
}

/** The sheet as the checks see it: each row keyed by the user's Row Key (or, in an imported sheet, its Run ID). */
export function readSheet(
  host: GasHost,
  sheetName: string = SHEET_NAME,
  keyOf: (row: readonly CellValue[], header: readonly CellValue[]) => string = rowKeyOf,
): SheetView {
  const sheet = host.spreadsheet.sheet(sheetName);
  const [header = [], ...values] = sheet.values();
  const formulas = sheet.formulas().slice(1);
  const notes = sheet.notes().slice(1);
  const outputIndex = new Map(
    [...OUTPUT_NAMES, ...READ_NAMES].map((name) => [name, header.indexOf(name)] as const),
  );
  const rows = values.map((cells, index): SheetRow => {
    const outputs: Record<string, CellValue> = {};
    const outputFormulas: string[] = [];
    for (const [name, at] of outputIndex) {
      outputs[name] = at < 0 ? "" : (cells[at] ?? "");
      if (at >= 0) outputFormulas.push(formulas[index]?.[at] ?? "");
    }
    return {
      key: keyOf(cells, header),
      row: index + 2,
      values: cells,
      formulas: formulas[index] ?? [],
      notes: notes[index] ?? [],
      outputs,
      outputFormulas,
    };
  });
  return { header, rows };
}

/** A cell as exact text, its type included: "1" and 1, or a Date and its text, must not pass for each other. */
function exact(value: CellValue | undefined): string {
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (typeof value === "number") return `number:${Object.is(value, -0) ? "-0" : String(value)}`;
  return `${typeof value}:${String(value)}`;
}

/** The user's own cells of each row (inputs and their columns), by Row Key: values, formulas and notes. */
export function userCells(view: SheetView): Map<string, string> {
  const cells = new Map<string, string>();
  for (const row of view.rows) {
    const parts: string[] = [];
    for (let column = 0; column < USER_COLUMNS; column++) {
      parts.push(exact(row.values[column]), row.formulas[column] ?? "", row.notes[column] ?? "");
    }
    cells.set(row.key, JSON.stringify(parts));
  }
  return cells;
}

export interface Violations {
  list: string[];
  add(message: string): void;
}

export function violations(): Violations {
  const list: string[] = [];
  return { list, add: (message) => list.push(message) };
}

/** Input cells and formulas unchanged byte for byte; no row lost, duplicated, or added. */
export function checkUserCells(before: Map<string, string>, view: SheetView, found: Violations): void {
  const header = view.header.slice(0, USER_COLUMNS).map(String);
  if (!isDeepStrictEqual(header, [...HEADER])) found.add(`header changed: ${JSON.stringify(header)}`);
  const after = userCells(view);
  if (after.size !== view.rows.length) found.add("a Row Key appears on more than one row");
  if (view.rows.length !== before.size)
    found.add(`the sheet has ${view.rows.length} data rows, it had ${before.size}`);
  for (const [key, cells] of before) {
    const now = after.get(key);
    if (now === undefined) found.add(`${key}: row lost`);
    else if (now !== cells) found.add(`${key}: input cells changed: ${cells} -> ${now}`);
  }
}

export function holds(stored: Stored | null | undefined, intent: RowIntent): boolean {
  if (!stored || !intent.body) return false;
  if (intent.body.name !== undefined && stored.name !== intent.body.name) return false;
  for (const [key, value] of Object.entries(intent.body.metadata ?? {})) {
    if (!isDeepStrictEqual(stored.metadata[key], value)) return false;
  }
  return true;
}

const sameAsSeed = (stored: Stored | null | undefined, seed: Stored | null | undefined): boolean =>
  (stored ?? null) === (seed ?? null) ||
  (!!stored && !!seed && stored.name === seed.name && isDeepStrictEqual(stored.metadata, seed.metadata));

const ERROR_TEXT = /^[A-Z][A-Z0-9_]*: .+ What to do: .+/s;

/**
 * The codes of answers the add-on retries (src/core/requests/classify.ts): what a row ends with when all failed,
 * by the add-on's own codes or by Extend's retryable ones (a 429 or 500 with Extend's error body).
 */
const RETRIED_TO_THE_END =
  /^(HTTP_(5\d\d|408|429)|NETWORK_ERROR|URLFETCH_BURST|BAD_RESPONSE|RATE_LIMIT_EXCEEDED|INTERNAL_ERROR): /;

export interface RowCheckContext {
  intents: ReadonlyMap<string, RowIntent>;
  /** Stored runs now, and as seeded, by run id. */
  stored: ReadonlyMap<string, Stored | null>;
  seed: ReadonlyMap<string, Stored | null>;
  /** Run ids that received at least one update request so far in the scenario. */
  requested: ReadonlySet<string>;
  /** The sync just ended stopped (401, 402): rows it never reached may still be untouched. */
  stopped: boolean;
  answersMayLie: boolean;
}

const isUpdated = (result: string) => result === "Updated" || result.startsWith("Updated; tags: ");

/** Every row in a correct, explained state, agreeing with what Extend holds. */
export function checkRows(view: SheetView, context: RowCheckContext, found: Violations): void {
  for (const row of view.rows) {
    const intent = context.intents.get(row.key);
    if (!intent) {
      found.add(`row ${row.row}: no Row Key the scenario knows (${row.key})`);
      continue;
    }
    const where = `${row.key} (row ${row.row}, ${intent.kind})`;
    const out = row.outputs;
    const result = String(out["Sync Result"]);
    const error = String(out["Sync Error"]);
    const state = String(out["Sync State"]);
    const link = String(out["Dashboard Link"]);
    const stored = context.stored.get(intent.runId);
    const seed = context.seed.get(intent.runId);
    for (const [name, value] of Object.entries(out)) {
      if (String(value).length > CELL_LIMIT) found.add(`${where}: ${name} is over the cell limit`);
    }
    if (row.outputFormulas.some((formula) => formula !== ""))
      found.add(`${where}: an output cell became a formula: ${row.outputFormulas.join(" | ")}`);
    if (link !== "" && link !== DASHBOARD_BASE + intent.runId)
      found.add(`${where}: Dashboard Link of another run: ${link}`);
    const outputsOf = state.match(/\bof=(\w+)/)?.[1];
    if (outputsOf !== undefined && outputsOf !== runIdTag(intent.runId))
      found.add(`${where}: Sync State says its outputs describe another run`);

    if (isUpdated(result) || result === "Unchanged") {
      if (intent.kind !== "update") found.add(`${where}: ${result}, but the row cannot be updated`);
      if (!holds(stored, intent))
        found.add(
          `${where}: ${result}, but Extend holds ${JSON.stringify(stored)} not ${JSON.stringify(intent.body)}`,
        );
      if (!/\bsent=\w+/.test(state))
        found.add(`${where}: ${result} without the fingerprint of what was sent`);
      if (isUpdated(result)) {
        // An answer whose link is not a web address is not written: the cell is then left empty.
        if (link !== DASHBOARD_BASE + intent.runId && !(context.answersMayLie && link === ""))
          found.add(`${where}: Updated without its Dashboard Link`);
        if (!(out["Synced At"] instanceof Date)) found.add(`${where}: Updated without a Synced At date`);
        if (error !== "") found.add(`${where}: Updated with a Sync Error: ${error}`);
        if (!context.answersMayLie && out["Run Status"] !== stored?.status)
          found.add(`${where}: Run Status ${String(out["Run Status"])} is not the run's ${stored?.status}`);
      }
    } else if (result === "Failed") {
      if (intent.kind === "invalid" || intent.kind === "noop")
        found.add(`${where}: Failed, but never sendable`);
      if (!ERROR_TEXT.test(error)) found.add(`${where}: Failed without code and what to do: ${error}`);
      if (/\bsent=/.test(state)) found.add(`${where}: Failed but still says what Extend accepted (${state})`);
      // A 404 row names the 404, unless every attempt it was given met a transient fault: it then never heard
      // the 404, and the last answer it got (retried until the policy's bound) is the true report.
      if (intent.kind === "notFound" && !error.startsWith("NOT_FOUND: ") && !RETRIED_TO_THE_END.test(error))
        found.add(`${where}: a 404 row failed with ${error}`);
      if (intent.kind === "refused" && !error.startsWith("INVALID_REQUEST: "))
        found.add(`${where}: a 422 row failed with ${error}`);
      if (intent.kind === "update" && !sameAsSeed(stored, seed) && !holds(stored, intent))
        found.add(`${where}: Failed, and Extend holds neither its old nor its new values`);
      if (intent.kind === "refused" && !sameAsSeed(stored, seed))
        found.add(`${where}: a refused row changed Extend`);
    } else if (result === "Invalid") {
      if (intent.kind !== "invalid") found.add(`${where}: Invalid: ${error}`);
      else if (!error.includes(intent.invalidBecause ?? ""))
        found.add(`${where}: Invalid without its reason: ${error}`);
    } else if (result === "Nothing to change") {
      if (intent.kind !== "noop") found.add(`${where}: Nothing to change, but the row has changes`);
    } else if (result === "") {
      // Only a stopped sync leaves rows without a result: those it never reached, exactly as they were, and
      // those whose answer was the stop itself (or a retry it cut short), to be sent again by the next sync.
      if (!context.stopped) found.add(`${where}: no Sync Result after a finished sync`);
      if (intent.kind === "update" && !sameAsSeed(stored, seed) && !holds(stored, intent))
        found.add(`${where}: untouched, and Extend holds neither its old nor its new values`);
      for (const name of OUTPUT_NAMES)
        if (name !== "Sync State" && out[name] !== "") found.add(`${where}: untouched row has ${name} set`);
      if (/\bsent=/.test(state)) found.add(`${where}: untouched row claims a fingerprint`);
    } else {
      found.add(`${where}: unknown Sync Result ${result}`);
    }
    if (!context.requested.has(intent.runId) && !sameAsSeed(stored, seed))
      found.add(`${where}: never sent, yet Extend's run changed`);
  }
}

/** Every request went to a row's own run and carried exactly that row's values. */
export function checkRequests(
  requests: readonly ReceivedUpdate[],
  intents: readonly RowIntent[],
  found: Violations,
): void {
  const byRunId = new Map<string, RowIntent[]>();
  for (const intent of intents) byRunId.set(intent.runId, [...(byRunId.get(intent.runId) ?? []), intent]);
  for (const request of requests) {
    const owners = byRunId.get(request.runId) ?? [];
    const sendable = owners.filter((intent) => intent.kind !== "invalid" && intent.kind !== "noop");
    if (sendable.length !== 1 || owners.length !== 1) {
      found.add(`request for ${request.runId}, which no single sendable row names`);
      continue;
    }
    const intent = sendable[0] as RowIntent;
    if (!isDeepStrictEqual(request.body, intent.body))
      found.add(
        `${intent.key}: sent ${JSON.stringify(request.body)}, the row asks ${JSON.stringify(intent.body)}`,
      );
  }
}

export interface RequestsPerRow {
  rowsSent: number;
  requests: number;
  max: number;
  /** The bound of the row that came closest to its own bound. */
  bound: number;
}

/** One execution as the runner saw it: when it started (host clock) and whether it was killed. */
export interface ExecutionWindow {
  start: number;
  killed: boolean;
}

/** Requests per row in one sync, each row against its own bound (kills count only where they sent the row). */
export function checkRequestsPerRow(
  requests: readonly ReceivedUpdate[],
  executions: readonly ExecutionWindow[],
  found: Violations,
): RequestsPerRow {
  const starts = executions.map((execution) => execution.start);
  const executionOf = (at: number): number => {
    let index = 0;
    while (index + 1 < starts.length && (starts[index + 1] ?? Number.POSITIVE_INFINITY) <= at) index += 1;
    return index;
  };
  const perRun = new Map<string, { count: number; killed: Set<number> }>();
  for (const request of requests) {
    const entry = perRun.get(request.runId) ?? { count: 0, killed: new Set<number>() };
    entry.count += 1;
    const execution = executionOf(request.receivedAt);
    if (executions[execution]?.killed) entry.killed.add(execution);
    perRun.set(request.runId, entry);
  }
  let max = 0;
  let closest = { slack: Number.POSITIVE_INFINITY, bound: requestsPerRowBound(0) };
  for (const [runId, { count, killed }] of perRun) {
    const bound = requestsPerRowBound(killed.size);
    max = Math.max(max, count);
    if (bound - count < closest.slack) closest = { slack: bound - count, bound };
    if (count > bound)
      found.add(
        `${runId}: ${count} requests in one sync, more than its bound of ${bound} (${killed.size} killed executions sent it)`,
      );
  }
  return { rowsSent: perRun.size, requests: requests.length, max, bound: closest.bound };
}

/** The Sync Result of each row, in the words the report counts. */
export function outcomeCounts(view: SheetView): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of view.rows) {
    const raw = String(row.outputs["Sync Result"]);
    const result = raw === "" ? "untouched" : isUpdated(raw) ? "Updated" : raw;
    counts[result] = (counts[result] ?? 0) + 1;
  }
  return counts;
}

/**
 * In the add and remove modes a row naming tags must fail when its run's answer lacks usable metadata (it cannot
 * know the tags it would send back): BAD_RESPONSE after its retries, or UNUSABLE_TAGS for tags that are not a list.
 */
export function checkHostileUpdates(
  view: SheetView,
  intents: ReadonlyMap<string, RowIntent>,
  readsTags: boolean,
  found: Violations,
): void {
  if (!readsTags) return;
  for (const row of view.rows) {
    const intent = intents.get(row.key);
    if (!intent?.hostile || intent.kind !== "update" || intent.namedTags === undefined) continue;
    const code =
      intent.hostile === "tags not a list"
        ? "UNUSABLE_TAGS"
        : intent.hostile === "no metadata" || intent.hostile === "metadata not an object"
          ? "BAD_RESPONSE"
          : undefined;
    const result = String(row.outputs["Sync Result"]);
    const error = String(row.outputs["Sync Error"]);
    // As for a 404 row: a row whose every attempt met a transient fault never heard the hostile answer.
    const heard = error.startsWith(`${code}: `) || RETRIED_TO_THE_END.test(error);
    if (code && result !== "" && !(result === "Failed" && heard))
      found.add(
        `${intent.key} (${intent.hostile}): should fail with ${code}, but: ${result} ${String(row.outputs["Sync Error"]).slice(0, 200)}`,
      );
  }
}
