// The stand-in's API behaviour over real HTTP: update, get, list, delete, auth, versions, errors, control routes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { type StandIn, startStandIn } from "../../dev/stand-in/server.js";
import { API_KEY, apiHeaders, call, updateRun } from "./stand-in-helpers.js";

const WORKFLOW_RUN_FIELDS = [
  "batchId",
  "dashboardUrl",
  "endTime",
  "failureMessage",
  "failureReason",
  "files",
  "id",
  "initialRunAt",
  "metadata",
  "object",
  "rejectionNote",
  "reviewed",
  "reviewedAt",
  "reviewedByUser",
  "startTime",
  "status",
  "stepRuns",
  "usage",
  "workflow",
  "workflowVersion",
];

const SUMMARY_FIELDS = [
  "batchId",
  "createdAt",
  "dashboardUrl",
  "endTime",
  "files",
  "id",
  "initialRunAt",
  "object",
  "rejectionNote",
  "reviewedAt",
  "reviewedByUser",
  "startTime",
  "status",
  "updatedAt",
  "usage",
  "workflow",
  "workflowVersion",
];

let standIn: StandIn;
const [firstId, secondId] = seededRunIds(2, 1) as [string, string];

beforeAll(async () => {
  // Rate limiting has its own suite; here it would only get in the way.
  standIn = await startStandIn({ apiKey: API_KEY, rate: 0 });
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset({ runs: true, config: true }));

describe("POST /workflow_runs/{id} (update)", () => {
  it("merges metadata shallowly, incoming keys winning, and answers the full WorkflowRun without name", async () => {
    standIn.addRuns([{ id: firstId, metadata: { keep: "old", change: 1, nested: { a: 1, b: 2 } } }]);

    const response = await updateRun(standIn, firstId, {
      name: "ACME invoice 2026-04",
      metadata: { change: 2, added: true, nested: { a: 9 } },
    });

    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(WORKFLOW_RUN_FIELDS);
    expect(response.json).toMatchObject({
      object: "workflow_run",
      id: firstId,
      dashboardUrl: `https://dashboard.extend.ai/workflows/${firstId}`,
      metadata: { keep: "old", change: 2, added: true, nested: { a: 9 } },
    });
    expect(response.json.workflow).toMatchObject({
      object: "workflow",
      id: expect.stringMatching(/^workflow_/),
    });
    expect(response.json.workflowVersion).toMatchObject({ object: "workflow_version" });
    expect(response.json.files[0]).toMatchObject({ object: "file", name: expect.any(String) });
    expect(response.json.name).toBeUndefined();
    const stored = standIn.getRun(firstId);
    expect(stored?.name).toBe("ACME invoice 2026-04");
    expect(stored?.metadata).toEqual(response.json.metadata);
  });

  it("stores the merge so a later GET returns it", async () => {
    await updateRun(standIn, secondId, { metadata: { customer: "Globex" } });
    const response = await call(standIn, "GET", `/workflow_runs/${secondId}`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(WORKFLOW_RUN_FIELDS);
    expect(response.json.metadata.customer).toBe("Globex");
  });

  it("URL-decodes the path id", async () => {
    standIn.addRuns([{ id: "workflow_run_odd id/with+chars" }]);
    const response = await updateRun(standIn, "workflow_run_odd id/with+chars", { metadata: { x: 1 } });
    expect(response.status).toBe(200);
    expect(response.json.id).toBe("workflow_run_odd id/with+chars");
  });

  it("answers 400 INVALID_REQUEST for a path id that is not valid percent-encoding", async () => {
    const response = await call(standIn, "POST", "/workflow_runs/workflow_run_%E0%A4%A", { body: {} });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("INVALID_REQUEST");
  });

  it("answers 400 INVALID_REQUEST for unparseable JSON and stores nothing", async () => {
    const before = standIn.getRun(firstId);
    const response = await call(standIn, "POST", `/workflow_runs/${firstId}`, { rawBody: '{"metadata": {' });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: "INVALID_REQUEST", retryable: false });
    expect(standIn.getRun(firstId)).toEqual(before);
    expect(standIn.stats().updatesApplied).toBe(0);
  });

  it.each([
    [{ name: 42 }, "name"],
    [{ name: null }, "name"],
    [{ metadata: ["a"] }, "metadata"],
    [{ metadata: null }, "metadata"],
    [{ metadata: "customer=acme" }, "metadata"],
    [["not", "an", "object"], "object"],
    [{ metadata: { "extend:usage_tags": "prod" } }, "extend:usage_tags"],
    [{ metadata: { "extend:usage_tags": ["prod", 7] } }, "extend:usage_tags"],
  ])("answers 422 INVALID_REQUEST naming the field for %j", async (body, field) => {
    const response = await updateRun(standIn, firstId, body);
    expect(response.status).toBe(422);
    expect(response.json.code).toBe("INVALID_REQUEST");
    expect(response.json.message).toContain(field);
    expect(standIn.stats().updatesApplied).toBe(0);
  });

  it("ignores unknown body keys and treats an empty body as no change", async () => {
    const before = standIn.getRun(firstId)?.metadata;
    const unknownKeys = await updateRun(standIn, firstId, { colour: "blue", metadata: { a: 1 } });
    expect(unknownKeys.status).toBe(200);
    expect(unknownKeys.json.metadata).toEqual({ ...before, a: 1 });
    const empty = await call(standIn, "POST", `/workflow_runs/${firstId}`, { rawBody: "" });
    expect(empty.status).toBe(200);
    expect(empty.json.metadata).toEqual({ ...before, a: 1 });
  });

  it("answers 404 NOT_FOUND for an unknown run", async () => {
    const response = await updateRun(standIn, "workflow_run_doesNotExist000000000", { metadata: { a: 1 } });
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ code: "NOT_FOUND", retryable: false });
    expect(response.json.message).toMatch(/Workflow run workflow_run_doesNotExist000000000 not found/);
  });

  it("stores null by default, and deletes the key when nullDeletesKey is on", async () => {
    standIn.addRuns([{ id: firstId, metadata: { customer: "ACME", po: "PO-1" } }]);
    const stored = await updateRun(standIn, firstId, { metadata: { customer: null } });
    expect(stored.json.metadata).toEqual({ customer: null, po: "PO-1" });

    standIn.configure({ nullDeletesKey: true });
    const deleted = await updateRun(standIn, firstId, { metadata: { po: null } });
    expect(deleted.json.metadata).toEqual({ customer: null });
  });

  it("keeps a metadata key named __proto__ as an ordinary key", async () => {
    const response = await call(standIn, "POST", `/workflow_runs/${firstId}`, {
      rawBody: '{"metadata": {"__proto__": {"polluted": true}, "plain": 1}}',
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain('"__proto__":{"polluted":true}');
    expect(Object.keys(standIn.getRun(firstId)?.metadata ?? {})).toContain("__proto__");
  });

  it("sanitizes usage tags as the API does: strips characters, drops empty tags, keeps duplicates", async () => {
    const response = await updateRun(standIn, firstId, {
      metadata: {
        "extend:usage_tags": [
          "production",
          "team-eng",
          "customer 123",
          "acme!",
          "q2/2026",
          "!!",
          "prod",
          "prod",
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.json.metadata["extend:usage_tags"]).toEqual([
      "production",
      "team-eng",
      "customer123",
      "acme",
      "q22026",
      "prod",
      "prod",
    ]);
  });

  it("replaces stored usage tags by default and can union them instead", async () => {
    standIn.addRuns([{ id: firstId, metadata: { "extend:usage_tags": ["staging", "team-ops"] } }]);
    const replaced = await updateRun(standIn, firstId, { metadata: { "extend:usage_tags": ["production"] } });
    expect(replaced.json.metadata["extend:usage_tags"]).toEqual(["production"]);

    standIn.configure({ usageTagsMerge: "union" });
    const joined = await updateRun(standIn, firstId, {
      metadata: { "extend:usage_tags": ["team-eng", "production"] },
    });
    expect(joined.json.metadata["extend:usage_tags"]).toEqual(["production", "team-eng"]);
  });

  it("refuses merged metadata over 10 KB with 422 and stores nothing, counting what was already stored", async () => {
    standIn.addRuns([{ id: firstId, metadata: { existing: "x".repeat(6000) } }]);
    const tooBig = await updateRun(standIn, firstId, { name: "n", metadata: { more: "y".repeat(5000) } });
    expect(tooBig.status).toBe(422);
    expect(tooBig.json.code).toBe("INVALID_REQUEST");
    expect(tooBig.json.message).toContain("metadata");
    expect(standIn.getRun(firstId)?.metadata).toEqual({ existing: "x".repeat(6000) });
    expect(standIn.getRun(firstId)?.name).toBeNull();

    // {"existing":"...","more":"..."} is exactly 10240 bytes with this padding: the limit itself is allowed.
    const overhead = JSON.stringify({ existing: "x".repeat(6000), more: "" }).length;
    const fits = await updateRun(standIn, firstId, { metadata: { more: "y".repeat(10240 - overhead) } });
    expect(fits.status).toBe(200);
  });

  it("counts bytes, not characters, against the 10 KB cap", async () => {
    standIn.addRuns([{ id: firstId, metadata: {} }]);
    const response = await updateRun(standIn, firstId, { metadata: { note: "é".repeat(5200) } });
    expect(response.status).toBe(422);
  });

  it("can refuse updates for chosen statuses (UNKNOWN in the reference; none refused by default)", async () => {
    standIn.addRuns([{ id: firstId, status: "CANCELLED" }]);
    expect((await updateRun(standIn, firstId, { metadata: { a: 1 } })).status).toBe(200);
    standIn.configure({ refusedStatuses: ["CANCELLED"] });
    const refused = await updateRun(standIn, firstId, { metadata: { a: 2 } });
    expect(refused.status).toBe(422);
    expect(refused.json.message).toContain("CANCELLED");
  });

  it("answers 400 when a body is sent without a JSON content type", async () => {
    const response = await call(standIn, "POST", `/workflow_runs/${firstId}`, {
      rawBody: JSON.stringify({ metadata: { a: 1 } }),
      headers: { ...apiHeaders(), "content-type": "text/plain" },
    });
    expect(response.status).toBe(400);
    expect(standIn.stats().updatesApplied).toBe(0);
  });

  it("logs every update request with its body, outcome and headers, the key redacted", async () => {
    await updateRun(standIn, firstId, { metadata: { a: 1 } });
    await updateRun(standIn, "workflow_run_missing", { metadata: { a: 1 } });
    const stats = standIn.stats();
    expect(stats.updateRequests).toHaveLength(2);
    expect(stats.updateRequests[0]).toMatchObject({
      runId: firstId,
      body: { metadata: { a: 1 } },
      status: 200,
      applied: true,
      fault: null,
    });
    expect(stats.updateRequests[0]?.headers.authorization).toBe("REDACTED");
    expect(stats.updateRequests[0]?.headers["x-extend-api-version"]).toBe("2026-02-09");
    expect(stats.updateRequests[1]).toMatchObject({ status: 404, applied: false });
    expect(stats.updatesByRunId).toEqual({ [firstId]: 1 });
    expect(JSON.stringify(stats)).not.toContain(API_KEY);
  });

  it("redacts Authorization in the log even when it carries some other key", async () => {
    const response = await call(standIn, "POST", `/workflow_runs/${firstId}`, {
      body: { name: "x" },
      headers: apiHeaders({ authorization: "Bearer sk_live_someone_else" }),
    });
    expect(response.status).toBe(401);
    const [logged] = standIn.stats().updateRequests;
    expect(logged).toMatchObject({ status: 401, applied: false });
    expect(logged?.headers.authorization).toBe("REDACTED");
    expect(JSON.stringify(standIn.stats())).not.toContain("sk_live_someone_else");
  });
});

describe("GET /workflow_runs/{id}", () => {
  it("returns the run with a coherent status and stepRuns, and 404 for an unknown id", async () => {
    const found = await call(standIn, "GET", `/workflow_runs/${firstId}`);
    expect(found.status).toBe(200);
    expect(found.json.stepRuns).toEqual(expect.any(Array));
    const missing = await call(standIn, "GET", "/workflow_runs/workflow_run_nope");
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe("NOT_FOUND");
  });

  it("only returns failureReason and failureMessage for FAILED runs", async () => {
    standIn.addRuns([
      { id: "workflow_run_failed", status: "FAILED", failureReason: "CORRUPT_FILE", failureMessage: "bad" },
      { id: "workflow_run_notfailed", status: "PROCESSED", failureReason: "STALE", failureMessage: "stale" },
    ]);
    const failed = await call(standIn, "GET", "/workflow_runs/workflow_run_failed");
    expect(failed.json).toMatchObject({ failureReason: "CORRUPT_FILE", failureMessage: "bad" });
    const processed = await call(standIn, "GET", "/workflow_runs/workflow_run_notfailed");
    expect(processed.json).toMatchObject({ failureReason: null, failureMessage: null });
  });
});

describe("GET /workflow_runs (list)", () => {
  it("returns summaries with exactly the documented fields and a default page of 20", async () => {
    const response = await call(standIn, "GET", "/workflow_runs");
    expect(response.status).toBe(200);
    expect(response.json.object).toBe("list");
    expect(response.json.data).toHaveLength(20);
    for (const summary of response.json.data) expect(Object.keys(summary).sort()).toEqual(SUMMARY_FIELDS);
    expect(typeof response.json.nextPageToken).toBe("string");
  });

  it("pages through every run exactly once with nextPageToken, and caps maxPageSize at 100", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ maxPageSize: "500", ...(token ? { nextPageToken: token } : {}) });
      const response = await call(standIn, "GET", `/workflow_runs?${query}`);
      expect(response.json.data.length).toBeLessThanOrEqual(100);
      seen.push(...response.json.data.map((run: { id: string }) => run.id));
      token = response.json.nextPageToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });

  it("filters by status, workflowId, batchId and fileNameContains", async () => {
    const runs = [...standIn.runs.values()];
    const sample = runs.find((run) => run.batchId !== null);
    expect(sample).toBeDefined();
    if (!sample) return;
    const checks: Array<[string, (run: (typeof runs)[number]) => boolean]> = [
      ["status=FAILED", (run) => run.status === "FAILED"],
      [`workflowId=${sample.workflow.id}`, (run) => run.workflow.id === sample.workflow.id],
      [`batchId=${sample.batchId}`, (run) => run.batchId === sample.batchId],
      ["fileNameContains=INVOICE", (run) => run.files.some((file) => /invoice/i.test(file.name))],
    ];
    for (const [query, predicate] of checks) {
      const response = await call(standIn, "GET", `/workflow_runs?${query}&maxPageSize=100`);
      const expected = runs.filter(predicate).map((run) => run.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(100);
      expect(response.json.data.map((run: { id: string }) => run.id).sort()).toEqual(expected.sort());
    }
  });

  it("sorts by createdAt or updatedAt, descending by default", async () => {
    const desc = await call(standIn, "GET", "/workflow_runs?maxPageSize=50");
    const createdDesc = desc.json.data.map((run: { createdAt: string }) => run.createdAt);
    expect(createdDesc).toEqual([...createdDesc].sort().reverse());

    await updateRun(standIn, firstId, { metadata: { touched: true } });
    const byUpdated = await call(
      standIn,
      "GET",
      "/workflow_runs?sortBy=updatedAt&sortDir=desc&maxPageSize=1",
    );
    expect(byUpdated.json.data[0].id).toBe(firstId);

    const asc = await call(standIn, "GET", "/workflow_runs?sortBy=createdAt&sortDir=asc&maxPageSize=1");
    expect(asc.json.data[0].id).toBe(firstId);
  });

  it.each([
    "status=DONE",
    "sortBy=name",
    "sortDir=up",
    "maxPageSize=0",
    "maxPageSize=abc",
    "nextPageToken=garbage",
  ])("answers 400 INVALID_REQUEST for %s", async (query) => {
    const response = await call(standIn, "GET", `/workflow_runs?${query}`);
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("INVALID_REQUEST");
  });
});

describe("other methods on /workflow_runs/{id}", () => {
  it("DELETE really deletes the run, as the real API does, and is counted", async () => {
    const response = await call(standIn, "DELETE", `/workflow_runs/${secondId}`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ id: secondId });
    expect((await call(standIn, "GET", `/workflow_runs/${secondId}`)).status).toBe(404);
    expect(standIn.runs.has(secondId)).toBe(false);
    const stats = standIn.stats();
    expect(stats.deletes).toBe(1);
    expect(stats.deletedRunIds).toEqual([secondId]);
    expect(stats.byRoute["DELETE /workflow_runs/{id}"]).toBe(1);
  });

  it("counts a DELETE even when it is refused", async () => {
    const response = await call(standIn, "DELETE", `/workflow_runs/${secondId}`, {
      headers: apiHeaders({ authorization: "Bearer wrong" }),
    });
    expect(response.status).toBe(401);
    expect(standIn.runs.has(secondId)).toBe(true);
    expect(standIn.stats().deletes).toBe(1);
  });

  it.each(["PATCH", "PUT"])("%s is not a route (404) and changes nothing", async (method) => {
    const before = standIn.getRun(firstId);
    const response = await call(standIn, method, `/workflow_runs/${firstId}`, {
      body: { metadata: { a: 1 } },
    });
    expect(response.status).toBe(404);
    expect(response.json.code).toBe("NOT_FOUND");
    expect(standIn.getRun(firstId)).toEqual(before);
    expect(standIn.stats().byRoute[`${method} /workflow_runs/{id}`]).toBe(1);
  });
});

describe("authentication, version and workspace", () => {
  it.each([
    ["no Authorization header", { authorization: "" }],
    ["a wrong key", { authorization: "Bearer someone-elses-key" }],
    ["not a Bearer token", { authorization: `Basic ${API_KEY}` }],
  ])("answers 401 UNAUTHORIZED for %s, never quoting the key", async (_label, override) => {
    const headers = apiHeaders(override);
    if (headers.authorization === "") delete headers.authorization;
    const response = await call(standIn, "POST", `/workflow_runs/${firstId}`, {
      body: { name: "x" },
      headers,
    });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ code: "UNAUTHORIZED", retryable: false });
    expect(response.text).not.toContain(API_KEY);
    expect(response.text).not.toContain("someone-elses-key");
    expect(standIn.getRun(firstId)?.name).toBeNull();
  });

  it("accepts any key when told to (the playground), and still wants a Bearer token", async () => {
    standIn.configure({ acceptAnyKey: true });
    try {
      const other = await call(standIn, "GET", "/workflow_runs?maxPageSize=1", {
        headers: apiHeaders({ authorization: "Bearer whatever-was-typed" }),
      });
      expect(other.status).toBe(200);
      const none = await call(standIn, "GET", "/workflow_runs", {
        headers: apiHeaders({ authorization: "Basic x" }),
      });
      expect(none.status).toBe(401);
    } finally {
      standIn.configure({ acceptAnyKey: false });
    }
    const refused = await call(standIn, "GET", "/workflow_runs", {
      headers: apiHeaders({ authorization: "Bearer whatever-was-typed" }),
    });
    expect(refused.status).toBe(401);
  });

  it.each([
    ["missing", undefined],
    ["an older version", "2025-04-21"],
  ])("answers 400 INVALID_REQUEST when x-extend-api-version is %s", async (_label, version) => {
    const headers = apiHeaders();
    if (version === undefined) delete headers["x-extend-api-version"];
    else headers["x-extend-api-version"] = version;
    const response = await call(standIn, "GET", `/workflow_runs/${firstId}`, { headers });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe("INVALID_REQUEST");
    expect(response.json.message).toContain("x-extend-api-version");
  });

  it("answers 402 USAGE_BLOCKED to authorised requests when usage is blocked", async () => {
    standIn.configure({ usageBlocked: true });
    const response = await updateRun(standIn, firstId, { metadata: { a: 1 } });
    expect(response.status).toBe(402);
    expect(response.json).toMatchObject({ code: "USAGE_BLOCKED", retryable: false });
    const unauthorised = await call(standIn, "GET", "/workflow_runs", {
      headers: apiHeaders({ authorization: "x" }),
    });
    expect(unauthorised.status).toBe(401);
  });

  it("records x-extend-workspace-id, and with requiredWorkspaceId answers 401 when it is missing or wrong", async () => {
    await call(standIn, "GET", "/workflow_runs", {
      headers: apiHeaders({ "x-extend-workspace-id": "ws_abc" }),
    });
    await call(standIn, "GET", "/workflow_runs");
    expect(standIn.stats().workspaceIds).toEqual({ ws_abc: 1, "(none)": 1 });

    standIn.configure({ requiredWorkspaceId: "ws_abc" });
    expect((await call(standIn, "GET", "/workflow_runs")).status).toBe(401);
    const wrong = await call(standIn, "GET", "/workflow_runs", {
      headers: apiHeaders({ "x-extend-workspace-id": "ws_x" }),
    });
    expect(wrong.status).toBe(401);
    const right = await call(standIn, "GET", "/workflow_runs", {
      headers: apiHeaders({ "x-extend-workspace-id": "ws_abc" }),
    });
    expect(right.status).toBe(200);
  });
});

describe("responses", () => {
  it("carries x-extend-request-id on every answer, and the same id in error bodies", async () => {
    const ok = await call(standIn, "GET", `/workflow_runs/${firstId}`);
    const notFound = await call(standIn, "GET", "/workflow_runs/workflow_run_nope");
    const unknownRoute = await call(standIn, "GET", "/parse_runs");
    for (const response of [ok, notFound, unknownRoute]) {
      expect(response.headers.get("x-extend-request-id")).toMatch(/^req_[A-Za-z0-9]{20}$/);
    }
    expect(notFound.json.requestId).toBe(notFound.headers.get("x-extend-request-id"));
    expect(Object.keys(notFound.json).sort()).toEqual(["code", "message", "requestId", "retryable"]);
    expect(ok.headers.get("x-extend-request-id")).not.toBe(notFound.headers.get("x-extend-request-id"));
  });

  it("wraps error bodies as {error: {...}} when wrapErrors is on", async () => {
    standIn.configure({ wrapErrors: true });
    const response = await call(standIn, "GET", "/workflow_runs/workflow_run_nope");
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      error: {
        code: "NOT_FOUND",
        message: expect.any(String),
        retryable: false,
        requestId: expect.any(String),
      },
    });
  });

  it("delays every response by latencyMs", async () => {
    standIn.configure({ latencyMs: 150 });
    const started = performance.now();
    const response = await call(standIn, "GET", `/workflow_runs/${firstId}`);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("counts requests by route and status", async () => {
    await call(standIn, "GET", `/workflow_runs/${firstId}`);
    await call(standIn, "GET", "/workflow_runs/workflow_run_nope");
    await updateRun(standIn, firstId, { metadata: { a: 1 } });
    const stats = standIn.stats();
    expect(stats.totalRequests).toBe(3);
    expect(stats.byRoute).toEqual({ "GET /workflow_runs/{id}": 2, "POST /workflow_runs/{id}": 1 });
    expect(stats.byStatus).toEqual({ "200": 2, "404": 1 });
    expect(stats.inFlight).toBe(0);
  });
});

describe("control routes", () => {
  it("shows the stored run including its name, and 404 for an unknown one", async () => {
    await updateRun(standIn, firstId, { name: "Globex March batch" });
    const run = await call(standIn, "GET", `/_stand-in/runs/${firstId}`, { headers: {} });
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ id: firstId, name: "Globex March batch" });
    expect((await call(standIn, "GET", "/_stand-in/runs/nope", { headers: {} })).status).toBe(404);
  });

  it("adds runs, changes settings without revealing the key, reports stats and resets", async () => {
    const added = await call(standIn, "POST", "/_stand-in/runs", {
      body: { runs: [{ id: "workflow_run_fromControl", status: "NEEDS_REVIEW", metadata: { a: 1 } }] },
    });
    expect(added.json).toEqual({ ids: ["workflow_run_fromControl"], total: 201 });
    expect((await call(standIn, "GET", "/workflow_runs/workflow_run_fromControl")).json.status).toBe(
      "NEEDS_REVIEW",
    );

    const config = await call(standIn, "POST", "/_stand-in/config", {
      body: { latencyMs: 5, wrapErrors: true },
    });
    expect(config.json).toMatchObject({ latencyMs: 5, wrapErrors: true, rate: 0 });
    expect(config.json.apiKey).toBeUndefined();
    expect(config.text).not.toContain(API_KEY);
    const badConfig = await call(standIn, "POST", "/_stand-in/config", { body: { rate: "fast" } });
    expect(badConfig.status).toBe(400);

    const stats = await call(standIn, "GET", "/_stand-in/stats");
    expect(stats.json.totalRequests).toBe(1);

    await call(standIn, "POST", "/_stand-in/reset", { body: { runs: true, config: true } });
    expect(standIn.runs.has("workflow_run_fromControl")).toBe(false);
    expect(standIn.config.latencyMs).toBe(0);
    expect(standIn.stats().totalRequests).toBe(0);
  });

  it("can switch the api key, after which the old key is refused", async () => {
    await call(standIn, "POST", "/_stand-in/config", { body: { apiKey: "another-fake-key" } });
    expect((await call(standIn, "GET", "/workflow_runs")).status).toBe(401);
    const response = await call(standIn, "GET", "/workflow_runs", {
      headers: apiHeaders({ authorization: "Bearer another-fake-key" }),
    });
    expect(response.status).toBe(200);
  });
});
