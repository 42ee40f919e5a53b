// No change in Extend without its record, and an undo that restores exactly, whatever service call Apps Script
// kills an execution at (issue 18). End to end with the built bundle in the local host against the stand-in: a
// sync with Keep history on (tags replaced, then added) is killed at every service call that follows one that
// changed something (a seeded random draw of ten such calls per case), then driven to its end as the
// sidebar drives it; every update the stand-in received must have a record in the history sheet sending exactly that body, and the undo of the
// sync then puts every run back as seeded (so the records hold the values before the sync, not values a killed
// execution had already changed). Then the undo of a finished sync is killed the same way, driven to its end,
// and every run holds its seeded values. Last, with executions long enough for the pace to hold batches back,
// the records a batch's POSTs need are written while the pace waits (before its sleep, not after it), and a
// kill right after such a write, before any of those POSTs left, loses no record and sends nothing unrecorded.
import { afterAll, describe, expect, it } from "vitest";
import type { CellValue, ExecutionResult, GasHost, ServiceCall } from "../../dev/gas-host/index.js";
import { FetchWorker } from "../../dev/gas-host/url-fetch.js";
import { startAndFinish, syncUnfinished } from "../../dev/local-run.js";
import type { JsonValue } from "../../src/extend/api.js";
import { records, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ ...TIMINGS.modelOn });
const fetchWorker = new FetchWorker();
afterAll(() => fetchWorker.dispose());

const TAGS = "extend:usage_tags";
const HISTORY = "Extend Sync History";
const JOB_PROPERTY = "extendSync.job";
const LIMIT_SECONDS = 10;
type Metadata = Record<string, JsonValue>;

const runIds = Array.from({ length: 5 }, (_, index) => `workflow_run_killhist_${index}`);
const SEEDED: Metadata[] = [
  {},
  { [TAGS]: ["old"] },
  { [TAGS]: ["old", "shared"], costCenter: "CC-old" },
  { costCenter: 7, other: "keep" },
  { [TAGS]: ["shared"] },
];
const MISSING = "workflow_run_killhist_missing";
const ROWS: CellValue[][] = [
  ["Run ID", "Tags", "metadata.costCenter"],
  ...runIds.map((id, index) => [id, "shared, new", `CC-${index}`]),
  // Extend answers 404: its read fails, so it is never sent.
  [MISSING, "x", "CC-x"],
];

async function seed(): Promise<void> {
  await e2e.extend.reset({ runs: true });
  await e2e.extend.addRuns(
    runIds.map((id, index) => ({ id, metadata: structuredClone(SEEDED[index] ?? {}) })),
  );
}

/** `budgetSeconds`: how long an execution goes on sending; 1 makes every execution send one batch. */
function fresh(budgetSeconds = 1): GasHost {
  return e2e.newHost({
    rows: ROWS,
    rate: 2,
    executionLimitSeconds: LIMIT_SECONDS,
    executionBudgetSeconds: budgetSeconds,
    transport: fetchWorker.transport,
    keepHistory: true,
    ...TIMINGS.modelOn,
  });
}

/** A call that only reads changes nothing: a kill before it is the same as a kill before the next one. */
const changesNothing = (call: ServiceCall) => /^(get|is|has)/.test(call.method);

/** Kill points per case: a seeded random draw of the calls after a change (all of them take minutes). */
const KILLS_PER_CASE = 10;

function killPoints(calls: number, readOnly: ReadonlySet<number>, seed: number): number[] {
  const points = [1];
  for (let call = 1; call < calls; call++) if (!readOnly.has(call)) points.push(call + 1);
  // A small linear congruential generator: the same points on every run, so a failure can be replayed.
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  for (let index = points.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [points[index], points[other]] = [points[other] ?? 0, points[index] ?? 0];
  }
  return points.slice(0, KILLS_PER_CASE).sort((a, b) => a - b);
}

function waitOutLease(host: GasHost): void {
  const saved = JSON.parse(host.documentProperties.get(JOB_PROPERTY) ?? "{}");
  const expiresAt = saved.lease?.expiresAt;
  if (typeof expiresAt === "number" && expiresAt >= host.clock.now())
    host.clock.wait(expiresAt - host.clock.now() + 1);
}

interface Observed {
  calls: number;
  readOnly: Set<number>;
  /** Each service call's key ("Service.method"), in order over all executions: call n is keys[n - 1]. */
  keys: string[];
  killed: boolean;
}

/** Starts the job with `start` (killed at its `killAt`-th service call, if any), then drives it to its end. */
function runKilled(host: GasHost, start: string, request: unknown, killAt: number | undefined): Observed {
  const observed: Observed = { calls: 0, readOnly: new Set(), keys: [], killed: false };
  const options = {
    executionLimitMs: LIMIT_SECONDS * 1000,
    killWhen: (call: ServiceCall) => {
      observed.calls += 1;
      observed.keys.push(call.key);
      if (changesNothing(call)) observed.readOnly.add(observed.calls);
      return observed.calls === killAt;
    },
  };
  const check = (result: ExecutionResult, what: string) => {
    if (result.killed) {
      observed.killed = true;
      waitOutLease(host);
    } else expect(result.error, what).toBeUndefined();
  };
  check(host.runFromClient(start, [request], options), "the start");
  for (let executions = 0; syncUnfinished(host); executions++) {
    expect(executions, "the job never ends").toBeLessThan(30);
    check(host.runFromClient("continueSyncJob", [], options), "a continuation");
  }
  return observed;
}

const hasHistory = (host: GasHost) => host.spreadsheet.sheets.some((sheet) => sheet.name === HISTORY);

/** Every update Extend received has a record in the history sheet that sends exactly its body. */
/** The run Extend answers 404 for: its read failed, so no update of it ever left. */
async function missingNeverSent(where: string): Promise<void> {
  const posts = (await e2e.extend.stats()).updateRequests;
  expect(
    posts.some((post) => post.runId === MISSING),
    where,
  ).toBe(false);
}

async function everyChangeRecorded(host: GasHost, where: string): Promise<void> {
  const history = host.spreadsheet.sheets.some((sheet) => sheet.name === HISTORY)
    ? records(host, HISTORY)
    : [];
  const recorded = new Set(history.map((row) => `${row["Run ID"]} ${row["Values Sent"]}`));
  for (const update of (await e2e.extend.stats()).updateRequests)
    expect(recorded.has(`${update.runId} ${JSON.stringify(update.body)}`), `${where}: ${update.runId}`).toBe(
      true,
    );
}

/** The stored runs as seeded; an undo leaves null (or an empty tag list) where a run lacked a key. */
async function asSeeded(where: string): Promise<void> {
  const stored = await e2e.extend.getRuns(runIds);
  stored.forEach((run, index) => {
    const metadata = (run?.metadata ?? {}) as Metadata;
    const present = Object.fromEntries(
      Object.entries(metadata).filter(
        ([key, value]) => value !== null && !(key === TAGS && Array.isArray(value) && value.length === 0),
      ),
    );
    expect(present, `${where}: ${runIds[index]}`).toEqual(SEEDED[index]);
  });
}

/** The undo's confirmation token, from a first call that is never killed. */
function undoRequest(host: GasHost, jobId: string): { jobId: string; confirmToken: string } {
  const asked = host.runFromClient("startUndoJob", [{ jobId }]).returned as { state: string; token: string };
  expect(asked.state).toBe("confirm-undo");
  return { jobId, confirmToken: asked.token };
}

const lastJobId = (host: GasHost) => String(records(host, HISTORY).at(-1)?.["Job ID"] ?? "");

describe("no change in Extend without its record, a kill at any service call", () => {
  it.each([
    { mode: "replace", request: {} },
    { mode: "add", request: { tagMode: "add" } },
  ])(
    "a sync, tags $mode",
    async ({ request }) => {
      const confirmed = (host: GasHost) => {
        if (!("tagMode" in request)) return request;
        const asked = host.runFromClient("startSyncJob", [request]).returned as { token: string };
        return { ...request, confirmToken: asked.token };
      };
      await seed();
      const baselineHost = fresh();
      const baseline = runKilled(baselineHost, "startSyncJob", confirmed(baselineHost), undefined);
      expect(baseline.calls).toBeGreaterThan(20);
      await everyChangeRecorded(baselineHost, "no kill");
      for (const killAt of killPoints(baseline.calls, baseline.readOnly, 18)) {
        await seed();
        const host = fresh();
        const observed = runKilled(host, "startSyncJob", confirmed(host), killAt);
        const where = `killed at call ${killAt} of ${baseline.calls}`;
        expect(observed.killed, where).toBe(true);
        await everyChangeRecorded(host, where);
        await missingNeverSent(where);
        // The records hold the values before the sync, whatever the kill: its undo puts every run back.
        // (Killed before the sync was claimed: it never started, nothing was sent, and there is nothing to undo.)
        if (hasHistory(host)) startAndFinish(host, "startUndoJob", [undoRequest(host, lastJobId(host))]);
        await asSeeded(`${where}, then undone`);
        host.dispose();
      }
    },
    300_000,
  );

  it("an undo restores every run exactly", async () => {
    await seed();
    const baselineHost = fresh();
    startAndFinish(baselineHost, "startSyncJob", [{}]);
    const baseline = runKilled(
      baselineHost,
      "startUndoJob",
      undoRequest(baselineHost, lastJobId(baselineHost)),
      undefined,
    );
    await asSeeded("no kill");
    for (const killAt of killPoints(baseline.calls, baseline.readOnly, 1118)) {
      await seed();
      const host = fresh();
      startAndFinish(host, "startSyncJob", [{}]);
      const syncId = lastJobId(host);
      const where = `undo killed at call ${killAt} of ${baseline.calls}`;
      const observed = runKilled(host, "startUndoJob", undoRequest(host, syncId), killAt);
      expect(observed.killed, where).toBe(true);
      // Killed before the undo was claimed: nothing started, and the person starts it again.
      if (!records(host, "Extend Sync Log").some((row) => row.Kind === "Undo"))
        startAndFinish(host, "startUndoJob", [undoRequest(host, syncId)]);
      await asSeeded(where);
      await everyChangeRecorded(host, where);
      host.dispose();
    }
  }, 300_000);

  it("records written ahead while the pace waits: a kill right after them, before any of their POSTs", async () => {
    await seed();
    // Executions long enough for the pace to hold batches back within them.
    const baselineHost = fresh(LIMIT_SECONDS - 2);
    const baseline = runKilled(baselineHost, "startSyncJob", {}, undefined);
    baselineHost.dispose();
    // The calls right after a commit (flush) of records that the pace then waits on before their fetchAll: the
    // records went into the sheet during the wait, not after it.
    const aheadOfWait: number[] = [];
    baseline.keys.forEach((key, index) => {
      if (key !== "SpreadsheetApp.flush") return;
      const rest = baseline.keys.slice(index + 1);
      const fetchAt = rest.indexOf("UrlFetchApp.fetchAll");
      const sleepAt = rest.indexOf("Utilities.sleep");
      if (sleepAt >= 0 && fetchAt > sleepAt) aheadOfWait.push(index + 2);
    });
    expect(aheadOfWait.length, "no records written while the pace waited").toBeGreaterThan(0);
    for (const killAt of aheadOfWait.slice(0, 4)) {
      await seed();
      const host = fresh(LIMIT_SECONDS - 2);
      const where = `killed at call ${killAt}, right after records written ahead`;
      const observed = runKilled(host, "startSyncJob", {}, killAt);
      expect(observed.killed, where).toBe(true);
      await everyChangeRecorded(host, where);
      await missingNeverSent(where);
      startAndFinish(host, "startUndoJob", [undoRequest(host, lastJobId(host))]);
      await asSeeded(`${where}, then undone`);
      host.dispose();
    }
  }, 300_000);

  it("reads and updates under one shared limit: no change unrecorded, no 429 storm, the undo restores", async () => {
    // The reference limits GET and WRITE apart; that an update counts as WRITE is an inference, so the sync
    // must also hold when both draw on the add-on's rate together.
    await e2e.extend.configure({ rate: 2, sharedRateLimit: true });
    try {
      await seed();
      const host = fresh(LIMIT_SECONDS - 2);
      runKilled(host, "startSyncJob", {}, undefined);
      await everyChangeRecorded(host, "shared limit");
      await missingNeverSent("shared limit");
      const stats = await e2e.extend.stats();
      // Every run was updated in the end, and the 429s met on the way stayed fewer than the rows.
      expect(new Set(stats.updateRequests.filter((post) => post.applied).map((post) => post.runId))).toEqual(
        new Set(runIds),
      );
      expect(stats.rateLimited).toBeLessThan(ROWS.length);
      startAndFinish(host, "startUndoJob", [undoRequest(host, lastJobId(host))]);
      await asSeeded("shared limit, then undone");
      host.dispose();
    } finally {
      await e2e.extend.configure({ rate: 1000, sharedRateLimit: false });
    }
  }, 300_000);
});
