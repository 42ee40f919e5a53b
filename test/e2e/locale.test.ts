// German and French spreadsheets: Sheets reads text written by setValues in the spreadsheet's language (WAHR,
// VRAI, month names, the decimal comma), and may want ";" between a formula's arguments. Server text must stay
// the text it is, and the set-up sheet's check of Run IDs must work, in any locale and under either answer to
// how Apps Script reads a formula's separators there (Google does not say).
import { describe, expect, it } from "vitest";
import type { FormulaSyntax } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, SHEET, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 10 });

const LOCALES = [
  { locale: "de_DE", truthy: "WAHR", falsy: "FALSCH", month: "Mai 2026" },
  { locale: "fr_FR", truthy: "VRAI", falsy: "FAUX", month: "avril 2026" },
] as const;
const SYNTAXES: FormulaSyntax[] = ["english", "locale"];

const CASES = LOCALES.flatMap((words) => SYNTAXES.map((formulaSyntax) => ({ ...words, formulaSyntax })));

describe.each(CASES)("a $locale spreadsheet (formulas read: $formulaSyntax)", (words) => {
  it("sets up a sheet, then syncs and refreshes runs whose text Sheets there would read as values", async () => {
    const [a, b, c] = [
      "workflow_run_localeTruthy01",
      "workflow_run_localeFalsy002",
      "workflow_run_localeFailed03",
    ];
    await e2e.extend.addRuns([
      { id: a, status: words.truthy, metadata: { "extend:usage_tags": [words.truthy] } },
      { id: b, status: words.falsy },
      { id: c, status: "FAILED", failureReason: words.month, failureMessage: null },
    ]);
    const host = e2e.newHost({ platform: { locale: words.locale, formulaSyntax: words.formulaSyntax } });

    const setUp = host.clickMenuItem("Set up a sheet");
    expect(setUp.error).toBeUndefined();
    const sheet = host.spreadsheet.sheet(SHEET);
    expect(sheet.cell(2, 1)?.validation).toMatchObject({ allowInvalid: true });
    sheet.setValues("A2", [
      [a, "Erste", "", ""],
      [b, "Zweite", "", ""],
      [c, "Dritte", "", ""],
    ]);

    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Updated", "Updated", "Updated"]);
    expect(columns(host)["Run Status"]).toEqual([words.truthy, words.falsy, "FAILED"]);

    clickAndFinish(host, "Refresh from Extend: all rows");
    const sheetNow = columns(host);
    expect(sheetNow["Run Status"]).toEqual([words.truthy, words.falsy, "FAILED"]);
    expect(sheetNow["Current Tags"]).toEqual([words.truthy, "", ""]);
    expect(sheetNow["Failure Reason"]).toEqual(["", "", words.month]);
    expect(columns(host, "Extend Credits by Tag")["Usage Tag"]).toContain(words.truthy);
  });
});
