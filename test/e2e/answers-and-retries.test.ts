// Answers and retries at their limits, end to end with the built bundle in the local host against the stand-in,
// on the virtual clock with the add-on's production settings: a 200 answer about another run is not the row's
// success, and a row's retries are counted across executions, so a run that always times out or keeps asking
// to retry later is given up within the retry policy and the sync ends. (Defects the fault matrix exposed.)
import { describe, expect, it } from "vitest";
import { clickAndFinish } from "../../dev/local-run.js";
import { records, runIds, TIMINGS, useExtend } from "./harness.js";

const DASHBOARD = "https://dashboard.extend.ai/workflows/";

const e2e = useExtend({ runCount: 1000, ...TIMINGS.modelOn });

describe("a 200 answer is only the row's update when it is the row's run", () => {
  it("does not take another run's body for this row's success (Extend stored nothing)", async () => {
    const [mine = "", other = ""] = runIds(2);
    // A cache or proxy answers with another run, once; the update never reached Extend.
    await e2e.extend.setFaults([
      {
        kind: "custom",
        status: 200,
        apply: false,
        body: JSON.stringify({
          object: "workflow_run",
          id: other,
          status: "PROCESSED",
          dashboardUrl: DASHBOARD + other,
        }),
        match: { runId: mine },
      },
    ]);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name"],
        [mine, "Renamed"],
      ],
      ...TIMINGS.modelOn,
    });
    clickAndFinish(host, "Sync all rows");

    const row = records(host)[0];
    // It was taken for success: "Updated" with the other run's status and link and a sent= fingerprint (so the
    // next sync said "Unchanged"), while Extend still had the old name.
    expect(row?.["Dashboard Link"]).not.toBe(DASHBOARD + other);
    expect((await e2e.extend.getRun(mine))?.name === "Renamed" || row?.["Sync Result"] === "Failed").toBe(
      true,
    );
  });
});

describe("a row's retries are counted across executions", () => {
  it("gives up on a run whose every update times out (Extend takes over 60 s), and the sync ends", async () => {
    const [slow = ""] = runIds(1);
    await e2e.extend.setFaults([
      { kind: "delay", delayMs: 61_000, times: "unlimited", match: { runId: slow } },
    ]);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name"],
        [slow, "Renamed"],
      ],
      ...TIMINGS.modelOn,
    });
    // Production settings. Each attempt costs UrlFetchApp's 60-second timeout; 4 attempts and their backoff fit
    // in an execution, the 5th does not, so the execution pauses with the row waiting, and the next execution
    // counted the row's attempts from 0 again: the row was sent 4 times per execution, for ever.
    let unfinished = "";
    try {
      clickAndFinish(host, "Sync all rows", { maxExecutions: 10 });
    } catch (error) {
      unfinished = String(error);
    }
    const requests = (await e2e.extend.stats()).updateRequests.length;
    expect(unfinished).toBe("");
    expect(requests).toBeLessThanOrEqual(6);
    expect(records(host)[0]?.["Sync Result"]).toBe("Failed");
    expect(String(records(host)[0]?.["Sync Error"])).toMatch(/^NETWORK_ERROR: /);
  });

  it("sends a row that keeps answering 503 with Retry-After: 120 no more often than the retry policy allows", async () => {
    const ids = runIds(1000);
    const stuck = ids[999] ?? "";
    await e2e.extend.setFaults([
      { kind: "503", times: "unlimited", headers: { "Retry-After": "120" }, match: { runId: stuck } },
    ]);
    const host = e2e.newHost({
      rows: [["Run ID", "Name"], ...ids.map((id, index) => [id, `Run ${index}`])],
      rate: 10,
      ...TIMINGS.modelOn,
    });
    // Production settings: 6-minute limit, 300-second budget, 10 requests per second, so the last row is first
    // sent about 100 s into the execution. Retry-After is capped at 60 s: 4 attempts fit before the budget ends,
    // the execution pauses with the row waiting, and the next execution counted its attempts from 0 again: the
    // row was sent 9 times (the policy allows 5, 6 with a try alone); with a shorter budget, for ever.
    let unfinished = "";
    try {
      clickAndFinish(host, "Sync all rows", { maxExecutions: 10 });
    } catch (error) {
      unfinished = String(error);
    }
    const requests = (await e2e.extend.stats()).updateRequests.filter((request) => request.runId === stuck);
    expect(unfinished).toBe("");
    expect(requests.length).toBeLessThanOrEqual(6);
    expect(records(host)[999]?.["Sync Result"]).toBe("Failed");
  });
});
