// What happened to a row, and the output cells that say so. Only the cells an outcome changes are written, so a
// value the add-on wrote earlier is never read back and written again (which could pile up apostrophes, or turn
// text into something else); text is written so Sheets stores it exactly and never evaluates it. An update's
// outcome speaks in Sync Result and Sync Error; a read's (refresh, preview) in the read-only columns and Refresh
// Error, and never touches what the last update wrote.

import type { SyncError } from "../requests/classify";
import type { PreviewVerdict } from "../requests/compare";
import { runIdTag } from "../requests/fingerprint";
import { describeError, describeInvalidRow, describeUnwrittenResult } from "../requests/messages";
import type { RunFacts } from "../requests/run-facts";
import { exceptionText, type Scrub } from "../requests/secrets";
import { describeTagChange, type TagChange } from "../requests/tags";
import { type CellValue, textCell } from "../sheet/cell";
import type { WritableColumn } from "../sheet/headers";
import type { SyncCounts } from "./job";
import { encodeRowState, outputsDescribe, type RowState } from "./row-state";

export type RowOutcome =
  | {
      kind: "updated";
      runStatus: string;
      dashboardUrl?: string;
      syncedAt: Date;
      fingerprint: string;
      tagChanges: TagChange[];
      /** The run as the update returned it, for the read-only columns the sheet has. */
      facts?: RunFacts;
    }
  | { kind: "failed"; error: SyncError }
  | { kind: "invalid"; errors: string[] }
  | { kind: "unchanged" }
  | { kind: "noop" }
  /** A refresh read the run. */
  | { kind: "refreshed"; facts: RunFacts; readAt: Date }
  /** A refresh or preview could not read the run (or, `noRequest`, the row has no usable Run ID to ask about). */
  | { kind: "read failed"; error: SyncError; noRequest?: true }
  /** A preview read the run and compared it with the row; `fingerprint` is the row's request under the mode. */
  | { kind: "previewed"; facts: RunFacts; readAt: Date; verdict: PreviewVerdict; fingerprint: string }
  /** A preview's row became invalid or empty during a pause: only its mark is cleared. */
  | { kind: "skipped"; because: "invalid" | "noop" };

export type OutcomeKind = RowOutcome["kind"];

/** Outcomes of an update, written in Sync Result; the others are reads. */
export type UpdateOutcomeKind = "updated" | "failed" | "invalid" | "unchanged" | "noop";

/** The Sync Result words, one per outcome, so users can filter on them. */
export const RESULT_TEXT: Readonly<Record<UpdateOutcomeKind, string>> = {
  updated: "Updated",
  failed: "Failed",
  invalid: "Invalid",
  unchanged: "Unchanged",
  noop: "Nothing to change",
};

const READ_RESULT_TEXT: Readonly<Record<Exclude<OutcomeKind, UpdateOutcomeKind>, string>> = {
  refreshed: "Read",
  "read failed": "Could not be read",
  previewed: "Compared",
  skipped: "Skipped",
};

/** An outcome in a word or two, for lists and reports. */
export function outcomeText(kind: OutcomeKind): string {
  return kind in RESULT_TEXT
    ? RESULT_TEXT[kind as UpdateOutcomeKind]
    : READ_RESULT_TEXT[kind as keyof typeof READ_RESULT_TEXT];
}

export type OutputValues = Partial<Record<WritableColumn, CellValue>>;

/** Whether an outcome is an update's (written in Sync Result) rather than a read's. */
export function isUpdateOutcome(
  outcome: RowOutcome,
): outcome is Extract<RowOutcome, { kind: UpdateOutcomeKind }> {
  return outcome.kind in RESULT_TEXT;
}

/** The counts an outcome adds to its job's. */
export function outcomeCounts(outcome: RowOutcome): Partial<SyncCounts> {
  switch (outcome.kind) {
    case "refreshed":
      return { read: 1 };
    case "read failed":
      return { readFailed: 1 };
    case "previewed":
      return outcome.verdict === "matches" ? { read: 1, matching: 1 } : { read: 1, changing: 1 };
    case "skipped":
      return outcome.because === "invalid" ? { invalid: 1 } : { noop: 1 };
    default:
      return { [outcome.kind]: 1 };
  }
}

/** What a row's done mark adds to its job's counts, and whether the outcome took a request to Extend. */
interface DoneMark {
  counts: Partial<SyncCounts>;
  requested: boolean;
}

/**
 * Each outcome's letter in its row's done mark (`done=<job>:<letter>`): the sheet then says what a job did, so
 * counts lost with a killed execution are found again (src/core/engine/tally.ts).
 */
export const DONE_MARKS = {
  u: { counts: { updated: 1 }, requested: true },
  f: { counts: { failed: 1 }, requested: true },
  i: { counts: { invalid: 1 }, requested: false },
  c: { counts: { unchanged: 1 }, requested: false },
  n: { counts: { noop: 1 }, requested: false },
  r: { counts: { read: 1 }, requested: true },
  e: { counts: { readFailed: 1 }, requested: true },
  v: { counts: { readFailed: 1 }, requested: false },
  m: { counts: { read: 1, matching: 1 }, requested: true },
  d: { counts: { read: 1, changing: 1 }, requested: true },
} as const satisfies Record<string, DoneMark>;

export type DoneAs = keyof typeof DONE_MARKS;

const DONE_LETTERS: ReadonlySet<string> = new Set(Object.keys(DONE_MARKS));

export function isDoneAs(letter: string | undefined): letter is DoneAs {
  return letter !== undefined && DONE_LETTERS.has(letter);
}

/** The letter an outcome is marked with; its DONE_MARKS counts are outcomeCounts(outcome). */
export function doneAs(outcome: RowOutcome): DoneAs {
  switch (outcome.kind) {
    case "updated":
      return "u";
    case "failed":
      return "f";
    case "invalid":
      return "i";
    case "unchanged":
      return "c";
    case "noop":
      return "n";
    case "refreshed":
      return "r";
    case "read failed":
      return outcome.noRequest ? "v" : "e";
    case "previewed":
      return outcome.verdict === "matches" ? "m" : "d";
    case "skipped":
      return outcome.because === "invalid" ? "i" : "n";
  }
}

/** The read-only cells of a run as just read. */
function readCells(facts: RunFacts, readAt: Date): OutputValues {
  return {
    currentTags: textCell(facts.tagsText),
    currentMetadata: textCell(facts.metadataText),
    credits: facts.credits ?? "",
    failure: textCell(facts.failure ?? ""),
    refreshedAt: readAt,
    refreshError: "",
  };
}

const BLANK_READ_CELLS: OutputValues = {
  currentTags: "",
  currentMetadata: "",
  credits: "",
  failure: "",
  refreshedAt: "",
};

/** What the row showed and held before this outcome, as read from the sheet. */
export interface RowBefore {
  runId: string;
  state: RowState;
  /** The Dashboard Link cell: for rows written before the state named its run, it tells whose outputs these are. */
  link: CellValue;
  /** The Synced At cell, where read: a date written there before keeps the format it has (see DateCells). */
  syncedAt?: CellValue;
}

/** Whether the row's Synced At cell held something before: then a new date keeps the cell's format. */
export function hadSyncedAt(before: RowBefore): boolean {
  return before.syncedAt !== undefined && before.syncedAt !== "";
}

function resultText(outcome: Extract<RowOutcome, { kind: UpdateOutcomeKind }>): string {
  if (outcome.kind !== "updated" || outcome.tagChanges.length === 0) return RESULT_TEXT[outcome.kind];
  return `${RESULT_TEXT.updated}; tags: ${outcome.tagChanges.map(describeTagChange).join("; ")}`;
}

/** Whether the status, time and link the row keeps belong to its current run id (a copied row's do not). */
export function keepsOwnOutputs(before: RowBefore): boolean {
  if (before.state.outputsRun) return outputsDescribe(before.state, before.runId);
  const link = typeof before.link === "string" ? before.link : "";
  return link === "" || link.includes(before.runId);
}

/**
 * The output cells an outcome writes, and nothing else. An update rewrites every column. Other outcomes keep
 * the row's last status, time and link when they describe the row's current run, and blank them otherwise.
 * A failure forgets what Extend last accepted: the attempt may have reached Extend, so only a new success may
 * say "Unchanged" again. Reads keep it, except a preview, which learns whether it still holds.
 */
export function outcomeCells(outcome: RowOutcome, before: RowBefore, syncId: string): OutputValues {
  if (!isUpdateOutcome(outcome)) return readOutcomeCells(outcome, before, syncId);
  const cells: OutputValues = { result: textCell(resultText(outcome)), error: "" };
  const state: RowState = { doneSync: syncId, doneAs: doneAs(outcome) };
  if (outcome.kind === "updated") {
    cells.status = textCell(outcome.runStatus);
    cells.syncedAt = outcome.syncedAt;
    cells.link = outcome.dashboardUrl ? textCell(outcome.dashboardUrl) : "";
    if (outcome.facts) Object.assign(cells, readCells(outcome.facts, outcome.syncedAt));
    state.lastSent = outcome.fingerprint;
    state.outputsRun = runIdTag(before.runId);
  } else {
    if (keepsOwnOutputs(before)) {
      if (before.state.outputsRun) state.outputsRun = before.state.outputsRun;
    } else {
      cells.status = "";
      cells.syncedAt = "";
      cells.link = "";
      Object.assign(cells, BLANK_READ_CELLS);
    }
    if (outcome.kind !== "failed" && before.state.lastSent) state.lastSent = before.state.lastSent;
    if (outcome.kind === "failed") cells.error = textCell(describeError(outcome.error));
    if (outcome.kind === "invalid") cells.error = textCell(describeInvalidRow(outcome.errors));
  }
  cells.state = encodeRowState(state);
  return cells;
}

function readOutcomeCells(
  outcome: Exclude<RowOutcome, { kind: UpdateOutcomeKind }>,
  before: RowBefore,
  syncId: string,
): OutputValues {
  const state: RowState = { doneSync: syncId, doneAs: doneAs(outcome) };
  if (before.state.lastSent) state.lastSent = before.state.lastSent;
  let cells: OutputValues = {};
  if (outcome.kind === "refreshed" || outcome.kind === "previewed") {
    cells = readCells(outcome.facts, outcome.readAt);
    cells.status = textCell(outcome.facts.status);
    if (outcome.facts.dashboardUrl) cells.link = textCell(outcome.facts.dashboardUrl);
    else if (!keepsOwnOutputs(before)) cells.link = "";
    state.outputsRun = runIdTag(before.runId);
    if (outcome.kind === "previewed") {
      // "Unchanged" is a promise that Extend holds what the row asks for: a preview has just checked it.
      if (outcome.verdict === "matches") state.lastSent = outcome.fingerprint;
      else if (outcome.verdict === "differs") delete state.lastSent;
    }
  } else {
    if (keepsOwnOutputs(before)) {
      if (before.state.outputsRun) state.outputsRun = before.state.outputsRun;
    } else {
      cells = { ...BLANK_READ_CELLS, status: "", syncedAt: "", link: "" };
    }
    if (outcome.kind === "read failed") cells.refreshError = textCell(describeError(outcome.error, "read"));
  }
  cells.state = encodeRowState(state);
  return cells;
}

/**
 * The cells of an outcome, or, should building them throw after all (a fact of an answer no check foresaw),
 * the cells of that row's failure, with the outcome that now stands: one row never stops the others' writing.
 */
export function settledCells(
  outcome: RowOutcome,
  before: RowBefore,
  syncId: string,
  scrub: Scrub,
): { outcome: RowOutcome; cells: OutputValues } {
  try {
    return { outcome, cells: outcomeCells(outcome, before, syncId) };
  } catch (thrown) {
    const error: SyncError = {
      code: "BAD_RESPONSE",
      message: `Extend's answer could not be written to the sheet (${exceptionText(thrown, scrub, 200)}).`,
    };
    const failed: RowOutcome = isUpdateOutcome(outcome)
      ? { kind: "failed", error }
      : { kind: "read failed", error };
    return { outcome: failed, cells: outcomeCells(failed, before, syncId) };
  }
}

/** The least a row can be told when its full outcome could not be written. */
export function shortOutcomeCells(outcome: RowOutcome, state: CellValue, problem: string): OutputValues {
  if (!isUpdateOutcome(outcome))
    return { refreshError: textCell(describeUnwrittenResult(`${problem} Extend was not changed.`)), state };
  return {
    result: textCell(RESULT_TEXT[outcome.kind]),
    error: textCell(
      describeUnwrittenResult(
        `${problem} Extend was ${outcome.kind === "updated" ? "updated" : "not updated"}.`,
      ),
    ),
    state,
  };
}

/**
 * The state cell of a row a job is about to work on. For an update, what Extend last accepted is forgotten from
 * this moment: an attempt may be in flight when the execution dies or the sync is replaced, and the row must
 * then be sent again. A refresh or preview (`forReading`) keeps it.
 */
export function pendingStateCell(
  before: RowBefore,
  syncId: string,
  plannedFingerprint: string,
  forReading = false,
): string {
  const state: RowState = {
    pendingSync: syncId,
    pendingRun: runIdTag(before.runId),
  };
  if (plannedFingerprint !== "") state.pendingPlan = plannedFingerprint;
  if (before.state.outputsRun) state.outputsRun = before.state.outputsRun;
  // A read changes nothing in Extend: what it last accepted still holds while a refresh or preview runs.
  if (forReading && before.state.lastSent) state.lastSent = before.state.lastSent;
  return encodeRowState(state);
}
