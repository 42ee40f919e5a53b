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
    expect(report.unreadable.rows).toEqual([
      { row: 5, runId: "r4", lines: [], note: "NOT_FOUND: gone.", count: 1, spans: [[5, 5]] },
    ]);
  });

  it("compares a row that sets a Name on its metadata and tags, and says the name is sent anyway", () => {
    expect(report.unknown.rows[0]?.note).toBe(
      "Metadata and tags match (metadata.team); the Name cannot be compared, as Extend does not return a run's name. A sync sends the row, name included.",
    );
    expect(report.matching.rows[0]?.note).toBe(
      "Extend already holds what the row asks for (metadata.team, Tags): a sync skips it as Unchanged.",
    );
  });

  it("shows each key the row sets, current against proposed", () => {
    expect(report.changing.rows[0]?.lines).toEqual([
      { what: "metadata.team", current: '"finance"', proposed: '"ops"', same: false },
      { what: "Tags", current: "a", proposed: "a", same: true },
    ]);
  });
});

describe("previewReport with rows that set a Name", () => {
  it("puts a named row whose metadata differs with the changes, naming what differs", () => {
    const values: CellValue[][] = [
      HEADER,
      row("r1", "New name", "ops", "", ["", '{"team":"finance"}'], "v1 done=p1"),
    ];
    const report = previewReport(values, { id: "p1", sheetName: "Runs", tagMode: "replace" }, ctx);
    expect(report.unknown.total).toBe(0);
    expect(report.changing.rows[0]?.lines).toEqual([
      { what: "metadata.team", current: '"finance"', proposed: '"ops"', same: false },
    ]);
    expect(report.changing.rows[0]?.note).toMatch(/Its Name is sent too: .* cannot be compared\.$/);
  });

  it("says a row that sets only a Name cannot be compared, and that a mark from its last sync stands", () => {
    const print = fingerprint("r2", { name: "N" });
    const values: CellValue[][] = [
      HEADER,
      row("r1", "N", "", "", ["", ""], "v1 done=p1"),
      row("r2", "N", "", "", ["", ""], `v1 sent=${print} done=p1`),
    ];
    const report = previewReport(values, { id: "p1", sheetName: "Runs", tagMode: "replace" }, ctx);
    expect(report.unknown.rows.map((entry) => entry.note)).toEqual([
      "Sets only a Name, which cannot be compared: Extend does not return a run's name. A sync sends the row, name included.",
      "Sets only a Name, which cannot be compared: Extend does not return a run's name. Its last sync sent exactly this row, so a sync skips it as Unchanged (Resend sends it anyway).",
    ]);
  });
});

describe("previewReport grouping identical rows", () => {
  const values: CellValue[][] = [HEADER];
  for (let index = 0; index < 300; index++)
    values.push(row(`r${index}`, "N", "ops", "", ["", '{"team":"finance"}'], "v1 done=p1"));
  values.push(row("odd", "", "ops", "", ["", '{"team":"legal"}'], "v1 done=p1"));
  values.push(row("again", "N", "ops", "", ["", '{"team":"finance"}'], "v1 done=p1"));
  // Different values each: no two rows show the same, so each is its own group, capped.
  for (let index = 0; index < 250; index++)
    values.push(row(`u${index}`, "", `t${index}`, "", ["", ""], "v1 done=p1"));
  const report = previewReport(values, { id: "p1", sheetName: "Runs", tagMode: "replace" }, ctx);

  it("collapses rows with the very same change into one group with its row spans", () => {
    const group = report.changing.rows[0];
    expect(group?.count).toBe(301);
    expect(group?.spans).toEqual([
      [2, 301],
      [303, 303],
    ]);
    expect(group?.row).toBe(2);
    expect(report.changing.rows[1]).toMatchObject({ runId: "odd", count: 1, spans: [[302, 302]] });
  });

  it("caps the groups listed, never the count", () => {
    expect(report.changing.total).toBe(552);
    expect(report.changing.rows).toHaveLength(200);
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
      scopeLabel: "rows 2-3",
      tagMode: "add",
      changing: {
        total: 1,
        rows: [
          {
            row: 2,
            runId: "<script>x</script>",
            note: "A sync sends this row.",
            lines: [{ what: "metadata.x", current: '"<img src=x>"', proposed: "1", same: false }],
            count: 1,
            spans: [[2, 2]],
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
    expect(html).toContain('Compared rows 2-3 of the sheet "&#60;b&#62;Runs&#60;/b&#62;"');
    // Every header cell names its column.
    expect(html).not.toMatch(/<th[^>]*><\/th>/);
  });
});
