// Hostile answers and hostile data end to end (issue 14, defects 2, 5, 7 and 8): the built bundle in the local
// host against the stand-in, whose `rewrite` faults change its real answers (a field left out, a number sent as
// text, metadata nested 5,000 levels deep), on the virtual clock so retries cost no real time. Each answer or
// row decides its own row alone: nothing it holds may change a tag the user did not name, be taken for an empty
// value, stop the other rows, or make the credits summary claim more than it knows.
import { describe, expect, it } from "vitest";
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { describeInvalidRow } from "../../src/core/requests/messages.js";
import { BROKEN_CHARACTER_IN_RUN_ID } from "../../src/core/requests/rows.js";
import { columns, lastAlert, records, runIds, TIMINGS, useExtend } from "./harness.js";

const TAGS = "extend:usage_tags";
const SUMMARY = "Extend Credits by Tag";
const DEEP = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;

const e2e = useExtend({ ...TIMINGS.modelOn });
const newHost = (rows: CellValue[][]) => e2e.newHost({ rows, ...TIMINGS.modelOn });

const ids = (count: number, name: string) =>
  Array.from({ length: count }, (_, index) => `workflow_run_${name}_${index}`);

async function storedTags(id: string): Promise<unknown> {
  return (await e2e.extend.getRun(id))?.metadata[TAGS];
}

function summaryTable(host: GasHost): Record<string, CellValue[]> {
  const table: Record<string, CellValue[]> = {};
  for (const row of host.spreadsheet.sheet(SUMMARY).values().slice(1)) {
    if (row[0] === "") break;
    table[String(row[0])] = row.slice(1, 4);
  }
  return table;
}

const summaryFact = (host: GasHost, label: string): CellValue | undefined =>
  host.spreadsheet
    .sheet(SUMMARY)
    .values()
    .find((row) => row[0] === label)?.[1];

describe("a run read answered 200 without metadata", () => {
  for (const mode of ["add", "remove"] as const) {
    it(`${mode} tags: the run's tags stay as they were and the row fails with BAD_RESPONSE after its retries`, async () => {
      const [broken = "", fine = ""] = ids(2, mode);
      await e2e.extend.addRuns(
        [broken, fine].map((id) => ({ id, metadata: { [TAGS]: ["existing", "billing"] } })),
      );
      await e2e.extend.setFaults([
        { kind: "rewrite", omit: ["metadata"], times: "unlimited", match: { method: "GET", runId: broken } },
      ]);
      const host = newHost([
        ["Run ID", "Tags"],
        [broken, "billing, mine"],
        [fine, "billing, mine"],
      ]);
      clickAndFinish(host, mode === "add" ? "Add tags: all rows" : "Remove tags: all rows");

      // Before: the add mode replaced [existing, billing] with [billing, mine]; the remove mode emptied the list.
      expect(await storedTags(broken)).toEqual(["existing", "billing"]);
      expect(await storedTags(fine)).toEqual(mode === "add" ? ["existing", "billing", "mine"] : ["existing"]);
      const stats = await e2e.extend.stats();
      expect(stats.updateRequests.map((request) => request.runId)).toEqual([fine]);
      expect(columns(host)["Sync Result"]).toEqual(["Failed", "Updated"]);
      expect(String(columns(host)["Sync Error"]?.[0])).toMatch(
        /^BAD_RESPONSE: Extend answered 200 with a workflow run without its metadata\. What to do: /,
      );
      expect(stats.faultsInjected.rewrite).toBe(5);
    });
  }

  it("a preview does not mark a #CLEAR row as already in Extend; the next sync clears the values", async () => {
    const [run = ""] = ids(1, "clear");
    await e2e.extend.addRuns([{ id: run, metadata: { po: "PO-1", [TAGS]: ["billing"] } }]);
    await e2e.extend.setFaults([
      { kind: "rewrite", omit: ["metadata"], times: "unlimited", match: { method: "GET" } },
    ]);
    const host = newHost([
      ["Run ID", "metadata.po", "Tags"],
      [run, "#CLEAR", "#CLEAR"],
    ]);
    clickAndFinish(host, "Compare rows with Extend (preview)");
    expect(String(records(host)[0]?.["Refresh Error"])).toMatch(/^BAD_RESPONSE: .*without its metadata/);
    expect(host.ui.shown.at(-1)?.html).toMatch(/0 already match Extend and 1 could not be read/);

    await e2e.extend.setFaults([]);
    clickAndFinish(host, "Sync all rows");
    // Before: the preview said the row matched, so this sync skipped it as Unchanged and Extend kept PO-1.
    expect(columns(host)["Sync Result"]).toEqual(["Updated"]);
    const stored = await e2e.extend.getRun(run);
    expect(stored?.metadata.po ?? null).toBeNull();
    expect(stored?.metadata[TAGS]).toEqual([]);
  });

  it("a refresh writes a Refresh Error, not 'no tags', and the credits summary leaves the run out", async () => {
    const [tagged = "", broken = ""] = ids(2, "refresh");
    await e2e.extend.addRuns([
      { id: tagged, metadata: { [TAGS]: ["acme"] }, usage: { credits: 2 } },
      { id: broken, metadata: { [TAGS]: ["acme"] }, usage: { credits: 5 } },
    ]);
    await e2e.extend.setFaults([
      { kind: "rewrite", omit: ["metadata"], times: "unlimited", match: { method: "GET", runId: broken } },
    ]);
    const host = newHost([["Run ID"], [tagged], [broken]]);
    clickAndFinish(host, "Refresh from Extend: all rows");

    const rows = records(host);
    expect(rows[1]?.["Current Tags"]).toBe("");
    expect(rows[1]?.Credits).toBe("");
    expect(String(rows[1]?.["Refresh Error"])).toMatch(
      /^BAD_RESPONSE: .*without its metadata.* refresh again/,
    );
    // Before: the run was counted as untagged, with its 5 credits.
    expect(summaryTable(host)).toEqual({
      acme: [1, 2, 0],
      "(untagged)": [0, 0, 0],
      "All runs read": [1, 2, 0],
    });
    expect(summaryFact(host, "Runs that could not be read (left out)")).toBe(1);
  });
});

describe("metadata nested 5,000 levels deep (10 KB, within Extend's limit)", () => {
  it("a refresh writes every row, the deep one included, and finishes", async () => {
    const runs = ids(4, "deep");
    await e2e.extend.addRuns(runs.map((id) => ({ id, metadata: { [TAGS]: ["ops"], team: "ops" } })));
    await e2e.extend.setFaults([
      { kind: "rewrite", set: { "metadata.deep": DEEP }, times: "unlimited", match: { runId: runs[2] } },
    ]);
    const host = newHost([["Run ID"], ...runs.map((id) => [id])]);
    // Before: the refresh wrote nothing, not even the good rows, and stayed "running".
    clickAndFinish(host, "Refresh from Extend: all rows", { maxExecutions: 5 });
    const rows = records(host);
    expect(rows.map((row) => row["Refresh Error"])).toEqual(["", "", "", ""]);
    expect(rows.every((row) => row["Refreshed At"] instanceof Date)).toBe(true);
    expect(rows.map((row) => row["Current Tags"])).toEqual(["ops", "ops", "ops", "ops"]);
    expect(rows[2]?.["Current Metadata"]).toBe(`{"team":"ops","deep":${DEEP}}`);
    expect(lastAlert(host)).toMatch(/^Refresh finished: 4 runs read/);
  });

  it("a sync writes the row's result and does not send it again", async () => {
    const runs = ids(3, "deepsync");
    await e2e.extend.addRuns(runs.map((id) => ({ id, metadata: {} })));
    await e2e.extend.setFaults([
      { kind: "rewrite", set: { "metadata.deep": DEEP }, times: "unlimited", match: { runId: runs[1] } },
    ]);
    const host = newHost([
      ["Run ID", "metadata.team", "Current Metadata"],
      ...runs.map((id) => [id, "ops", ""]),
    ]);
    // Before: the batch was sent again at every Resume and no result was ever written.
    clickAndFinish(host, "Sync all rows", { maxExecutions: 5 });
    expect(columns(host)["Sync Result"]).toEqual(["Updated", "Updated", "Updated"]);
    expect(columns(host)["Current Metadata"]?.[1]).toBe(`{"team":"ops","deep":${DEEP}}`);
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Unchanged", "Unchanged", "Unchanged"]);
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(3);
  });
});

describe("a Run ID holding half a character (a lone surrogate)", () => {
  it("is an Invalid row with a clear message; Check rows and Sync work for the other rows", async () => {
    const [first = "", second = ""] = runIds(2);
    const broken = `${first.slice(0, -2)}\ud83d`;
    const host = newHost([
      ["Run ID", "Name"],
      [first, "First"],
      [broken, "Pasted"],
      [second, "Second"],
    ]);
    // Before: each of these threw "URI malformed" for the whole sheet.
    const check = host.runFromClient("checkRows", ["replace"]);
    expect(check.error).toBeUndefined();
    expect(check.returned).toMatchObject({
      value: {
        counts: { toSend: 2, invalid: 1 },
        invalid: { rows: [{ row: 3, text: describeInvalidRow([BROKEN_CHARACTER_IN_RUN_ID]) }] },
      },
    });
    const dryRun = host.clickMenuItem("Check rows (dry run)");
    expect(dryRun.error).toBeUndefined();
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Updated", "Invalid", "Updated"]);
    expect(columns(host)["Sync Error"]?.[1]).toBe(
      `INVALID_ROW: ${BROKEN_CHARACTER_IN_RUN_ID} See "INVALID_ROW" in the user guide.`,
    );
    expect((await e2e.extend.getRun(first))?.name).toBe("First");
    expect((await e2e.extend.getRun(second))?.name).toBe("Second");
  });
});

describe("the credits summary", () => {
  it("counts runs, not rows; keeps every digit of an exact sum; reads numeric text; never blames old billing", async () => {
    const [seventh = "", third = "", text = "", word = ""] = ids(4, "credits");
    const missing = "workflow_run_credits_missing";
    await e2e.extend.addRuns([
      { id: seventh, metadata: { [TAGS]: ["long"] }, usage: { credits: 7 } },
      { id: third, metadata: { [TAGS]: ["long"] }, usage: { credits: 0.03333333333333333 } },
      { id: text, metadata: { [TAGS]: ["text"] }, usage: { credits: 1 } },
      { id: word, metadata: { [TAGS]: ["word"] }, usage: { credits: 1 } },
    ]);
    await e2e.extend.setFaults([
      { kind: "rewrite", set: { "usage.credits": '"1.5"' }, times: "unlimited", match: { runId: text } },
      { kind: "rewrite", set: { "usage.credits": '"plenty"' }, times: "unlimited", match: { runId: word } },
    ]);
    const host = newHost([["Run ID"], [seventh], [third], [text], [word], [missing], [missing], [missing]]);
    clickAndFinish(host, "Refresh from Extend: all rows");

    // Before: 7.03333333333333333 was read back by Sheets as 7.033333333333333; "1.5" and "plenty" were both
    // runs "without a usage figure", the note blaming old billing.
    expect(summaryTable(host)).toEqual({
      long: [2, "7.03333333333333333", 0],
      text: [1, 1.5, 0],
      "(untagged)": [0, 0, 0],
      "All runs read": [3, "8.53333333333333333", 0],
    });
    expect(records(host)[2]?.Credits).toBe(1.5);
    expect(String(records(host)[3]?.["Refresh Error"])).toMatch(
      /^BAD_RESPONSE: .*usage\.credits is not a number/,
    );
    // Before: "3 could not be read" for the one missing run on three rows, while the log said 1.
    expect(summaryFact(host, "Runs that could not be read (left out)")).toBe(2);
    expect(summaryFact(host, "Runs without a usage figure")).toBe(0);
    expect(records(host, "Extend Sync Log")[0]).toMatchObject({ Kind: "Refresh", "Reads Failed": 2 });
  });
});
