// The local driver of a sync (dev/local-run.ts) on a virtual clock: the time it waits between a "busy" answer
// and its next call is recorded (as a gap), so the accounting's areas still add up to the wall time.
import { describe, expect, it } from "vitest";
import { AREAS, GasHost } from "../../dev/gas-host/index.js";
import { startAndFinish } from "../../dev/local-run.js";

// A job that is started, then busy twice (as when another execution still holds it), then done.
const script = `
  function startSyncJob() {
    PropertiesService.getDocumentProperties().setProperty("extendSync.job", JSON.stringify({ status: "running" }));
    return { state: "started" };
  }
  function continueSyncJob() {
    var props = PropertiesService.getDocumentProperties();
    var asked = Number(props.getProperty("asked") || 0) + 1;
    props.setProperty("asked", String(asked));
    if (asked <= 2) return { state: "busy" };
    props.setProperty("extendSync.job", JSON.stringify({ status: "done" }));
    return { state: "done" };
  }`;

describe("driving a sync to its end", () => {
  it("records the waits after a busy answer as gaps, so the areas add up to the wall time", () => {
    const host = new GasHost({ scriptCode: script, clock: "virtual", costModel: "on" });
    const startedAt = host.clock.now();
    const run = startAndFinish(host, "startSyncJob", []);
    const wall = host.clock.now() - startedAt;
    expect(run.executions.map((e) => e.functionName)).toEqual(["startSyncJob", "continueSyncJob"]);
    const { timeMs } = host.accounting.snapshot();
    const gapsBetweenExecutions = 3 * host.costModel.executionGapMs;
    expect(timeMs.gap).toBe(gapsBetweenExecutions + 2 * 250);
    const total = AREAS.reduce((sum, area) => sum + timeMs[area], 0);
    // Virtual time is a large float (epoch ms), so only about a microsecond of precision is left.
    expect(total).toBeCloseTo(wall, 2);
  });
});
