// Starting a refresh (read every run of the sheet, or of the selection, into the read-only columns) and a
// preview (read each row's run and compare it with what the row's update would ask for), from the menu and the
// sidebar alike: claim the document's one job, mark the rows to read, run the first execution.
import { addOutputColumns, beginSync } from "../core/engine/begin";
import { planRefresh, planSync } from "../core/engine/plan";
import { parseTagMode } from "../core/requests/tag-mode";
import { planWork, readWork } from "../core/views/quota-estimate";
import type { PreviewRequest, RefreshRequest } from "../core/views/sidebar-api";
import { SpreadsheetSheet } from "../gas/sheet";
import { UserFacingError } from "./context";
import {
  begunJob,
  claimNewJob,
  confirmationNeeded,
  newJob,
  plannable,
  type StartResult,
  scopeLabel,
  selectedRows,
  startJob,
} from "./start";

function fieldsOf(input: unknown): Record<string, unknown> {
  return typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
}

/** Anything may arrive from google.script.run: keep only a refresh request's fields, with their types. */
export function parseRefreshRequest(input: unknown): RefreshRequest {
  const fields = fieldsOf(input);
  const request: RefreshRequest = { selectedRowsOnly: fields.selectedRowsOnly === true };
  if (fields.replacePaused === true) request.replacePaused = true;
  if (typeof fields.confirmToken === "string") request.confirmToken = fields.confirmToken.slice(0, 64);
  return request;
}

export function parsePreviewRequest(input: unknown): PreviewRequest {
  const fields = fieldsOf(input);
  const request: PreviewRequest = { tagMode: parseTagMode(fields.tagMode) ?? "replace" };
  if (fields.selectedRowsOnly === true) request.selectedRowsOnly = true;
  if (fields.replacePaused === true) request.replacePaused = true;
  if (typeof fields.confirmToken === "string") request.confirmToken = fields.confirmToken.slice(0, 64);
  return request;
}

/** Reads the runs of every row (or the selected rows) into Run Status and the read-only columns. */
export function startRefresh(request: RefreshRequest, startedAt = Date.now()): StartResult {
  return startJob(startedAt, (context) => {
    const sheet = context.spreadsheet.getActiveSheet();
    return claimNewJob(context, request.replacePaused, () => {
      const port = new SpreadsheetSheet(sheet);
      const values = port.readAll();
      const rows = request.selectedRowsOnly ? selectedRows(sheet, values) : "all";
      const plan = plannable(planRefresh(values, rows, context));
      if (plan.rows.length === 0)
        throw new UserFacingError(
          "There are no Run IDs to refresh: select rows below the header row, or fill in some Run IDs.",
        );
      const question = confirmationNeeded(readWork(plan), request, "replace");
      if (question) return question;
      const { outputs, stateColumnMade } = addOutputColumns(port, plan.columns, values, true);
      const job = newJob(
        context,
        sheet,
        "refresh",
        { label: scopeLabel(rows), allRows: rows === "all" },
        startedAt,
      );
      if (stateColumnMade) job.hideStateColumn = true;
      const begun = beginSync(port, plan, values, outputs, job.id, { forReading: true });
      return begunJob(job, begun, plan, plan.rows.length - begun.rowsToSend);
    });
  });
}

/**
 * Reads the run of every row (or selected row) a sync would send (Unchanged ones too) and compares it with what the row asks
 * for under the tag mode; nothing is sent, and rows that would change nothing are marked Unchanged.
 */
export function startPreview(request: PreviewRequest, startedAt = Date.now()): StartResult {
  return startJob(startedAt, (context) => {
    const sheet = context.spreadsheet.getActiveSheet();
    return claimNewJob(context, request.replacePaused, () => {
      const port = new SpreadsheetSheet(sheet);
      const values = port.readAll();
      // A selection follows a selected sync's rules: filtered-out rows are left out, and each Run ID is
      // checked against the whole sheet.
      const rows = request.selectedRowsOnly ? selectedRows(sheet, values) : "all";
      const plan = plannable(planSync(values, rows, true, context, request.tagMode));
      if (!plan.rows.some((row) => "send" in row.action))
        throw new UserFacingError(
          rows === "all"
            ? "No row of this sheet would be sent, so there is nothing to compare: fill in a Run ID and the values to change."
            : `None of the selected rows (${scopeLabel(rows)}) would be sent, so there is nothing to compare: select rows with a Run ID and values to change, below the header row.`,
        );
      const question = confirmationNeeded(
        planWork("preview", plan, request.tagMode),
        request,
        request.tagMode,
      );
      if (question) return question;
      const { outputs, stateColumnMade } = addOutputColumns(port, plan.columns, values, true);
      const job = newJob(context, sheet, "preview", { label: scopeLabel(rows), allRows: false }, startedAt);
      job.tagMode = request.tagMode;
      if (stateColumnMade) job.hideStateColumn = true;
      const begun = beginSync(port, plan, values, outputs, job.id, { forReading: true, countOnly: true });
      // A preview writes no outcome for the rows it does not read: none is resolved at the start.
      return begunJob(job, begun, plan, 0);
    });
  });
}
