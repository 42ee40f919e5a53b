// Compare with Extend through the built bundle against the stand-in: a row that sets a Name is compared on its
// metadata and tags (and the next sync still sends it), rows showing the same are grouped, the selected rows
// alone are compared under a selected sync's duplicate rule, and a hostile answer is never read as a match.
import { describe, expect, it } from "vitest";
import type { CellValue } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, useExtend } from "./harness.js";

const TAGS = "extend:usage_tags";
const SHEET = "Runs";
const e2e = useExtend();

const ids = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => `workflow_run_cmp_${prefix}_${index}`);

function dialogHtml(host: ReturnType<typeof e2e.newHost>): string {
  const dialog = host.ui.shown.at(-1);
  expect(dialog?.title).toBe("Preview: current and proposed values (nothing was sent)");
  return dialog?.html ?? "";
}

describe("Compare rows that set a Name", () => {
  it("compares their metadata and tags; the sync after it still sends every named row", async () => {
    const runIds = ids(4, "named");
    await e2e.extend.addRuns([
      { id: runIds[0] ?? "", metadata: { team: "ops", [TAGS]: ["prod"] } },
      { id: runIds[1] ?? "", metadata: { team: "finance", [TAGS]: ["prod"] } },
      { id: runIds[2] ?? "", metadata: { team: "ops", [TAGS]: ["eu"] } },
      { id: runIds[3] ?? "", metadata: { team: "ops" } },
    ]);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name", "metadata.team", "Tags"],
        [runIds[0] ?? "", "Invoice 1", "ops", "prod"],
        [runIds[1] ?? "", "Invoice 2", "ops", "prod"],
        [runIds[2] ?? "", "Invoice 3", "ops", "prod"],
        [runIds[3] ?? "", "Invoice 4", "", ""],
      ],
    });
    clickAndFinish(host, "Compare rows with Extend (preview)");
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(0);
    const html = dialogHtml(host);
    expect(html).toMatch(/2 rows would change, 2 match except for a Name/);
    expect(html).toContain("Would change (2)");
    expect(html).toContain(
      '<th scope="row">metadata.team</th><td>&#34;finance&#34;</td><td>&#34;ops&#34;</td>',
    );
    expect(html).toContain('<th scope="row">Tags</th><td>eu</td><td>prod</td>');
    expect(html).toContain("Only the Name may differ (2)");
    expect(html).toContain(
      "Metadata and tags match (metadata.team, Tags); the Name cannot be compared, as Extend does not return a run&#39;s name. A sync sends the row, name included.",
    );
    expect(html).toContain("Sets only a Name, which cannot be compared");
    expect(html).not.toMatch(/<th[^>]*><\/th>/);

    // Nothing the preview said "matches" may be skipped if its name could differ: every row is sent.
    clickAndFinish(host, "Sync all rows");
    const sent = (await e2e.extend.stats()).updateRequests.map((request) => request.runId);
    expect(sent.sort()).toEqual([...runIds].sort());
    expect(columns(host)["Sync Result"]).toEqual(["Updated", "Updated", "Updated", "Updated"]);

    // Now the last sync sent exactly these rows, names included: the preview says so, and the sync skips them.
    clickAndFinish(host, "Compare rows with Extend (preview)");
    expect(dialogHtml(host)).toContain(
      "Its last sync sent exactly this row, so a sync skips it as Unchanged (Resend sends it anyway).",
    );
    clickAndFinish(host, "Sync all rows");
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(4);
    expect(columns(host)["Sync Result"]).toEqual(["Unchanged", "Unchanged", "Unchanged", "Unchanged"]);
  });
});

describe("Identical rows grouped", () => {
  it("shows forty rows with the same change as one group with its rows, and the odd one apart", async () => {
    const runIds = ids(41, "group");
    await e2e.extend.addRuns(runIds.map((id) => ({ id, metadata: { team: "finance", [TAGS]: ["prod"] } })));
    const rows: CellValue[][] = [["Run ID", "Name", "metadata.team", "Tags"]];
    runIds.forEach((id, index) => {
      rows.push([id, "Same name", index === 20 ? "legal" : "ops", "prod, new"]);
    });
    const host = e2e.newHost({ rows });
    clickAndFinish(host, "Compare rows with Extend (preview)");
    const html = dialogHtml(host);
    expect(html).toContain("Would change (41)");
    expect(html).toContain("<strong>Rows 2–21, 23–42 (40 rows, each the same)</strong>");
    expect(html).toMatch(/<strong>Row 22<\/strong> <code>workflow_run_cmp_group_20<\/code>/);
    expect(html.match(/<table/g)).toHaveLength(2);
  });
});

describe("Compare selected rows", () => {
  it("reads only the selected rows, checks their Run IDs against the whole sheet, and says what it covered", async () => {
    const runIds = ids(6, "selected");
    await e2e.extend.addRuns(runIds.map((id) => ({ id, metadata: { team: "finance" } })));
    const rows: CellValue[][] = [["Run ID", "metadata.team"], ...runIds.map((id) => [id, "ops"])];
    // Row 6 holds row 2's Run ID: selected, it is refused like in a selected sync.
    const row6 = rows[5];
    if (row6) row6[0] = runIds[0] ?? "";
    const host = e2e.newHost({ rows });
    host.spreadsheet.select(SHEET, "A4:B6");
    const before = (await e2e.extend.stats()).byRoute["GET /workflow_runs/{id}"] ?? 0;
    clickAndFinish(host, "Compare selected rows with Extend");
    const reads = ((await e2e.extend.stats()).byRoute["GET /workflow_runs/{id}"] ?? 0) - before;
    expect(reads).toBe(2);
    const html = dialogHtml(host);
    expect(html).toContain("Compared rows 4-6 of the sheet");
    expect(html).toMatch(/2 rows would change/);
    expect(html).toContain("<strong>Rows 4–5 (2 rows, each the same)</strong>");
    // Row 6 was not read: the dialog says an invalid row was left out, and Check rows names the other row.
    expect(html).toContain("1 invalid row and 0 with nothing to change were not compared");
    expect(columns(host)["Current Metadata"]).toEqual([
      "",
      "",
      '{"team":"finance"}',
      '{"team":"finance"}',
      "",
      "",
    ]);
  });

  it("says so when no selected row would be sent", () => {
    const host = e2e.newHost({
      rows: [
        ["Run ID", "metadata.team"],
        ["workflow_run_cmp_none", ""],
      ],
    });
    host.spreadsheet.select(SHEET, "A2:B2");
    clickAndFinish(host, "Compare selected rows with Extend");
    expect(host.ui.alerts.at(-1)?.prompt).toMatch(/^None of the selected rows \(rows 2\) would be sent/);
  });
});

describe("A hostile server", () => {
  it("never reads a missing metadata as empty, cuts a 60,000-character value, and escapes markup", async () => {
    const [missing = "", long = "", markup = ""] = ids(3, "hostile");
    await e2e.extend.addRuns([
      { id: missing, metadata: { team: "ops" } },
      { id: long, metadata: { team: "x".repeat(60_000) } },
      { id: markup, metadata: { team: '<img src=x onerror="alert(1)">' } },
    ]);
    await e2e.extend.setFaults([
      { kind: "rewrite", omit: ["metadata"], times: "unlimited", match: { method: "GET", runId: missing } },
    ]);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name", "metadata.team"],
        [missing, "A name", "ops"],
        [long, "", "ops"],
        [markup, "", "<b>ops</b>"],
      ],
    });
    clickAndFinish(host, "Compare rows with Extend (preview)");
    const html = dialogHtml(host);
    expect(html).toMatch(
      /2 rows would change, 0 match except for a Name \(which cannot be compared\),\s+0 already match Extend and 1 could not be read/,
    );
    expect(html).toMatch(
      /<strong>Row 2<\/strong> <code>[^<]+<\/code>: BAD_RESPONSE: .* without its metadata/,
    );
    // 60,000 characters do not fit a cell: the value is unknown, never "matches" or empty.
    expect(html).toContain(
      "<strong>Row 3</strong> <code>workflow_run_cmp_hostile_1</code>: The run&#39;s current values cannot be shown: they are longer than a cell holds",
    );
    expect(String(columns(host)["Current Metadata"]?.[1]).length).toBeLessThanOrEqual(50_000);
    expect(html).not.toMatch(/<img|<b>ops/);
    expect(html).toContain("<td>&#34;&#60;img src=x onerror=\\&#34;alert(1)\\&#34;&#62;&#34;</td>");
    await e2e.extend.setFaults([]);
  });
});
