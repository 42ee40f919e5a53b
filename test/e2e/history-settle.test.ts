// No history record stays "Sending" once its job has ended (issue 18). End to end with the built bundle in the
// local host against the stand-in: a sync with Keep history on is killed right after a fetchAll (its updates
// answered, their outcomes and states not yet written) and right after a commit of records (their updates not
// yet sent), then driven to its end as the sidebar drives it. Every record is then "Applied" or "Not
// confirmed", a record "Applied" names a run that holds what it sent, and every update Extend received has its
// record. Then the same with a longer execution and a higher rate, where the reads run ahead of the writes and
// records are written several batches at a time.
import { afterAll, describe, expect, it } from "vitest";
import type { CellValue, ExecutionResult, GasHost, ServiceCall } from "../../dev/gas-host/index.js";
import { FetchWorker } from "../../dev/gas-host/url-fetch.js";
import { syncUnfinished } from "../../dev/local-run.js";
import type { JsonValue } from "../../src/extend/api.js";
import { records, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ ...TIMINGS.modelOn });
const fetchWorker = new FetchWorker();
afterAll(() => fetchWorker.dispose());

const TAGS = "extend:usage_tags";
const HISTORY = "Extend Sync History";
const JOB_PROPERTY = "extendSync.job";
const LIMIT_SECONDS = 30;

function rowsOf(count: number): { runIds: string[]; rows: CellValue[][] } {
  const runIds = Array.from({ length: count }, (_, index) => `workflow_run_settle_${index}`);
  return {
    runIds,
    rows: [
      ["Run ID", "Tags", "metadata.costCenter"],
      ...runIds.map((id, index) => [id, "new", `CC-${index}`]),
    ],
  };
}

async function seed(runIds: readonly string[]): Promise<void> {
  await e2e.extend.reset({ runs: true });
  await e2e.extend.addRuns(runIds.map((id) => ({ id, metadata: { [TAGS]: ["old"] } })));
}

interface Case {
  count: number;
  rate: number;
  budgetSeconds: number;
  /** The work fills the pace's windows: reads run ahead and one append holds several batches' records. */
  readAhead?: boolean;
}

/** The most records one append wrote: the records of one append share their Time. */
function largestAppend(host: GasHost): number {
  const sizes = new Map<string, number>();
  for (const record of records(host, HISTORY)) {
    const at = String(record.Time);
    sizes.set(at, (sizes.get(at) ?? 0) + 1);
  }
  return Math.max(0, ...sizes.values());
}

function fresh(rows: CellValue[][], { rate, budgetSeconds }: Case): GasHost {
  return e2e.newHost({
    rows,
    rate,
    executionLimitSeconds: LIMIT_SECONDS,
    executionBudgetSeconds: budgetSeconds,
    transport: fetchWorker.transport,
    keepHistory: true,
    ...TIMINGS.modelOn,
  });
}

/** Runs the sync to its end, the first execution killed at its `killAt`-th service call; the calls' keys. */
function runKilled(host: GasHost, killAt: number | undefined): { keys: string[]; killed: boolean } {
  const keys: string[] = [];
  let killed = false;
  const options = {
    executionLimitMs: LIMIT_SECONDS * 1000,
    killWhen: (call: ServiceCall) => {
      keys.push(call.key);
      return keys.length === killAt;
    },
  };
  const check = (result: ExecutionResult, what: string) => {
    if (!result.killed) return expect(result.error, what).toBeUndefined();
    killed = true;
    // The killed execution's lease is waited out, as the sidebar's next call would after it.
    const saved = JSON.parse(host.documentProperties.get(JOB_PROPERTY) ?? "{}");
    const expiresAt = saved.lease?.expiresAt;
    if (typeof expiresAt === "number" && expiresAt >= host.clock.now())
      host.clock.wait(expiresAt - host.clock.now() + 1);
  };
  check(host.runFromClient("startSyncJob", [{}], options), "the start");
  for (let executions = 0; syncUnfinished(host); executions++) {
    expect(executions, "the job never ends").toBeLessThan(30);
    check(host.runFromClient("continueSyncJob", [], options), "a continuation");
  }
  return { keys, killed };
}

/** Kill points: the call right after each of the first fetchAlls and record commits (flushes). */
function killPoints(keys: readonly string[]): number[] {
  const after = (key: string) => keys.flatMap((each, index) => (each === key ? [index + 2] : [])).slice(0, 3);
  return [...after("UrlFetchApp.fetchAll"), ...after("SpreadsheetApp.flush")].sort((a, b) => a - b);
}

async function settledAndRecorded(host: GasHost, runIds: readonly string[], where: string): Promise<void> {
  const posts = (await e2e.extend.stats()).updateRequests;
  if (!host.spreadsheet.sheets.some((sheet) => sheet.name === HISTORY)) {
    // Killed before the sync was claimed: it never started, and nothing was sent.
    expect(posts, where).toEqual([]);
    return;
  }
  const history = records(host, HISTORY);
  expect(history.length, where).toBeGreaterThanOrEqual(runIds.length);
  const stored = new Map(
    (await e2e.extend.getRuns([...runIds])).map((run, index) => [runIds[index], run?.metadata ?? {}]),
  );
  for (const record of history) {
    const state = record["History State"];
    expect(["Applied", "Not confirmed"], `${where}: row of ${record["Run ID"]} is ${state}`).toContain(state);
    if (state !== "Applied") continue;
    const sent = JSON.parse(String(record["Values Sent"])) as { metadata: Record<string, JsonValue> };
    const holds = stored.get(String(record["Run ID"])) as Record<string, JsonValue>;
    for (const [key, value] of Object.entries(sent.metadata)) expect(holds[key], where).toEqual(value);
  }
  const recorded = new Set(history.map((row) => `${row["Run ID"]} ${row["Values Sent"]}`));
  for (const update of posts)
    expect(recorded.has(`${update.runId} ${JSON.stringify(update.body)}`), `${where}: ${update.runId}`).toBe(
      true,
    );
}

describe("no history record stays Sending after its job ended", () => {
  afterAll(() => e2e.extend.configure({ latencyMs: 0 }));
  it.each([
    { count: 6, rate: 2, budgetSeconds: 1 },
    { count: 60, rate: 10, budgetSeconds: 20 },
    { count: 600, rate: 75, budgetSeconds: 20, readAhead: true },
  ])(
    "$count rows at $rate/s, executions of $budgetSeconds s, killed after a fetchAll or a commit of records",
    async (spec: Case) => {
      // Extend's answers take as long as the benchmark's, so the work, not the pace, fills the windows.
      await e2e.extend.configure({ latencyMs: spec.readAhead ? 100 : 0 });
      const { runIds, rows } = rowsOf(spec.count);
      await seed(runIds);
      const baselineHost = fresh(rows, spec);
      const baseline = runKilled(baselineHost, undefined);
      await settledAndRecorded(baselineHost, runIds, "no kill");
      if (spec.readAhead) expect(largestAppend(baselineHost)).toBeGreaterThan(spec.rate);
      baselineHost.dispose();
      const points = killPoints(baseline.keys);
      expect(points.length).toBeGreaterThan(2);
      for (const killAt of points) {
        await seed(runIds);
        const host = fresh(rows, spec);
        const where = `killed at call ${killAt} (${baseline.keys[killAt - 2]} before it)`;
        expect(runKilled(host, killAt).killed, where).toBe(true);
        await settledAndRecorded(host, runIds, where);
        host.dispose();
      }
    },
    300_000,
  );
});
