// Unit tests for src/core/views/locale-warnings.ts: text that looks like a number or a date in another format
// than the sheet's locale is warned about, with what is sent and what to type instead.
import { describe, expect, it } from "vitest";
import { planSync } from "../../../src/core/engine/plan";
import { decimalMarkOf, localeWarnings, textWarning } from "../../../src/core/views/locale-warnings";

describe("textWarning", () => {
  it.each([
    [
      "1.234,56",
      "en_US",
      'sent as the text "1.234,56" (this sheet\'s locale (en_US) writes numbers with "." for decimals); type 1234.56 (or format the cell as a number) to send a number',
    ],
    [
      "1,234.56",
      "de_DE",
      'sent as the text "1,234.56" (this sheet\'s locale (de_DE) writes numbers with "," for decimals); type 1234,56 (or format the cell as a number) to send a number',
    ],
    [
      "1.234,56",
      "de_DE",
      'sent as the text "1.234,56" (the cell is formatted as text); type 1234,56 (or format the cell as a number) to send a number',
    ],
    [
      "€ 99",
      "de_DE",
      'sent as the text "€ 99" (a currency sign makes it text); type 99 (or format the cell as a number) to send a number',
    ],
    [
      "$1,200",
      "en_US",
      'sent as the text "$1,200" (a currency sign makes it text); type 1200 (or format the cell as a number) to send a number',
    ],
    [
      "12/04/2026",
      "en_US",
      'sent as the text "12/04/2026", not a date (day and month could be read either way); to send a date, type it as yyyy-mm-dd (for example 2026-04-12) or format the cell as a date',
    ],
  ])("%s in %s", (text, locale, expected) => {
    expect(textWarning(text, locale)).toBe(expected);
  });

  it.each([["ACME Corp"], ["42"], ["2026-04-12"], ["invoice 12"], [""], ['json:{"a":1}']])(
    "says nothing about %s",
    (text) => {
      expect(textWarning(text, "de_DE")).toBeUndefined();
    },
  );

  it("knows the decimal mark of a locale", () => {
    expect([decimalMarkOf("en_GB"), decimalMarkOf("de_AT"), decimalMarkOf("fr_BE")]).toEqual([".", ",", ","]);
  });
});

describe("localeWarnings", () => {
  it("warns about text cells of rows a sync would send, never about typed numbers or dates", () => {
    const values = [
      ["Run ID", "metadata.amount", "metadata.on"],
      ["workflow_run_a", "1.234,56", new Date(Date.UTC(2026, 3, 12))],
      ["workflow_run_b", 1234.56, "12/04/2026"],
      ["exr_invalid", "1.234,56", ""],
    ];
    const plan = planSync(values, "all", false, { dateToIso: (date) => date.toISOString().slice(0, 10) });
    if (!plan.ok) throw new Error("no plan");
    const warnings = localeWarnings(values, plan.plan, "en_US");
    expect(warnings.map((warning) => [warning.row, warning.text.split(" is sent")[0]])).toEqual([
      [2, "metadata.amount (column B)"],
      [3, "metadata.on (column C)"],
    ]);
  });
});
