// Unit tests for src/core/views/quota-estimate.ts: the requests each kind of job makes, the shortfall against
// what is left today with how far the job would get, and the confirmation that carries it.
import { describe, expect, it } from "vitest";
import {
  type PlanResult,
  planRefresh,
  planSync,
  type SyncPlan,
  sendConfirmation,
} from "../../../src/core/engine/plan";
import type { ParseContext } from "../../../src/core/requests/rows";
import type { CellValue } from "../../../src/core/sheet/cell";
import { quotaView } from "../../../src/core/views/quota";
import {
  confirmationWords,
  ESTIMATORS,
  estimateRequests,
  planWork,
  quotaShortfall,
  RETRY_ALLOWANCE,
  readWork,
  withShortfall,
} from "../../../src/core/views/quota-estimate";

const ctx: ParseContext = { dateToIso: (date) => date.toISOString() };
const HEADER = ["Run ID", "Name", "Tags"];

function planOf(result: PlanResult): SyncPlan {
  if (!result.ok) throw new Error(result.problems.join(" "));
  return result.plan;
}

/** 10 rows: 4 name tags, 6 only a name; and a row without a Run ID, which nothing is sent for. */
const SHEET: CellValue[][] = [
  HEADER,
  ...Array.from({ length: 10 }, (_, index) => [
    `workflow_run_${String(index).padStart(3, "0")}`,
    `Run ${index}`,
    index < 4 ? "paid" : "",
  ]),
  ["", "", ""],
];

describe("requests per job kind", () => {
  it("a sync: one POST per row replacing; a GET more per row naming tags when adding or removing", () => {
    const plan = planOf(planSync(SHEET, "all", false, ctx, "replace"));
    expect(planWork("update", plan, "replace")).toEqual({ kind: "update", rows: 10, rowsReadFirst: 0 });
    expect(ESTIMATORS.update(planWork("update", plan, "replace"))).toBe(10);
    for (const mode of ["add", "remove"] as const) {
      const work = planWork("update", planOf(planSync(SHEET, "all", false, ctx, mode)), mode);
      expect(work).toEqual({ kind: "update", rows: 10, rowsReadFirst: 4 });
      expect(ESTIMATORS.update(work)).toBe(14);
    }
  });

  it("a sync that keeps history: a GET before every POST, in every tag mode", () => {
    for (const mode of ["replace", "add", "remove"] as const) {
      const work = planWork("update", planOf(planSync(SHEET, "all", false, ctx, mode)), mode, true);
      expect(work).toEqual({ kind: "update", rows: 10, rowsReadFirst: 10 });
      expect(ESTIMATORS.update(work)).toBe(20);
    }
  });

  it("an undo: a GET and a POST per run the sync recorded", () => {
    expect(ESTIMATORS.undo({ kind: "undo", rows: 1000, rowsReadFirst: 1000 })).toBe(2000);
  });

  it("a preview and a refresh: one GET per row", () => {
    const preview = planWork("preview", planOf(planSync(SHEET, "all", true, ctx, "add")), "add");
    expect(ESTIMATORS.preview(preview)).toBe(10);
    const refresh = readWork(planOf(planRefresh(SHEET, "all", ctx)));
    expect(refresh).toEqual({ kind: "refresh", rows: 10, rowsReadFirst: 0 });
    expect(ESTIMATORS.refresh(refresh)).toBe(10);
  });

  it("an import: its pages of 100, and with current values one GET per run; unknown without a maximum", () => {
    expect(ESTIMATORS.import({ kind: "import", rows: 250, rowsReadFirst: 0 })).toBe(3);
    expect(ESTIMATORS.import({ kind: "import", rows: 250, rowsReadFirst: 0, withCurrent: true })).toBe(253);
    expect(ESTIMATORS.import({ kind: "import", rows: 0, rowsReadFirst: 0 })).toBeUndefined();
    expect(estimateRequests({ kind: "import", rows: 0, rowsReadFirst: 0 })).toBeUndefined();
  });

  it("keeps a share for retries on top", () => {
    expect(RETRY_ALLOWANCE).toBe(0.02);
    expect(estimateRequests({ kind: "update", rows: 1_000, rowsReadFirst: 0 })).toEqual({
      kind: "update",
      requests: 1_020,
      rows: 1_000,
    });
    expect(estimateRequests({ kind: "refresh", rows: 1, rowsReadFirst: 0 })?.requests).toBe(2);
  });
});

describe("the shortfall", () => {
  const estimate = { kind: "update" as const, requests: 2_040, rows: 1_000 };

  it("is nothing while the job fits into what is left today", () => {
    expect(quotaShortfall(estimate, quotaView(20_000 - 2_040, "consumer"))).toBeUndefined();
    expect(quotaShortfall(undefined, quotaView(20_000, "consumer"))).toBeUndefined();
  });

  it("says how many are needed, how many are left and after about how many rows the job would stop", () => {
    const shortfall = quotaShortfall(estimate, quotaView(19_000, "consumer"));
    expect(shortfall).toEqual({
      needed: 2_040,
      left: 1_000,
      rowsBeforeStop: 490,
      text: "This needs about 2,040 web requests; about 1,000 are left today of 20,000: the sync would stop after about 490 rows. Other scripts of your Google account share the same allowance.",
      question: "Send anyway?",
    });
    const imported = quotaShortfall(
      { kind: "import", requests: 306, rows: 300 },
      quotaView(19_900, "unknown"),
    );
    expect(imported?.text).toContain(
      "of 20,000 (or 100,000 on Google Workspace): the import would stop after about 98 runs.",
    );
    expect(imported?.question).toBe("Start the import anyway?");
    expect(quotaShortfall(estimate, quotaView(20_000, "consumer"))?.rowsBeforeStop).toBe(0);
  });

  it("joins the sync's own question, with a token that names the estimate", () => {
    const plan = planOf(planSync(SHEET, "all", false, ctx, "add"));
    const asked = sendConfirmation(plan, "add");
    const shortfall = quotaShortfall(estimate, quotaView(19_000, "consumer"));
    expect(withShortfall(asked, undefined, "add")).toBe(asked);
    const joined = withShortfall(asked, shortfall, "add");
    expect(joined).toMatchObject({ rowsNamingTags: 4, tagMode: "add", quota: shortfall });
    expect(joined?.token).not.toBe(asked?.token);
    const larger = withShortfall(
      asked,
      quotaShortfall({ ...estimate, requests: 3_000 }, quotaView(19_000, "consumer")),
      "add",
    );
    expect(larger?.token).not.toBe(joined?.token);
    expect(confirmationWords(joined ?? asked ?? ({} as never)).title).toBe("Sync with tag mode add?");

    const alone = withShortfall(undefined, shortfall, "replace");
    expect(alone).toMatchObject({ warnings: [], rowsWithTagChanges: 0, rowsNamingTags: 0, quota: shortfall });
    expect(confirmationWords(alone ?? ({} as never))).toEqual({
      title: "Not enough web requests left today",
      question: "Send anyway?",
    });
  });
});
