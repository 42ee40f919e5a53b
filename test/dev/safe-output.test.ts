// What `npm start` writes and prints (dev/safe-output.ts) and the CSV reading and writing under it
// (dev/gas-host/csv.ts): formula-like cells get an apostrophe and numbers do not, terminals get no control
// characters, and what is written reads back as it was.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsvText, stringifyCsv } from "../../dev/gas-host/csv.js";
import { neutraliseFormula, printable, safeCsv } from "../../dev/safe-output.js";

describe("neutraliseFormula", () => {
  it.each([
    ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+SUM(1,2)", "'+SUM(1,2)"],
    ["+49 30 1234", "'+49 30 1234"],
    ["@SUM(1)", "'@SUM(1)"],
    ["-2+3", "'-2+3"],
    ["-", "'-"],
    ["-x", "'-x"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
  ])("puts an apostrophe before %j", (cell, written) => {
    expect(neutraliseFormula(cell)).toBe(written);
  });

  it.each([
    "-12.5",
    "-1",
    "-0",
    "-.5",
    "-1e-7",
    "-1.5E+21",
    "12",
    "",
    "plain",
    "'=already text",
    " =1",
    "a=b",
  ])("leaves %j as it is", (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });

  it("leaves every number String() writes as it is, and only adds a leading apostrophe to anything else", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(neutraliseFormula(String(n))).toBe(String(n));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (cell) => {
        const written = neutraliseFormula(cell);
        expect(written === cell || written === `'${cell}`).toBe(true);
        if (written === cell) expect(/^[=+@\t\r]/.test(cell)).toBe(false);
      }),
    );
  });
});

describe("safeCsv", () => {
  it("neutralises every cell, quotes as CSV needs, and adds a byte order mark only when asked", () => {
    const rows = [
      ["Run ID", "Workflow"],
      ["workflow_run_1", '=HYPERLINK("http://attacker.example","a, b")'],
      ["workflow_run_2", "-12.5"],
    ];
    const text = safeCsv(rows, { bom: false });
    expect(text).toBe(
      [
        "Run ID,Workflow",
        `workflow_run_1,"'=HYPERLINK(""http://attacker.example"",""a, b"")"`,
        "workflow_run_2,-12.5",
        "",
      ].join("\n"),
    );
    expect(safeCsv(rows, { bom: true })).toBe(`\uFEFF${text}`);
  });
});

describe("printable", () => {
  it("removes ESC, BEL, CR, DEL and C1 controls, keeping newlines, tabs and all other text", () => {
    expect(printable("\u001b[2J\u001b]0;owned\u0007Invoices\u009b31m red\u007f\r\n\tnext ü €")).toBe(
      "[2J]0;ownedInvoices31m red\n\tnext ü €",
    );
  });
});

describe("CSV text", () => {
  it("reads CRLF, LF and CR line ends, quoted delimiters, quotes and line breaks, and rows of any length", () => {
    expect(parseCsvText('a,b\r\n1,"x, ""y""\nz"\r3\n,\n')).toEqual([
      ["a", "b"],
      ["1", 'x, "y"\nz'],
      ["3"],
      ["", ""],
    ]);
    expect(parseCsvText("a;b\n1;2", ";")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(parseCsvText("")).toEqual([]);
  });

  it("quotes a field holding a carriage return, which csv-stringify alone would not", () => {
    expect(stringifyCsv([["a\rb", "c"]])).toBe('"a\rb",c\n');
  });

  it("reads back exactly what it wrote", () => {
    const field = fc.string({ unit: fc.constantFrom("a", " ", ",", '"', "\n", "\r", "=", "é", "'") });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 5 }), (rows) => {
        // A row of one empty field is written as an empty line, which reads back the same way.
        expect(parseCsvText(stringifyCsv(rows))).toEqual(rows);
      }),
    );
  });
});
