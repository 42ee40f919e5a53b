// SpreadsheetApp, Spreadsheet and Selection for the one document the add-on is bound to. Each execution gets
// fresh service objects over the same SpreadsheetModel, as each Apps Script run gets fresh wrappers.
import { BooleanCriteria, newConditionalFormatRuleBuilder, newDataValidationBuilder } from "./builders.js";
import { asDeclaredEnum, DataValidationCriteria } from "./enums.js";
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";
import { checkModelledLocale } from "./locale.js";
import { makeRange, makeRangeList, type SheetViews } from "./range.js";
import { rangeRefOf } from "./range-ref.js";
import { checkWorkbookGrowth, makeSheet, rangeFromA1, sheetModelOf } from "./sheet.js";
import {
  NEW_SHEET_COLUMNS,
  NEW_SHEET_ROWS,
  type SpreadsheetModel,
  sheetNameTakenMessage,
} from "./sheet-model.js";
import { isValidTimeZone } from "./time-zone.js";
import type { UiLog } from "./ui.js";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Range = GoogleAppsScript.Spreadsheet.Range;

export interface SpreadsheetDeps {
  exec: Execution;
  book: SpreadsheetModel;
  uiLog: UiLog;
  ui: () => GoogleAppsScript.Base.Ui;
}

export const makeSpreadsheetApp = (deps: SpreadsheetDeps): GoogleAppsScript.Spreadsheet.SpreadsheetApp => {
  const { exec, book, uiLog } = deps;
  let spreadsheetObject: Spreadsheet | undefined;
  const views: SheetViews = {
    exec,
    book,
    sheet: (model) => makeSheet(views, model),
    range: (ref) => makeRange(views, ref),
    spreadsheet: () => {
      spreadsheetObject ??= makeSpreadsheet(views, uiLog);
      return spreadsheetObject;
    },
    selection: () => makeSelection(views),
  };
  const activeRange = (): Range => makeSelection(views).getActiveRange() as Range;

  const impl = {
    DataValidationCriteria:
      asDeclaredEnum<typeof GoogleAppsScript.Spreadsheet.DataValidationCriteria>(DataValidationCriteria),
    BooleanCriteria: asDeclaredEnum<typeof GoogleAppsScript.Spreadsheet.BooleanCriteria>(BooleanCriteria),
    getActive: () => views.spreadsheet(),
    getActiveSpreadsheet: () => views.spreadsheet(),
    getActiveSheet: () => views.sheet(book.activeSheet),
    getActiveRange: () => activeRange(),
    getActiveRangeList: () =>
      makeSelection(views).getActiveRangeList() as GoogleAppsScript.Spreadsheet.RangeList,
    getCurrentCell: () => makeSelection(views).getCurrentCell() as Range,
    getSelection: () => views.selection(),
    getUi: () => deps.ui(),
    flush: () => undefined,
    newDataValidation: () => newDataValidationBuilder(exec),
    newConditionalFormatRule: () =>
      newConditionalFormatRuleBuilder(exec, (ref) => views.range(ref), undefined, rangeRefOf),
    setActiveSheet: (sheet: Sheet) => views.spreadsheet().setActiveSheet(sheet),
    setActiveRange: (range: Range) => views.spreadsheet().setActiveRange(range),
  } satisfies Partial<GoogleAppsScript.Spreadsheet.SpreadsheetApp>;
  return serviceObject(
    exec,
    "SpreadsheetApp",
    impl,
  ) as unknown as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
};

const makeSelection = (views: SheetViews): GoogleAppsScript.Spreadsheet.Selection => {
  const { book } = views;
  const refs = () => {
    const selected = book.selection;
    const sheet = selected ? book.findSheet(selected.sheetName) : undefined;
    if (!selected || !sheet || selected.ranges.length === 0) {
      return [{ sheet: book.activeSheet, grid: { row: 1, column: 1, numRows: 1, numColumns: 1 } }];
    }
    return selected.ranges.map((grid) => ({ sheet, grid }));
  };
  const impl = {
    getActiveRange: () => views.range(refs()[0] as NonNullable<ReturnType<typeof refs>[0]>),
    getActiveRangeList: () => makeRangeList(views, refs()),
    getActiveSheet: () => views.sheet(book.activeSheet),
    getCurrentCell: () => {
      const ref = refs()[0] as NonNullable<ReturnType<typeof refs>[0]>;
      return views.range({ sheet: ref.sheet, grid: { ...ref.grid, numRows: 1, numColumns: 1 } });
    },
    getNextDataRange: () => null,
  } satisfies GoogleAppsScript.Spreadsheet.Selection;
  return serviceObject(views.exec, "Selection", impl);
};

const nextSheetName = (book: SpreadsheetModel): string => {
  for (let n = book.sheets.length + 1; ; n += 1) {
    if (!book.sheetNamedAnyCase(`Sheet${n}`)) return `Sheet${n}`;
  }
};

const makeSpreadsheet = (views: SheetViews, uiLog: UiLog): Spreadsheet => {
  const { exec, book } = views;
  const modelOf = (method: string, sheet: unknown) => {
    const model = sheetModelOf(sheet);
    if (!model || !book.sheets.includes(model))
      throw signatureError(`SpreadsheetApp.Spreadsheet.${method}`, [sheet]);
    return model;
  };
  const impl = {
    getId: () => book.id,
    getName: () => book.name,
    rename: (name: string) => {
      book.name = String(name);
    },
    getUrl: () => book.url,
    getSpreadsheetTimeZone: () => book.timeZone,
    setSpreadsheetTimeZone: (timeZone: string) => {
      if (!isValidTimeZone(timeZone)) throw new GasException(`Invalid argument: ${timeZone}`);
      book.timeZone = timeZone;
    },
    getSpreadsheetLocale: () => book.locale,
    setSpreadsheetLocale: (locale: string) => {
      if (typeof locale !== "string")
        throw signatureError("SpreadsheetApp.Spreadsheet.setSpreadsheetLocale", [locale]);
      book.locale = checkModelledLocale(locale);
    },
    getSheets: () => exec.realm.array(book.sheets.map((sheet) => views.sheet(sheet))),
    getNumSheets: () => book.sheets.length,
    getSheetByName: (name: string) => {
      const sheet = book.lookUpSheet(String(name));
      return sheet ? views.sheet(sheet) : null;
    },
    getSheetById: (id: number) => {
      const sheet = book.sheets.find((s) => s.sheetId === id);
      return sheet ? views.sheet(sheet) : null;
    },
    insertSheet: (...args: unknown[]) => {
      const [a, b] = args;
      const name = typeof a === "string" ? a : nextSheetName(book);
      const index = typeof a === "number" ? a : typeof b === "number" ? b : book.sheets.length;
      if (book.sheetNamedAnyCase(name)) throw new GasException(sheetNameTakenMessage(name));
      checkWorkbookGrowth(book, NEW_SHEET_ROWS * NEW_SHEET_COLUMNS);
      const sheet = book.addSheet(name, Math.min(Math.max(0, index), book.sheets.length));
      book.activeSheetName = sheet.name;
      return views.sheet(sheet);
    },
    deleteSheet: (sheet: Sheet) => {
      const model = modelOf("deleteSheet", sheet);
      if (book.sheets.length === 1) throw new GasException("You can't remove all the sheets in a document.");
      book.removeSheet(model.name);
    },
    getActiveSheet: () => views.sheet(book.activeSheet),
    setActiveSheet: (sheet: Sheet) => {
      const model = modelOf("setActiveSheet", sheet);
      book.activeSheetName = model.name;
      return views.sheet(model);
    },
    getActiveRange: () => makeSelection(views).getActiveRange(),
    getActiveRangeList: () => makeSelection(views).getActiveRangeList(),
    getCurrentCell: () => makeSelection(views).getCurrentCell(),
    setActiveRange: (range: Range) => {
      const ref = rangeRefOf(range);
      if (!ref) throw signatureError("SpreadsheetApp.Spreadsheet.setActiveRange", [range]);
      book.selection = { sheetName: ref.sheet.name, ranges: [ref.grid] };
      book.activeSheetName = ref.sheet.name;
      return range;
    },
    getSelection: () => views.selection(),
    getRange: (a1: string) => rangeFromA1(views, book.activeSheet, a1),
    getRangeList: (a1Notations: string[]) =>
      makeRangeList(
        views,
        a1Notations
          .map((a1) => rangeRefOf(rangeFromA1(views, book.activeSheet, a1)))
          .filter((ref) => ref !== undefined),
      ),
    getLastRow: () => book.activeSheet.lastRow(),
    getLastColumn: () => book.activeSheet.lastColumn(),
    getDataRange: () => views.sheet(book.activeSheet).getDataRange(),
    toast: (message: string, title?: string, timeoutSeconds?: number | null) => {
      uiLog.toasts.push({
        message: String(message),
        title: title === undefined ? "" : String(title),
        timeoutSeconds: timeoutSeconds === undefined ? 5 : timeoutSeconds,
        executionId: exec.id,
      });
    },
  } satisfies Partial<Spreadsheet>;
  return serviceObject(exec, "Spreadsheet", impl) as unknown as Spreadsheet;
};
