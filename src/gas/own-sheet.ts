// Sheets the add-on makes for itself (run log, credits summary, imports, a set-up sheet): a name no sheet has
// yet, and a new sheet that leaves the user looking at their own. A sheet the user already gave one of these
// names (with other content) is left alone; the add-on takes the next free name instead. Sheets keeps names
// unique regardless of case ("Extend Sync Log" is refused beside "extend sync log") and Google does not say
// whether getSheetByName minds case, so names are compared here, lower-cased, against the list of sheets.
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** The n-th name for `base`: `base`, then `base (2)`, `base (3)`… */
const inBrackets = (base: string, n: number) => (n === 1 ? base : `${base} (${n})`);

const nameKey = (name: string) => name.toLowerCase();

/** Every sheet by its lower-cased name (the first one, should Sheets ever hold two). */
function sheetsByName(sheets: readonly Sheet[]): Map<string, Sheet> {
  const byName = new Map<string, Sheet>();
  for (const sheet of sheets) {
    const key = nameKey(sheet.getName());
    if (!byName.has(key)) byName.set(key, sheet);
  }
  return byName;
}

/** The first of `base`'s names (see `numbered`) that no sheet has, in any case. */
export function freeSheetName(spreadsheet: Spreadsheet, base: string, numbered = inBrackets): string {
  const taken = sheetsByName(spreadsheet.getSheets());
  for (let n = 1; ; n++) {
    const name = numbered(base, n);
    if (!taken.has(nameKey(name))) return name;
  }
}

/**
 * The first sheet named `base`, `base (2)`, … (in any case) that `fits` accepts; failing that, a new sheet under
 * the first free such name, placed last. insertSheet activates the new sheet: the user's sheet is made active
 * again, as it must stay the one they see and sync.
 */
export function ownSheet(
  spreadsheet: Spreadsheet,
  base: string,
  fits: (sheet: Sheet) => boolean,
): { sheet: Sheet; created: boolean } {
  const sheets = spreadsheet.getSheets();
  const byName = sheetsByName(sheets);
  for (let n = 1; ; n++) {
    const name = inBrackets(base, n);
    const existing = byName.get(nameKey(name));
    if (existing) {
      if (fits(existing)) return { sheet: existing, created: false };
      continue;
    }
    const userSheet = spreadsheet.getActiveSheet();
    const sheet = spreadsheet.insertSheet(name, sheets.length);
    spreadsheet.setActiveSheet(userSheet);
    return { sheet, created: true };
  }
}
