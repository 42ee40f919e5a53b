// Unit tests for src/core/jobs/credits/credits.ts: runs and credits per usage tag and for untagged runs,
// exact sums, runs without usage counted apart, each run once, and the facts of the read stated beside the
// table.
import { describe, expect, it } from "vitest";
import {
  CREDITS_DISCLAIMER,
  CREDITS_HEADERS,
  creditsFromCell,
  creditsRuns,
  creditsSummary,
  summaryCovers,
  tagsFromCell,
  UNTAGGED,
} from "../../../../src/core/jobs/credits/credits";
import { NOT_A_TAG_LIST } from "../../../../src/core/requests/run-facts";

const READ_AT = new Date(Date.UTC(2026, 3, 12, 9, 30));

function table(values: unknown[][]): Record<string, unknown[]> {
  const rows: Record<string, unknown[]> = {};
  for (const row of values.slice(1)) {
    if (row[0] === "") break;
    rows[String(row[0])] = row.slice(1);
  }
  return rows;
}

describe("creditsSummary", () => {
  const summary = creditsSummary({
    runs: [
      { runId: "r1", tags: ["acme", "prod"], credits: 0.1 },
      { runId: "r2", tags: ["acme"], credits: 0.2 },
      { runId: "r3", tags: [], credits: 5 },
      { runId: "r4", tags: ["prod"], credits: null },
      { runId: "r5", tags: [], credits: null },
      { runId: "r1", tags: ["acme", "prod"], credits: 0.1 },
    ],
    readAt: READ_AT,
    source: 'all rows of sheet "Runs"',
    unreadable: 2,
  });

  it("sums runs and credits per tag, untagged apart, each run once and exactly", () => {
    expect(summary[0]).toEqual([...CREDITS_HEADERS]);
    expect(table(summary)).toEqual({
      acme: [2, 0.3, 0],
      prod: [2, 0.1, 1],
      [UNTAGGED]: [2, 5, 1],
      "All runs read": [5, 5.3, 2],
    });
  });

  it("states the time of the read, the runs without usage and what it does not claim", () => {
    const facts = Object.fromEntries(summary.filter((row) => row[0] !== "").map((row) => [row[0], row[1]]));
    expect(facts["Read from Extend at"]).toEqual(READ_AT);
    expect(facts["Runs without a usage figure"]).toBe(2);
    expect(facts["Runs that could not be read (left out)"]).toBe(2);
    expect(facts.From).toBe('all rows of sheet "Runs"');
    expect(summary.at(-1)?.[0]).toBe(CREDITS_DISCLAIMER);
    expect(CREDITS_DISCLAIMER).toMatch(/not documented/);
    expect(summary.every((row) => row.length === CREDITS_HEADERS.length)).toBe(true);
  });

  it("writes a sum as text when a spreadsheet number cannot hold every digit of it, and as a number when it can", () => {
    const values = creditsSummary({
      runs: [
        { runId: "r1", tags: ["long"], credits: 7 },
        { runId: "r2", tags: ["long"], credits: 0.03333333333333333 },
        { runId: "r3", tags: ["short"], credits: 0.1 },
        { runId: "r4", tags: ["short"], credits: 0.2 },
      ],
      readAt: READ_AT,
      source: "x",
      unreadable: 0,
    });
    // Bare, "7.03333333333333333" is read back by Sheets as the number 7.033333333333333.
    expect(table(values).long).toEqual([2, "'7.03333333333333333", 0]);
    expect(table(values).short).toEqual([2, 0.3, 0]);
    expect(table(values)["All runs read"]).toEqual([4, "'7.33333333333333333", 0]);
    expect(CREDITS_DISCLAIMER).toMatch(
      /more digits than a spreadsheet number keeps \(15\) is written as text/,
    );
  });

  it("writes a tag that Sheets would parse as text", () => {
    const values = creditsSummary({
      runs: [{ runId: "r", tags: ["-1"], credits: 1 }],
      readAt: READ_AT,
      source: "x",
      unreadable: 0,
    });
    expect(values[1]?.[0]).toBe("'-1");
  });
});

describe("reading the cells back", () => {
  const iso = (date: Date) => date.toISOString();
  it.each<[unknown, string[]]>([
    ["", []],
    ["a, b", ["a", "b"]],
    ["solo", ["solo"]],
    [`${NOT_A_TAG_LIST} "a,b"`, []],
  ])("tags %j -> %j", (cell, expected) => {
    expect(tagsFromCell(cell as string, iso)).toEqual(expected);
  });

  it.each<[unknown, number | null]>([
    [3, 3],
    [0.25, 0.25],
    ["", null],
    ["2.5", 2.5],
    ["n/a", null],
    [true, null],
  ])("credits %j -> %j", (cell, expected) => {
    expect(creditsFromCell(cell as string)).toBe(expected);
  });
});

describe("creditsRuns", () => {
  const iso = (date: Date) => date.toISOString();
  const header = ["Run ID", "Current Tags", "Credits", "Refresh Error", "Sync State"];

  it("takes the rows the refresh marked done, counting the ones whose read failed apart", () => {
    const values = [
      header,
      ["r1", "acme, prod", 0.5, "", "v1 done=job1"],
      ["r2", "", "", "", "v1 done=job1"],
      ["r3", "acme", 2, "", "v1 done=other"],
      ["r4", "", "", "NOT_FOUND: gone", "v1 done=job1"],
      ["r5", "acme", 1, "", ""],
    ];
    expect(creditsRuns(values, "job1", iso)).toEqual({
      runs: [
        { runId: "r1", tags: ["acme", "prod"], credits: 0.5 },
        { runId: "r2", tags: [], credits: null },
      ],
      unreadable: 1,
    });
  });

  it("counts a run that could not be read once, however many rows carry it", () => {
    const values = [
      header,
      ["r1", "acme", 1, "", "v1 done=job1"],
      ["gone", "", "", "NOT_FOUND: gone", "v1 done=job1"],
      ["gone", "", "", "NOT_FOUND: gone", "v1 done=job1"],
      ["gone", "", "", "NOT_FOUND: gone", "v1 done=job1"],
      ["also-gone", "", "", "NOT_FOUND: gone", "v1 done=job1"],
    ];
    expect(creditsRuns(values, "job1", iso).unreadable).toBe(2);
  });

  it("finds nothing in a sheet that lost its header or its Sync State column", () => {
    expect(creditsRuns([["Name"], ["x"]], "job1", iso)).toEqual({ runs: [], unreadable: 0 });
    expect(creditsRuns([["Run ID"], ["r1"]], "job1", iso)).toEqual({ runs: [], unreadable: 0 });
  });
});

describe("summaryCovers: a summary is replaced only by one of the same source sheet", () => {
  const of = (sourceSheetId?: number) =>
    creditsSummary({
      runs: [],
      readAt: READ_AT,
      source: 'all rows of the sheet "Runs"',
      unreadable: 0,
      ...(sourceSheetId === undefined ? {} : { sourceSheetId }),
    }).map((row) => row.slice(0, 2));

  it("recognises its source by id, whatever the sheet is called now", () => {
    expect(summaryCovers(of(7), { sheetId: 7, sheetName: "Renamed" })).toBe(true);
    expect(summaryCovers(of(7), { sheetId: 8, sheetName: "Runs" })).toBe(false);
  });

  it("recognises a summary from before the id line by the sheet named in its From line", () => {
    expect(summaryCovers(of(), { sheetId: 1, sheetName: "Runs" })).toBe(true);
    expect(summaryCovers(of(), { sheetId: 1, sheetName: "Extend runs 2026-04-12 10:00" })).toBe(false);
    expect(summaryCovers([["Usage Tag", "Runs"]], { sheetId: 1, sheetName: "Runs" })).toBe(false);
  });
});
