// Refresh from Extend end to end: the built bundle reads each row's run from the stand-in over HTTP in paced,
// retried batches, writes the read-only columns (never an input, never Sync Result), fails 404 and exhausted
// 429 rows one by one, and rebuilds the credits summary, summed per usage tag against the stand-in's stored
// usage (null on some runs, as the API documents).
import { describe, expect, it } from "vitest";
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, lastAlert, records, runIds, SHEET, useExtend } from "./harness.js";

const HEADER = ["Run ID", "Name", "metadata.team", "Tags", "Sync Result"];
const MISSING = "workflow_run_doesNotExist000000";
const FRACTIONAL = ["workflow_run_fractionA", "workflow_run_fractionB", "workflow_run_fractionC"];
const SUMMARY = "Extend Credits by Tag";

// Refresh only reads: no test may have sent an update.
const e2e = useExtend({}, async (extend) => {
  expect((await extend.stats()).updateRequests).toHaveLength(0);
});

function rowsFor(ids: string[]): CellValue[][] {
  return [HEADER, ...ids.map((id, index) => [id, `Name ${index}`, "ops", "prod", "Updated"])];
}

/** Runs, credits and runs without usage per tag, from what the stand-in stores. */
async function expectedSummary(ids: readonly string[]) {
  const byTag = new Map<string, { runs: number; credits: number; withoutUsage: number }>();
  const add = (tag: string, credits: number | null) => {
    const total = byTag.get(tag) ?? { runs: 0, credits: 0, withoutUsage: 0 };
    total.runs += 1;
    if (credits === null) total.withoutUsage += 1;
    else total.credits = Math.round((total.credits + credits) * 1e9) / 1e9;
    byTag.set(tag, total);
  };
  for (const id of new Set(ids)) {
    const run = await e2e.extend.getRun(id);
    const tags = (run?.metadata["extend:usage_tags"] as string[] | undefined) ?? [];
    const credits = run?.usage ? run.usage.credits : null;
    if (tags.length === 0) add("(untagged)", credits);
    for (const tag of new Set(tags)) add(tag, credits);
    add("All runs read", credits);
  }
  return Object.fromEntries(
    [...byTag].map(([tag, total]) => [tag, [total.runs, total.credits, total.withoutUsage]]),
  );
}

function summaryTable(target: GasHost): Record<string, CellValue[]> {
  const values = target.spreadsheet.sheet(SUMMARY).values();
  const table: Record<string, CellValue[]> = {};
  for (const row of values.slice(1)) {
    if (row[0] === "") break;
    table[String(row[0])] = row.slice(1, 4);
  }
  return table;
}

function summaryFact(target: GasHost, label: string): CellValue | undefined {
  return target.spreadsheet
    .sheet(SUMMARY)
    .values()
    .find((row) => row[0] === label)?.[1];
}

describe("Refresh from Extend", () => {
  it("reads every run, fails 404 and exhausted 429 rows alone, and sums credits per tag exactly", async () => {
    await e2e.extend.addRuns([
      { id: FRACTIONAL[0] ?? "", metadata: { "extend:usage_tags": ["acme"] }, usage: { credits: 0.1 } },
      {
        id: FRACTIONAL[1] ?? "",
        metadata: { "extend:usage_tags": ["acme", "prod"] },
        usage: { credits: 0.2 },
      },
      { id: FRACTIONAL[2] ?? "", metadata: { "extend:usage_tags": ["acme"] }, usage: { credits: 0.7 } },
    ]);
    const seeded = runIds(40);
    const [busyOnce = "", busyAlways = ""] = seeded.slice(10, 12);
    await e2e.extend.setFaults([
      { kind: "status", status: 429, times: 2, match: { method: "GET", runId: busyOnce } },
      { kind: "status", status: 429, times: "unlimited", match: { method: "GET", runId: busyAlways } },
    ]);
    const ids = [...seeded, ...FRACTIONAL, MISSING, seeded[0] ?? ""];
    const host = e2e.newHost({ rows: rowsFor(ids) });
    const before = host.spreadsheet.sheet(SHEET).values();
    clickAndFinish(host, "Refresh from Extend: all rows");

    const rows = records(host);
    expect(rows[ids.indexOf(MISSING)]?.["Refresh Error"]).toMatch(
      /^NOT_FOUND: .*What to do: Check the Run ID/,
    );
    expect(rows[11]?.["Refresh Error"]).toMatch(/^RATE_LIMIT_EXCEEDED: /);
    expect(rows[10]?.["Refresh Error"]).toBe("");
    const read = ids.filter((id) => id !== MISSING && id !== busyAlways);
    for (const [index, id] of ids.entries()) {
      if (!read.includes(id)) continue;
      const run = await e2e.extend.getRun(id);
      const row = rows[index] ?? {};
      expect(row["Run Status"]).toBe(run?.status);
      expect(row["Current Tags"]).toBe(((run?.metadata["extend:usage_tags"] as string[]) ?? []).join(", "));
      expect(row.Credits).toBe(run?.usage ? run.usage.credits : "");
      expect(row["Refreshed At"]).toBeInstanceOf(Date);
      if (run?.status === "FAILED")
        expect(row["Failure Reason"]).toBe(`${run.failureReason}: ${run.failureMessage}`);
    }
    // Inputs and what the last update wrote stay as they were.
    const after = host.spreadsheet.sheet(SHEET).values();
    expect(after.map((row) => row.slice(0, HEADER.length))).toEqual(before);

    const expected = await expectedSummary(read);
    expect(summaryTable(host)).toEqual(expected);
    expect(expected.acme).toEqual([3, 1, 0]);
    const withoutUsage = expected["All runs read"]?.[2] ?? 0;
    expect(withoutUsage).toBeGreaterThan(0);
    expect(summaryFact(host, "Runs without a usage figure")).toBe(withoutUsage);
    expect(summaryFact(host, "Runs that could not be read (left out)")).toBe(2);
    expect(summaryFact(host, "Read from Extend at")).toBeInstanceOf(Date);
    expect(lastAlert(host)).toMatch(
      /^Refresh finished: 42 runs read, 2 could not be read .* Credits by usage tag are in the sheet "Extend Credits by Tag"\./,
    );
    expect(records(host, "Extend Sync Log")[0]).toMatchObject({
      Kind: "Refresh",
      "Runs Read": 42,
      "Reads Failed": 2,
    });
  });

  it("refreshes only the selected rows, and rebuilds the summary from them", async () => {
    const ids = runIds(12);
    const host = e2e.newHost({ rows: rowsFor(ids) });
    clickAndFinish(host, "Refresh from Extend: all rows");
    expect(summaryTable(host)["All runs read"]?.[0]).toBe(12);
    host.spreadsheet.select(SHEET, "A3:A5");
    clickAndFinish(host, "Refresh from Extend: selected rows");
    expect(summaryTable(host)["All runs read"]?.[0]).toBe(3);
    expect(host.spreadsheet.sheets.filter((sheet) => sheet.name.startsWith(SUMMARY))).toHaveLength(1);
    expect(columns(host)["Current Tags"]).toHaveLength(12);
  });

  it("extends a run log written before job kinds instead of starting another", async () => {
    const ids = runIds(3);
    const host = e2e.newHost({ rows: rowsFor(ids) });
    const legacy = [
      "Sync ID",
      "Started At",
      "Started By",
      "Sheet",
      "Rows",
      "Requests Sent",
      "Updated",
      "Failed",
      "Invalid",
      "Unchanged",
      "Nothing To Change",
      "Rows Deleted During Sync",
      "Rows Not Synced",
      "Executions",
      "Duration (s)",
      "Ended",
    ];
    const old = host.spreadsheet.addSheet("Extend Sync Log");
    old.setValues("A1", [legacy, ["old1", "", "", "", "", 1, 1, 0, 0, 0, 0, 0, "", 1, 1, "Finished"]], {
      raw: true,
    });
    old.maxColumns = legacy.length;
    host.spreadsheet.select(SHEET, "A1");
    clickAndFinish(host, "Refresh from Extend: all rows");
    const log = records(host, "Extend Sync Log");
    expect(log.map((row) => row["Sync ID"])).toEqual(["old1", expect.any(String)]);
    expect(log[1]).toMatchObject({ Kind: "Refresh", "Runs Read": 3 });
    expect(host.spreadsheet.sheets.filter((sheet) => sheet.name.startsWith("Extend Sync Log"))).toHaveLength(
      1,
    );
  });
});
