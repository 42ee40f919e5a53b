// Unit tests for src/ui/sidebar/sync-loop.ts with a fake server and a fake clock: the loop drives
// continueSyncJob one call at a time, pauses and resumes, waits out busy answers and failed calls with backoff,
// asks for tag changes, offers a found sync, shows an unfinished job for an undo asked for (handing the undo's
// confirmation over once that job is ended), and shows errors.
import { describe, expect, it } from "vitest";
import { emptyCounts } from "../../../src/core/engine/job";
import type {
  ContinueAnswer,
  EndedJob,
  Reply,
  StartAnswer,
  StartRequest,
  SyncProgress,
} from "../../../src/core/views/sidebar-api";
import {
  MAX_FAILED_CALLS,
  retryDelay,
  SyncLoop,
  type SyncRunner,
  type SyncView,
} from "../../../src/ui/sidebar/sync-loop";
import { pausedJob } from "../../support/sidebar-fixtures";

const counts = emptyCounts();

function progress(state: SyncProgress["state"], rowsLeft: number, updated = 100 - rowsLeft): SyncProgress {
  return {
    jobId: "job1",
    kind: "update",
    sheetName: "Runs",
    state,
    counts: { ...counts, updated },
    rowsLeft,
    rowsToSend: 100,
    rate: 10,
    executions: 1,
    notSynced: [],
  };
}

const job = pausedJob({ id: "job1" });

class FakeServer implements SyncRunner {
  end?: (jobId: string) => Promise<Reply<EndedJob>>;
  starts: StartRequest[] = [];
  continues = 0;
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    private readonly startAnswers: StartAnswer[],
    private readonly continueAnswers: (ContinueAnswer | Error)[],
    private readonly onContinue?: () => void,
  ) {}
  async start(request: StartRequest): Promise<StartAnswer> {
    this.starts.push(request);
    const answer = this.startAnswers.shift();
    if (!answer) throw new Error("no start answer left");
    return answer;
  }
  async continue(): Promise<ContinueAnswer> {
    this.continues += 1;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await Promise.resolve();
    this.onContinue?.();
    this.inFlight -= 1;
    const answer = this.continueAnswers.shift();
    if (!answer) throw new Error("no continue answer left");
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

function harness(server: FakeServer) {
  const views: SyncView[] = [];
  const sleeps: number[] = [];
  let now = 0;
  const loop = new SyncLoop(
    server,
    {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    },
    (view) => {
      now += 1000;
      views.push(view);
    },
  );
  return { loop, views, sleeps, kinds: () => views.map((view) => view.kind) };
}

describe("SyncLoop", () => {
  it("drives continueSyncJob one call at a time until the sync finishes", async () => {
    const server = new FakeServer(
      [progress("paused", 80)],
      [progress("paused", 50), progress("paused", 10), progress("finished", 0)],
    );
    const { loop, views, kinds } = harness(server);
    await loop.start({ selectedRowsOnly: false, force: false });
    expect(server.continues).toBe(3);
    expect(server.maxInFlight).toBe(1);
    expect(kinds().at(-1)).toBe("done");
    const done = views
      .filter((view) => view.kind === "running")
      .map((view) => view.kind === "running" && view.figures.rowsDone);
    expect(done).toEqual([20, 50, 90]);
  });

  it("asks to confirm tag changes, then starts with the token of exactly those changes", async () => {
    const warnings = [
      { row: 2, runId: "r", changes: [{ typed: "a b", sent: "ab", reason: "characters removed" as const }] },
    ];
    const server = new FakeServer(
      [
        {
          state: "confirm",
          warnings,
          rowsWithTagChanges: 1,
          token: "t1",
          tagMode: "replace",
          rowsNamingTags: 1,
        },
        progress("finished", 0),
      ],
      [],
    );
    const { loop, kinds } = harness(server);
    await loop.start({ selectedRowsOnly: true, force: false });
    expect(kinds()).toEqual(["starting", "confirm"]);
    await loop.confirm();
    expect(server.starts[1]).toEqual({ selectedRowsOnly: true, force: false, confirmToken: "t1" });
    expect(kinds().at(-1)).toBe("done");
  });

  it("sends nothing when the tag changes are cancelled", async () => {
    const server = new FakeServer(
      [
        {
          state: "confirm",
          warnings: [],
          rowsWithTagChanges: 0,
          token: "t1",
          tagMode: "add",
          rowsNamingTags: 3,
        },
      ],
      [],
    );
    const { loop, kinds } = harness(server);
    await loop.start({ selectedRowsOnly: false, force: false });
    loop.cancel();
    expect(kinds().at(-1)).toBe("idle");
    expect(server.starts).toHaveLength(1);
  });

  it("pauses after the call in flight and resumes the same sync", async () => {
    let loop!: SyncLoop;
    const server = new FakeServer(
      [progress("paused", 80)],
      [progress("paused", 60), progress("paused", 30), progress("finished", 0)],
      () => {
        if (server.continues === 1) loop.pause();
      },
    );
    const built = harness(server);
    loop = built.loop;
    await loop.start({ selectedRowsOnly: false, force: false });
    expect(server.continues).toBe(1);
    expect(built.kinds().slice(-2)).toEqual(["running", "paused"]);
    await loop.resume();
    expect(server.continues).toBe(3);
    expect(built.kinds().at(-1)).toBe("done");
  });

  it("ends the paused sync shown, or shows why not with Resume and End still there", async () => {
    let loop!: SyncLoop;
    const server = new FakeServer([progress("paused", 80)], [progress("paused", 60)], () => loop.pause());
    const answers: (Reply<EndedJob> | Error)[] = [
      new Error("NetworkError: Connection failure due to HTTP 0"),
      { ok: false, message: "A step of this sync is running now" },
      { ok: true, value: { kind: "update", message: "The sync was ended. 60 rows …" } },
    ];
    const ends: string[] = [];
    server.end = async (jobId: string) => {
      ends.push(jobId);
      const answer = answers.shift();
      if (!answer) throw new Error("no end answer left");
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const built = harness(server);
    loop = built.loop;
    expect(loop.canEnd).toBe(true);
    await loop.start({ selectedRowsOnly: false, force: false });
    expect(built.kinds().at(-1)).toBe("paused");

    await loop.end();
    expect(built.views.at(-1)).toMatchObject({
      kind: "error",
      jobId: "job1",
      message: "It could not be ended (NetworkError: Connection failure due to HTTP 0), and is still paused.",
    });
    await loop.end();
    expect(built.views.at(-1)).toMatchObject({
      kind: "error",
      jobId: "job1",
      message: "A step of this sync is running now",
    });
    await loop.end();
    expect(built.views.at(-1)).toEqual({
      kind: "ended",
      ended: { kind: "update", message: "The sync was ended. 60 rows …" },
    });
    expect(ends).toEqual(["job1", "job1", "job1"]);
    // Nothing is left to end or resume.
    await loop.end();
    await loop.resume();
    expect(ends).toHaveLength(3);
    expect(server.continues).toBe(1);
    expect(
      new SyncLoop(new FakeServer([], []), { now: () => 0, sleep: async () => {} }, () => {}).canEnd,
    ).toBe(false);
  });

  it("waits with growing delays while another execution holds the sync", async () => {
    const busy: ContinueAnswer = { state: "busy", message: "A sync is already running" };
    const server = new FakeServer([progress("paused", 80)], [busy, busy, busy, progress("finished", 0)]);
    const { loop, sleeps, views } = harness(server);
    await loop.start({ selectedRowsOnly: false, force: false });
    expect(sleeps).toEqual([retryDelay(0), retryDelay(1), retryDelay(2)]);
    expect(sleeps[2]).toBeGreaterThan(sleeps[0] ?? 0);
    expect(views.some((view) => view.kind === "running" && view.note?.includes("Another execution"))).toBe(
      true,
    );
  });

  it("retries a call that got no answer (a killed execution), then gives up with Resume offered", async () => {
    const killed = new Error("Exceeded maximum execution time");
    const server = new FakeServer(
      [progress("paused", 80)],
      [killed, progress("paused", 40), ...Array(MAX_FAILED_CALLS).fill(killed)],
    );
    const { loop, views } = harness(server);
    await loop.start({ selectedRowsOnly: false, force: false });
    const last = views.at(-1);
    expect(last?.kind).toBe("error");
    if (last?.kind === "error") {
      expect(last.jobId).toBe("job1");
      expect(last.message).toContain("Exceeded maximum execution time");
      expect(last.message).not.toMatch(/\n|at .*\(/);
    }
  });

  it("stops driving a job held until the person fixes something, shows why, and resumes it when asked", async () => {
    const held: SyncProgress = {
      ...progress("paused", 0),
      kind: "import",
      listing: true,
      held: true,
      message: "UNAUTHORIZED: Invalid API key. What to do: … then continue the import.",
    };
    // Held at the start, or at the first step after it: no call goes out after the held answer.
    const cases: [StartAnswer, ContinueAnswer[]][] = [
      [held, [progress("finished", 0)]],
      [progress("paused", 80), [held, progress("finished", 0)]],
    ];
    for (const [startAnswer, continueAnswers] of cases) {
      const callsUntilHeld = continueAnswers.length - 1;
      const server = new FakeServer([startAnswer], continueAnswers);
      const { loop, views } = harness(server);
      await loop.start({ selectedRowsOnly: false, force: false });
      expect(server.continues).toBe(callsUntilHeld);
      expect(views.at(-1)).toMatchObject({ kind: "error", message: held.message, jobId: "job1" });
      await loop.resume();
      expect(views.at(-1)).toMatchObject({ kind: "done" });
    }
  });

  it.each([
    "We're sorry, a server error occurred while reading from storage. Error code PERMISSION_DENIED.",
    "ScriptError: Authorization is required to perform that action.",
    "authorization is required to perform that action",
  ])("stops at once, paused with Resume offered, when Google refuses a call as %j", async (text) => {
    const server = new FakeServer(
      [progress("paused", 80)],
      [new Error(text), progress("paused", 40), progress("finished", 0)],
    );
    const { loop, views, sleeps } = harness(server);
    await loop.start({ selectedRowsOnly: false, force: false });
    const last = views.at(-1);
    expect(server.continues).toBe(1);
    expect(sleeps).toEqual([]);
    expect(last).toMatchObject({ kind: "error", jobId: "job1" });
    if (last?.kind === "error") {
      expect(last.message).toMatch(/signed into several Google accounts/);
      expect(last.message).toMatch(/browser profile \(or a private window\)/);
      expect(last.message).toMatch(/press Resume/);
      expect(last.message).not.toMatch(/connection|lost contact/);
    }

    await loop.resume();
    expect(views.at(-1)?.kind).toBe("done");
  });

  it("says the same when the start itself is refused for several signed-in accounts", async () => {
    const server = new FakeServer([], []);
    server.start = async () => {
      throw new Error(
        "We're sorry, a server error occurred while reading from storage. Error code PERMISSION_DENIED.",
      );
    };
    const { loop, views } = harness(server);
    await loop.start({ selectedRowsOnly: false, force: false });
    expect(views.at(-1)).toMatchObject({ kind: "error" });
    const last = views.at(-1);
    if (last?.kind === "error") {
      expect(last.message).toMatch(/signed into several Google accounts/);
      expect(last.message).toMatch(/Nothing was sent/);
    }
  });

  it("shows the server's error and a sync that ended elsewhere", async () => {
    const failing = harness(
      new FakeServer([progress("paused", 80)], [{ state: "error", message: "No Extend API key is set." }]),
    );
    await failing.loop.start({ selectedRowsOnly: false, force: false });
    expect(failing.views.at(-1)).toMatchObject({ kind: "error", message: "No Extend API key is set." });
    const gone = harness(new FakeServer([progress("paused", 80)], [{ state: "none" }]));
    await gone.loop.start({ selectedRowsOnly: false, force: false });
    expect(gone.kinds().at(-1)).toBe("gone");
  });

  it("offers a sync found on opening, resumes it by id, or replaces it", async () => {
    const server = new FakeServer(
      [{ state: "paused-exists", job }, progress("finished", 0)],
      [progress("finished", 0)],
    );
    const { loop, kinds } = harness(server);
    loop.offer(job);
    expect(kinds()).toEqual(["offer"]);
    await loop.resume();
    expect(kinds().at(-1)).toBe("done");
    await loop.start({ selectedRowsOnly: false, force: true, confirmToken: "old" });
    expect(kinds().at(-1)).toBe("paused-exists");
    await loop.replace();
    expect(server.starts.at(-1)).toEqual({ selectedRowsOnly: false, force: true, replacePaused: true });
  });

  it("ignores a second start while one is under way", async () => {
    const server = new FakeServer([progress("paused", 80)], [progress("finished", 0)]);
    const { loop } = harness(server);
    const first = loop.start({ selectedRowsOnly: false, force: false });
    await loop.start({ selectedRowsOnly: false, force: false });
    await first;
    expect(server.starts).toHaveLength(1);
  });

  it("shows an unfinished job for an undo asked for, and after End it hands the undo's confirmation over", async () => {
    const summary = {
      jobId: "sync1",
      kind: "sync",
      at: 0,
      who: "a@b.c",
      sheet: "Runs",
      runs: 3,
      runsWithTags: 0,
      keys: [],
      names: 0,
    };
    const confirmation: StartAnswer = { state: "confirm-undo", token: "t1", summary };
    const server = new FakeServer([confirmation, confirmation], []);
    const { loop, kinds } = harness(server);
    const undo = { selectedRowsOnly: false, force: false, jobId: "sync1" };
    loop.unfinished(undo, job);
    expect(kinds()).toEqual(["paused-exists"]);
    expect(server.starts).toEqual([]);
    // Without a handler (a loop outside the sidebar) the confirmation cannot be shown: it says so.
    await loop.replace();
    expect(server.starts.at(-1)).toEqual({ ...undo, replacePaused: true });
    expect(kinds().at(-1)).toBe("error");

    const handed: unknown[] = [];
    loop.onUndoConfirmation = (answer, request) => {
      handed.push([answer.token, request]);
      return true;
    };
    loop.unfinished(undo, job);
    await loop.replace();
    expect(handed).toEqual([["t1", { ...undo, replacePaused: true }]]);
    expect(kinds().at(-1)).toBe("idle");
    expect(loop.busy).toBe(false);
  });
});
