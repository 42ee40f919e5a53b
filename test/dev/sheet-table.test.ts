// How `npm start` prints a sheet (dev/sheet-table.ts) and which separator it reads a CSV with
// (dev/csv-separator.ts): every line within the terminal's width, every cell whole or marked with the count of
// characters not shown, the sheet's row numbers on every row, and the header line deciding the separator.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectSeparator } from "../../dev/csv-separator.js";
import { sheetTable } from "../../dev/sheet-table.js";

const width = (line: string) => [...line].length;

describe("sheetTable", () => {
  it("prints short cells whole, side by side, each row after its row number", () => {
    const lines = sheetTable(
      [
        ["Run ID", "Name"],
        ["workflow_run_a", "First"],
        ["workflow_run_b", ""],
      ],
      { width: 100 },
    );
    expect(lines).toEqual([
      "  1 │ Run ID         │ Name",
      "  ──┼────────────────┼──────",
      "  2 │ workflow_run_a │ First",
      "  3 │ workflow_run_b │",
    ]);
  });

  it("wraps a long cell at spaces, and cuts one too long with …+N, N the characters not shown", () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    const lines = sheetTable([["Note"], [words], ["~".repeat(1000)]], { width: 40, maxLines: 3 });
    for (const line of lines) expect(width(line)).toBeLessThanOrEqual(40);
    const row2 = lines.slice(2, lines.indexOf(lines[1] ?? "", 2));
    expect(row2.map((line) => line.replace(/^ {2}\d? │ /, "").trimEnd()).join(" ")).toMatch(/^word0 word1 /);
    const shown = lines.join("").match(/~+/g)?.join("").length ?? 0;
    const cut = Number(/~…\+(\d+)$/m.exec(lines.join("\n"))?.[1]);
    expect(shown + cut).toBe(1000);
    expect(
      lines
        .slice(-3)
        .map((line) => line.trim())
        .join(" "),
    ).toBe("(…+N: the cell goes on for N more characters; the CSV file has all of it.)");
  });

  it("keeps a cell's line breaks and drops its control characters", () => {
    const lines = sheetTable([["Note"], ["one\r\ntwo\u001b[2J\u0007"]], { width: 60 });
    expect(lines.slice(2)).toEqual(["  2 │ one", "    │ two[2J"]);
  });

  it("prints columns that do not fit side by side in groups, leaving out rows with nothing in a later group", () => {
    const header = ["Run ID", "Sync Result", "Sync Error"];
    const rows = [
      header,
      ["workflow_run_aaaaaaaaaaaaaaaaaaaaaa", "Updated", ""],
      ["workflow_run_bbbbbbbbbbbbbbbbbbbbbb", "Failed", `NOT_FOUND: ${"no such run ".repeat(4)}`],
    ];
    const lines = sheetTable(rows, { width: 60 });
    expect(lines[0]).toBe("  Columns 1 of 2: Run ID, Sync Result");
    const second = lines.indexOf("  Columns 2 of 2: Sync Error (rows with nothing in them left");
    expect(lines[second + 1]).toBe("  out)");
    const later = lines.slice(second + 2).join("\n");
    expect(later).toMatch(/^ {2}3 │ NOT_FOUND/m);
    expect(later).not.toMatch(/^ {2}2 │/m);
    for (const line of lines) expect(width(line)).toBeLessThanOrEqual(60);
  });

  it("prints 150,000 rows (spread into one call, so many rows overflow the stack)", () => {
    const rows = [["Run ID"], ...Array.from({ length: 150_000 }, (_, i) => [`workflow_run_${i}`])];
    const lines = sheetTable(rows, { width: 100 });
    expect(lines.at(-1)).toBe("  150001 │ workflow_run_149999");
  });

  it("never prints a line wider than the terminal, whatever the cells", () => {
    const cell = fc.string({ unit: "grapheme-ascii", maxLength: 120 });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 40, max: 160 }),
        (rows, terminal) => {
          for (const line of sheetTable(rows, { width: terminal }))
            expect(width(line)).toBeLessThanOrEqual(terminal);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("detectSeparator", () => {
  it.each([
    ["Run ID,Name,Tags\nworkflow_run_a,x;y,z", ","],
    ["\uFEFFRun ID;Name;Tags\r\nworkflow_run_a;1,5;z", ";"],
    ['"Run ID";"Name, full";"Tags"\nworkflow_run_a;x;y', ";"],
    ["Run ID\tName\nworkflow_run_a\tx", "\t"],
    ["Run ID\nworkflow_run_a", ","],
    ["Run ID,Name;Tags\nworkflow_run_a,x", ","],
  ])("reads %j as separated by %j", (text, separator) => {
    expect(detectSeparator(text)).toBe(separator);
  });
});
