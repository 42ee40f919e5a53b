// Unit tests for src/core/engine/prepare.ts: the rows an execution still has to process, and what each
// becomes.
import { describe, expect, it } from "vitest";
import { outputColumnIndexes } from "../../../src/core/engine/plan";
import { prepareExecution } from "../../../src/core/engine/prepare";
import { encodeRowState } from "../../../src/core/engine/row-state";
import { fingerprint, runIdTag } from "../../../src/core/requests/fingerprint";
import type { CellValue } from "../../../src/core/sheet/cell";
import { mapHeaders } from "../../../src/core/sheet/headers";
import { OUTPUT_COLUMN_NAMES } from "../../support/columns";

const HEADER = ["Run ID", "Name", "Tags", ...OUTPUT_COLUMN_NAMES];
const SYNC = "job5";
const mark = (runId: string, body: object) =>
  encodeRowState({ pendingSync: SYNC, pendingRun: runIdTag(runId), pendingPlan: fingerprint(runId, body) });

function prepare(rows: CellValue[][], unwritable: string[] = []) {
  const values = [HEADER, ...rows];
  const mapped = mapHeaders(HEADER);
  if (!mapped.ok) throw new Error("header");
  const outputs = outputColumnIndexes(mapped.columns);
  if (!outputs) throw new Error("outputs");
  return prepareExecution({
    values,
    columns: mapped.columns,
    outputs,
    syncId: SYNC,
    parse: { dateToIso: (date) => date.toISOString() },
    connection: { baseUrl: "https://api.extend.ai", apiKey: "sk_test_prepare_key" },
    kind: "update",
    tagMode: "replace",
    unwritable: new Set(unwritable.map(runIdTag)),
  });
}

const row = (runId: string, name: string, tags: string, state: string): CellValue[] => [
  runId,
  name,
  tags,
  "",
  "",
  "",
  "",
  "",
  state,
];

describe("prepareExecution", () => {
  it("queues the rows marked for this sync and run, and finds their rows", () => {
    const prepared = prepare([
      row("a", "A", "", mark("a", { name: "A" })),
      row("b", "B", "", encodeRowState({ pendingSync: "other", pendingRun: runIdTag("b") })),
      row("c", "C", "", mark("x", { name: "C" })),
    ]);
    expect(prepared.queue.map((item) => item.runId)).toEqual(["a"]);
    expect([...prepared.rowsOf]).toEqual([["a", [2]]]);
  });

  it("sends a row edited during a pause when its tags need no cleaning", () => {
    const prepared = prepare([row("a", "Edited", "prod", mark("a", { name: "A" }))]);
    expect(prepared.queue).toHaveLength(1);
    const request = prepared.queue[0]?.step.request;
    expect(JSON.parse(request?.method === "post" ? request.payload : "{}")).toEqual({
      name: "Edited",
      metadata: { "extend:usage_tags": ["prod"] },
    });
  });

  it("marks a row invalid whose tags were edited during a pause into ones Extend would change", () => {
    const prepared = prepare([row("a", "A", "customer 9", mark("a", { name: "A" }))]);
    expect(prepared.queue).toHaveLength(0);
    expect(prepared.finished[0]?.outcome).toEqual({
      kind: "invalid",
      errors: [expect.stringContaining('"customer 9" is sent as "customer9"')],
    });
  });

  it("sends the tag changes the user confirmed at the start", () => {
    const body = { name: "A", metadata: { "extend:usage_tags": ["customer9"] } };
    const prepared = prepare([row("a", "A", "customer 9", mark("a", body))]);
    expect(prepared.queue).toHaveLength(1);
  });

  it("turns a row emptied or made invalid during a pause into its outcome, without a request", () => {
    const prepared = prepare([
      row("a", "", "", mark("a", { name: "A" })),
      row("exr_1", "B", "", mark("exr_1", {})),
    ]);
    expect(prepared.queue).toHaveLength(0);
    expect(prepared.finished.map((item) => item.outcome.kind)).toEqual(["noop", "invalid"]);
  });

  it("leaves out a row whose result could not be written before", () => {
    const prepared = prepare([row("a", "A", "", mark("a", { name: "A" }))], ["a"]);
    expect(prepared.queue).toHaveLength(0);
    expect(prepared.rowsOf.size).toBe(0);
  });
});
