// Unit tests for src/core/engine/live.ts and the engine's use of it: progress is published while an execution
// runs, from its first batch, at most once per interval, and a view read back is taken only when it is one.
import { describe, expect, it } from "vitest";
import { beginSync, ensureOutputColumns } from "../../../src/core/engine/begin";
import { runExecution } from "../../../src/core/engine/engine";
import { emptyCounts, type SyncJob } from "../../../src/core/engine/job";
import {
  LIVE_PROGRESS_INTERVAL_MS,
  type LiveProgress,
  liveProgressOf,
  livePublisher,
  parseLiveProgress,
} from "../../../src/core/engine/live";
import { planSync } from "../../../src/core/engine/plan";
import { engineDeps } from "../../support/engine-deps";
import { ArraySheet, runJson, VirtualClock } from "../../support/fake-ports";

const ROWS = 100;

function runningSync(published: LiveProgress[]) {
  const sheet = new ArraySheet([
    ["Run ID", "Name", "Tags"],
    ...Array.from({ length: ROWS }, (_, index) => [`workflow_run_${index}`, `Run ${index}`, "prod"]),
  ]);
  const { clock, deps } = engineDeps(
    sheet,
    (request) => runJson(decodeURIComponent(request.url.split("/").pop() ?? "")),
    { publishProgress: (view) => published.push(structuredClone(view)) },
  );
  const values = sheet.snapshot();
  const planned = planSync(values, "all", false, deps.parse);
  if (!planned.ok) throw new Error(planned.problems.join(" "));
  const outputs = ensureOutputColumns(sheet, planned.plan.columns, values);
  const begun = beginSync(sheet, planned.plan, values, outputs, "job1");
  const job: SyncJob = {
    id: "job1",
    sheetId: 1,
    sheetName: "Runs",
    scopeLabel: "all rows",
    allRows: true,
    force: false,
    startedBy: "ops@example.com",
    startedAt: clock.now(),
    lastActivityAt: clock.now(),
    executions: 0,
    rate: deps.rate,
    rowsToSend: begun.rowsToSend,
    counts: { ...emptyCounts(), ...begun.counts },
    status: "running",
  };
  return { clock, deps, job, startedAt: clock.now() };
}

describe("the engine publishes its progress while it runs", () => {
  it("from the first batch, then at most once per interval, each view further on than the last", () => {
    const published: LiveProgress[] = [];
    const { deps, job, startedAt, clock } = runningSync(published);
    const { progress } = runExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", counts: { updated: ROWS } });
    const elapsed = clock.now() - startedAt;
    // 100 rows at 10/s: about ten seconds, so a few views, not one per batch.
    expect(published.length).toBeGreaterThanOrEqual(3);
    expect(published.length).toBeLessThanOrEqual(Math.ceil(elapsed / LIVE_PROGRESS_INTERVAL_MS) + 1);
    const first = published[0] as LiveProgress;
    // Right after the first batch of 10, before any write to the sheet: answers count at once.
    expect(first).toMatchObject({ jobId: "job1", kind: "update", rowsToSend: ROWS, rowsLeft: ROWS - 10 });
    expect(first.counts.updated).toBe(10);
    expect(first.counts.requests).toBe(10);
    expect(first.publishedAt - startedAt).toBeLessThan(LIVE_PROGRESS_INTERVAL_MS);
    for (let index = 1; index < published.length; index++) {
      const [before, after] = [published[index - 1] as LiveProgress, published[index] as LiveProgress];
      expect(after.publishedAt - before.publishedAt).toBeGreaterThanOrEqual(LIVE_PROGRESS_INTERVAL_MS);
      expect(after.rowsLeft).toBeLessThan(before.rowsLeft);
      expect(after.counts.updated).toBe(ROWS - after.rowsLeft);
    }
  });

  it("publishes while the pace holds the next batch back, so a slow put never delays a batch", () => {
    const published: LiveProgress[] = [];
    const { deps, job, clock } = runningSync(published);
    const batchesAt: number[] = [];
    const fetchAll = deps.http.fetchAll.bind(deps.http);
    const { progress } = runExecution(
      {
        ...deps,
        http: {
          fetch: deps.http.fetch.bind(deps.http),
          fetchAll: (requests) => {
            batchesAt.push(clock.now());
            return fetchAll(requests);
          },
        },
        // A put costs about 90 ms on Apps Script (the cost model's figure).
        publishProgress: (view) => {
          published.push(view);
          clock.sleep(90);
        },
      },
      job,
    );
    expect(progress).toMatchObject({ state: "finished", counts: { updated: ROWS } });
    expect(published.length).toBeGreaterThanOrEqual(3);
    // 10 rows a batch at 10/s: every batch leaves one paced window after the last, puts or not.
    const gaps = batchesAt.slice(1).map((at, index) => at - (batchesAt[index] as number));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThan(1);
  });

  it("goes on when publishing fails", () => {
    const { deps, job } = runningSync([]);
    const { progress } = runExecution(
      {
        ...deps,
        publishProgress: () => {
          throw new Error("Service invoked too many times: cache");
        },
      },
      job,
    );
    expect(progress).toMatchObject({ state: "finished", counts: { updated: ROWS } });
  });
});

describe("livePublisher", () => {
  it("publishes the first offer at once and then once per interval", () => {
    const clock = new VirtualClock();
    const views: number[] = [];
    const live = livePublisher(clock, (view) => views.push(view.publishedAt), 1_000);
    const job = runningSync([]).job;
    const offer = () => live.offer((at) => liveProgressOf(job, 1, at));
    expect(offer()).toBe(true);
    clock.sleep(999);
    expect(offer()).toBe(false);
    clock.sleep(1);
    expect(offer()).toBe(true);
    expect(views).toHaveLength(2);
    expect(livePublisher(clock, undefined).offer((at) => liveProgressOf(job, 1, at))).toBe(false);
  });
});

describe("parseLiveProgress", () => {
  const view = liveProgressOf(runningSync([]).job, 40, 1_000, { updated: 60 });

  it("reads back what was published", () => {
    expect(parseLiveProgress(JSON.stringify(view))).toEqual(view);
  });

  it("takes nothing that is not a whole view: evicted, cut, hostile or from another version", () => {
    const text = JSON.stringify(view);
    for (const bad of [
      null,
      undefined,
      42,
      "",
      "not json",
      text.slice(0, text.length - 5),
      JSON.stringify({ ...view, kind: "delete" }),
      JSON.stringify({ ...view, jobId: 7 }),
      JSON.stringify({ ...view, rowsLeft: -1 }),
      JSON.stringify({ ...view, rate: "10" }),
      JSON.stringify({ ...view, counts: { ...view.counts, updated: null } }),
      JSON.stringify({ ...view, counts: undefined }),
      JSON.stringify({ ...view, publishedAt: undefined }),
      `${"[".repeat(5_000)}${"]".repeat(5_000)}`,
      JSON.stringify({ ...view, jobId: "x".repeat(60_000) }),
    ])
      expect(parseLiveProgress(bad)).toBeNull();
  });

  it("keeps only a known tag mode and a true listing flag", () => {
    const parsed = parseLiveProgress(JSON.stringify({ ...view, tagMode: "<b>", listing: "yes" }));
    expect(parsed).not.toBeNull();
    expect(parsed?.tagMode).toBeUndefined();
    expect(parsed?.listing).toBeUndefined();
  });
});
