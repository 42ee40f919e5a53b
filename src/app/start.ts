// Starting a job, for the menu and the sidebar alike: claim the document's one job (refusing while another runs,
// offering a paused one), plan the rows, and run the first execution. For a sync: ask for tag changes and, in
// the add and remove tag modes, the mode itself to be confirmed (by returning them, so each caller asks in its
// own way), then mark the rows to send.

import { addOutputColumns, type Begun, beginSync } from "../core/engine/begin";
import type { JustStarted } from "../core/engine/engine";
import {
  emptyCounts,
  JOB_NOUN,
  type JobKind,
  type JobView,
  jobIsActive,
  jobKind,
  jobView,
  type SyncJob,
} from "../core/engine/job";
import { type PlanResult, planSync, type SyncPlan, sendConfirmation } from "../core/engine/plan";
import { parseTagMode, type TagMode } from "../core/requests/tag-mode";
import type { CellValue } from "../core/sheet/cell";
import {
  estimateRequests,
  type JobConfirmation,
  type JobWork,
  planWork,
  quotaShortfall,
  withShortfall,
} from "../core/views/quota-estimate";
import type { SyncProgress } from "../core/views/sidebar-api";
import { jobStore } from "../gas/properties";
import { quotaNow } from "../gas/quota-count";
import { writeRunLog } from "../gas/run-log";
import { SpreadsheetSheet } from "../gas/sheet";
import {
  activeUser,
  busyMessage,
  type ExecutionContext,
  executionContext,
  newLease,
  UserFacingError,
  withDocumentLock,
} from "./context";
import { work } from "./execute";
import { ClaimLost } from "./job-claim";

export interface StartOptions {
  selectedRowsOnly: boolean;
  force: boolean;
  /** How rows' tags are sent; replace (what the API does) when absent. */
  tagMode?: TagMode;
}

export interface StartRequest extends StartOptions {
  /** The token of the tag changes the user saw and accepted; any other set of changes is asked again. */
  confirmToken?: string;
  /** Start anew although a paused sync exists; the paused one is ended and logged as replaced. */
  replacePaused?: boolean;
}

/**
 * What a job asks the person to confirm first: for a sync, tag changes and the tag mode when it is add or
 * remove; for any job, more web requests than are left today.
 */
export interface Confirmation extends JobConfirmation {
  state: "confirm";
}

/**
 * The question to ask before a job does `work` (besides the sync's own `asked`), unless the request carries the
 * token of exactly this question: then undefined, and the job starts.
 */
export function confirmationNeeded(
  work: JobWork,
  request: { confirmToken?: string },
  tagMode: TagMode,
  asked?: JobConfirmation,
): Confirmation | undefined {
  const question = withShortfall(asked, quotaShortfall(estimateRequests(work), quotaNow()), tagMode);
  if (!question || request.confirmToken === question.token) return undefined;
  return { state: "confirm", ...question };
}

export type StartResult =
  | SyncProgress
  | Confirmation
  | { state: "paused-exists"; job: JobView }
  | { state: "busy"; message: string }
  | { state: "error"; message: string };

/** Anything may arrive from google.script.run: keep only the fields a start request has, with their types. */
export function parseStartRequest(input: unknown): StartRequest {
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const request: StartRequest = {
    selectedRowsOnly: fields.selectedRowsOnly === true,
    force: fields.force === true,
  };
  const tagMode = parseTagMode(fields.tagMode);
  if (tagMode) request.tagMode = tagMode;
  if (typeof fields.confirmToken === "string") request.confirmToken = fields.confirmToken.slice(0, 64);
  if (fields.replacePaused === true) request.replacePaused = true;
  return request;
}

/**
 * The rows of the user's selection below the header and above the last row with data. Rows a filter hides
 * are left out: the user did not see them (a selection of the visible "Failed" rows must not resend the
 * others). Apps Script can only ask about one row at a time, so only rows with data are asked about, and only
 * when the sheet has a filter.
 */
export function selectedRows(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  values: readonly unknown[][],
): Set<number> {
  const rows = new Set<number>();
  const ranges = sheet.getActiveRangeList()?.getRanges() ?? [];
  const filtered = sheet.getFilter() !== null;
  const hasData = (row: number) => (values[row - 1] ?? []).some((cell) => cell !== "");
  for (const range of ranges) {
    if (range.getSheet().getSheetId() !== sheet.getSheetId()) continue;
    const last = Math.min(range.getLastRow(), values.length);
    for (let row = Math.max(2, range.getRow()); row <= last; row++) {
      if (rows.has(row) || !hasData(row)) continue;
      if (!filtered || !sheet.isRowHiddenByFilter(row)) rows.add(row);
    }
  }
  return rows;
}

export function scopeLabel(rows: ReadonlySet<number> | "all"): string {
  if (rows === "all") return "all rows";
  const sorted = [...rows].sort((a, b) => a - b);
  const spans: string[] = [];
  for (const row of sorted) {
    const last = spans[spans.length - 1];
    const [from, to] = (last ?? "").split("-").map(Number);
    if (last !== undefined && (to ?? from) === row - 1) spans[spans.length - 1] = `${from}-${row}`;
    else spans.push(String(row));
  }
  const text = `rows ${spans.join(", ")}`;
  return text.length > 200 ? `${sorted.length} selected rows` : text;
}

interface Planned {
  result: PlanResult;
  rows: Set<number> | "all";
  values: CellValue[][];
}

function plan(
  context: ExecutionContext,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  options: StartOptions,
): Planned {
  const values = new SpreadsheetSheet(sheet).readAll();
  const rows = options.selectedRowsOnly ? selectedRows(sheet, values) : "all";
  return {
    result: planSync(values, rows, options.force, context, options.tagMode ?? "replace"),
    rows,
    values,
  };
}

export function plannable(result: PlanResult): SyncPlan {
  if (!result.ok) throw new UserFacingError(`This sheet cannot be synced: ${result.problems.join(" ")}`);
  return result.plan;
}

/** A new job, saved, with what its first execution may start from. */
export type Claimed = { job: SyncJob; started?: JustStarted; marks?: string[] };

/**
 * Claims the document's one job under the document lock: refused while another runs, offered when one is
 * paused (unless replacing it was asked for), else `begin` plans and writes the new job's marks and returns it.
 */
export function claimNewJob(
  context: ExecutionContext,
  replacePaused: boolean | undefined,
  begin: () => Claimed | StartResult,
): Claimed | StartResult {
  return withDocumentLock(() => {
    const current = jobStore.load();
    // An unfinished job is offered (Resume joins one being driven elsewhere safely), never a wait and a refusal;
    // only replacing one that is being driven is refused.
    if (current?.status === "running" && !replacePaused)
      return { state: "paused-exists", job: jobView(current, Date.now()) };
    if (current && jobIsActive(current, Date.now()))
      return { state: "busy", message: busyMessage(jobKind(current), current.startedBy, current.startedAt) };
    const claimed = begin();
    if ("state" in claimed) return claimed;
    if (current?.status === "running") {
      const replaced: SyncJob = {
        ...current,
        status: "stopped",
        stopReason: `replaced by a new ${JOB_NOUN[claimed.job.kind ?? "update"]} started by ${activeUser()}`,
      };
      writeRunLog(context.spreadsheet, replaced, "stopped", Date.now());
    }
    jobStore.saveWithMarks(claimed.job, claimed.marks ?? []);
    return claimed;
  });
}

/**
 * Every start, whatever the job: `claim` claims it (with claimNewJob), then its first execution runs; a
 * UserFacingError on the way (no key, the lock busy, nothing to do) is the answer shown to the person.
 */
export function startJob(
  startedAt: number,
  claim: (context: ExecutionContext) => Claimed | StartResult,
): StartResult {
  try {
    const context = executionContext(startedAt);
    const claimed = claim(context);
    if ("state" in claimed) return claimed;
    return work(context, claimed.job, claimed.started, claimed.marks).progress;
  } catch (error) {
    if (error instanceof UserFacingError) return { state: "error", message: error.message };
    if (error instanceof ClaimLost) return { state: "busy", message: error.message };
    throw error;
  }
}

/** The fields every new job starts with. */
export function newJob(
  context: ExecutionContext,
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  kind: JobKind,
  scope: { label: string; allRows: boolean },
  startedAt: number,
): SyncJob {
  return {
    id: Utilities.getUuid().slice(0, 8),
    kind,
    sheetId: sheet.getSheetId(),
    sheetName: sheet.getName(),
    scopeLabel: scope.label,
    allRows: scope.allRows,
    force: false,
    startedBy: activeUser(),
    startedAt,
    lastActivityAt: Date.now(),
    lease: newLease(context),
    executions: 0,
    rate: context.settings.rate,
    getRate: context.settings.rate,
    rowsToSend: 0,
    counts: emptyCounts(),
    status: "running",
  };
}

/** A new job once beginSync has marked its rows, with what its first execution starts from. */
export function begunJob(job: SyncJob, begun: Begun, plan: SyncPlan, resolvedAtStart: number): Claimed {
  job.rowsToSend = begun.rowsToSend;
  job.resolvedAtStart = resolvedAtStart;
  job.counts = { ...emptyCounts(), ...begun.counts };
  return { job, started: { values: begun.values, plan }, marks: begun.marks };
}

function claimNewSync(
  context: ExecutionContext,
  request: StartRequest,
  startedAt: number,
): Claimed | StartResult {
  const sheet = context.spreadsheet.getActiveSheet();
  return claimNewJob(context, request.replacePaused, () => {
    // Planned under the lock, right before the rows are marked: what the user confirmed must still hold.
    const planned = plan(context, sheet, request);
    const fresh = plannable(planned.result);
    if (fresh.rows.length === 0)
      throw new UserFacingError(
        "There are no rows to sync: select rows below the header row, or fill in some Run IDs.",
      );
    const tagMode = request.tagMode ?? "replace";
    const asked = sendConfirmation(fresh, tagMode);
    const question = confirmationNeeded(
      planWork("update", fresh, tagMode, context.settings.keepHistory),
      request,
      tagMode,
      asked,
    );
    if (question) return question;
    const port = new SpreadsheetSheet(sheet);
    const { outputs, stateColumnMade } = addOutputColumns(port, fresh.columns, planned.values);
    const job = newJob(
      context,
      sheet,
      "update",
      { label: scopeLabel(planned.rows), allRows: planned.rows === "all" },
      startedAt,
    );
    const begun = beginSync(port, fresh, planned.values, outputs, job.id);
    job.force = request.force;
    if (tagMode !== "replace") job.tagMode = tagMode;
    if (context.settings.keepHistory) job.keepHistory = true;
    if (stateColumnMade) job.hideStateColumn = true;
    return begunJob(job, begun, fresh, fresh.rows.length - begun.rowsToSend);
  });
}

/**
 * Starts a sync and runs its first execution. Returns "confirm" with the tag changes when Extend would clean
 * some tags and the caller has not confirmed exactly these changes; the caller asks the user and calls again
 * with the token.
 */
export function startSync(request: StartRequest, startedAt = Date.now()): StartResult {
  return startJob(startedAt, (context) => claimNewSync(context, request, startedAt));
}
