// Protected ranges as tests set them (SheetModel.protect): which cells they cover and whom they keep out.
// refusals.ts refuses the writes that touch them.
import { type GridRange, parseA1 } from "./a1.js";

/** A protected range (or whole sheet) as a test sets it; only `editors` may edit it, unless warning only. */
export interface Protection {
  grid: GridRange;
  /** Users allowed to edit besides the owner (the host's users are never the owner). */
  editors: readonly string[];
  /** A warning-only protection asks the user in the editor and lets scripts write. */
  warningOnly: boolean;
}

/** A1 without bounds ("F:F" is the whole column however many rows the sheet grows to). */
export const unboundedGrid = (a1: string): GridRange => {
  const grid = parseA1(a1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (!grid) throw new Error(`not A1 notation: ${a1}`);
  return grid;
};

const inside = (grid: GridRange, row: number, column: number): boolean =>
  row >= grid.row &&
  row < grid.row + grid.numRows &&
  column >= grid.column &&
  column < grid.column + grid.numColumns;

export const protectedAgainst = (
  protections: readonly Protection[],
  row: number,
  column: number,
  userEmail: string,
): boolean =>
  protections.some((p) => !p.warningOnly && !p.editors.includes(userEmail) && inside(p.grid, row, column));
