// A job's counts survive Apps Script killing an execution at any service call, end to end with the built bundle
// in the local host against the stand-in: each small job (a sync in each tag mode, a refresh, a preview, an
// import with current values) is killed at every service call it makes, once per call, then driven to its end
// as the sidebar drives it. Every progress an execution returns, and the run log once the job has ended, count
// at least what the sheet shows, and the job always ends. (Issue 14, defect 4: a kill between the write of the
// outcomes and the save of the job left 30 rows Updated and a log of 0 requests, 0 updated, Finished.)
import { afterAll, describe, expect, it } from "vitest";
import type { CellValue, ExecutionResult, GasHost, ServiceCall } from "../../dev/gas-host/index.js";
import { FetchWorker } from "../../dev/gas-host/url-fetch.js";
import { syncUnfinished } from "../../dev/local-run.js";
import type { SyncProgress } from "../../src/core/engine.js";
import type { SyncCounts } from "../../src/core/job.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { records, runIds, SHEET, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 20, ...TIMINGS.modelOn });
// Hundreds of short-lived hosts: one fetch worker for all of them.
const fetchWorker = new FetchWorker();
afterAll(() => fetchWorker.dispose());

const LIMIT_SECONDS = 10;
const JOB_PROPERTY = "extendSync.job";
const LOG = "Extend Sync Log";
const ids = runIds(2);
/** A well-formed id the stand-in does not hold: Extend answers 404. */
const [unknownRun = ""] = runIds(1, 999);

interface Case {
  name: string;
  rows: CellValue[][];
  start: string;
  request: Record<string, unknown>;
  /** Add and remove ask to confirm the tag mode first: the token comes from a first call, never killed. */
  confirm?: boolean;
}

const SYNC_ROWS: CellValue[][] = [
  ["Run ID", "Name", "Tags"],
  ...ids.map((id, index) => [id, `Run ${index}`, `team-${index}`]),
  ["exr_notAWorkflowRun", "x", ""],
  [unknownRun, "Nobody", "gone"],
  [runIds(3)[2] ?? "", "", ""],
];
const READ_ROWS: CellValue[][] = [["Run ID", "Name"], ...ids.map((id) => [id, "Renamed"]), [unknownRun, "x"]];

const CASES: Case[] = [
  { name: "a sync, tags replaced", rows: SYNC_ROWS, start: "startSyncJob", request: {} },
  {
    name: "a sync, tags added",
    rows: SYNC_ROWS,
    start: "startSyncJob",
    request: { tagMode: "add" },
    confirm: true,
  },
  {
    name: "a sync, tags removed",
    rows: SYNC_ROWS,
    start: "startSyncJob",
    request: { tagMode: "remove" },
    confirm: true,
  },
  { name: "a refresh", rows: READ_ROWS, start: "startRefreshJob", request: {} },
  { name: "a preview", rows: READ_ROWS, start: "startPreviewJob", request: { tagMode: "replace" } },
  {
    name: "an import with current values",
    rows: [["Notes"]],
    start: "startImportJob",
    request: { ...importForm, max: 5, withCurrent: true },
  },
];

type Shown = Pick<
  SyncCounts,
  "updated" | "failed" | "invalid" | "unchanged" | "noop" | "read" | "readFailed" | "imported"
> & {
  /** Rows with an answer from Extend: each took a request. */
  answered: number;
};

/** What a person sees in the sheet's visible columns (not the hidden Sync State the add-on counts from). */
function shown(host: GasHost, sheetName: string): Shown {
  const counts: Shown = {
    updated: 0,
    failed: 0,
    invalid: 0,
    unchanged: 0,
    noop: 0,
    read: 0,
    readFailed: 0,
    imported: 0,
    answered: 0,
  };
  const imports = sheetName.startsWith("Extend runs");
  for (const row of records(host, sheetName)) {
    if (imports && row["Run ID"] !== "") counts.imported += 1;
    const result = String(row["Sync Result"] ?? "");
    if (result.startsWith("Updated")) counts.updated += 1;
    if (result === "Failed") counts.failed += 1;
    if (result === "Invalid") counts.invalid += 1;
    if (result === "Unchanged") counts.unchanged += 1;
    if (result === "Nothing to change") counts.noop += 1;
    if (row["Refreshed At"] instanceof Date) counts.read += 1;
    if (String(row["Refresh Error"] ?? "") !== "") counts.readFailed += 1;
  }
  counts.answered = counts.updated + counts.failed + counts.read + counts.readFailed;
  return counts;
}

function expectAtLeast(reported: Partial<SyncCounts> & { requests: number }, sheet: Shown, where: string) {
  for (const key of [
    "updated",
    "failed",
    "invalid",
    "unchanged",
    "noop",
    "read",
    "readFailed",
    "imported",
  ] as const)
    expect(reported[key] ?? 0, `${where}: ${key}`).toBeGreaterThanOrEqual(sheet[key]);
  expect(reported.requests, `${where}: requests`).toBeGreaterThanOrEqual(sheet.answered);
}

/** The run log's rows (an execution killed just after it made the log sheet leaves it empty, to be taken over). */
function logRows(host: GasHost): Record<string, CellValue>[] {
  return host.spreadsheet.sheets
    .filter((sheet) => sheet.name.startsWith(LOG) && sheet.values()[0]?.[0] === "Sync ID")
    .flatMap((sheet) => records(host, sheet.name));
}

const isProgress = (value: unknown): value is SyncProgress =>
  typeof value === "object" && value !== null && "jobId" in value && "counts" in value;

/**
 * A call that only reads (a getter, a read of cells or properties, an answer's fields). Killing an execution just
 * before such a call leaves the document, the properties and Extend exactly as killing it just before the next
 * call does, so one kill after each call that changes something covers a kill at every call.
 */
const changesNothing = (call: ServiceCall) => /^(get|is|has)/.test(call.method);

/** The calls to kill at: the first, and each one right after a call that changed something. */
function killPoints(calls: number, readOnly: ReadonlySet<number>): number[] {
  const points = [1];
  for (let call = 1; call < calls; call++) if (!readOnly.has(call)) points.push(call + 1);
  return points;
}

interface Observed {
  /** Service calls the job's executions made (the kill's call included). */
  calls: number;
  /** Which of them (1-based) change nothing: see changesNothing. */
  readOnly: Set<number>;
  killed: boolean;
  /** The job's sheet, once a progress named it. */
  sheetName?: string;
  startedJob: boolean;
}

/** Runs the case with a kill at its `killAt`-th service call (none if undefined), then drives it to its end. */
function runCase(host: GasHost, job: Case, killAt: number | undefined): Observed {
  const observed: Observed = { calls: 0, readOnly: new Set(), killed: false, startedJob: false };
  let request = job.request;
  if (job.confirm) {
    const asked = host.runFromClient(job.start, [request]).returned as { state: string; token: string };
    expect(asked.state).toBe("confirm");
    request = { ...request, confirmToken: asked.token };
  }
  const options = {
    executionLimitMs: LIMIT_SECONDS * 1000,
    killWhen: (call: ServiceCall) => {
      observed.calls += 1;
      if (changesNothing(call)) observed.readOnly.add(observed.calls);
      return observed.calls === killAt;
    },
  };
  const check = (result: ExecutionResult, what: string) => {
    if (result.killed) {
      observed.killed = true;
      waitOutLease(host);
      return;
    }
    expect(result.error, what).toBeUndefined();
    if (!isProgress(result.returned)) return;
    observed.sheetName = result.returned.sheetName;
    expectAtLeast(result.returned.counts, shown(host, result.returned.sheetName), `${what}'s progress`);
  };
  check(host.runFromClient(job.start, [request], options), "the start");
  observed.startedJob = host.documentProperties.has(JOB_PROPERTY) || logRows(host).length > 0;
  for (let executions = 0; syncUnfinished(host); executions++) {
    expect(executions, "the job never ends").toBeLessThan(20);
    observed.sheetName = JSON.parse(host.documentProperties.get(JOB_PROPERTY) ?? "{}").sheetName;
    const result = host.runFromClient("continueSyncJob", [], options);
    expect((result.returned as { state?: string } | undefined)?.state, "nobody else holds the job").not.toBe(
      "busy",
    );
    check(result, "a continuation");
  }
  return observed;
}

/** A killed execution keeps its claim on the job until its time limit: the sidebar waits, as here, and goes on. */
function waitOutLease(host: GasHost): void {
  const saved = JSON.parse(host.documentProperties.get(JOB_PROPERTY) ?? "{}");
  const expiresAt = saved.lease?.expiresAt;
  if (typeof expiresAt === "number" && expiresAt >= host.clock.now())
    host.clock.wait(expiresAt - host.clock.now() + 1);
}

describe("counts survive a kill at any service call", () => {
  it.each(CASES)(
    "$name",
    async (job) => {
      const fresh = () =>
        e2e.newHost({
          rows: job.rows,
          rate: 2,
          executionLimitSeconds: LIMIT_SECONDS,
          executionBudgetSeconds: 1,
          transport: fetchWorker.transport,
          ...TIMINGS.modelOn,
        });
      const baseline = runCase(fresh(), job, undefined);
      expect(baseline.killed).toBe(false);
      expect(baseline.calls).toBeGreaterThan(20);
      for (const killAt of killPoints(baseline.calls, baseline.readOnly)) {
        await e2e.extend.reset({ runs: true });
        const host = fresh();
        const observed = runCase(host, job, killAt);
        const where = `killed at call ${killAt} of ${baseline.calls}`;
        expect(observed.killed, where).toBe(true);
        expect(syncUnfinished(host), where).toBe(false);
        const log = logRows(host);
        if (!observed.startedJob) {
          // Killed while starting, before the job was saved: no job, nothing sent, nothing logged.
          expect(log, where).toEqual([]);
          expect((await e2e.extend.stats()).totalRequests, where).toBe(0);
          continue;
        }
        expect(log, where).toHaveLength(1);
        const [row = {}] = log;
        expect(row.Ended, where).toBe("Finished");
        const sheet = shown(host, observed.sheetName ?? SHEET);
        expectAtLeast(
          {
            requests: Number(row["Requests Sent"]),
            updated: Number(row.Updated),
            failed: Number(row.Failed),
            invalid: Number(row.Invalid),
            unchanged: Number(row.Unchanged),
            noop: Number(row["Nothing To Change"]),
            read: Number(row["Runs Read"]),
            readFailed: Number(row["Reads Failed"]),
            imported: Number(/^(\d+) runs imported/.exec(String(row.Details))?.[1] ?? 0),
          },
          sheet,
          `${where}, the run log`,
        );
        host.dispose();
      }
    },
    300_000,
  );
});
