// The engine end to end on plain data: batches, retries, stops, pauses and row identity, with virtual time.
import { describe, expect, it } from "vitest";
import { addOutputColumns, beginSync, ensureOutputColumns } from "../../../src/core/engine/begin";
import { type EngineDeps, runExecution } from "../../../src/core/engine/engine";
import { emptyCounts, type SyncJob } from "../../../src/core/engine/job";
import {
  COMMIT_INTERVAL_MS,
  JOB_SAVE_INTERVAL_MS,
  MAX_UNCOMMITTED_ROWS,
} from "../../../src/core/engine/outcome-writer";
import { windowMs } from "../../../src/core/engine/pacing";
import { planSync } from "../../../src/core/engine/plan";
import { DEFAULT_RETRY_POLICY } from "../../../src/core/requests/retry";
import type { CellValue } from "../../../src/core/sheet/cell";
import { engineDeps } from "../../support/engine-deps";
import { ArraySheet, errorJson, type Responder, runJson } from "../../support/fake-ports";

const HEADER = ["Run ID", "Name", "metadata.team", "Tags"];
const ids = (count: number) =>
  Array.from({ length: count }, (_, index) => `workflow_run_${String(index).padStart(4, "0")}`);

function sheetOf(runIds: string[]): ArraySheet {
  return new ArraySheet([
    [...HEADER],
    ...runIds.map((id, index) => [id, `Run ${index}`, "ops", "prod, team eng"]),
  ]);
}

/** Requests per batch at 10 requests/s: one second of the rate. */
const BATCH_AT_10 = 10;

/** `hideLater`: start as the add-on does, leaving a new Sync State column to the job's execution to hide. */
function setup(
  sheet: ArraySheet,
  respond: Responder,
  overrides: Partial<EngineDeps> = {},
  force = false,
  hideLater = false,
) {
  let marks: Set<string> | undefined;
  const { clock, http, deps, saved } = engineDeps(sheet, respond, { loadMarks: () => marks, ...overrides });
  const values = sheet.snapshot();
  const result = planSync(values, "all", force, deps.parse);
  if (!result.ok) throw new Error(result.problems.join(" "));
  // As a job's start does (the first execution hides a new Sync State column), or hidden at once.
  const { outputs, stateColumnMade } = hideLater
    ? addOutputColumns(sheet, result.plan.columns, values)
    : { outputs: ensureOutputColumns(sheet, result.plan.columns, values), stateColumnMade: false };
  const begun = beginSync(sheet, result.plan, values, outputs, "job1");
  marks = new Set(begun.marks);
  const job: SyncJob = {
    id: "job1",
    sheetId: 1,
    sheetName: "Runs",
    scopeLabel: "all rows",
    allRows: true,
    force,
    startedBy: "ops@example.com",
    startedAt: clock.now(),
    lastActivityAt: clock.now(),
    executions: 0,
    rate: deps.rate,
    rowsToSend: begun.rowsToSend,
    counts: { ...emptyCounts(), ...begun.counts },
    status: "running",
    ...(stateColumnMade ? { hideStateColumn: true as const } : {}),
  };
  return { clock, http, deps, job, saved, begun, started: { values: begun.values, plan: result.plan } };
}

/** The batches sent before each whole-column read of `sheet`, as the reads happen. */
function batchesBeforeColumnReads(sheet: ArraySheet, http: { fetchAllCalls: number }): number[] {
  const batches: number[] = [];
  const readColumns = sheet.readColumns.bind(sheet);
  sheet.readColumns = (columns) => {
    batches.push(http.fetchAllCalls);
    return readColumns(columns);
  };
  return batches;
}

const succeed: Responder = (request) => runJson(decodeURIComponent(request.url.split("/").pop() ?? ""));

describe("runExecution", () => {
  it("sends every row once in paced batches and writes each result beside its row", () => {
    const sheet = sheetOf(ids(25));
    const { http, deps, job } = setup(sheet, succeed);
    const { progress } = runExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", rowsLeft: 0, counts: { updated: 25, requests: 25 } });
    expect(http.runIdsSent().sort()).toEqual(ids(25));
    expect(http.fetchAllCalls).toBe(3);
    expect(sheet.column("Sync Result").every((text) => String(text).startsWith("Updated; tags:"))).toBe(true);
    expect(sheet.column("Run Status")).toEqual(Array(25).fill("PROCESSED"));
    expect(sheet.column("Synced At").every((value) => value instanceof Date)).toBe(true);
    expect(
      sheet.column("Sync State").every((state) => /^v1 sent=\w+ of=\w+ done=job1:u$/.test(String(state))),
    ).toBe(true);
    const first = http.sent[0]?.request;
    const body = JSON.parse(first?.method === "post" ? first.payload : "{}");
    expect(body).toEqual({
      name: "Run 0",
      metadata: { team: "ops", "extend:usage_tags": ["prod", "teameng"] },
    });
  });

  it("never sends more than the configured rate in any one-second window", () => {
    const sheet = sheetOf(ids(60));
    const { http, deps, job } = setup(sheet, succeed, { rate: 10 });
    runExecution(deps, job);
    const times = http.sent.map((entry) => entry.at);
    for (const start of times) {
      expect(times.filter((time) => time >= start && time < start + 1000).length).toBeLessThanOrEqual(10);
    }
  });

  it("takes a sleep's lateness off the next sleeps: batches keep their window, never leaving early", () => {
    const sheet = sheetOf(ids(60));
    const { clock, http, deps, job } = setup(sheet, succeed, { rate: 10 });
    // Utilities.sleep wakes up to 10-20 ms late: here always 15 ms.
    const lateClock = { now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms + 15) };
    runExecution({ ...deps, clock: lateClock }, job);
    const starts = [...new Set(http.sent.map((entry) => entry.at))];
    expect(starts).toHaveLength(6);
    const gaps = starts.slice(1).map((at, index) => at - (starts[index] as number));
    // The first wait learns the lateness; every later batch leaves exactly one paced window after the last.
    expect(gaps[0]).toBeCloseTo(windowMs(10) + 15, 2);
    for (const gap of gaps.slice(1)) expect(gap).toBeCloseTo(windowMs(10), 2);
  });

  it("waits out Retry-After on 429, lowers the rate, then succeeds", () => {
    const sheet = sheetOf(ids(3));
    const respond: Responder = (request, call) =>
      call === 1
        ? { ...errorJson(429, "RATE_LIMIT_EXCEEDED", "slow down"), headers: { "Retry-After": "7" } }
        : succeed(request, call);
    const { http, deps, job, clock } = setup(sheet, respond);
    const { progress, job: after } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 3, failed: 0, requests: 4 });
    const first = http.sent[0]?.at ?? 0;
    const retry = http.sent.find(
      (entry, index) => index > 0 && entry.request.url === http.sent[0]?.request.url,
    );
    expect((retry?.at ?? 0) - first).toBeGreaterThanOrEqual(7000);
    expect(after.rate).toBeLessThan(10);
    expect(clock.sleeps.some((ms) => ms >= 6900)).toBe(true);
  });

  it("paces reads and writes as one after a 429 shows they share one limit, and the job keeps that", () => {
    // Adding tags reads each run before its update: both categories go out.
    const sheet = new ArraySheet([["Run ID", "Tags"], ...ids(100).map((id) => [id, "new"])]);
    // An Extend whose GET and WRITE draw on one limit of 10 a second (the reference says apart: an inference).
    const answered: number[] = [];
    let limited = 0;
    let clockNow = () => 0;
    const respond: Responder = (request, call) => {
      const now = clockNow();
      if (answered.filter((at) => at > now - 1000).length >= BATCH_AT_10) {
        limited += 1;
        return { ...errorJson(429, "RATE_LIMIT_EXCEEDED", "slow down"), headers: { "Retry-After": "1" } };
      }
      answered.push(now);
      if (request.method === "post") return succeed(request, call);
      const id = decodeURIComponent(request.url.split("/").pop() ?? "");
      const run = JSON.parse(runJson(id).body);
      return { ...runJson(id), body: JSON.stringify({ ...run, metadata: { "extend:usage_tags": [] } }) };
    };
    const { http, deps, job, clock } = setup(sheet, respond);
    clockNow = () => clock.now();
    const { progress, job: after } = runExecution(deps, { ...job, tagMode: "add" });
    expect(progress).toMatchObject({ state: "finished", rowsLeft: 0, counts: { failed: 0 } });
    const posts = http.sent.filter((entry) => entry.request.method === "post");
    expect(new Set(posts.map((entry) => entry.request.url)).size).toBe(100);
    expect(after.sharedLimit).toBe(true);
    // One batch met 429s and revealed the shared limit; paced as one from then on, no batch met another.
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(BATCH_AT_10);
  });

  it("retries a 500 and a transport failure inside a batch without losing the other answers", () => {
    const sheet = sheetOf(ids(5));
    const respond: Responder = (request, call) => {
      const id = decodeURIComponent(request.url.split("/").pop() ?? "");
      if (call === 2) return errorJson(500, "INTERNAL_ERROR", "boom");
      if (id.endsWith("3") && call < 8) return new Error(`Address unavailable: ${request.url}`);
      return succeed(request, call);
    };
    const { http, deps, job } = setup(sheet, respond);
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 5, failed: 0 });
    const attemptsOfRow3 = http.runIdsSent().filter((id) => id === "workflow_run_0003");
    expect(attemptsOfRow3.length).toBeGreaterThan(1);
    expect(sheet.column("Sync Result").every((text) => String(text).startsWith("Updated"))).toBe(true);
  });

  it("keeps fetchAll's other answers when it gives none for one request, and sends only that one again", () => {
    const sheet = sheetOf(ids(5));
    const respond: Responder = (request, call) => (call === 3 ? null : succeed(request, call));
    const { http, deps, job } = setup(sheet, respond);
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 5, failed: 0, requests: 6 });
    const sent = http.runIdsSent();
    expect(sent).toHaveLength(6);
    expect(sent.slice(5)).toEqual([sent[2]]);
  });

  it("marks 404 and 422 rows failed with code, advice and request id; a retryable:false 500 is final", () => {
    const sheet = sheetOf(ids(4));
    const respond: Responder = (request, call) => {
      const id = decodeURIComponent(request.url.split("/").pop() ?? "");
      if (id.endsWith("1")) return errorJson(404, "NOT_FOUND", "Workflow run not found");
      if (id.endsWith("2")) return errorJson(422, "INVALID_REQUEST", '=HYPERLINK("x")');
      if (id.endsWith("3"))
        return {
          status: 500,
          headers: {},
          body: JSON.stringify({ code: "INTERNAL_ERROR", message: "no", retryable: false }),
        };
      return succeed(request, call);
    };
    const { http, deps, job } = setup(sheet, respond);
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 1, failed: 3, requests: 4 });
    expect(http.sent).toHaveLength(4);
    const errors = sheet.column("Sync Error");
    expect(errors[1]).toMatch(
      /^NOT_FOUND: Workflow run not found\. What to do: Check the Run ID.*\(request id req_NOT_FOUND\) See "NOT_FOUND" in the user guide\.$/,
    );
    expect(errors[2]).toMatch(/^INVALID_REQUEST: =HYPERLINK/);
    expect(
      sheet.writes.flatMap((write) => write.values.flat()).filter((value) => /^[=+@-]/.test(String(value))),
    ).toEqual([]);
  });

  it("stops the whole sync on 401 and leaves every unsent row as it was", () => {
    const sheet = sheetOf(ids(30));
    const respond: Responder = (request, call) =>
      call <= 10 ? succeed(request, call) : errorJson(401, "UNAUTHORIZED", "bad key");
    const { http, deps, job } = setup(sheet, respond);
    const before = sheet
      .readAll()
      .slice(11)
      .map((row) => row.slice(0, 9));
    const { progress } = runExecution(deps, job);
    expect(progress.state).toBe("stopped");
    expect(progress.message).toMatch(
      /^UNAUTHORIZED: bad key\. What to do: Extend did not accept the API key/,
    );
    expect(http.sent).toHaveLength(2 * BATCH_AT_10);
    expect(
      sheet
        .readAll()
        .slice(11)
        .map((row) => row.slice(0, 9)),
    ).toEqual(before);
    expect(sheet.column("Sync Result").filter((text) => String(text).startsWith("Updated"))).toHaveLength(10);
  });

  it("pauses at its time budget and the next execution finishes without sending any row twice", () => {
    const sheet = sheetOf(ids(100));
    const { http, deps, job } = setup(sheet, succeed);
    const tight = { ...deps, budgetEndsAt: deps.clock.now() + 5_500 };
    const first = runExecution(tight, job);
    expect(first.progress.state).toBe("paused");
    expect(first.progress.rowsLeft).toBeGreaterThan(0);
    const second = runExecution({ ...deps, budgetEndsAt: deps.clock.now() + 600_000 }, first.job);
    expect(second.progress).toMatchObject({ state: "finished", executions: 2, counts: { updated: 100 } });
    expect(new Set(http.runIdsSent()).size).toBe(100);
    expect(http.sent).toHaveLength(100);
  });

  it("sends at least one batch per execution, however small the budget, and keeps the pace across executions", () => {
    const sheet = sheetOf(ids(30));
    const { http, deps, job } = setup(sheet, succeed, { rate: 10 });
    let current = job;
    for (let execution = 0; execution < 3; execution++) {
      const result = runExecution({ ...deps, budgetEndsAt: deps.clock.now() }, current);
      current = result.job;
    }
    expect(http.sent).toHaveLength(3 * BATCH_AT_10);
    const times = http.sent.map((entry) => entry.at);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(2000);
  });

  it("starts no batch that could not end before the hard limit", () => {
    const sheet = sheetOf(ids(10));
    const { http, deps, job } = setup(sheet, succeed);
    const { progress } = runExecution({ ...deps, mustStopBy: deps.clock.now() + 500 }, job);
    expect(progress).toMatchObject({ state: "paused", rowsLeft: 10 });
    expect(http.sent).toHaveLength(0);
  });

  it("writes results by run id after rows are sorted and a row is deleted mid-sync", () => {
    const sheet = sheetOf(ids(20));
    const { deps, job } = setup(sheet, succeed);
    let rearranged = false;
    sheet.beforeRead = (target) => {
      if (rearranged) return;
      rearranged = true;
      const [header, ...rows] = target.rows;
      rows.reverse();
      rows.splice(
        rows.findIndex((row) => row[0] === "workflow_run_0015"),
        1,
      );
      target.rows = [header ?? [], ...rows];
    };
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 20, missing: 1 });
    for (const row of sheet.rows.slice(1)) {
      const index = Number(String(row[0]).slice(-4));
      expect(row[1]).toBe(`Run ${index}`);
      expect(String(row[4])).toMatch(/^Updated/);
    }
  });

  it("reads the final scan's columns while the pace holds the last batch back, and not again after it", () => {
    const sheet = sheetOf(ids(25));
    const { http, deps, job } = setup(sheet, succeed);
    const columnReadsAfterBatches = batchesBeforeColumnReads(sheet, http);
    const { progress } = runExecution(deps, job);
    expect(http.fetchAllCalls).toBe(3);
    // Read once, between the second and the last batch; the last write checks only its own rows.
    expect(columnReadsAfterBatches).toEqual([2]);
    expect(progress).toMatchObject({ state: "finished", rowsLeft: 0, notSynced: [] });
    expect(progress.counts).toMatchObject({ updated: 25, missing: 0, notSynced: 0 });
  });

  it("reads the columns again after the last batch when rows moved since they were read before it", () => {
    const sheet = sheetOf(ids(25));
    const { http, deps, job } = setup(sheet, succeed);
    const columnReadsAfterBatches = batchesBeforeColumnReads(sheet, http);
    // The person sorts the sheet (newest first) while the last batch is out: the last write must find its rows,
    // and the scan must see the sheet as it is after the sort, not as it was read before it.
    let sorted = false;
    sheet.beforeRead = (target) => {
      if (sorted || http.fetchAllCalls !== 3) return;
      sorted = true;
      const [header, ...rows] = target.rows;
      rows.reverse();
      target.rows = [header ?? [], ...rows];
    };
    const { progress } = runExecution(deps, job);
    expect(columnReadsAfterBatches).toEqual([2, 3]);
    expect(progress).toMatchObject({ state: "finished", rowsLeft: 0, notSynced: [] });
    expect(progress.counts).toMatchObject({ updated: 25, missing: 0 });
    for (const row of sheet.rows.slice(1)) {
      const index = Number(String(row[0]).slice(-4));
      expect(row[1]).toBe(`Run ${index}`);
      expect(String(row[4])).toMatch(/^Updated/);
    }
  });

  it("skips rows whose request is unchanged since their last success, unless forced", () => {
    const sheet = sheetOf(ids(5));
    const first = setup(sheet, succeed);
    runExecution(first.deps, first.job);
    const again = setup(sheet, succeed);
    expect(again.job.counts.unchanged).toBe(5);
    expect(runExecution(again.deps, again.job).progress.counts.requests).toBe(0);
    expect(again.http.sent).toHaveLength(0);
    (sheet.rows[3] as CellValue[])[1] = "Renamed";
    const edited = setup(sheet, succeed);
    runExecution(edited.deps, edited.job);
    expect(edited.http.runIdsSent()).toEqual(["workflow_run_0002"]);
    const forced = setup(sheet, succeed, {}, true);
    runExecution(forced.deps, forced.job);
    expect(forced.http.sent).toHaveLength(5);
  });

  it("formats each Synced At date as it is first written, and leaves the format of one written before", () => {
    const sheet = sheetOf(ids(25));
    const first = setup(sheet, succeed);
    runExecution(first.deps, first.job);
    const syncedAt = sheet.rows[0]?.indexOf("Synced At") ?? -1;
    const rows = sheet.firstDates.flatMap((cells) => {
      expect(cells.column).toBe(syncedAt);
      return cells.rows;
    });
    expect(rows).toEqual(Array.from({ length: 25 }, (_, index) => index + 2));
    sheet.firstDates.length = 0;
    // Rows 3 and 4 change; row 4's date was cleared by the person, so it gets the format again.
    (sheet.rows[2] as CellValue[])[1] = "Renamed";
    (sheet.rows[3] as CellValue[])[1] = "Renamed too";
    (sheet.rows[3] as CellValue[])[syncedAt] = "";
    const again = setup(sheet, succeed);
    runExecution(again.deps, again.job);
    expect(again.http.runIdsSent()).toEqual(["workflow_run_0001", "workflow_run_0002"]);
    expect(sheet.firstDates).toEqual([{ column: syncedAt, rows: [4] }]);
  });

  it("formats dates with a write now and then, never onto a row that moved since its date was written", () => {
    const runs = ids(150);
    const sheet = sheetOf(runs);
    const first = setup(sheet, succeed);
    runExecution(first.deps, first.job);
    const syncedAt = sheet.rows[0]?.indexOf("Synced At") ?? -1;
    // Every row is renamed, so all are sent again; the even ones' dates are cleared, so only those are new.
    const newDates = new Set<string>();
    sheet.rows.slice(1).forEach((row, index) => {
      row[1] = `Renamed ${index}`;
      if (index % 2 === 0) {
        row[syncedAt] = "";
        newDates.add(String(row[0]));
      }
    });
    sheet.firstDates.length = 0;
    const again = setup(sheet, succeed, { rate: 75 });
    const formattedRuns: string[] = [];
    const write = sheet.write.bind(sheet);
    sheet.write = (writes, dates) => {
      for (const row of dates?.rows ?? []) formattedRuns.push(String(sheet.rows[row - 1]?.[0]));
      write(writes, dates);
    };
    // The person reverses the rows while the second batch is out: the first batch's rows are elsewhere now.
    let sorted = false;
    sheet.beforeRead = (target) => {
      if (sorted || again.http.fetchAllCalls !== 2) return;
      sorted = true;
      const [header, ...rows] = target.rows;
      target.rows = [header ?? [], ...rows.reverse()];
    };
    const { progress } = runExecution(again.deps, again.job);
    expect(progress.counts).toMatchObject({ updated: 150 });
    expect(sorted).toBe(true);
    expect(formattedRuns.length).toBeGreaterThan(0);
    for (const runId of formattedRuns) expect(newDates.has(runId), runId).toBe(true);
    // One format for the whole execution (under DATES_FORMAT_INTERVAL_MS), with its last write: not one per write.
    expect(sheet.firstDates).toHaveLength(1);
  });

  it("formats new dates a quarter of the job at a time in the waits, leaving the last write little", () => {
    const sheet = sheetOf(ids(2400));
    const { deps, job } = setup(sheet, succeed, { rate: 75 });
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 2400 });
    const formatted = sheet.firstDates.flatMap((cells) => cells.rows);
    expect(formatted.sort((a, b) => a - b)).toEqual(Array.from({ length: 2400 }, (_, index) => index + 2));
    // A few formats in all (each is a Sheets call or two); the last, after the last batch, two batches at most.
    expect(sheet.firstDates.length).toBeLessThanOrEqual(6);
    expect(sheet.firstDates.at(-1)?.rows.length).toBeLessThanOrEqual(150);
  });

  it("hides the Sync State column its start made in the pace's first wait, where the header has it by then", () => {
    const sheet = sheetOf(ids(25));
    const { http, deps, job } = setup(sheet, succeed, {}, false, true);
    expect(job.hideStateColumn).toBe(true);
    expect(sheet.hidden).toEqual([]);
    const batchesBeforeHiding: number[] = [];
    const hide = sheet.hideColumn.bind(sheet);
    sheet.hideColumn = (column) => {
      batchesBeforeHiding.push(http.fetchAllCalls);
      hide(column);
    };
    // The person inserts a column at the left once the first batch is out: the Sync State column moves.
    let inserted = false;
    sheet.beforeRead = (current) => {
      if (inserted || http.fetchAllCalls !== 1) return;
      inserted = true;
      current.rows.forEach((row, index) => {
        row.unshift(index === 0 ? "Notes" : "");
      });
    };
    const { job: after, progress } = runExecution(deps, job);
    expect(progress.state).toBe("finished");
    expect(batchesBeforeHiding).toEqual([1]);
    expect(sheet.hidden).toEqual([sheet.rows[0]?.indexOf("Sync State")]);
    expect(after.hideStateColumn).toBeUndefined();
    expect(sheet.column("Sync Result").every((text) => String(text).startsWith("Updated"))).toBe(true);
  });

  it("hides it at the end of an execution with no wait long enough, or in the next one after a kill, and a refusal stops nothing", () => {
    // One batch: no wait; the last write has just read where the column is.
    const single = sheetOf(ids(5));
    const one = setup(single, succeed, {}, false, true);
    const reads = { ...single.reads };
    const ended = runExecution(one.deps, one.job, one.started);
    expect(single.hidden).toEqual([single.rows[0]?.indexOf("Sync State")]);
    expect(single.reads.header - reads.header).toBe(1);
    expect(ended.job.hideStateColumn).toBeUndefined();

    // The start's execution was killed before hiding: the flag is in the saved job, the next one hides.
    const killed = sheetOf(ids(5));
    const next = setup(killed, succeed, {}, false, true);
    expect(runExecution(next.deps, next.job).progress.state).toBe("finished");
    expect(killed.hidden).toEqual([killed.rows[0]?.indexOf("Sync State")]);

    // A protected sheet refuses the hiding: the column stays visible and the sync finishes.
    const protectedSheet = sheetOf(ids(25));
    const refused = setup(protectedSheet, succeed, {}, false, true);
    protectedSheet.hideColumn = () => {
      throw new Error("You are trying to edit a protected cell or object.");
    };
    const result = runExecution(refused.deps, refused.job);
    expect(result.progress).toMatchObject({ state: "finished", counts: { updated: 25 } });
    expect(result.job.hideStateColumn).toBeUndefined();
  });

  it("keeps the saved job within one document property even when the API sends a huge error", () => {
    const sheet = sheetOf(ids(3));
    const respond: Responder = () => errorJson(401, "UNAUTHORIZED", "x".repeat(100_000));
    const { deps, job, saved } = setup(sheet, respond);
    runExecution(deps, job);
    for (const state of saved) expect(JSON.stringify(state).length).toBeLessThan(9 * 1024);
  });

  it("marks the rows to send by writing only their state cells, and hands the first execution its read", () => {
    const sheet = sheetOf(ids(4));
    (sheet.rows[2] as CellValue[])[0] = "exr_notAWorkflowRun";
    const { begun, deps, job, started } = setup(sheet, succeed);
    const header = sheet.rows[0] ?? [];
    const stateColumn = header.indexOf("Sync State") + 1;
    const pendingRows = [2, 4, 5];
    const touched = sheet.writes.flatMap((write) =>
      write.values.flatMap((cells, r) => cells.map((_, c) => [write.row + r, write.column + c])),
    );
    expect(touched.filter(([row]) => pendingRows.includes(row ?? 0))).toEqual(
      pendingRows.map((row) => [row, stateColumn]),
    );
    expect(pendingRows.map((row) => sheet.rows[row - 1]?.[stateColumn - 1])).toEqual(
      Array(3).fill(expect.stringMatching(/^v1 pending=job1:\w+:\w+$/)),
    );
    expect(sheet.column("Sync Result")).toEqual(["", "Invalid", "", ""]);
    expect(begun.marks).toHaveLength(3);
    const readsBefore = sheet.reads.all;
    const { progress } = runExecution(deps, job, started);
    expect(sheet.reads.all).toBe(readsBefore);
    expect(progress).toMatchObject({ state: "finished", counts: { updated: 3, invalid: 1 } });
  });

  it("ignores a mark that a partial sort left on another run's row", () => {
    const sheet = sheetOf(ids(6));
    const { http, deps, job } = setup(sheet, succeed);
    const stateColumn = (sheet.rows[0] ?? []).indexOf("Sync State");
    const marks = sheet.rows.slice(1).map((row) => row[stateColumn]);
    sheet.rows.slice(1).forEach((row, index) => {
      row[stateColumn] = marks[(index + 1) % marks.length] ?? "";
    });
    const { progress } = runExecution(deps, job);
    expect(http.sent).toHaveLength(0);
    expect(progress.counts).toMatchObject({ missing: 0, notSynced: 6 });
    expect(progress.notSynced.every((row) => row.reason === "run id changed")).toBe(true);
  });

  it("writes results into the output columns where they are now, after a user moved a column into them", () => {
    const sheet = sheetOf(ids(12));
    const { deps, job } = setup(sheet, succeed, { rate: 10 });
    let moved = false;
    sheet.beforeRead = (target) => {
      if (moved) return;
      moved = true;
      const header = target.rows[0] ?? [];
      const to = header.indexOf("Sync Result");
      for (const row of target.rows) row.splice(to, 0, row.splice(3, 1)[0] ?? "");
    };
    const { progress } = runExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", counts: { updated: 12 } });
    expect(sheet.column("Tags")).toEqual(Array(12).fill("prod, team eng"));
    expect(sheet.column("Sync Result").every((result) => String(result).startsWith("Updated"))).toBe(true);
    expect(sheet.column("Run Status")).toEqual(Array(12).fill("PROCESSED"));
  });

  it("writes nothing while the Run ID header is gone, and sends those rows again once it is back", () => {
    const sheet = sheetOf(ids(12));
    const { http, deps, job } = setup(sheet, succeed, { rate: 10 });
    sheet.beforeRead = (target) => {
      if (target.rows[0]) target.rows[0][0] = "Run";
    };
    const before = sheet.readAll().slice(1);
    const first = runExecution(deps, job);
    expect(first.progress.state).toBe("paused");
    expect(sheet.readAll().slice(1)).toEqual(before);
    sheet.beforeRead = undefined;
    if (sheet.rows[0]) sheet.rows[0][0] = "Run ID";
    const second = runExecution(deps, first.job);
    expect(second.progress).toMatchObject({ state: "finished", counts: { updated: 12 } });
    // The first execution sent all 12 (fewer than one write holds) and could write none of them.
    expect(http.sent.length).toBe(12 + 12);
  });

  describe("writes outcomes a few batches at a time", () => {
    /** When the engine wrote to the sheet: each write's ranges all go out at one moment. */
    function writeTimes(sheet: ArraySheet, clock: { now(): number }): number[] {
      const times: number[] = [];
      sheet.beforeWrite = () => {
        if (times.at(-1) !== clock.now()) times.push(clock.now());
      };
      return times;
    }

    /** Syncs `rows` rows at `rate`, checking before every request that few rows are sent and not yet written. */
    function syncWatchingUnwritten(rows: number, rate: number) {
      const sheet = sheetOf(ids(rows));
      const sent: string[] = [];
      let mostUnwritten = 0;
      const respond: Responder = (request) => {
        const runId = decodeURIComponent(request.url.split("/").pop() ?? "");
        sent.push(runId);
        const header = sheet.rows[0] ?? [];
        const result = header.indexOf("Sync Result");
        const written = new Set(
          sheet.rows.filter((row) => String(row[result] ?? "") !== "").map((row) => String(row[0])),
        );
        mostUnwritten = Math.max(mostUnwritten, sent.filter((id) => !written.has(id)).length);
        return runJson(runId);
      };
      const { deps, job, clock } = setup(sheet, respond, { rate });
      const writesAt = writeTimes(sheet, clock);
      const { progress } = runExecution(deps, job);
      expect(progress).toMatchObject({ state: "finished", counts: { updated: rows } });
      return { mostUnwritten, writesAt, sent };
    }

    it("at 10 requests/s, writes about every 10 seconds, never leaving more than one batch's worth unwritten", () => {
      const { mostUnwritten, writesAt, sent } = syncWatchingUnwritten(400, 10);
      expect(sent).toHaveLength(400);
      // What a kill would send again: bounded as when every batch was written on its own.
      expect(mostUnwritten).toBeLessThanOrEqual(MAX_UNCOMMITTED_ROWS);
      expect(mostUnwritten).toBeGreaterThan(5 * BATCH_AT_10);
      // 400 rows in about 42 s: a handful of writes, not one per batch (40).
      expect(writesAt.length).toBeLessThanOrEqual(7);
      const gaps = writesAt.slice(1).map((at, index) => at - (writesAt[index] ?? 0));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(COMMIT_INTERVAL_MS + 1_100);
    });

    it("above 100 requests/s, writes each full batch before the next one leaves", () => {
      const { mostUnwritten, writesAt } = syncWatchingUnwritten(1_000, 200);
      expect(mostUnwritten).toBeLessThanOrEqual(MAX_UNCOMMITTED_ROWS);
      expect(writesAt.length).toBeGreaterThanOrEqual(10);
    });

    it("writes what it has before a long wait for a retry, rather than holding it through the wait", () => {
      const sheet = sheetOf(ids(5));
      const respond: Responder = (request, call) =>
        call === 5
          ? { ...errorJson(429, "RATE_LIMIT_EXCEEDED", "slow down"), headers: { "Retry-After": "120" } }
          : runJson(decodeURIComponent(request.url.split("/").pop() ?? ""));
      const { deps, job, clock } = setup(sheet, respond, { rate: 10 });
      const writesAt = writeTimes(sheet, clock);
      const start = clock.now();
      runExecution(deps, job);
      // The four answered rows are written right away, not 120 s later with the retried one.
      expect((writesAt[0] ?? Number.POSITIVE_INFINITY) - start).toBeLessThan(1_000);
      expect(writesAt).toHaveLength(2);
    });
  });

  it("handles a queue of 200,000 rows without spreading it onto the call stack", () => {
    const count = 200_000;
    const rows: CellValue[][] = [["Run ID", "Name"]];
    for (let index = 0; index < count; index++) rows.push([`workflow_run_${index}`, `n${index}`]);
    const sheet = new ArraySheet(rows);
    const { deps, job } = setup(sheet, () => new Error("Address unavailable: x"), { rate: 50 });
    const { progress } = runExecution({ ...deps, budgetEndsAt: deps.clock.now() }, job);
    expect(progress).toMatchObject({ state: "paused", rowsLeft: count });
  }, 60_000);

  it("finishes when a row's result cannot be written at all, names it, and does not send it again", () => {
    const sheet = sheetOf(ids(3));
    const { http, deps, job } = setup(sheet, succeed);
    sheet.beforeWrite = (write) => {
      if (write.row <= 3 && write.row + write.values.length > 3) throw new Error("protected range");
    };
    const first = runExecution(deps, job);
    expect(first.progress).toMatchObject({
      state: "finished",
      counts: { updated: 3, notSynced: 1, missing: 0 },
    });
    expect(first.progress.notSynced).toEqual([
      { row: 3, runId: "workflow_run_0001", reason: "result not writable" },
    ]);
    expect(http.sent).toHaveLength(3);
  });

  it("pauses when the header loses a column during the last batch, and the next execution writes it", () => {
    const sheet = sheetOf(ids(5));
    const { http, deps, job } = setup(sheet, succeed);
    let broken = false;
    sheet.beforeRead = (target) => {
      if (broken) return;
      broken = true;
      if (target.rows[0]) target.rows[0][0] = "Run";
    };
    const first = runExecution(deps, job);
    expect(first.progress.state).toBe("paused");
    if (sheet.rows[0]) sheet.rows[0][0] = "Run ID";
    const second = runExecution(deps, first.job);
    expect(second.progress).toMatchObject({ state: "finished", counts: { updated: 5, missing: 0 } });
    expect(http.sent).toHaveLength(10);
  });

  it("counts a row deleted during the sync although another row's Sync State was cleared after it was written", () => {
    const sheet = sheetOf(ids(20));
    const { deps, job } = setup(sheet, succeed);
    // The first execution has time for one batch: ten rows written, ten still marked.
    const first = runExecution({ ...deps, budgetEndsAt: deps.clock.now() }, job);
    expect(first.progress).toMatchObject({ state: "paused", rowsLeft: 10 });
    const state = (sheet.rows[0] ?? []).indexOf("Sync State");
    const written = sheet.rows.findIndex((row) => String(row[state]).includes("done=job1"));
    const writtenId = String(sheet.rows[written]?.[0]);
    (sheet.rows[written] as CellValue[])[state] = "";
    sheet.rows.splice(
      sheet.rows.findIndex((row) => String(row[state]).includes("pending=job1")),
      1,
    );
    const second = runExecution(deps, first.job);
    // Before: the cleared row counted once as written and again as not synced, so the deleted row went uncounted.
    expect(second.progress).toMatchObject({
      state: "finished",
      counts: { updated: 19, missing: 1, notSynced: 1 },
    });
    expect(second.progress.notSynced).toEqual([
      { row: written + 1, runId: writtenId, reason: "state cleared" },
    ]);
  });

  it("keeps its counts, and calls no row deleted, when an execution is killed between writing outcomes and saving the job", () => {
    const sheet = sheetOf(ids(30));
    const { deps, job, saved } = setup(sheet, succeed);
    const die = () => {
      throw new Error("Exceeded maximum execution time");
    };
    // The execution dies at whatever comes first after its write of outcomes: a save of the job, or (its last
    // write is not saved) the look for leftover rows, which reads the marks.
    const dying = { ...deps, saveJob: die, loadMarks: die };
    expect(() => runExecution(dying, job)).toThrow("Exceeded maximum execution time");
    expect(sheet.column("Sync Result").every((text) => String(text).startsWith("Updated"))).toBe(true);
    // The job property still holds the job as it was before the execution.
    const { progress, job: ended } = runExecution(deps, job);
    expect(progress).toMatchObject({
      state: "finished",
      counts: { updated: 30, requests: 30, missing: 0, notSynced: 0 },
    });
    expect(ended.rowsResolved).toBe(30);
    // An ending job is left to the caller (logged, then removed), never saved as ended.
    expect(saved.every((state) => state.status === "running")).toBe(true);
  });

  it("saves no job after an execution's last write: a pause is saved once at its end, an ending by the caller", () => {
    const finishing = setup(sheetOf(ids(30)), succeed);
    expect(runExecution(finishing.deps, finishing.job).progress.state).toBe("finished");
    expect(finishing.saved).toEqual([]);
    // 30 rows at 10/s in a 1.5-second budget: two batches, written together, then the pause saves the job.
    const pausing = setup(sheetOf(ids(30)), succeed);
    const budget = { ...pausing.deps, budgetEndsAt: pausing.clock.now() + 1_500 };
    const { progress } = runExecution(budget, pausing.job);
    expect(progress).toMatchObject({ state: "paused", counts: { updated: 20 } });
    expect(pausing.saved).toHaveLength(1);
    expect(pausing.saved[0]).toMatchObject({ rowsResolved: 20, counts: { updated: 20 } });
  });

  it("saves the job after its writes at most every JOB_SAVE_INTERVAL_MS", () => {
    // 600 rows at 30/s: 20 s of sending, a write every 100 rows (about every 3.5 s).
    const { deps, job, saved, clock } = setup(sheetOf(ids(600)), succeed, { rate: 30 });
    const writes: number[] = [];
    const sheet = deps.sheet;
    const counted = {
      ...deps,
      sheet: Object.assign(Object.create(Object.getPrototypeOf(sheet)), sheet, {
        write: (plan: Parameters<typeof sheet.write>[0]) => {
          writes.push(clock.now());
          sheet.write(plan);
        },
      }),
    };
    expect(runExecution(counted, job).progress).toMatchObject({
      state: "finished",
      counts: { updated: 600 },
    });
    expect(writes.length).toBeGreaterThanOrEqual(5);
    expect(saved.length).toBeGreaterThanOrEqual(1);
    expect(saved.length).toBeLessThan(writes.length);
    const times = saved.map((state) => state.lastActivityAt);
    for (let index = 1; index < times.length; index++)
      expect((times[index] as number) - (times[index - 1] as number)).toBeGreaterThanOrEqual(
        JOB_SAVE_INTERVAL_MS,
      );
  });

  it("counts a row's attempts across executions, so a run that always fails is given up after five", () => {
    const sheet = sheetOf(ids(1));
    const { http, deps, job } = setup(sheet, () => errorJson(500, "INTERNAL_ERROR", "down"));
    let current = job;
    let state = "paused";
    for (let execution = 0; execution < 20 && state === "paused"; execution++) {
      // Each execution has time for one attempt only, then pauses with the row waiting for its backoff.
      const result = runExecution({ ...deps, budgetEndsAt: deps.clock.now() }, current);
      current = result.job;
      state = result.progress.state;
    }
    expect(state).toBe("finished");
    expect(http.sent).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(sheet.column("Sync Result")).toEqual(["Failed"]);
  });

  it("does not take an answer describing another run for the row's success", () => {
    const sheet = sheetOf(ids(1));
    const { deps, job } = setup(sheet, () => runJson("workflow_run_somebodyElse"));
    const { progress } = runExecution(deps, job);
    expect(progress.counts).toMatchObject({ updated: 0, failed: 1 });
    expect(String(sheet.column("Sync Error")[0])).toMatch(/^BAD_RESPONSE: Extend answered 200 with another/);
    expect(sheet.column("Dashboard Link")).toEqual([""]);
  });

  it("fails only the row whose answer could not be handled, and writes every other row", () => {
    const sheet = sheetOf(ids(3));
    const respond: Responder = (request, call) => {
      const id = decodeURIComponent(request.url.split("/").pop() ?? "");
      return id === "workflow_run_0001" ? runJson(id, "TRIPWIRE") : succeed(request, call);
    };
    // A fact no check foresaw: handling this one answer throws, here inside the scrubbing of its status.
    const scrub = (text: string) => {
      if (text.includes("TRIPWIRE")) throw new RangeError("Maximum call stack size exceeded");
      return text;
    };
    const { deps, job } = setup(sheet, respond, { scrub });
    const { progress } = runExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", counts: { updated: 2, failed: 1 } });
    expect(sheet.column("Sync Result").map((text) => String(text).split(";")[0])).toEqual([
      "Updated",
      "Failed",
      "Updated",
    ]);
    expect(String(sheet.column("Sync Error")[1])).toBe(
      "BAD_RESPONSE: Extend's answer could not be handled (Maximum call stack size exceeded). What to do: Extend's answer could not be read, so the change may or may not be stored: sync again to be sure. See \"BAD_RESPONSE\" in the user guide.",
    );
  });

  it("never uses a method other than POST", () => {
    const sheet = sheetOf(ids(3));
    const { http, deps, job } = setup(sheet, succeed);
    runExecution(deps, job);
    expect(new Set(http.sent.map(({ request }) => request.method))).toEqual(new Set(["post"]));
  });
});
