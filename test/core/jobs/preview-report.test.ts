// Unit tests for src/core/jobs/preview-report.ts and src/core/views/preview-page.ts: the report of a finished
// preview, read back from the sheet (the Current columns the preview wrote and each row's mark), and its
// dialog page, which never lets a cell's text become markup.
import { describe, expect, it } from "vitest";
import { previewReport } from "../../../src/core/jobs/preview-report";
import { fingerprint } from "../../../src/core/requests/fingerprint";
import type { CellValue } from "../../../src/core/sheet/cell";
import { renderPreview } from "../../../src/core/views/preview-page";

const ctx = { dateToIso: (date: Date) => date.toISOString() };
const HEADER = [
  "Run ID",
  "Name",
  "metadata.team",
  "Tags",
  "Current Tags",
  "Current Metadata",
  "Refresh Error",
  "Sync State",
];
const TAGS = "extend:usage_tags";

function row(
  id: string,
  name: string,
  team: string,
  tags: string,
  current: [string, string],
  state: string,
  error = "",
) {
  return [id, name, team, tags, current[0], current[1], error, state] as CellValue[];
}

const matchPrint = fingerprint("r1", { metadata: { team: "ops", [TAGS]: ["a"] } });

describe("previewReport", () => {
  const values: CellValue[][] = [
    HEADER,
    row("r1", "", "ops", "a", ["a", '{"team":"ops"}'], `v1 sent=${matchPrint} done=p1`),
    row("r2", "", "ops", "a", ["a", '{"team":"finance"}'], "v1 done=p1"),
    row("r3", "A name", "ops", "", ["", '{"team":"ops"}'], "v1 done=p1"),
    row("r4", "", "ops", "", ["", ""], "v1 done=p1", "NOT_FOUND: gone."),
    row("r5", "", "ops", "", ["", ""], "v1 done=other"),
  ];
  const report = previewReport(values, { id: "p1", sheetName: "Runs", tagMode: "replace" }, ctx);

  it("sorts the rows it read by what a sync would do", () => {
    expect(report.matching.rows.map((entry) => entry.runId)).toEqual(["r1"]);
    expect(report.changing.rows.map((entry) => entry.runId)).toEqual(["r2"]);
    expect(report.unknown.rows.map((entry) => entry.runId)).toEqual(["r3"]);
    expect(report.unreadable.rows).toEqual([{ row: 5, runId: "r4", lines: [], note: "NOT_FOUND: gone." }]);
  });

  it("shows each key the row sets, current against proposed", () => {
    expect(report.changing.rows[0]?.lines).toEqual([
      { what: "metadata.team", current: '"finance"', proposed: '"ops"', same: false },
      { what: "Tags", current: "a", proposed: "a", same: true },
    ]);
  });
});

describe("previewReport with a Current Metadata nested thousands of levels deep", () => {
  it("reports the row, the run's value shown cut", () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const values: CellValue[][] = [
      HEADER,
      row("r1", "", "json:[1]", "", ["", `{"team":${deep}}`], "v1 done=p1"),
    ];
    const report = previewReport(values, { id: "p1", sheetName: "Runs", tagMode: "replace" }, ctx);
    expect(report.changing.total).toBe(1);
    const line = report.changing.rows[0]?.lines[0];
    expect(line?.what).toBe("metadata.team");
    expect(line?.current).toBe(`${"[".repeat(199)}…`);
  });
});

describe("renderPreview", () => {
  it("escapes every text from the sheet and Extend", () => {
    const html = renderPreview({
      sheetName: "<b>Runs</b>",
      tagMode: "add",
      changing: {
        total: 1,
        rows: [
          {
            row: 2,
            runId: "<script>x</script>",
            note: "A sync sends this row.",
            lines: [{ what: "metadata.x", current: '"<img src=x>"', proposed: "1", same: false }],
          },
        ],
      },
      unknown: { total: 0, rows: [] },
      matching: { total: 0, rows: [] },
      unreadable: { total: 0, rows: [] },
    });
    expect(html).not.toMatch(/<script>x|<img|<b>Runs/);
    expect(html).toContain("&#60;script&#62;x&#60;/script&#62;");
    expect(html).toContain("Tag mode: <strong>add</strong>");
  });
});
