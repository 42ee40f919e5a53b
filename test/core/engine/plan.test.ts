// Unit tests for src/core/engine/plan.ts: what a sync will do with each row in scope, before anything is
// sent.
import { describe, expect, it } from "vitest";
import {
  CONFIRM_WARNINGS_LISTED,
  outputColumnIndexes,
  type PlannedRow,
  type PlanResult,
  parseRows,
  planSync,
  previousOutputs,
  type SyncPlan,
  sendConfirmation,
  tagWarnings,
} from "../../../src/core/engine/plan";
import { fingerprint } from "../../../src/core/requests/fingerprint";
import type { ParseContext } from "../../../src/core/requests/rows";
import type { CellValue } from "../../../src/core/sheet/cell";
import { type ColumnMap, mapHeaders } from "../../../src/core/sheet/headers";
import { OUTPUT_COLUMN_NAMES } from "../../support/columns";

const ctx: ParseContext = { dateToIso: (date) => date.toISOString() };

const A = "workflow_run_A";
const B = "workflow_run_B";
const C = "workflow_run_C";
const D = "workflow_run_D";

const HEADER = ["Run ID", "Name", "metadata.k", "Tags", ...OUTPUT_COLUMN_NAMES];
const BLANK_OUT = ["", "", "", "", "", ""];
const BLANK_PREVIOUS = { result: "", status: "", syncedAt: "", error: "", link: "", state: "" };

const line = (
  runId: CellValue,
  name: CellValue,
  k: CellValue,
  tags: CellValue,
  out: CellValue[] = BLANK_OUT,
): CellValue[] => [runId, name, k, tags, ...out];
const withState = (state: string): CellValue[] => ["", "", "", "", "", state];

function planOf(result: PlanResult): SyncPlan {
  if (!result.ok) throw new Error(`expected a plan: ${result.problems.join(" | ")}`);
  return result.plan;
}

const SHEET: CellValue[][] = [
  HEADER,
  line(A, "Name A", "", ""), // 2: send
  line(B, "", 5, "x y, ok"), // 3: send, with a tag change
  line("", "", "", ""), // 4: empty, not planned
  line(C, "", "", "", ["Updated", "PROCESSED", "", "", "link", ""]), // 5: nothing to change
  line("exr_1", "n", "", ""), // 6: invalid
];

describe("planSync: header problems", () => {
  it.each<[CellValue[][], string[]]>([
    [[], ['No "Run ID" column: put the header "Run ID" in row 1 above the workflow run ids.']],
    [[["Name"], ["x"]], ['No "Run ID" column: put the header "Run ID" in row 1 above the workflow run ids.']],
    [[["Run ID", "run id"]], ['Two columns are both "run id" (column A and column B): keep one.']],
  ])("%j", (values, problems) => {
    expect(planSync(values, "all", false, ctx)).toEqual({ ok: false, problems });
  });
});

describe("planSync: scope", () => {
  it("plans every non-empty row below the header for 'all'", () => {
    const plan = planOf(planSync(SHEET, "all", false, ctx));
    const result = mapHeaders(HEADER);
    if (!result.ok) throw new Error("unreachable");
    expect(plan.columns).toEqual(result.columns);
    expect(plan.rows).toEqual<PlannedRow[]>([
      {
        row: 2,
        runId: A,
        previous: BLANK_PREVIOUS,
        state: {},
        action: { send: { name: "Name A" }, fingerprint: fingerprint(A, { name: "Name A" }), tagChanges: [] },
      },
      {
        row: 3,
        runId: B,
        previous: BLANK_PREVIOUS,
        state: {},
        action: {
          send: { metadata: { k: 5, "extend:usage_tags": ["xy", "ok"] } },
          fingerprint: fingerprint(B, { metadata: { k: 5, "extend:usage_tags": ["xy", "ok"] } }),
          tagChanges: [{ typed: "x y", sent: "xy", reason: "characters removed" }],
        },
      },
      {
        row: 5,
        runId: C,
        previous: { ...BLANK_PREVIOUS, result: "Updated", status: "PROCESSED", link: "link" },
        state: {},
        action: { outcome: { kind: "noop" } },
      },
      {
        row: 6,
        runId: "exr_1",
        previous: BLANK_PREVIOUS,
        state: {},
        action: {
          outcome: {
            kind: "invalid",
            errors: [
              'Run ID "exr_1" is not a workflow run (ids starting with exr_ are another kind of run, which cannot be updated here).',
            ],
          },
        },
      },
    ]);
  });

  it.each<[string, Set<number>, number[]]>([
    ["one row", new Set([3]), [3]],
    ["several rows, in sheet order", new Set([6, 2]), [2, 6]],
    ["the header row is never a data row", new Set([1, 5]), [5]],
    ["an empty selected row is skipped", new Set([4]), []],
    ["rows past the end are ignored", new Set([2, 99]), [2]],
    ["nothing selected", new Set<number>(), []],
  ])("selected rows: %s", (_label, scope, rows) => {
    expect(planOf(planSync(SHEET, scope, false, ctx)).rows.map((row) => row.row)).toEqual(rows);
  });

  it("plans nothing for a sheet with only a header", () => {
    expect(planOf(planSync([HEADER], "all", false, ctx)).rows).toEqual([]);
  });
});

describe("planSync: duplicate run ids", () => {
  const sheet: CellValue[][] = [
    HEADER,
    line(A, "one", "", ""),
    line(B, "b", "", ""),
    line(` ${A} `, "two", "", ""),
    line(A, "#CLEAR", "", ""),
  ];
  const duplicate = `Run ID ${A} appears on more than one row of this sync: keep it on one row only.`;

  it("makes every row with the id invalid, keeping earlier errors", () => {
    const rows = planOf(planSync(sheet, "all", false, ctx)).rows;
    expect(rows.map((row) => [row.row, row.runId, row.action])).toEqual([
      [2, A, { outcome: { kind: "invalid", errors: [duplicate] } }],
      [3, B, { send: { name: "b" }, fingerprint: fingerprint(B, { name: "b" }), tagChanges: [] }],
      [4, A, { outcome: { kind: "invalid", errors: [duplicate] } }],
      [
        5,
        A,
        {
          outcome: {
            kind: "invalid",
            errors: [
              "Name cannot be cleared with #CLEAR: leave the cell blank to keep the current name.",
              duplicate,
            ],
          },
        },
      ],
    ]);
  });

  it("checks a selection against the whole sheet, naming the rows outside it and planning only the selection", () => {
    const rows = planOf(planSync(sheet, new Set([2, 3]), false, ctx)).rows;
    expect(rows.map((row) => [row.row, row.action])).toEqual([
      [
        2,
        {
          outcome: {
            kind: "invalid",
            errors: [`Run ID ${A} is also on rows 4 and 5: keep it on one row only, then sync again.`],
          },
        },
      ],
      [3, { send: { name: "b" }, fingerprint: fingerprint(B, { name: "b" }), tagChanges: [] }],
    ]);
  });

  it("names one row outside the selection, and counts beyond five", () => {
    const one = planOf(planSync(sheet.slice(0, 4), new Set([2]), false, ctx)).rows;
    expect(one[0]?.action).toEqual({
      outcome: {
        kind: "invalid",
        errors: [`Run ID ${A} is also on row 4: keep it on one row only, then sync again.`],
      },
    });
    const many = [HEADER, ...Array.from({ length: 8 }, () => line(A, "x", "", ""))];
    const [selected] = planOf(planSync(many, new Set([2]), false, ctx)).rows;
    expect(selected?.action).toEqual({
      outcome: {
        kind: "invalid",
        errors: [
          `Run ID ${A} is also on rows 3, 4, 5, 6, 7 and 2 more: keep it on one row only, then sync again.`,
        ],
      },
    });
  });
});

describe("planSync: change detection", () => {
  const body = { name: "Name A", metadata: { k: "v" } };
  const print = fingerprint(A, body);
  const sheetWithState = (state: string): CellValue[][] => [
    HEADER,
    line(A, "Name A", "v", "", withState(state)),
  ];

  it.each<[string, string, boolean, "send" | "unchanged"]>([
    ["no state", "", false, "send"],
    ["the same fingerprint", `v1 sent=${print}`, false, "unchanged"],
    ["the same fingerprint while pending", `v1 sent=${print} pending=job1`, false, "unchanged"],
    ["the same fingerprint, forced", `v1 sent=${print}`, true, "send"],
    ["another fingerprint", "v1 sent=somethingelse", false, "send"],
    ["a state typed over by a user", print, false, "send"],
  ])("%s -> %s", (_label, state, force, expected) => {
    const [row] = planOf(planSync(sheetWithState(state), "all", force, ctx)).rows;
    if (expected === "unchanged") {
      expect(row?.action).toEqual({ outcome: { kind: "unchanged" } });
    } else {
      expect(row?.action).toEqual({ send: body, fingerprint: print, tagChanges: [] });
    }
  });

  it("decodes the state for the engine", () => {
    const [row] = planOf(planSync(sheetWithState(`v1 sent=${print} pending=job1`), "all", false, ctx)).rows;
    expect(row?.state).toEqual({ lastSent: print, pendingSync: "job1" });
    expect(row?.previous.state).toBe(`v1 sent=${print} pending=job1`);
  });

  it("sends a row again once one of its values changed", () => {
    const sheet = [HEADER, line(A, "Name A", "v2", "", withState(`v1 sent=${print}`))];
    const [row] = planOf(planSync(sheet, "all", false, ctx)).rows;
    expect(row?.action).toEqual({
      send: { name: "Name A", metadata: { k: "v2" } },
      fingerprint: fingerprint(A, { name: "Name A", metadata: { k: "v2" } }),
      tagChanges: [],
    });
  });

  it("never skips a row that is invalid or has nothing to change, whatever its state", () => {
    const sheet = [
      HEADER,
      line("", "x", "", "", withState(`v1 sent=${print}`)),
      line(C, "", "", "", withState(`v1 sent=${fingerprint(C, {})}`)),
    ];
    const rows = planOf(planSync(sheet, "all", false, ctx)).rows;
    expect(rows.map((row) => row.action)).toEqual([
      {
        outcome: {
          kind: "invalid",
          errors: ["Run ID is empty: fill in the workflow run id (it starts with workflow_run_)."],
        },
      },
      { outcome: { kind: "noop" } },
    ]);
  });

  it("works on a sheet without output columns yet", () => {
    const [row] = planOf(
      planSync(
        [
          ["Run ID", "Name"],
          [D, "n"],
        ],
        "all",
        false,
        ctx,
      ),
    ).rows;
    expect(row).toEqual({
      row: 2,
      runId: D,
      previous: {},
      state: {},
      action: { send: { name: "n" }, fingerprint: fingerprint(D, { name: "n" }), tagChanges: [] },
    });
  });
});

describe("tagWarnings", () => {
  it("lists rows to send whose tags change, with their changes", () => {
    const plan = planOf(planSync(SHEET, "all", false, ctx));
    expect(tagWarnings(plan)).toEqual([
      { row: 3, runId: B, changes: [{ typed: "x y", sent: "xy", reason: "characters removed" }] },
    ]);
  });

  it("ignores rows not sent (invalid, unchanged) and rows whose tags are clean", () => {
    const tags = "a!, b";
    const body = { metadata: { "extend:usage_tags": ["a", "b"] } };
    const sheet = [
      HEADER,
      line(A, "", "", tags, withState(`v1 sent=${fingerprint(A, body)}`)), // unchanged
      line("pr_1", "", "", tags), // invalid
      line(C, "", "", "clean, tags"), // sent, nothing changed
      line(D, "", "", "d, d"), // sent, a duplicate dropped
    ];
    expect(tagWarnings(planOf(planSync(sheet, "all", false, ctx)))).toEqual([
      { row: 5, runId: D, changes: [{ typed: "d", sent: "d", reason: "duplicate" }] },
    ]);
    expect(tagWarnings(planOf(planSync(sheet, "all", true, ctx))).map((warning) => warning.row)).toEqual([
      2, 5,
    ]);
  });
});

describe("sendConfirmation", () => {
  const clean = [HEADER, line(A, "", "", "a, b"), line(C, "Name C", "", "")];

  it("asks nothing of a replace sync whose tags are clean", () => {
    expect(sendConfirmation(planOf(planSync(clean, "all", false, ctx)), "replace")).toBeUndefined();
  });

  it("asks about an add or remove mode, counting the rows that name tags", () => {
    const asked = sendConfirmation(planOf(planSync(clean, "all", false, ctx, "add")), "add");
    expect(asked).toMatchObject({ warnings: [], tagMode: "add", rowsNamingTags: 1 });
    const removing = sendConfirmation(planOf(planSync(clean, "all", false, ctx, "remove")), "remove");
    expect(removing?.token).not.toBe(asked?.token);
  });

  it(`lists the first ${CONFIRM_WARNINGS_LISTED} rows with tag changes and counts them all, its token naming every one`, () => {
    const rows = Array.from({ length: 150 }, (_, index) => line(`workflow_run_${index}`, "", "", "x y"));
    const asked = sendConfirmation(planOf(planSync([HEADER, ...rows], "all", false, ctx)), "replace");
    expect(asked?.warnings).toHaveLength(CONFIRM_WARNINGS_LISTED);
    expect(asked?.rowsWithTagChanges).toBe(150);
    const fewer = sendConfirmation(
      planOf(planSync([HEADER, ...rows.slice(0, 149)], "all", false, ctx)),
      "replace",
    );
    expect(fewer?.token).not.toBe(asked?.token);
  });

  it("asks about tag changes in any mode, and names them in its token", () => {
    const asked = sendConfirmation(planOf(planSync(SHEET, "all", false, ctx)), "replace");
    expect(asked?.warnings.map((warning) => warning.row)).toEqual([3]);
    const other = [HEADER, line(B, "", 5, "x z, ok")];
    expect(sendConfirmation(planOf(planSync(other, "all", false, ctx)), "replace")?.token).not.toBe(
      asked?.token,
    );
  });
});

describe("parseRows", () => {
  const columns = (mapHeaders(["Run ID", "Name"]) as { ok: true; columns: ColumnMap }).columns;

  it.each<[string, CellValue[][], unknown[]]>([
    ["no rows", [], []],
    [
      "empty rows are kept in place and never duplicates",
      [
        ["", ""],
        [A, "x"],
        ["", ""],
      ],
      [
        { kind: "empty" },
        { kind: "update", runId: A, body: { name: "x" }, tagChanges: [] },
        { kind: "empty" },
      ],
    ],
    [
      "a noop duplicate is an error too",
      [
        [A, ""],
        [A, "x"],
      ],
      [
        {
          kind: "invalid",
          runId: A,
          errors: [`Run ID ${A} appears on more than one row of this sync: keep it on one row only.`],
        },
        {
          kind: "invalid",
          runId: A,
          errors: [`Run ID ${A} appears on more than one row of this sync: keep it on one row only.`],
        },
      ],
    ],
    [
      "two empty run ids are not duplicates of each other",
      [
        ["", "x"],
        ["", "y"],
      ],
      [
        {
          kind: "invalid",
          runId: "",
          errors: ["Run ID is empty: fill in the workflow run id (it starts with workflow_run_)."],
        },
        {
          kind: "invalid",
          runId: "",
          errors: ["Run ID is empty: fill in the workflow run id (it starts with workflow_run_)."],
        },
      ],
    ],
  ])("%s", (_label, rows, expected) => {
    expect(parseRows(rows, columns, ctx)).toEqual(expected);
  });
});

describe("previousOutputs", () => {
  const columnsOf = (header: string[]): ColumnMap =>
    (mapHeaders(header) as { ok: true; columns: ColumnMap }).columns;

  it.each<[string[], CellValue[], Record<string, CellValue>]>([
    [["Run ID"], [A], {}],
    [
      ["Run ID", "Sync Result", "Sync State"],
      [A, "Updated", "v1 sent=x"],
      { result: "Updated", state: "v1 sent=x" },
    ],
    [["Sync Error", "Run ID", "Synced At"], ["e"], { error: "e", syncedAt: "" }],
    [["Run ID", "Run Status"], [A, 0], { status: 0 }],
  ])("%j with %j", (header, row, expected) => {
    expect(previousOutputs(row, columnsOf(header))).toEqual(expected);
  });
});

describe("outputColumnIndexes", () => {
  const columnsOf = (header: string[]): ColumnMap =>
    (mapHeaders(header) as { ok: true; columns: ColumnMap }).columns;

  it("maps every output column when all exist", () => {
    expect(outputColumnIndexes(columnsOf(HEADER))).toEqual({
      result: 4,
      status: 5,
      syncedAt: 6,
      error: 7,
      link: 8,
      state: 9,
    });
  });

  it.each(
    [["Run ID"], HEADER.slice(0, -1), HEADER.filter((header) => header !== "Sync Result")].map((h) => [h]),
  )("is undefined when one is missing: %j", (header) => {
    expect(outputColumnIndexes(columnsOf(header))).toBeUndefined();
  });
});
