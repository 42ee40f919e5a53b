// The history file npm start keeps beside the sheet reads back exactly: any text a cell of "Extend Sync History"
// may hold (a formula from a hostile server, a number-like or date-like text, a leading apostrophe, control
// characters) comes back as the same text, numbers and times as the same values, and nothing in the file
// starts like a formula. The host's sheet model is written and read as dev/start.ts does it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsvText } from "../../dev/gas-host/csv.js";
import { GasHost } from "../../dev/gas-host/index.js";
import { historyCsv, loadHistory, readHistoryFile } from "../../dev/start-history.js";
import { HISTORY_HEADERS, HISTORY_SHEET } from "../../src/core/engine/history.js";

const TRICKY = [
  '=HYPERLINK("http://attacker.example/","x")',
  "'already quoted",
  "''",
  "'",
  "123",
  "00123",
  "-12.5",
  "1e5",
  "TRUE",
  "falsch",
  "2026-04-12",
  "Mai 2026",
  "50%",
  "+SUM(1,2)",
  "@SUM(1)",
  "\tTAB",
  "\rCR",
  " 12 ",
  '{"extend:usage_tags":["=1+1"]}',
  "\u001b[2Jescape",
  "line\nbreak",
  "semi;colon",
];

/** Writes rows of text into a fresh host's history sheet, saves it, loads the file into another host. */
function roundTrip(texts: readonly string[], written: { bom: boolean; separator: "," | ";" }) {
  const host = new GasHost({ timeZone: "Europe/Berlin" });
  const sheet = host.spreadsheet.addSheet(HISTORY_SHEET);
  sheet.setValues("A1", [[...HISTORY_HEADERS]], { raw: true });
  const time = new Date("2026-03-01T09:30:15Z");
  texts.forEach((text, index) => {
    const row = HISTORY_HEADERS.map((header) =>
      header === "Row" ? index + 2 : header === "Time" ? time : text,
    );
    sheet.setValues(`A${index + 2}`, [row], { raw: true });
  });
  const csv = historyCsv(host, written);
  const path = join(mkdtempSync(join(tmpdir(), "history-file-")), "f.history.csv");
  writeFileSync(path, csv);
  const file = readHistoryFile(path);
  if (!file) throw new Error("the history file was not read");
  const back = new GasHost({ timeZone: "Europe/Berlin" });
  loadHistory(back, file);
  const values = back.spreadsheet.sheet(HISTORY_SHEET).values();
  host.dispose();
  back.dispose();
  return { csv, values, time, file };
}

describe("npm start's history file", () => {
  it("reads back every tricky text exactly, with the BOM and separator it was written with, none as a formula", () => {
    const { csv, values, time, file } = roundTrip(TRICKY, { bom: true, separator: ";" });
    expect(csv.startsWith("\uFEFFJob ID;Job;Time;")).toBe(true);
    expect(file.separator).toBe(";");
    expect(file.jobIds).toEqual(TRICKY.filter((text) => text.trim() !== "").map((text) => text.trim()));
    for (const field of parseCsvText(csv.slice(1), ";").flat())
      expect(field, JSON.stringify(field)).not.toMatch(/^[=+\-@\t\r]/);
    TRICKY.forEach((text, index) => {
      const row = values[index + 1] ?? [];
      const column = (name: string) => row[HISTORY_HEADERS.indexOf(name as never)];
      expect(column("Values Before"), JSON.stringify(text)).toBe(text);
      expect(column("Sheet")).toBe(text);
      expect(column("Row")).toBe(index + 2);
      expect(column("Time")).toEqual(time);
    });
  });

  it("reads back any text exactly", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .tuple(
              fc.constantFrom("", "'", "=", "+", "-", "@", "\t", "1", "TRUE ", "2026-01-"),
              fc.string({ unit: "binary", maxLength: 30 }),
            )
            .map(([start, rest]) => start + rest),
          { minLength: 1, maxLength: 8 },
        ),
        (texts) => {
          const { values } = roundTrip(texts, { bom: false, separator: "," });
          texts.forEach((text, index) => {
            expect(values[index + 1]?.[HISTORY_HEADERS.indexOf("Values Sent")], JSON.stringify(text)).toBe(
              text,
            );
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
