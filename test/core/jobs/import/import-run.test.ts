// Unit tests for src/core/jobs/import/import-run.ts on plain data: pages read one after another with their
// cursor, the maximum respected, a page read again after a kill not written twice, retries paced and bounded
// across executions, a refusal that stops the import with the runs read so far, a refused key that pauses it
// with its cursor, rows appended under their headers after columns moved, and the refresh that follows when
// current values were asked for.
import { describe, expect, it } from "vitest";
import { emptyCounts, type SyncJob } from "../../../../src/core/engine/job";
import { importHeaders } from "../../../../src/core/jobs/import/import-layout";
import { runImportExecution } from "../../../../src/core/jobs/import/import-run";
import type { HttpRequest } from "../../../../src/core/requests/request";
import { engineDeps, TEST_KEY } from "../../../support/engine-deps";
import { ArraySheet, errorJson, type Responder } from "../../../support/fake-ports";

const RUNS = Array.from({ length: 23 }, (_, index) => `workflow_run_${String(index).padStart(3, "0")}`);

/** List in pages of at most `pageSize`, with an offset as the cursor. */
function listing(pageSize = 5): Responder {
  return (request: HttpRequest) => {
    const url = new URL(request.url);
    if (url.pathname.endsWith("/workflow_runs")) {
      const offset = Number(url.searchParams.get("nextPageToken") ?? 0);
      const size = Math.min(pageSize, Number(url.searchParams.get("maxPageSize")));
      const data = RUNS.slice(offset, offset + size).map((id) => ({ id, status: "PROCESSED", usage: null }));
      const next = offset + size < RUNS.length ? { nextPageToken: String(offset + size) } : {};
      return { status: 200, headers: {}, body: JSON.stringify({ object: "list", data, ...next }) };
    }
    const id = decodeURIComponent(url.pathname.split("/").pop() ?? "");
    const run = { object: "workflow_run", id, status: "PROCESSED", metadata: { "extend:usage_tags": ["t"] } };
    return { status: 200, headers: {}, body: JSON.stringify(run) };
  };
}

function setup(respond: Responder, state: Partial<NonNullable<SyncJob["import"]>> = {}, budgetMs = 600_000) {
  const sheet = new ArraySheet([importHeaders(state.withCurrent ?? false)]);
  const { clock, http, deps, saved } = engineDeps(sheet, respond, {
    budgetMs,
    hardLimitMs: budgetMs + 60_000,
    connection: { baseUrl: "https://api.extend.ai", apiKey: TEST_KEY },
  });
  const job: SyncJob = {
    id: "imp1",
    kind: "import",
    import: { filters: { status: "PROCESSED" }, withCurrent: false, listingDone: false, pages: 0, ...state },
    sheetId: 2,
    sheetName: "Extend runs",
    scopeLabel: "status PROCESSED",
    force: false,
    startedBy: "ops@example.com",
    startedAt: clock.now(),
    lastActivityAt: clock.now(),
    executions: 0,
    rate: 10,
    rowsToSend: 0,
    counts: emptyCounts(),
    status: "running",
  };
  return { sheet, http, deps, job, saved };
}

const ids = (sheet: ArraySheet) => sheet.column("Run ID");

describe("runImportExecution", () => {
  it("reads every page with its cursor and the filters, and appends each run once", () => {
    const { sheet, http, deps, job } = setup(listing());
    const { progress } = runImportExecution(deps, job);
    expect(progress).toMatchObject({
      state: "finished",
      kind: "import",
      counts: { imported: 23, requests: 5 },
    });
    expect(ids(sheet)).toEqual(RUNS);
    const queries = http.sent.map(({ request }) => new URL(request.url).searchParams);
    expect(queries.map((query) => query.get("nextPageToken"))).toEqual([null, "5", "10", "15", "20"]);
    expect(
      queries.every((query) => query.get("status") === "PROCESSED" && query.get("maxPageSize") === "100"),
    ).toBe(true);
  });

  it("asks for no more than the maximum and stops there", () => {
    const { sheet, http, deps, job } = setup(listing(), { max: 7 });
    runImportExecution(deps, job);
    expect(ids(sheet)).toEqual(RUNS.slice(0, 7));
    expect(http.sent.map(({ request }) => new URL(request.url).searchParams.get("maxPageSize"))).toEqual([
      "7",
      "2",
    ]);
  });

  it("reads a page again after a kill between its append and the save, without writing it twice", () => {
    const { sheet, deps, job } = setup(listing());
    // An earlier execution appended the first page and died before saving its cursor.
    sheet.rows.push(...RUNS.slice(0, 5).map((id) => [id]));
    runImportExecution(deps, job);
    expect(ids(sheet)).toEqual(RUNS);
  });

  it("pauses at its budget with the cursor saved, and goes on from there", () => {
    const { sheet, deps, job, saved } = setup(listing(), {}, 150);
    const first = runImportExecution(deps, job);
    expect(first.progress).toMatchObject({ state: "paused", listing: true });
    const cursor = first.job.import?.nextPageToken;
    expect(cursor).toBeDefined();
    expect(saved.at(-1)?.import?.nextPageToken).toBe(cursor);
    const again = setup(listing());
    again.sheet.rows = sheet.rows;
    const second = runImportExecution(again.deps, first.job);
    expect(second.progress.state).toBe("finished");
    expect(ids(again.sheet)).toEqual(RUNS);
    expect(new URL(again.http.sent[0]?.request.url ?? "").searchParams.get("nextPageToken")).toBe(cursor);
  });

  it("stops when Extend answers the same cursor again with nothing new, rather than reading that page for ever", () => {
    const respond: Responder = (request, call) => {
      const url = new URL(request.url);
      if (url.searchParams.get("nextPageToken") === null) return listing()(request, call);
      const data = RUNS.slice(0, 5).map((id) => ({ id, status: "PROCESSED", usage: null }));
      return { status: 200, headers: {}, body: JSON.stringify({ object: "list", data, nextPageToken: "5" }) };
    };
    const { sheet, http, deps, job } = setup(respond);
    const { progress, job: after } = runImportExecution(deps, job);
    expect(progress.state).toBe("stopped");
    expect(after.stopReason).toMatch(
      /^LIST_LOOP: Extend's list of runs sent a page cursor it had already sent/,
    );
    expect(ids(sheet)).toEqual(RUNS.slice(0, 5));
    expect(http.sent).toHaveLength(2);
  });

  it("retries a page Extend was too busy for, then stops on a refusal with the runs read so far", () => {
    let calls = 0;
    const respond: Responder = (request, call) => {
      calls = call;
      if (call === 2) return errorJson(429, "RATE_LIMIT_EXCEEDED", "slow down");
      if (call === 4) return errorJson(400, "INVALID_REQUEST", "Invalid query parameter 'batchId'.");
      return listing()(request, call);
    };
    const { sheet, deps, job } = setup(respond);
    const { progress, job: after } = runImportExecution(deps, job);
    expect(calls).toBe(4);
    expect(ids(sheet)).toEqual(RUNS.slice(0, 10));
    expect(progress.state).toBe("stopped");
    expect(after.stopReason).toMatch(
      /^INVALID_REQUEST: Invalid query parameter 'batchId'\. What to do: Extend refused the filters: .* The 10 runs read before are in the sheet "Extend runs"\.$/,
    );
  });

  it("with current values, marks each row and refreshes it once the listing is done", () => {
    const { sheet, http, deps, job } = setup(listing(), { withCurrent: true, max: 6 });
    const { progress } = runImportExecution(deps, job);
    expect(progress).toMatchObject({ state: "finished", counts: { imported: 6, read: 6 } });
    expect(sheet.column("Current Tags")).toEqual(Array(6).fill("t"));
    expect(http.sent.filter(({ request }) => !request.url.includes("?"))).toHaveLength(6);
  });

  it("pauses on a refused key with its cursor kept, says so, and goes on from there once the key works", () => {
    let refuse = true;
    const respond: Responder = (request, call) =>
      refuse && new URL(request.url).searchParams.get("nextPageToken") === "10"
        ? errorJson(401, "UNAUTHORIZED", "Invalid API key.")
        : listing()(request, call);
    const { sheet, deps, job } = setup(respond);
    const first = runImportExecution(deps, job);
    expect(first.progress).toMatchObject({ state: "paused", held: true, listing: true });
    expect(first.progress.message).toMatch(
      /^UNAUTHORIZED: Invalid API key\. What to do: .*continue the import: it goes on from where it stopped\. \(request id \w+\) See "UNAUTHORIZED" in the user guide\. The 10 runs read so far are in the sheet "Extend runs"\.$/,
    );
    expect(first.job).toMatchObject({
      status: "running",
      import: { nextPageToken: "10", held: first.progress.message },
    });

    refuse = false;
    const again = setup(respond);
    again.sheet.rows = sheet.rows;
    const second = runImportExecution(again.deps, first.job);
    expect(second.progress.state).toBe("finished");
    expect(second.job.import?.held).toBeUndefined();
    expect(new URL(again.http.sent[0]?.request.url ?? "").searchParams.get("nextPageToken")).toBe("10");
    expect(ids(again.sheet)).toEqual(RUNS);
  });

  it("keeps a page's attempts across executions, so a List that always fails stops after the policy's attempts", () => {
    const respond: Responder = () => errorJson(503, "INTERNAL_ERROR", "Down for maintenance.");
    let { deps, job, http } = setup(respond, {}, 1_500);
    let requests = 0;
    for (let execution = 0; execution < 10 && job.status === "running"; execution++) {
      job = runImportExecution(deps, job).job;
      requests += http.sent.length;
      ({ deps, http } = setup(respond, {}, 1_500));
    }
    expect(job.status).toBe("stopped");
    expect(requests).toBe(5);
  });

  it("appends each page under its headers after a column was inserted and another moved between executions", () => {
    const { sheet, deps, job } = setup(listing(), {}, 150);
    const first = runImportExecution(deps, job);
    expect(first.progress.state).toBe("paused");
    // metadata.customer inserted after Name; Run Status moved to the far right.
    const status = sheet.rows[0]?.indexOf("Run Status") ?? -1;
    sheet.rows = sheet.rows.map((row, index) => {
      const moved = [...row];
      const [cell = ""] = moved.splice(status, 1);
      moved.splice(2, 0, index === 0 ? "metadata.customer" : "");
      return [...moved, cell];
    });
    const again = setup(listing());
    again.sheet.rows = sheet.rows;
    runImportExecution(again.deps, first.job);
    expect(ids(again.sheet)).toEqual(RUNS);
    expect(again.sheet.column("Run Status")).toEqual(Array(RUNS.length).fill("PROCESSED"));
    expect(again.sheet.column("metadata.customer")).toEqual(Array(RUNS.length).fill(""));
    expect(again.sheet.column("Tags")).toEqual(Array(RUNS.length).fill(""));
  });

  it("stops an import with current values when the Sync State column went between the listing and the refresh", () => {
    const { sheet, deps, job } = setup(listing(), { withCurrent: true, max: 6, listingDone: true });
    const header = importHeaders(true).filter((name) => name !== "Sync State");
    sheet.rows = [header, ...RUNS.slice(0, 6).map((id) => [id])];
    const { progress } = runImportExecution(deps, { ...job, rowsToSend: 6 });
    expect(progress.state).toBe("stopped");
    expect(progress.message).toMatch(
      /^The hidden Sync State column was deleted while the import was under way, .* Refresh from Extend: all rows\.$/,
    );
  });
});
