// "Set up a sheet", from the menu and the sidebar. An empty active sheet gets every header, a note on each, a
// frozen header row, a warning-only check on Run IDs, colours for Sync Result and one example row. A sheet with
// a Run ID header only gets the headers it lacks, added at the right end: no column moves, no value changes.
// A sheet holding other data is left alone and a new sheet is made beside it.

import { RESULT_TEXT } from "../core/engine/outcome";
import { normalizeHeader, OUTPUT_HEADERS } from "../core/sheet/headers";
import { EXAMPLE_ROW, headerNote, INPUT_HEADERS, planSetup } from "../core/sheet/sheet-setup";
import type { SetupResult } from "../core/views/sidebar-api";
import { freeSheetName } from "../gas/own-sheet";
import { SpreadsheetSheet } from "../gas/sheet";

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const NEW_SHEET_NAME = "Extend Sync";

function headerRow(sheet: Sheet): string[] {
  const width = sheet.getLastColumn();
  if (width === 0) return [];
  return (sheet.getRange(1, 1, 1, width).getValues()[0] ?? []).map((cell) => String(cell));
}

/** Notes on the headers the add-on knows, where the cell has none yet (a user's own note is kept). */
function addHeaderNotes(sheet: Sheet, headers: readonly string[]): void {
  const range = sheet.getRange(1, 1, 1, headers.length);
  const notes = range.getNotes()[0] ?? [];
  const merged = headers.map((header, index) => notes[index] || headerNote(header) || "");
  if (merged.some((note, index) => note !== (notes[index] ?? ""))) range.setNotes([merged]);
  range.setFontWeight("bold");
}

function columnOf(headers: readonly string[], wanted: string): number | undefined {
  const index = headers.findIndex((header) => normalizeHeader(header) === normalizeHeader(wanted));
  return index < 0 ? undefined : index + 1;
}

/**
 * Warns (never blocks: id formats may change) when a Run ID does not look like a workflow run id. The rule is
 * "text contains", not a custom formula: a formula's argument separator depends on the spreadsheet's locale ("," or
 * ";"), and whether Apps Script wants the locale's or English syntax is not documented. Blank cells are not
 * checked by Sheets.
 */
function validateRunIds(sheet: Sheet, column: number): void {
  const rows = sheet.getMaxRows() - 1;
  if (rows < 1) return;
  const range = sheet.getRange(2, column, rows, 1);
  if (range.getCell(1, 1).getDataValidation() !== null) return;
  const rule = SpreadsheetApp.newDataValidation()
    .requireTextContains("workflow_run_")
    .setAllowInvalid(true)
    .setHelpText("A workflow run id starts with workflow_run_ (copy it from the Extend dashboard).")
    .build();
  range.setDataValidation(rule);
}

/** Colours Sync Result by outcome, unless the column already has conditional formatting. */
function colourResults(sheet: Sheet, column: number): void {
  const rows = sheet.getMaxRows() - 1;
  if (rows < 1) return;
  const rules = sheet.getConditionalFormatRules();
  const covered = rules.some((rule) =>
    rule.getRanges().some((range) => range.getColumn() <= column && range.getLastColumn() >= column),
  );
  if (covered) return;
  const range = sheet.getRange(2, column, rows, 1);
  const rule = () => SpreadsheetApp.newConditionalFormatRule().setRanges([range]);
  sheet.setConditionalFormatRules([
    ...rules,
    rule().whenTextStartsWith(RESULT_TEXT.updated).setBackground("#d9ead3").build(),
    rule().whenTextEqualTo(RESULT_TEXT.failed).setBackground("#f4cccc").build(),
    rule().whenTextEqualTo(RESULT_TEXT.invalid).setBackground("#fce5cd").build(),
    rule().whenTextEqualTo(RESULT_TEXT.unchanged).setFontColor("#666666").build(),
    rule().whenTextEqualTo(RESULT_TEXT.noop).setFontColor("#666666").build(),
  ]);
}

export function setUpSheet(): SetupResult {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  let sheet = spreadsheet.getActiveSheet();
  let plan = planSetup(headerRow(sheet), sheet.getLastRow() === 0 && sheet.getLastColumn() === 0);
  let createdSheet = false;
  if (plan.kind === "other-data") {
    sheet = spreadsheet.insertSheet(
      freeSheetName(spreadsheet, NEW_SHEET_NAME, (base, n) => (n === 1 ? base : `${base} ${n}`)),
    );
    createdSheet = true;
    plan = planSetup([], true);
  }
  const added = plan.kind === "new" ? [...plan.headers] : plan.kind === "existing" ? plan.missing : [];
  if (added.length > 0) new SpreadsheetSheet(sheet).appendColumns(added);
  if (plan.kind === "new") sheet.getRange(2, 1, 1, EXAMPLE_ROW.length).setValues([[...EXAMPLE_ROW]]);

  const headers = headerRow(sheet);
  addHeaderNotes(sheet, headers);
  if (sheet.getFrozenRows() === 0) sheet.setFrozenRows(1);
  const runIdColumn = columnOf(headers, INPUT_HEADERS.runId);
  if (runIdColumn !== undefined) validateRunIds(sheet, runIdColumn);
  const resultColumn = columnOf(headers, OUTPUT_HEADERS.result);
  if (resultColumn !== undefined) colourResults(sheet, resultColumn);
  spreadsheet.setActiveSheet(sheet);

  const name = sheet.getName();
  let message: string;
  if (plan.kind === "new")
    message = `Sheet "${name}" is ready${createdSheet ? " (a new sheet: the one you were on has other data)" : ""}. Replace the example row with one row per workflow run, then Check rows.`;
  else if (added.length > 0)
    message = `Added ${added.length} columns to "${name}": ${added.join(", ")}. No data changed.`;
  else message = `"${name}" already has every column. No data changed.`;
  return { sheetName: name, added, createdSheet, message };
}
