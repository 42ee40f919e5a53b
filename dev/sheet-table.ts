// A sheet as `npm start` prints it: the sheet's row numbers at the left (the numbers the add-on's messages
// use), then the chosen columns, within the terminal's width. A cell is never cut silently: it wraps onto more
// lines, and one too long for `maxLines` lines ends in "…+N", N being the characters not shown. Columns that do
// not fit side by side are printed in groups, one after the other, each with the row numbers.
import { printable } from "./safe-output.js";

export interface TableOptions {
  /** The terminal's width in characters. */
  width: number;
  /** Lines one cell may take before it is cut (default 4). */
  maxLines?: number;
}

const INDENT = "  ";
const SEPARATOR = " │ ";
const MIN_WIDTH = 12;
const COMFORTABLE_WIDTH = 40;
const DEFAULT_MAX_LINES = 4;

/** The largest number, at least `floor`; a loop, since spreading a sheet's worth of rows overflows the stack. */
const largest = (values: readonly number[], floor: number): number =>
  values.reduce((most, value) => Math.max(most, value), floor);

/** Code points, so that a character outside the BMP counts once. */
const length = (text: string): number => [...text].length;
const pad = (text: string, width: number): string => text + " ".repeat(Math.max(0, width - length(text)));

/** The cell as it can be printed: no control character, a tab as a space; line breaks are kept. */
const cellText = (value: string): string => printable(value.replace(/\r\n?/g, "\n")).replace(/\t/g, " ");

interface Wrapped {
  lines: string[];
  /** Characters of the cell not shown. */
  cut: number;
}

/** A line of a wrapped cell: code points [start, end) of the cell's text. */
interface Span {
  start: number;
  end: number;
}

/** Breaks text into lines of at most `width` characters, at a space where one is near enough. */
function wrapText(chars: readonly string[], width: number): Span[] {
  const spans: Span[] = [];
  let start = 0;
  while (start < chars.length) {
    const newline = chars.indexOf("\n", start);
    const paragraphEnd = newline === -1 ? chars.length : newline;
    let end = Math.min(paragraphEnd, start + width);
    if (end < paragraphEnd) {
      // Break after the last space of the line, unless that would leave less than half of it.
      const space = chars.lastIndexOf(" ", end);
      if (space >= start + Math.floor(width / 2)) end = space + 1;
    }
    spans.push({ start, end });
    start = end === paragraphEnd && newline !== -1 ? end + 1 : end;
  }
  return spans.length > 0 ? spans : [{ start: 0, end: 0 }];
}

/** A line of text about the table (a group's title, the legend), wrapped to the width. */
function textLines(text: string, width: number): string[] {
  const chars = [...text];
  return wrapText(chars, width - INDENT.length).map(
    (span) => `${INDENT}${chars.slice(span.start, span.end).join("").trim()}`,
  );
}

function wrapCell(value: string, width: number, maxLines: number): Wrapped {
  const chars = [...cellText(value)];
  const show = (span: Span) => chars.slice(span.start, span.end).join("").trimEnd();
  const spans = wrapText(chars, width);
  if (spans.length <= maxLines) return { lines: spans.map(show), cut: 0 };
  const kept = spans.slice(0, maxLines);
  const last = kept.pop() ?? { start: 0, end: 0 };
  // The last line gives up characters until the mark fits after it; the count includes what it gave up.
  let end = last.end;
  for (;;) {
    const shown = chars.slice(last.start, end).join("").trimEnd();
    end = last.start + [...shown].length;
    const mark = `…+${chars.length - end}`;
    if ([...shown].length + mark.length <= width || end === last.start) {
      return { lines: [...kept.map(show), `${shown}${mark}`], cut: chars.length - end };
    }
    end -= 1;
  }
}

/** Widths that fit `available`: each column as wide as its widest line, the widest ones narrowed alike. */
function fitWidths(natural: number[], available: number): number[] {
  const total = natural.reduce((sum, width) => sum + width, 0);
  if (total <= available) return natural;
  let cap = 1;
  while (natural.reduce((sum, width) => sum + Math.min(width, cap + 1), 0) <= available) cap += 1;
  const widths = natural.map((width) => Math.min(width, cap));
  let spare = available - widths.reduce((sum, width) => sum + width, 0);
  for (let i = 0; i < widths.length && spare > 0; i += 1) {
    if ((natural[i] ?? 0) > (widths[i] ?? 0)) {
      widths[i] = (widths[i] ?? 0) + 1;
      spare -= 1;
    }
  }
  return widths;
}

const naturalWidth = (rows: readonly (readonly string[])[], column: number): number =>
  largest(
    rows.map((row) =>
      largest(
        cellText(row[column] ?? "")
          .split("\n")
          .map(length),
        0,
      ),
    ),
    1,
  );

/** Room left for cells once the row numbers and separators of `count` columns are printed. */
const roomFor = (count: number, numberWidth: number, width: number): number =>
  width - INDENT.length - numberWidth - SEPARATOR.length * count;

/**
 * Splits columns into groups that each fit the width: a column joins the group while the group's columns fit
 * whole, counting each at most COMFORTABLE_WIDTH wide (a wider one wraps), and each at least MIN_WIDTH.
 */
function groupColumns(natural: number[], columns: number[], numberWidth: number, width: number): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  for (const column of columns) {
    const next = [...group, column];
    const needed = next.reduce(
      (sum, index) => sum + Math.max(Math.min(natural[index] ?? 0, COMFORTABLE_WIDTH), MIN_WIDTH),
      0,
    );
    if (group.length > 0 && needed > roomFor(next.length, numberWidth, width)) {
      groups.push(group);
      group = [column];
    } else group = next;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

interface Layout {
  rows: readonly (readonly string[])[];
  firstRowNumber: number;
  numberWidth: number;
  width: number;
  maxLines: number;
  natural: number[];
}

/** One group of columns: the header, then the given rows (indexes into layout.rows). */
function renderGroup(layout: Layout, group: number[], shown: number[]): { lines: string[]; cut: boolean } {
  const widths = fitWidths(
    group.map((column) => layout.natural[column] ?? 1),
    roomFor(group.length, layout.numberWidth, layout.width),
  );
  const wrapped = shown.map((index) =>
    group.map((column, position) =>
      wrapCell(layout.rows[index]?.[column] ?? "", widths[position] ?? 1, layout.maxLines),
    ),
  );
  const height = (cells: Wrapped[] | undefined) =>
    largest(
      (cells ?? []).map((cell) => cell.lines.length),
      1,
    );
  const rule = `${INDENT}${"─".repeat(layout.numberWidth)}─┼─${widths.map((w) => "─".repeat(w)).join("─┼─")}`;
  const lines: string[] = [];
  wrapped.forEach((cells, position) => {
    // A rule under the header, and around a row of several lines, so each line is seen to belong to its row.
    const above = wrapped[position - 1];
    if (position === 1 || (position > 1 && (height(above) > 1 || height(cells) > 1))) lines.push(rule);
    const number = String(layout.firstRowNumber + (shown[position] ?? 0));
    for (let line = 0; line < height(cells); line += 1) {
      const text = cells.map((cell, column) => pad(cell.lines[line] ?? "", widths[column] ?? 1));
      const label = line === 0 ? number : "";
      lines.push(
        `${INDENT}${label.padStart(layout.numberWidth)}${SEPARATOR}${text.join(SEPARATOR)}`.trimEnd(),
      );
    }
  });
  return { lines, cut: wrapped.some((cells) => cells.some((cell) => cell.cut > 0)) };
}

/**
 * The lines that print `rows` (row 1 first, as in the sheet: the header), showing the given column indexes
 * (default: all). Row numbers start at `firstRowNumber` (default 1). After the first group of columns, a row
 * with nothing in the group's columns is left out, so a column of errors reads as a list of the rows with one.
 */
export function sheetTable(
  rows: readonly (readonly string[])[],
  options: TableOptions & { columns?: number[]; firstRowNumber?: number },
): string[] {
  const firstRowNumber = options.firstRowNumber ?? 1;
  const all = largest(
    rows.map((row) => row.length),
    0,
  );
  const columns = options.columns ?? Array.from({ length: all }, (_, index) => index);
  const layout: Layout = {
    rows,
    firstRowNumber,
    numberWidth: String(firstRowNumber + rows.length - 1).length,
    width: Math.max(40, options.width),
    maxLines: options.maxLines ?? DEFAULT_MAX_LINES,
    natural: [],
  };
  for (const column of columns) layout.natural[column] = naturalWidth(rows, column);
  const groups = groupColumns(layout.natural, columns, layout.numberWidth, layout.width);
  const out: string[] = [];
  let cut = false;
  groups.forEach((group, groupIndex) => {
    let shown = rows.map((_, index) => index);
    if (groups.length > 1) {
      const names = group.map((column) => cellText(rows[0]?.[column] ?? "").split("\n")[0]).join(", ");
      let title = `Columns ${groupIndex + 1} of ${groups.length}: ${names}`;
      if (groupIndex > 0) {
        shown = shown.filter(
          (index) => index === 0 || group.some((column) => (rows[index]?.[column] ?? "") !== ""),
        );
        title += shown.length < rows.length ? " (rows with nothing in them left out)" : "";
      }
      out.push(...textLines(title, layout.width));
    }
    const rendered = renderGroup(layout, group, shown);
    // Not push(...lines): a sheet's worth of lines spread into one call overflows the stack.
    for (const line of rendered.lines) out.push(line);
    cut ||= rendered.cut;
  });
  if (cut)
    out.push(
      ...textLines(
        "(…+N: the cell goes on for N more characters; the CSV file has all of it.)",
        layout.width,
      ),
    );
  return out;
}
