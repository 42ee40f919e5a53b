// Undoing a sync, for the menu, the sidebar and npm start alike: the recent jobs of the history sheet, the
// confirmation of an undo (computed from the records, before anything is sent), then the undo job itself. An
// undo is a job like a sync, run by the engine on the history sheet: its rows are the records of the job it
// undoes, marked with its id in the engine's Sync State column there, so pacing, retries, pause and resume, the
// lease and the kill safety are the sync's own (src/core/engine/undo.ts).
import { ensureOutputColumns } from "../core/engine/begin";
import { readHistory } from "../core/engine/history";
import { emptyCounts, type JobView, jobView } from "../core/engine/job";
import { pendingStateCell } from "../core/engine/outcome";
import { decodeRowState } from "../core/engine/row-state";
import {
  type HistoryJob,
  historyJobs,
  kindNoun,
  type UndoSummary,
  undoSummary,
} from "../core/jobs/history-jobs";
import { fingerprint } from "../core/requests/fingerprint";
import type { CellValue } from "../core/sheet/cell";
import { mapHeaders } from "../core/sheet/headers";
import { estimateRequests, type QuotaShortfall, quotaShortfall } from "../core/views/quota-estimate";
import { existingHistorySheet } from "../gas/history-sheet";
import { jobStore } from "../gas/properties";
import { quotaNow } from "../gas/quota-count";
import { SpreadsheetSheet } from "../gas/sheet";
import { executionContext, UserFacingError } from "./context";
import { work } from "./execute";
import { ClaimLost } from "./job-claim";
import { type Claimed, claimNewJob, newJob, type StartResult } from "./start";

export interface UndoRequest {
  jobId: string;
  /** The token of the confirmation the person saw and accepted. */
  confirmToken?: string;
  /** Start although a paused job exists; the paused one is ended and logged as replaced. */
  replacePaused?: boolean;
}

/** What an undo asks the person to confirm first. */
export interface UndoConfirmation {
  state: "confirm-undo";
  token: string;
  summary: UndoSummary;
  /** Today's web requests left are fewer than the undo needs (a read and a write per run). */
  quota?: QuotaShortfall;
}

export type UndoStartResult = StartResult | UndoConfirmation;

/** Anything may arrive from google.script.run: keep only the fields an undo request has, with their types. */
export function parseUndoRequest(input: unknown): UndoRequest | undefined {
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const jobId = typeof fields.jobId === "string" ? fields.jobId.trim() : "";
  if (!/^[\w-]{1,64}$/.test(jobId)) return undefined;
  const request: UndoRequest = { jobId };
  if (typeof fields.confirmToken === "string") request.confirmToken = fields.confirmToken.slice(0, 64);
  if (fields.replacePaused === true) request.replacePaused = true;
  return request;
}

function historyValues(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet) {
  const sheet = existingHistorySheet(spreadsheet);
  return sheet ? { sheet, values: new SpreadsheetSheet(sheet).readAll() } : undefined;
}

/** The recent syncs and undos of the history sheet, newest first. */
export function listHistoryJobs(): HistoryJob[] {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const found = historyValues(spreadsheet);
  if (!found) return [];
  const dateToIso = (date: Date) => date.toISOString();
  return historyJobs(readHistory(found.values, dateToIso).records);
}

/** The document's unfinished job (paused, or driven by an execution now), if any. */
export function unfinishedJob(): JobView | undefined {
  const current = jobStore.load();
  return current?.status === "running" ? jobView(current, Date.now()) : undefined;
}

const NO_HISTORY =
  'There is no history to undo yet: syncs record their changes in the sheet "Extend Sync History" while Keep history is on (Settings).';

/** The records' summary and the token that names it: a confirmation holds only for the records it described. */
function summarize(
  values: readonly (readonly CellValue[])[],
  jobId: string,
  dateToIso: (date: Date) => string,
) {
  const { records } = readHistory(values, dateToIso);
  const summary = undoSummary(records, jobId);
  if (!summary)
    throw new UserFacingError(`The history has no sync with the id "${jobId}". Nothing was sent.`);
  const own = records.filter((record) => record.jobId === jobId).length;
  return { summary, token: fingerprint(`undo:${jobId}:${own}`, { name: JSON.stringify(summary) }) };
}

function claimUndo(
  context: ReturnType<typeof executionContext>,
  request: UndoRequest,
  startedAt: number,
): Claimed | UndoStartResult {
  const asked = historyValues(context.spreadsheet);
  if (!asked) throw new UserFacingError(NO_HISTORY);
  // Another unfinished job is named before the confirmation, not after it: the person decides about it first
  // (Resume it, wait, or end a paused one and undo), and a Yes to the undo is never answered "busy".
  const unfinished = request.replacePaused ? undefined : unfinishedJob();
  if (unfinished) return { state: "paused-exists", job: unfinished };
  const first = summarize(asked.values, request.jobId, context.dateToIso);
  // A shortfall of today's requests is part of what is confirmed: a Yes given without it does not start the undo.
  const shortfall = quotaShortfall(
    estimateRequests({ kind: "undo", rows: first.summary.runs, rowsReadFirst: 0 }),
    quotaNow(),
  );
  const tokenOf = (token: string) =>
    shortfall ? fingerprint(`quota:${shortfall.needed}`, { name: token }) : token;
  if (request.confirmToken !== tokenOf(first.token))
    return {
      state: "confirm-undo",
      token: tokenOf(first.token),
      summary: first.summary,
      ...(shortfall ? { quota: shortfall } : {}),
    };
  return claimNewJob(context, request.replacePaused, () => {
    // Read again under the lock: the records the person confirmed must still be those marked.
    const sheet = asked.sheet;
    const port = new SpreadsheetSheet(sheet);
    const values = port.readAll();
    const now = summarize(values, request.jobId, context.dateToIso);
    if (tokenOf(now.token) !== request.confirmToken)
      throw new UserFacingError(
        "The history changed while the undo was starting. Nothing was sent: start it again.",
      );
    const headers = mapHeaders(values[0] ?? []);
    if (!headers.ok)
      throw new UserFacingError(`The history sheet cannot be read: ${headers.problems.join(" ")}`);
    const outputs = ensureOutputColumns(port, headers.columns, values);
    const job = newJob(
      context,
      sheet,
      "undo",
      { label: `the ${now.summary.kind} ${request.jobId}`, allRows: false },
      startedAt,
    );
    job.undoOf = request.jobId;
    if (kindNoun(now.summary.kind) === "undo") job.undoesUndo = true;
    job.keepHistory = true;
    const jobColumn = values[0]?.findIndex((cell) => String(cell).trim() === "Job ID") ?? -1;
    // The whole Sync State column in one rectangle, the target's records marked with the undo's id.
    const states: CellValue[][] = [];
    let marked = 0;
    for (let index = 1; index < values.length; index++) {
      const cells = values[index] ?? [];
      const current = cells[outputs.state] ?? "";
      if (String(cells[jobColumn] ?? "").trim() !== request.jobId) {
        states.push([current]);
        continue;
      }
      const runId = String(cells[headers.columns.runId] ?? "").trim();
      states.push([pendingStateCell({ runId, state: decodeRowState(current), link: "" }, job.id, "")]);
      marked += 1;
    }
    if (states.length > 0) port.write([{ row: 2, column: outputs.state + 1, values: states }]);
    job.rowsToSend = marked;
    job.counts = emptyCounts();
    return { job, marks: [] };
  });
}

/** Starts an undo of `jobId` and runs its first execution; "confirm-undo" first, until its token comes back. */
export function startUndo(request: UndoRequest, startedAt = Date.now()): UndoStartResult {
  try {
    const context = executionContext(startedAt);
    const claimed = claimUndo(context, request, startedAt);
    if ("state" in claimed) return claimed;
    return work(context, claimed.job).progress;
  } catch (error) {
    if (error instanceof UserFacingError) return { state: "error", message: error.message };
    if (error instanceof ClaimLost) return { state: "busy", message: error.message };
    throw error;
  }
}
