// The light call jobProgress end to end through the built bundle in the local host, on the simulated clock with
// the cost model on: an execution publishes its progress to the document cache as it goes (a few puts, counted
// in its time), and jobProgress reads only that cache (no Sheets, property or lock call), for the job asked
// for, or for a job started since the sidebar's click, and refuses anything else.
import { describe, expect, it } from "vitest";
import { runIds, TIMINGS, useExtend } from "./harness.js";

const rows = (count: number) => [
  ["Run ID", "Name", "Tags"],
  ...runIds(count).map((id, index) => [id, `Run ${index}`, "ops"]),
];

describe("jobProgress", () => {
  const e2e = useExtend({ runCount: 1000, ...TIMINGS.modelOn });

  it("answers the running job's progress from the cache alone, as its first step left it", () => {
    // 300 rows at 20/s and a 10-second step: the start pauses part-way, its progress published meanwhile.
    const host = e2e.newHost({ ...TIMINGS.modelOn, rows: rows(300), rate: 20, executionLimitSeconds: 10 });
    const start = host.runFromClient("startSyncJob", [{ selectedRowsOnly: false, force: false }], {
      executionLimitMs: 10_000,
    });
    const progress = start.returned as { jobId: string; state: string; rowsLeft: number };
    expect(progress.state).toBe("paused");
    expect(progress.rowsLeft).toBeGreaterThan(0);
    // Published every 2.5 s or so, each put charged: a few puts, well under a second of the step.
    const puts = start.accounting.calls.cache;
    expect(puts).toBeGreaterThanOrEqual(2);
    expect(puts).toBeLessThanOrEqual(Math.ceil(start.durationMs / 2_500) + 1);
    expect(start.accounting.timeMs.cache).toBeLessThan(1_000);

    const read = host.runFromClient("jobProgress", [progress.jobId]);
    const live = read.returned as { jobId: string; kind: string; rowsLeft: number; rowsToSend: number };
    expect(live).toMatchObject({ jobId: progress.jobId, kind: "update", rowsToSend: 300 });
    // The last view published is at most an interval behind the step's answer.
    expect(live.rowsLeft).toBeGreaterThanOrEqual(progress.rowsLeft);
    expect(live.rowsLeft).toBeLessThan(300);
    expect(read.accounting.calls).toMatchObject({ sheets: 0, properties: 0, lock: 0, urlFetch: 0 });
    expect(read.accounting.calls.cache).toBe(1);

    // A sidebar still waiting for its start: the job is taken when it started since its click, not before.
    const sinceStart = start.durationMs + 60_000;
    expect(host.runFromClient("jobProgress", [null, sinceStart]).returned).toMatchObject({
      jobId: progress.jobId,
    });
    host.clock.advance(30_000);
    expect(host.runFromClient("jobProgress", [null, 1_000]).returned).toBeNull();
    for (const args of [
      ["another-job"],
      [42],
      [{ jobId: progress.jobId }],
      [null],
      [null, -1],
      [null, "1e9"],
    ])
      expect(host.runFromClient("jobProgress", args).returned).toBeNull();
  });

  it("answers null when the cache holds something that is not a view", () => {
    const host = e2e.newHost({ ...TIMINGS.modelOn, rows: rows(5), rate: 20 });
    host.caches.document.put("extendSync.liveProgress", `{"jobId":"x","kind":"<script>"}`, 600);
    expect(host.runFromClient("jobProgress", ["x"]).returned).toBeNull();
    expect(host.runFromClient("jobProgress", [null, 60_000]).returned).toBeNull();
  });
});
