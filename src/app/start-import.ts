// Starting an import, from the import dialog, the sidebar or the local runner: a new sheet (never an existing
// one) with the sheet contract's header row, a job that reads List's pages into it, and the first execution.
// Imports too large for one execution go on like a long sync (continueSyncJob, or Continue paused sync).

import { importHeaders } from "../core/jobs/import/import-layout";
import { describeFilters, type ImportRequest, parseImportRequest } from "../core/jobs/import/import-list";
import { OUTPUT_HEADERS } from "../core/sheet/headers";
import type { JobWork } from "../core/views/quota-estimate";
import { freeSheetName } from "../gas/own-sheet";
import { formatTime } from "./context";
import { claimNewJob, confirmationNeeded, newJob, type StartResult, startJob } from "./start";

/** An import's runs are known only with a maximum: without one, nothing is estimated (and nothing asked). */
function importWork(request: ImportRequest): JobWork {
  return { kind: "import", rows: request.max ?? 0, rowsReadFirst: 0, withCurrent: request.withCurrent };
}

export interface ImportStart extends ImportRequest {
  confirmToken?: string;
  replacePaused?: boolean;
}

/** Anything may arrive from google.script.run: the filters checked, or a message saying what to fix. */
export function parseImportStart(input: unknown): ImportStart | { error: string } {
  const parsed = parseImportRequest(input);
  if (!parsed.ok) return { error: `${parsed.message} Nothing was imported.` };
  const start: ImportStart = { ...parsed.value };
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  if (fields.replacePaused === true) start.replacePaused = true;
  if (typeof fields.confirmToken === "string") start.confirmToken = fields.confirmToken.slice(0, 64);
  return start;
}

/** The new sheet: header row, frozen and bold, hidden Sync State, and no more columns than it needs. */
function newImportSheet(
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
  withCurrent: boolean,
  startedAt: number,
): GoogleAppsScript.Spreadsheet.Sheet {
  const headers = importHeaders(withCurrent);
  const sheet = spreadsheet.insertSheet(freeSheetName(spreadsheet, `Extend runs ${formatTime(startedAt)}`));
  const width = headers.length;
  // Sheets limits a workbook to 10 million cells: an import of many rows must not carry empty columns.
  if (sheet.getMaxColumns() > width) sheet.deleteColumns(width + 1, sheet.getMaxColumns() - width);
  if (sheet.getMaxColumns() < width)
    sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());
  sheet.getRange(1, 1, 1, width).setValues([headers]).setFontWeight("bold");
  sheet.setFrozenRows(1);
  sheet.hideColumns(headers.indexOf(OUTPUT_HEADERS.state) + 1);
  return sheet;
}

/** Imports runs matching the filters into a new sheet, ready to edit and sync. */
export function startImport(request: ImportStart, startedAt = Date.now()): StartResult {
  return startJob(startedAt, (context) =>
    claimNewJob(context, request.replacePaused, () => {
      // Asked before the new sheet is made: No leaves the spreadsheet as it was.
      const question = confirmationNeeded(importWork(request), request, "replace");
      if (question) return question;
      const sheet = newImportSheet(context.spreadsheet, request.withCurrent, startedAt);
      const job = newJob(
        context,
        sheet,
        "import",
        { label: describeFilters(request), allRows: false },
        startedAt,
      );
      job.import = {
        filters: request.filters,
        withCurrent: request.withCurrent,
        listingDone: false,
        pages: 0,
      };
      if (request.max !== undefined) job.import.max = request.max;
      return { job };
    }),
  );
}

/** What google.script.run calls: the request checked first, a refusal worded for the person. */
export function startImportFromClient(input: unknown): StartResult {
  const parsed = parseImportStart(input);
  if ("error" in parsed) return { state: "error", message: parsed.error };
  return startImport(parsed);
}
