// The run log says how a sync ended even when Apps Script kills the execution that ended it, end to end with the
// built bundle in the local host against the stand-in. (A defect the fault matrix exposed, where executions are
// killed at random points: the log said "Paused: continue it…" for a sync that was gone.)
import { describe, expect, it } from "vitest";
import { clickAndFinish, syncUnfinished } from "../../dev/local-run.js";
import { records, runIds, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 100, ...TIMINGS.modelOn });

describe("the run log says how a sync ended, even when Apps Script kills the execution that ended it", () => {
  it("does not leave 'Paused: continue it…' for a sync stopped by a 401 when the last execution is killed", async () => {
    const ids = runIds(60);
    await e2e.extend.setFaults([
      { kind: "status", status: 401, message: "Invalid API key.", match: { runId: ids[40] ?? "" } },
    ]);
    const host = e2e.newHost({
      rows: [["Run ID", "Name"], ...ids.map((id, index) => [id, `Run ${index}`])],
      rate: 10,
      executionBudgetSeconds: 2,
      ...TIMINGS.modelOn,
    });
    // The first executions pause (a 2-second budget), so the log says "Paused". The execution that meets the
    // 401 clears the job, and is killed at its next service call, before it writes the log.
    let jobCleared = false;
    const run = clickAndFinish(host, "Sync all rows", {
      killWhen: () => (call) => {
        if (jobCleared) return true;
        if (call.key === "Properties.deleteProperty") jobCleared = true;
        return false;
      },
    });
    // Without the kill this test would prove nothing: the execution that met the 401 must have been killed.
    expect(run.killed).toBe(1);
    // What a person can then do: continue the sync if one is left, as the log tells them to.
    if (syncUnfinished(host)) clickAndFinish(host, "Continue paused sync");
    const ended = String(records(host, "Extend Sync Log").at(-1)?.Ended);
    // It was: the job gone, "Continue paused sync" saying there is none, and the log still "Paused: continue it
    // from the menu or the sidebar"; the reason (UNAUTHORIZED) nowhere, and 11 rows left without a word.
    expect(ended).toMatch(/^Stopped: UNAUTHORIZED/);
  });
});
