// Starting a sync, for the menu and the sidebar alike: plan the rows, ask for tag changes to be confirmed (by
// returning them, so each caller asks in its own way), claim the document's sync, mark the rows to send and
// run the first execution.
import { beginSync, ensureOutputColumns } from "../core/begin";
import type { CellValue } from "../core/cell";
import type { JustStarted, SyncProgress } from "../core/engine";
import { emptyCounts, type JobView, jobIsActive, jobView, type SyncJob } from "../core/job";
import {
  type PlanResult,
  planSync,
  type SyncPlan,
  type TagWarning,
  tagWarnings,
  warningsToken,
} from "../core/plan";
import { isoDateFormatter } from "../gas/clock";
import { jobStore } from "../gas/properties";
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

export interface StartOptions {
  selectedRowsOnly: boolean;
  force: boolean;
}

export interface StartRequest extends StartOptions {
  /** The token of the tag changes the user saw and accepted; any other set of changes is asked again. */
  confirmToken?: string;
  /** Start anew although a paused sync exists; the paused one is ended and logged as replaced. */
  replacePaused?: boolean;
}

export type StartResult =
  | SyncProgress
  | { state: "confirm"; warnings: TagWarning[]; token: string }
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
function selectedRows(sheet: GoogleAppsScript.Spreadsheet.Sheet, values: readonly unknown[][]): Set<number> {
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

function scopeLabel(rows: ReadonlySet<number> | "all"): string {
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
  const dateToIso = isoDateFormatter(context.spreadsheet.getSpreadsheetTimeZone());
  return { result: planSync(values, rows, options.force, { dateToIso }), rows, values };
}

export function plannable(result: PlanResult): SyncPlan {
  if (!result.ok) throw new UserFacingError(`This sheet cannot be synced: ${result.problems.join(" ")}`);
  return result.plan;
}

type Claimed = { job: SyncJob; started: JustStarted };

function claimNewJob(
  context: ExecutionContext,
  request: StartRequest,
  startedAt: number,
): Claimed | StartResult {
  const sheet = context.spreadsheet.getActiveSheet();
  return withDocumentLock(() => {
    const current = jobStore.load();
    if (current && jobIsActive(current, Date.now())) return { state: "busy", message: busyMessage(current) };
    if (current?.status === "running" && !request.replacePaused)
      return { state: "paused-exists", job: jobView(current, Date.now()) };
    // Planned under the lock, right before the rows are marked: what the user confirmed must still hold.
    const planned = plan(context, sheet, request);
    const fresh = plannable(planned.result);
    if (fresh.rows.length === 0)
      throw new UserFacingError(
        "There are no rows to sync: select rows below the header row, or fill in some Run IDs.",
      );
    const warnings = tagWarnings(fresh);
    const token = warningsToken(warnings);
    if (warnings.length > 0 && request.confirmToken !== token) return { state: "confirm", warnings, token };
    const port = new SpreadsheetSheet(sheet);
    const outputs = ensureOutputColumns(port, fresh.columns, sheet.getLastColumn());
    const id = Utilities.getUuid().slice(0, 8);
    const begun = beginSync(port, fresh, planned.values, outputs, id);
    if (current?.status === "running") {
      const replaced: SyncJob = {
        ...current,
        status: "stopped",
        stopReason: `replaced by a new sync started by ${activeUser()}`,
      };
      writeRunLog(context.spreadsheet, replaced, "stopped", Date.now());
    }
    const created: SyncJob = {
      id,
      sheetId: sheet.getSheetId(),
      sheetName: sheet.getName(),
      scopeLabel: scopeLabel(planned.rows),
      allRows: planned.rows === "all",
      force: request.force,
      startedBy: activeUser(),
      startedAt,
      lastActivityAt: Date.now(),
      lease: newLease(context),
      executions: 0,
      rate: context.settings.rate,
      rowsToSend: begun.rowsToSend,
      resolvedAtStart: fresh.rows.length - begun.rowsToSend,
      counts: { ...emptyCounts(), ...begun.counts },
      status: "running",
    };
    jobStore.save(created);
    jobStore.saveMarks(id, begun.marks);
    return { job: created, started: { values: begun.values, plan: fresh } };
  });
}

/**
 * Starts a sync and runs its first execution. Returns "confirm" with the tag changes when Extend would clean
 * some tags and the caller has not confirmed exactly these changes; the caller asks the user and calls again
 * with the token.
 */
export function startSync(request: StartRequest, startedAt = Date.now()): StartResult {
  try {
    const context = executionContext(startedAt);
    const claimed = claimNewJob(context, request, startedAt);
    if ("state" in claimed) return claimed;
    return work(context, claimed.job, claimed.started).progress;
  } catch (error) {
    if (error instanceof UserFacingError) return { state: "error", message: error.message };
    throw error;
  }
}
