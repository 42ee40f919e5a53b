// The checks of refreshes, previews, imports and job ends must be able to fail: each is shown a sheet or a stand-in state
// with one thing wrong, and must name it (and stay quiet when nothing is wrong). So must the oracle of what a
// preview may mark, and of the tags an update leaves under each mode.
import { describe, expect, it } from "vitest";
import { type CellValue, GasHost } from "../../dev/gas-host/index.js";
import { completeRun } from "../../dev/stand-in/runs.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { runIdTag } from "../../src/core/fingerprint.js";
import { DASHBOARD_BASE, OUTPUT_NAMES, READ_NAMES, type SheetRow, violations } from "./checks.js";
import { checkImportedRows } from "./checks-import.js";
import { sheetCounts } from "./checks-job.js";
import { checkNothingChanged, checkReadRows, type ReadCheckContext } from "./checks-read.js";
import { combine, hostileRows, intentUnderMode, previewMatches } from "./extend-state.js";
import type { RowIntent } from "./sheet.js";

const RUN = "workflow_run_readCheckedRow00000001";
const run: StoredRun = completeRun({
  id: RUN,
  status: "PROCESSED",
  metadata: { team: "ops", "extend:usage_tags": ["keep-me", "prod"] },
  usage: { credits: 3 },
});
const intent: RowIntent = {
  key: "k00000",
  runId: RUN,
  kind: "update",
  body: { metadata: { team: "ops", "extend:usage_tags": ["prod"] } },
  namedTags: ["prod"],
};

const readOutputs = (overrides: Record<string, CellValue> = {}): Record<string, CellValue> => ({
  ...Object.fromEntries([...OUTPUT_NAMES, ...READ_NAMES].map((name) => [name, ""])),
  "Run Status": "PROCESSED",
  "Dashboard Link": DASHBOARD_BASE + RUN,
  "Current Tags": "keep-me, prod",
  "Current Metadata": '{"team":"ops"}',
  Credits: 3,
  "Refreshed At": new Date(),
  "Sync State": `v1 of=${runIdTag(RUN)} done=j1:r`,
  ...overrides,
});

function row(outputs: Record<string, CellValue>): SheetRow {
  return { key: intent.key, row: 2, values: [RUN], formulas: [], notes: [], outputs, outputFormulas: [] };
}

function problems(
  outputs: Record<string, CellValue>,
  overrides: Partial<ReadCheckContext> = {},
  of = intent,
) {
  const found = violations();
  checkReadRows(
    { header: [], rows: [row(outputs)] },
    {
      job: "refresh",
      mode: "replace",
      intents: new Map([[of.key, of]]),
      runs: new Map([[RUN, run]]),
      stopped: false,
      faults: false,
      hostile: false,
      ...overrides,
    },
    found,
  );
  return found.list;
}

describe("checkReadRows", () => {
  it("passes a row that shows its run as Extend holds it", () => {
    expect(problems(readOutputs())).toEqual([]);
  });

  it("names current values of another run, a lost key, a misplaced link and a Sync Result a read wrote", () => {
    expect(problems(readOutputs({ "Current Tags": "staging" }))).toEqual([
      expect.stringMatching(/Current Tags "staging" is not the run's "keep-me, prod"/),
    ]);
    expect(problems(readOutputs({ "Current Metadata": "{}" }))).toEqual([
      expect.stringMatching(/Current Metadata \{\} is not the run's/),
    ]);
    expect(problems(readOutputs({ "Dashboard Link": `${DASHBOARD_BASE}workflow_run_other` }))).toEqual([
      expect.stringMatching(/Dashboard Link .* is not the run's/),
    ]);
    expect(problems(readOutputs({ "Sync Result": "Updated" }))).toEqual([
      expect.stringMatching(/a refresh wrote Sync Result/),
    ]);
  });

  it("allows a failed read only under faults, with its code and what to do", () => {
    const failed = readOutputs({
      "Refreshed At": "",
      "Refresh Error": "INTERNAL_ERROR: Oops. What to do: again.",
    });
    expect(problems(failed, { faults: true })).toEqual([]);
    expect(problems(failed)).toEqual([expect.stringMatching(/could not be read without any fault/)]);
    expect(problems({ ...failed, "Refresh Error": "Something broke" }, { faults: true })).toEqual([
      expect.stringMatching(/without code and what to do/),
    ]);
  });

  it("wants a hostile row's own failure while its answers are rewritten", () => {
    const hostile = { ...intent, hostile: "no metadata" as const };
    expect(problems(readOutputs(), { hostile: true, faults: true }, hostile)).toEqual([
      expect.stringMatching(/should fail with BAD_RESPONSE, but has no Refresh Error/),
    ]);
    expect(problems(readOutputs(), { hostile: false }, hostile)).toEqual([]);
  });

  it("leaves a row unread only after a job that stopped", () => {
    const unread = readOutputs({ "Refreshed At": "", "Current Tags": "", "Current Metadata": "" });
    expect(problems(unread, { stopped: true })).toEqual([]);
    expect(problems(unread)).toEqual([expect.stringMatching(/neither read nor failed/)]);
  });

  it("in a preview, wants a row marked exactly when Extend holds what it asks", () => {
    const marked = readOutputs({ "Sync State": `v1 sent=abc of=${runIdTag(RUN)} done=j1:m` });
    expect(problems(marked, { job: "preview", mode: "add" })).toEqual([]);
    expect(problems(readOutputs(), { job: "preview", mode: "add" })).toEqual([
      expect.stringMatching(/Extend holds what the row asks, but the preview did not mark it/),
    ]);
    const differs = { ...intent, body: { metadata: { team: "finance" } } };
    expect(problems(marked, { job: "preview", mode: "add" }, differs)).toEqual([
      expect.stringMatching(/marked it as in Extend, but Extend does not hold it/),
    ]);
    // A failed read keeps an earlier preview's mark only while Extend still holds what the row asks.
    const failedMarked = {
      ...marked,
      "Refreshed At": "",
      "Refresh Error": "INTERNAL_ERROR: x. What to do: y.",
    };
    expect(problems(failedMarked, { job: "preview", mode: "add", faults: true })).toEqual([]);
    expect(problems(failedMarked, { job: "preview", mode: "add", faults: true }, differs)).toEqual([
      expect.stringMatching(/could not read the run left it marked as in Extend, which it is not/),
    ]);
  });
});

describe("checkNothingChanged", () => {
  it("names an update request and a run that changed", () => {
    const stored = new Map([[RUN, { name: run.name, status: run.status, metadata: { team: "finance" } }]]);
    const found = violations();
    checkNothingChanged([], new Map([[RUN, run]]), stored, found);
    expect(found.list).toEqual([`${RUN}: a job that only reads changed the run in Extend`]);
  });
});

describe("sheetCounts", () => {
  it("counts what the job's rows show, each run once for a read", () => {
    const rows = [readOutputs(), readOutputs(), readOutputs({ "Sync State": "v1 done=other:r" })].map(row);
    const counts = sheetCounts({ header: [], rows }, "j1", "refresh", new Map([[intent.key, intent]]));
    expect(counts).toMatchObject({ read: 1, readFailed: 0 });
  });
});

describe("the oracle", () => {
  it("combines tags as each mode leaves them", () => {
    expect(combine("add", ["a", "b"], ["b", "c", "c"])).toEqual(["a", "b", "c"]);
    expect(combine("remove", ["a", "b"], ["b", "c"])).toEqual(["a"]);
    expect(combine("replace", ["a"], ["c"])).toEqual(["c"]);
  });

  it("refuses #CLEAR outside Replace, and sends the union or difference of the run's tags", () => {
    const cleared = intentUnderMode({ ...intent, namedTags: [] }, "add", ["x"]);
    expect(cleared).toMatchObject({ kind: "invalid", invalidBecause: "only the Replace tag mode does" });
    expect(intentUnderMode(intent, "remove", ["keep-me", "prod"]).body?.metadata).toEqual({
      team: "ops",
      "extend:usage_tags": ["keep-me"],
    });
  });

  it("lets a preview mark a row only without a Name and with every key and tag as the mode leaves them", () => {
    expect(previewMatches(intent, run, "add")).toBe(true);
    expect(previewMatches(intent, run, "remove")).toBe(false);
    expect(previewMatches(intent, run, "replace")).toBe(false);
    expect(previewMatches({ ...intent, body: { ...intent.body, name: "n" } }, run, "add")).toBe(false);
    expect(previewMatches({ ...intent, hostile: "tags not a list" }, run, "add")).toBe(false);
  });

  it("spreads each hostile answer over as many rows as asked, whatever the sheet's size", () => {
    const rows = hostileRows(1000, { answers: ["no metadata", "deep metadata"], rowsEach: 3 });
    expect(rows.size).toBe(6);
    expect([...rows.values()].filter((answer) => answer === "no metadata")).toHaveLength(3);
  });
});

describe("checkImportedRows", () => {
  const runs = new Map([[RUN, run]]);
  const header = [
    "Run ID",
    "Run Status",
    "Workflow",
    "Workflow ID",
    "Batch ID",
    "File Names",
    "Created At",
    "Updated At",
    "Credits",
    "Dashboard Link",
  ];
  const cells = [
    RUN,
    run.status,
    run.workflow.name,
    run.workflow.id,
    run.batchId ?? "",
    run.files.map((file) => file.name).join(", "),
    new Date(run.createdAt),
    new Date(run.updatedAt),
    3,
    DASHBOARD_BASE + RUN,
  ];

  function importProblems(rows: CellValue[][], expectedIds: string[], listingDone = true) {
    const host = new GasHost({ manifest: false });
    try {
      host.spreadsheet.addSheet("Extend runs").setValues("A1", [header, ...rows], { raw: true });
      const found = violations();
      checkImportedRows(host, "Extend runs", expectedIds, runs, listingDone, found);
      return found.list;
    } finally {
      host.dispose();
    }
  }

  it("passes each listed run once with its facts, and names a run twice, a wrong fact and a run lost", () => {
    expect(importProblems([cells], [RUN])).toEqual([]);
    expect(importProblems([cells, cells], [RUN])).toEqual([expect.stringMatching(/imported twice/)]);
    expect(importProblems([cells.map((cell, index) => (index === 1 ? "FAILED" : cell))], [RUN])).toEqual([
      expect.stringMatching(/Run Status "FAILED" is not the run's "PROCESSED"/),
    ]);
    expect(importProblems([], [RUN])).toEqual([`${RUN}: List holds it, the finished import lost it`]);
    expect(importProblems([], [RUN], false)).toEqual([]);
  });
});
