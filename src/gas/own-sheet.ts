// Sheets the add-on makes for itself (run log, credits summary, imports, a set-up sheet): a name no sheet has
// yet, and a new sheet that leaves the user looking at their own. A sheet the user already gave one of these
// names (with other content) is left alone; the add-on takes the next free name instead.
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The n-th name for `base`: `base`, then `base (2)`, `base (3)`… */
const inBrackets = (base: string, n: number) => (n === 1 ? base : `${base} (${n})`);

/** The first of `base`'s names (see `numbered`) that no sheet has. */
export function freeSheetName(spreadsheet: Spreadsheet, base: string, numbered = inBrackets): string {
  for (let n = 1; ; n++) {
    const name = numbered(base, n);
    if (!spreadsheet.getSheetByName(name)) return name;
  }
}

/**
 * The first sheet named `base`, `base (2)`, … that `fits` accepts; failing that, a new sheet under the first
 * free such name, placed last. insertSheet activates the new sheet: the user's sheet is made active again, as
 * it must stay the one they see and sync.
 */
export function ownSheet(
  spreadsheet: Spreadsheet,
  base: string,
  fits: (sheet: Sheet) => boolean,
): { sheet: Sheet; created: boolean } {
  for (let n = 1; ; n++) {
    const name = inBrackets(base, n);
    const existing = spreadsheet.getSheetByName(name);
    if (existing) {
      if (fits(existing)) return { sheet: existing, created: false };
      continue;
    }
    const userSheet = spreadsheet.getActiveSheet();
    const sheet = spreadsheet.insertSheet(name, spreadsheet.getSheets().length);
    spreadsheet.setActiveSheet(userSheet);
    return { sheet, created: true };
  }
}
