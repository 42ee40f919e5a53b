// Unit tests for the sync loop's live progress (src/ui/sidebar/sync-loop.ts): while a step's call is in flight
// the loop asks for the progress it publishes every LIVE_POLL_MS, one light call at a time, shows each newer
// answer, drops older or late ones, and stops asking when the step answers.
import { describe, expect, it } from "vitest";
import { emptyCounts } from "../../../src/core/engine/job";
import type { LiveProgress } from "../../../src/core/engine/live";
import type {
  ContinueAnswer,
  StartAnswer,
  StartRequest,
  SyncProgress,
} from "../../../src/core/views/sidebar-api";
import { LIVE_POLL_MS, SyncLoop, type SyncRunner, type SyncView } from "../../../src/ui/sidebar/sync-loop";

const settle = () => new Promise((resolve) => setImmediate(resolve));

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function live(publishedAt: number, updated: number, jobId = "job1"): LiveProgress {
  return {
    jobId,
    kind: "update",
    startedAt: 0,
    publishedAt,
    executions: 1,
    counts: { ...emptyCounts(), updated, requests: updated },
    rowsLeft: 100 - updated,
    rowsToSend: 100,
    rate: 10,
  };
}

function progress(state: SyncProgress["state"], rowsLeft: number): SyncProgress {
  return {
    jobId: "job1",
    kind: "update",
    sheetName: "Runs",
    state,
    counts: { ...emptyCounts(), updated: 100 - rowsLeft },
    rowsLeft,
    rowsToSend: 100,
    rate: 10,
    executions: 1,
    notSynced: [],
  };
}

/** A clock whose sleeps end only when the test moves time on. */
function manualClock() {
  let now = 0;
  let sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ until: now + ms, wake });
      }),
    async advance(ms: number) {
      now += ms;
      const due = sleepers.filter((sleeper) => sleeper.until <= now);
      sleepers = sleepers.filter((sleeper) => sleeper.until > now);
      for (const sleeper of due) sleeper.wake();
      await settle();
    },
  };
}

class SlowServer implements SyncRunner {
  readonly step = deferred<StartAnswer>();
  readonly continueStep = deferred<ContinueAnswer>();
  asked: [string | null, number][] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly answers: (LiveProgress | null | Promise<LiveProgress | null>)[]) {}
  start(_request: StartRequest): Promise<StartAnswer> {
    return this.step.promise;
  }
  continue(): Promise<ContinueAnswer> {
    return this.continueStep.promise;
  }
  async progress(jobId: string | null, startedWithinMs: number): Promise<LiveProgress | null> {
    this.asked.push([jobId, startedWithinMs]);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      return await (this.answers.shift() ?? null);
    } finally {
      this.inFlight -= 1;
    }
  }
}

function shownDone(views: SyncView[]): number[] {
  return views.flatMap((view) => (view.kind === "running" ? [view.figures.rowsDone] : []));
}

const request: StartRequest = { selectedRowsOnly: false, force: false };

describe("live progress while a step runs", () => {
  it("shows what the start step publishes before it answers, and stops asking once it has", async () => {
    const server = new SlowServer([null, live(1_000, 10), live(3_000, 30)]);
    const clock = manualClock();
    const views: SyncView[] = [];
    const loop = new SyncLoop(server, clock, (view) => views.push(view));
    const started = loop.start(request);
    await settle();
    expect(views.at(-1)?.kind).toBe("starting");
    expect(server.asked).toEqual([]);

    await clock.advance(LIVE_POLL_MS);
    // The start has not named its job yet: the loop asks for a job started since the click.
    expect(server.asked).toEqual([[null, LIVE_POLL_MS]]);
    expect(views.at(-1)?.kind).toBe("starting");
    await clock.advance(LIVE_POLL_MS);
    expect(shownDone(views)).toEqual([10]);
    expect(loop.busy).toBe(true);
    await clock.advance(LIVE_POLL_MS);
    expect(shownDone(views)).toEqual([10, 30]);

    server.step.resolve(progress("finished", 0));
    await started;
    expect(views.at(-1)?.kind).toBe("done");
    const asked = server.asked.length;
    await clock.advance(LIVE_POLL_MS * 3);
    expect(server.asked).toHaveLength(asked);
    expect(server.maxInFlight).toBe(1);
  });

  it("drops an answer older than the one shown, and one that arrives after the step answered", async () => {
    const late = deferred<LiveProgress | null>();
    const server = new SlowServer([live(5_000, 50), live(4_000, 40), late.promise]);
    const clock = manualClock();
    const views: SyncView[] = [];
    const loop = new SyncLoop(server, clock, (view) => views.push(view));
    const started = loop.start(request);
    await clock.advance(LIVE_POLL_MS);
    await clock.advance(LIVE_POLL_MS);
    expect(shownDone(views)).toEqual([50]);
    // The third call is in flight when the step answers; its answer comes after and changes nothing.
    await clock.advance(LIVE_POLL_MS);
    expect(server.inFlight).toBe(1);
    server.step.resolve(progress("finished", 0));
    await started;
    late.resolve(live(9_000, 90));
    await settle();
    expect(shownDone(views)).toEqual([50]);
    expect(views.at(-1)?.kind).toBe("done");
  });

  it("asks by the job's id while a continue step runs, and ignores another job's figures", async () => {
    const server = new SlowServer([live(1_000, 20, "job2"), live(2_000, 60)]);
    const clock = manualClock();
    const views: SyncView[] = [];
    const loop = new SyncLoop(server, clock, (view) => views.push(view));
    const started = loop.start(request);
    server.step.resolve(progress("paused", 90));
    await settle();
    expect(shownDone(views)).toEqual([10]);
    await clock.advance(LIVE_POLL_MS);
    await clock.advance(LIVE_POLL_MS);
    expect(server.asked).toEqual([
      ["job1", 0],
      ["job1", 0],
    ]);
    expect(shownDone(views)).toEqual([10, 60]);
    server.continueStep.resolve(progress("finished", 0));
    await started;
    expect(views.at(-1)?.kind).toBe("done");
  });

  it("keeps a Pause pressed while the start step runs", async () => {
    const server = new SlowServer([live(1_000, 10)]);
    const clock = manualClock();
    const views: SyncView[] = [];
    const loop = new SyncLoop(server, clock, (view) => views.push(view));
    const started = loop.start(request);
    await clock.advance(LIVE_POLL_MS);
    expect(views.at(-1)?.kind).toBe("running");
    loop.pause();
    server.step.resolve(progress("paused", 90));
    await started;
    expect(views.at(-1)?.kind).toBe("paused");
  });
});
