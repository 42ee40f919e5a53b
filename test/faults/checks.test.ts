// The fault matrix's checks must be able to fail: each is shown a sheet, a stand-in state or a request log with
// one thing wrong, and must name it (and stay quiet when nothing is wrong).
import { describe, expect, it } from "vitest";
import type { CellValue } from "../../dev/gas-host/index.js";
import type { ReceivedUpdate } from "../../dev/stand-in/stats.js";
import { runIdTag } from "../../src/core/requests/fingerprint.js";
import {
  checkRequests,
  checkRequestsPerRow,
  checkRows,
  checkUserCells,
  DASHBOARD_BASE,
  OUTPUT_NAMES,
  type RowCheckContext,
  type SheetRow,
  type SheetView,
  type Stored,
  userCells,
  violations,
} from "./checks.js";
import { HEADER, type RowIntent } from "./sheet.js";

const RUN = "workflow_run_checkedRow0000000001";
const OTHER = "workflow_run_someOtherRow00000002";
const intent: RowIntent = {
  key: "k00000",
  runId: RUN,
  kind: "update",
  body: { name: "New name", metadata: { team: "ops", "extend:usage_tags": ["prod"] } },
};
const seedRun: Stored = { name: null, metadata: { source: "seed" }, status: "PENDING" };
const updatedRun: Stored = {
  name: "New name",
  metadata: { source: "seed", team: "ops", "extend:usage_tags": ["prod"] },
  status: "PENDING",
};

function row(outputs: Partial<Record<(typeof OUTPUT_NAMES)[number], CellValue>>, runId = RUN): SheetRow {
  const values: CellValue[] = [runId, "New name", "ops", "", "", "", "prod", "k00000", runId.length];
  const full = Object.fromEntries(OUTPUT_NAMES.map((name) => [name, outputs[name] ?? ""]));
  return {
    key: "k00000",
    row: 2,
    values,
    formulas: values.map(() => ""),
    notes: values.map(() => ""),
    outputs: full,
    outputFormulas: OUTPUT_NAMES.map(() => ""),
  };
}

const updatedOutputs = {
  "Sync Result": "Updated",
  "Run Status": "PENDING",
  "Synced At": new Date(),
  "Dashboard Link": DASHBOARD_BASE + RUN,
  "Sync State": `v1 sent=abc of=${runIdTag(RUN)} done=s1`,
};

const view = (...rows: SheetRow[]): SheetView => ({ header: [...HEADER], rows });

function context(stored: Stored | null, overrides: Partial<RowCheckContext> = {}): RowCheckContext {
  return {
    intents: new Map([[intent.key, intent]]),
    stored: new Map([[RUN, stored]]),
    seed: new Map([[RUN, seedRun]]),
    requested: new Set([RUN]),
    stopped: false,
    answersMayLie: false,
    ...overrides,
  };
}

function rowProblems(sheetRow: SheetRow, stored: Stored | null, overrides: Partial<RowCheckContext> = {}) {
  const found = violations();
  checkRows(view(sheetRow), context(stored, overrides), found);
  return found.list;
}

describe("row states", () => {
  it("accepts an updated row that Extend holds, and a failed row sent again next time", () => {
    expect(rowProblems(row(updatedOutputs), updatedRun)).toEqual([]);
    const failed = row({
      "Sync Result": "Failed",
      "Sync Error": "INTERNAL_ERROR: Oops. What to do: sync again later.",
      "Sync State": "v1 done=s1",
    });
    expect(rowProblems(failed, seedRun)).toEqual([]);
    expect(rowProblems(failed, updatedRun)).toEqual([]);
  });

  it("names an Updated row whose values Extend does not hold", () => {
    expect(rowProblems(row(updatedOutputs), seedRun).join()).toMatch(/Updated, but Extend holds/);
  });

  it("names another run's link, another run's state, and an output that became a formula", () => {
    const linked = row({ ...updatedOutputs, "Dashboard Link": DASHBOARD_BASE + OTHER });
    expect(rowProblems(linked, updatedRun).join()).toMatch(/Dashboard Link of another run/);
    const stateOfOther = row({ ...updatedOutputs, "Sync State": `v1 sent=abc of=${runIdTag(OTHER)}` });
    expect(rowProblems(stateOfOther, updatedRun).join()).toMatch(/describe another run/);
    const formula = { ...row(updatedOutputs), outputFormulas: ["=1+1", "", "", "", "", ""] };
    expect(rowProblems(formula, updatedRun).join()).toMatch(/became a formula/);
  });

  it("names a failure that keeps its fingerprint, has no code or advice, or left Extend half-changed", () => {
    const keeps = row({
      "Sync Result": "Failed",
      "Sync Error": "INTERNAL_ERROR: Oops. What to do: sync again later.",
      "Sync State": "v1 sent=abc",
    });
    expect(rowProblems(keeps, seedRun).join()).toMatch(/still says what Extend accepted/);
    const vague = row({ "Sync Result": "Failed", "Sync Error": "Something went wrong" });
    expect(rowProblems(vague, seedRun).join()).toMatch(/without code and what to do/);
    const half: Stored = { ...seedRun, name: "New name" };
    const failed = row({ "Sync Result": "Failed", "Sync Error": "HTTP_500: x. What to do: y." });
    expect(rowProblems(failed, half).join()).toMatch(/neither its old nor its new values/);
  });

  it("allows rows without a result only after a stop, and never a run changed without a request", () => {
    const untouched = row({ "Sync State": "v1 pending=s1:abc" });
    expect(rowProblems(untouched, seedRun, { stopped: true, requested: new Set() })).toEqual([]);
    expect(rowProblems(untouched, seedRun).join()).toMatch(/no Sync Result after a finished sync/);
    expect(rowProblems(untouched, updatedRun, { stopped: true, requested: new Set() }).join()).toMatch(
      /never sent, yet Extend's run changed/,
    );
  });
});

describe("the user's cells", () => {
  it("names a changed input, a lost row and a changed header", () => {
    const before = userCells(view(row(updatedOutputs)));
    const found = violations();
    checkUserCells(before, view(row(updatedOutputs)), found);
    expect(found.list).toEqual([]);

    const edited = row(updatedOutputs);
    edited.values[2] = "finance";
    checkUserCells(before, view(edited), found);
    expect(found.list.join()).toMatch(/input cells changed/);

    const typed = row(updatedOutputs);
    typed.values[8] = String(typed.values[8]);
    const retyped = violations();
    checkUserCells(before, view(typed), retyped);
    expect(retyped.list.join()).toMatch(/input cells changed/);

    const lost = violations();
    checkUserCells(before, { header: ["Run ID"], rows: [] }, lost);
    expect(lost.list.join()).toMatch(/header changed.*row lost|row lost/s);
  });
});

const request = (runId: string, body: unknown, receivedAt = 0): ReceivedUpdate => ({
  requestId: "req_1",
  runId,
  receivedAt,
  body,
  headers: {},
  status: 200,
  applied: true,
  fault: null,
});

describe("requests", () => {
  it("names a request with another row's values or for a run no row names", () => {
    const found = violations();
    checkRequests([request(RUN, intent.body)], [intent], found);
    expect(found.list).toEqual([]);
    checkRequests([request(RUN, { name: "Other name" }), request(OTHER, {})], [intent], found);
    expect(found.list).toHaveLength(2);
  });

  it("bounds requests per row by the retry policy, plus one per killed execution that sent the row", () => {
    const seven = Array.from({ length: 7 }, (_, index) => request(RUN, {}, index));
    const found = violations();
    expect(checkRequestsPerRow(seven.slice(0, 6), [{ start: 0, killed: false }], found).max).toBe(6);
    expect(found.list).toEqual([]);
    checkRequestsPerRow(seven, [{ start: 0, killed: false }], found);
    expect(found.list.join()).toMatch(/7 requests in one sync, more than its bound of 6/);
    const killedFirst = violations();
    const perRow = checkRequestsPerRow(
      seven,
      [
        { start: 0, killed: true },
        { start: 3, killed: false },
      ],
      killedFirst,
    );
    expect(killedFirst.list).toEqual([]);
    expect(perRow.bound).toBe(7);
  });
});
