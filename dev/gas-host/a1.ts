// A1 notation, as getRange(a1) accepts it and getA1Notation prints it.
export interface GridRange {
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
}

export const columnLetters = (column: number): string => {
  let n = column;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
};

export const columnNumber = (letters: string): number => {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
};

export const a1Notation = (range: GridRange): string => {
  const start = `${columnLetters(range.column)}${range.row}`;
  if (range.numRows === 1 && range.numColumns === 1) return start;
  return `${start}:${columnLetters(range.column + range.numColumns - 1)}${range.row + range.numRows - 1}`;
};

/** Splits "'My sheet'!A1:B2" into the sheet name and the range part. */
export const splitSheetName = (a1: string): { sheetName?: string; ref: string } => {
  const bang = a1.lastIndexOf("!");
  if (bang < 0) return { ref: a1 };
  let name = a1.slice(0, bang);
  if (name.startsWith("'") && name.endsWith("'")) name = name.slice(1, -1).replace(/''/g, "'");
  return { sheetName: name, ref: a1.slice(bang + 1) };
};

const endpoint = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

/** Parses "B2", "B2:C5", "A:C" or "2:4" against a grid of the given size; null when not A1 notation. */
export const parseA1 = (ref: string, maxRows: number, maxColumns: number): GridRange | null => {
  const parts = ref.trim().split(":");
  if (parts.length > 2 || parts.some((part) => part === "")) return null;
  const ends = parts.map((part) => endpoint.exec(part));
  if (ends.some((m) => m === null || (m[1] === undefined && m[2] === undefined))) return null;
  const [first, second = first] = ends as RegExpExecArray[];
  if (!first || !second) return null;
  if (parts.length === 1 && (first[1] === undefined || first[2] === undefined)) return null;
  const c1 = first[1] ? columnNumber(first[1]) : 1;
  const c2 = second[1] ? columnNumber(second[1]) : maxColumns;
  const r1 = first[2] ? Number(first[2]) : 1;
  const r2 = second[2] ? Number(second[2]) : maxRows;
  if (r1 < 1 || r2 < 1) return null;
  const row = Math.min(r1, r2);
  const column = Math.min(c1, c2);
  return { row, column, numRows: Math.abs(r2 - r1) + 1, numColumns: Math.abs(c2 - c1) + 1 };
};
