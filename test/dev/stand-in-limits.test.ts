// The stand-in's rate limiting, pacing and concurrency statistics, and fault injection, over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FaultQueue, faultAnswer, parseFaultRules } from "../../dev/stand-in/faults.js";
import { RateLimiter } from "../../dev/stand-in/rate-limit.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { type StandIn, startStandIn } from "../../dev/stand-in/server.js";
import { API_KEY, call, updateRun } from "./stand-in-helpers.js";

let standIn: StandIn;
const [runA, runB] = seededRunIds(2, 1) as [string, string];

beforeAll(async () => {
  standIn = await startStandIn({ apiKey: API_KEY });
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset({ runs: true, config: true }));

const updateMany = (count: number, id = runA) =>
  Promise.all(Array.from({ length: count }, (_, i) => updateRun(standIn, id, { metadata: { attempt: i } })));

describe("rate limiting", () => {
  it("allows a burst of writes, then answers 429 RATE_LIMIT_EXCEEDED with Retry-After, changing nothing", async () => {
    // A slow refill keeps the count exact however long the eight requests take to arrive.
    standIn.configure({ rate: 1, burst: 5 });
    const responses = await updateMany(8);
    const limited = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(5);
    expect(limited).toHaveLength(3);
    for (const response of limited) {
      expect(response.json).toMatchObject({ code: "RATE_LIMIT_EXCEEDED", retryable: true });
      expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    }
    const stats = standIn.stats();
    expect(stats.rateLimited).toBe(3);
    expect(stats.updatesApplied).toBe(5);
    expect(stats.updatesByRunId[runA]).toBe(5);
    expect(stats.byStatus).toEqual({ "200": 5, "429": 3 });
    expect(stats.updateRequests.filter((update) => update.status === 429 && !update.applied)).toHaveLength(3);
  });

  it("limits reads and writes separately", async () => {
    standIn.configure({ rate: 1, burst: 3 });
    const writes = await updateMany(4);
    expect(writes.map((response) => response.status).sort()).toEqual([200, 200, 200, 429]);
    const read = await call(standIn, "GET", `/workflow_runs/${runB}`);
    expect(read.status).toBe(200);
  });

  it("limits reads and writes together when sharedRateLimit is on", async () => {
    standIn.configure({ rate: 1, burst: 3, sharedRateLimit: true });
    const writes = await updateMany(2);
    expect(writes.map((response) => response.status)).toEqual([200, 200]);
    const reads = await Promise.all([1, 2].map(() => call(standIn, "GET", `/workflow_runs/${runB}`)));
    expect(reads.map((response) => response.status).sort()).toEqual([200, 429]);
    expect((await updateMany(1))[0]?.status).toBe(429);
  });

  it("leaves out Retry-After when sendRetryAfter is off", async () => {
    standIn.configure({ rate: 1, sendRetryAfter: false });
    const [first, second] = await updateMany(2);
    expect(first?.status).toBe(200);
    expect(second?.status).toBe(429);
    expect(second?.headers.get("retry-after")).toBeNull();
  });

  it("refills tokens at `rate` per second (token bucket, capacity = burst)", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const settings = { rate: 2, burst: 4 };
    const take = () => limiter.take(API_KEY, "WRITE", settings);
    expect([take(), take(), take(), take()].every((decision) => decision.allowed)).toBe(true);
    expect(take()).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500; // one token back at 2 per second
    expect(take().allowed).toBe(true);
    expect(take().allowed).toBe(false);
    now += 10_000; // never more than the capacity
    expect(Array.from({ length: 6 }, take).filter((decision) => decision.allowed)).toHaveLength(4);
    expect(limiter.take("other-key", "WRITE", settings).allowed).toBe(true);
    expect(limiter.take(API_KEY, "GET", settings).allowed).toBe(true);
  });

  it("asks for a longer wait when the rate is below one per second", () => {
    const limiter = new RateLimiter(() => 0);
    expect(limiter.take(API_KEY, "WRITE", { rate: 0.25, burst: 1 }).allowed).toBe(true);
    expect(limiter.take(API_KEY, "WRITE", { rate: 0.25, burst: 1 })).toEqual({
      allowed: false,
      retryAfterSeconds: 4,
    });
  });

  it("turns limiting off with rate 0", async () => {
    standIn.configure({ rate: 0 });
    const responses = await updateMany(30);
    expect(responses.every((response) => response.status === 200)).toBe(true);
  });
});

describe("pacing and concurrency statistics", () => {
  it("records requests per second and the most requests in flight at once", async () => {
    standIn.configure({ rate: 0, latencyMs: 100 });
    await updateMany(6);
    await call(standIn, "GET", `/workflow_runs/${runB}`);
    const stats = standIn.stats();
    expect(stats.maxInFlight).toBe(6);
    expect(stats.inFlight).toBe(0);
    const perSecond = Object.values(stats.requestsBySecond).reduce((sum, n) => sum + n, 0);
    const writesPerSecond = Object.values(stats.writesBySecond).reduce((sum, n) => sum + n, 0);
    expect(perSecond).toBe(7);
    expect(writesPerSecond).toBe(6);
    for (const second of Object.keys(stats.requestsBySecond)) {
      expect(Math.abs(Number(second) * 1000 - Date.now())).toBeLessThan(10_000);
    }
    const received = stats.updateRequests.map((update) => update.receivedAt);
    expect(Math.max(...received) - Math.min(...received)).toBeLessThan(1000);
  });
});

describe("fault injection", () => {
  const faultOnce = (rule: Parameters<StandIn["setFaults"]>[0][number]) => standIn.setFaults([rule]);

  it.each([
    ["500-json", 500, "application/json"],
    ["503", 503, "application/json"],
  ] as const)(
    "%s answers %i with a retryable INTERNAL_ERROR body, before the update is applied",
    async (kind, status, type) => {
      faultOnce({ kind });
      const response = await updateRun(standIn, runA, { metadata: { faulted: true } });
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toContain(type);
      expect(response.json).toMatchObject({ code: "INTERNAL_ERROR", retryable: true });
      expect(response.json.requestId).toBe(response.headers.get("x-extend-request-id"));
      expect(standIn.getRun(runA)?.metadata.faulted).toBeUndefined();
      expect(standIn.stats().faultsInjected).toEqual({ [kind]: 1 });
      expect((await updateRun(standIn, runA, { metadata: { faulted: true } })).status).toBe(200);
    },
  );

  it.each([
    ["500-html", 500],
    ["502-html", 502],
  ] as const)("%s answers %i with an HTML page", async (kind, status) => {
    faultOnce({ kind });
    const response = await updateRun(standIn, runA, { metadata: { faulted: true } });
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.text).toContain("<html>");
    expect(response.json).toBeUndefined();
    expect(standIn.getRun(runA)?.metadata.faulted).toBeUndefined();
  });

  it("drop cuts the connection without an answer and without applying the update", async () => {
    faultOnce({ kind: "drop" });
    await expect(updateRun(standIn, runA, { metadata: { faulted: true } })).rejects.toThrow();
    expect(standIn.getRun(runA)?.metadata.faulted).toBeUndefined();
    const stats = standIn.stats();
    expect(stats.byStatus).toEqual({ dropped: 1 });
    expect(stats.updateRequests[0]).toMatchObject({ status: "dropped", applied: false, fault: "drop" });
  });

  it("drop-after-apply stores the update but the client never hears back", async () => {
    faultOnce({ kind: "drop-after-apply" });
    await expect(updateRun(standIn, runA, { metadata: { faulted: true } })).rejects.toThrow();
    expect(standIn.getRun(runA)?.metadata.faulted).toBe(true);
    const stats = standIn.stats();
    expect(stats.updatesApplied).toBe(1);
    expect(stats.updateRequests[0]).toMatchObject({
      status: "dropped",
      applied: true,
      fault: "drop-after-apply",
    });
  });

  it("delay holds the request, then answers normally", async () => {
    faultOnce({ kind: "delay", delayMs: 200 });
    const started = performance.now();
    const response = await updateRun(standIn, runA, { metadata: { delayed: true } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(response.status).toBe(200);
    expect(standIn.getRun(runA)?.metadata.delayed).toBe(true);
  });

  it("malformed answers 200 with a body that is not JSON, and does not apply the update", async () => {
    faultOnce({ kind: "malformed" });
    const response = await updateRun(standIn, runA, { metadata: { faulted: true } });
    expect(response.status).toBe(200);
    expect(() => JSON.parse(response.text)).toThrow();
    expect(standIn.getRun(runA)?.metadata.faulted).toBeUndefined();
  });

  it("status answers any status with the given code, and a default code for the status otherwise", async () => {
    standIn.setFaults([
      { kind: "status", status: 408, code: "REQUEST_TIMEOUT" },
      { kind: "status", status: 429 },
    ]);
    const timeout = await updateRun(standIn, runA, { metadata: { a: 1 } });
    expect(timeout.status).toBe(408);
    expect(timeout.json).toMatchObject({ code: "REQUEST_TIMEOUT", retryable: false });
    const limited = await updateRun(standIn, runA, { metadata: { a: 1 } });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: "RATE_LIMIT_EXCEEDED", retryable: true });
  });

  it("adds a rule's headers to the answer it replaces, e.g. Retry-After on a 429", async () => {
    standIn.setFaults([
      { kind: "status", status: 429, headers: { "Retry-After": "3" } },
      { kind: "status", status: 429 },
    ]);
    const withHeader = await updateRun(standIn, runA, { metadata: { a: 1 } });
    expect(withHeader.status).toBe(429);
    expect(withHeader.headers.get("retry-after")).toBe("3");
    expect(withHeader.headers.get("x-extend-request-id")).toMatch(/^req_/);
    const without = await updateRun(standIn, runA, { metadata: { a: 1 } });
    expect(without.status).toBe(429);
    expect(without.headers.get("retry-after")).toBeNull();
  });

  it("echoes the credentials the request carried where a rule asks, as a hostile server would", async () => {
    standIn.setFaults([
      {
        kind: "custom",
        status: 400,
        contentType: "text/html",
        body: "<p>{{authorization}}</p><p>{{apiKey}}</p>",
        headers: { "x-extend-request-id": "req_{{apiKey}}" },
      },
      { kind: "status", status: 422, message: "key {{apiKey}} refused" },
      { kind: "custom", apply: true, body: '{"id":"{{runId}}"}' },
    ]);
    const page = await updateRun(standIn, runA, {});
    expect(page.text).toBe(`<p>Bearer ${API_KEY}</p><p>${API_KEY}</p>`);
    expect(page.headers.get("x-extend-request-id")).toBe(`req_${API_KEY}`);
    const refused = await updateRun(standIn, runA, {});
    expect(refused.json.message).toBe(`key ${API_KEY} refused`);
    const aboutThisRun = await updateRun(standIn, runB, { name: "echoed" });
    expect(aboutThisRun.json).toEqual({ id: runB });
    expect(standIn.getRun(runB)?.name).toBe("echoed");
  });

  it("JSON-escapes what it echoes into a JSON body, e.g. a run id with a quote and a backslash", async () => {
    const odd = 'workflow_run_a"b\\c';
    standIn.setFaults([{ kind: "status", status: 422, message: "run {{runId}} refused" }]);
    const refused = await updateRun(standIn, odd, {});
    expect(refused.status).toBe(422);
    expect(refused.json.message).toBe(`run ${odd} refused`);

    const source = { authorization: 'Bearer sk_"q\\', runId: odd };
    const custom = faultAnswer(
      { kind: "custom", body: '{"id":"{{runId}}","key":"{{apiKey}}"}' },
      "req_1",
      false,
      source,
    );
    expect(JSON.parse(custom.body)).toEqual({ id: odd, key: 'sk_"q\\' });
    // Not JSON: echoed as is, in the body and in headers.
    const html = faultAnswer(
      {
        kind: "custom",
        contentType: "text/html",
        body: "<p>{{runId}}</p>",
        headers: { "x-run": "{{runId}}" },
      },
      "req_2",
      false,
      source,
    );
    expect(html.body).toBe(`<p>${odd}</p>`);
    expect(html.headers["x-run"]).toBe(odd);
  });

  it("echoes the texts tests use today byte for byte as before", () => {
    const source = { authorization: `Bearer ${API_KEY}`, runId: runA };
    const template = '{"id":"{{runId}}","status":"PROCESSED {{apiKey}}","auth":"{{authorization}}"}';
    const before = template
      .replaceAll("{{authorization}}", source.authorization)
      .replaceAll("{{apiKey}}", API_KEY)
      .replaceAll("{{runId}}", runA);
    expect(faultAnswer({ kind: "custom", body: template }, "req_1", false, source).body).toBe(before);
  });

  it("rewrites the real answer: a field left out, a wrong type, metadata nested 5,000 levels deep", async () => {
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    standIn.setFaults([
      { kind: "rewrite", omit: ["metadata"], match: { method: "GET" } },
      { kind: "rewrite", set: { "usage.credits": '"1.5"' }, match: { method: "GET" } },
      { kind: "rewrite", set: { "metadata.deep": deep }, omit: ["usage"], match: { method: "POST" } },
      { kind: "rewrite", omit: ["metadata"], match: { runId: "workflow_run_notThere" } },
    ]);
    const read = await call(standIn, "GET", `/workflow_runs/${runA}`);
    expect(read.status).toBe(200);
    expect(read.json.id).toBe(runA);
    expect(read.json).not.toHaveProperty("metadata");
    const credits = await call(standIn, "GET", `/workflow_runs/${runA}`);
    expect(credits.json.usage.credits).toBe("1.5");
    expect(credits.json.metadata).toEqual(standIn.getRun(runA)?.metadata);

    const written = await updateRun(standIn, runA, { metadata: { team: "ops" } });
    expect(standIn.getRun(runA)?.metadata.team).toBe("ops");
    expect(written.text).toContain(`"deep":${deep}`);
    expect(written.text).toContain('"team":"ops"');
    expect(written.text).not.toContain('"usage"');
    // A failure is not rewritten: no success is made up.
    const missing = await call(standIn, "GET", "/workflow_runs/workflow_run_notThere");
    expect(missing.status).toBe(404);
    expect(() => parseFaultRules([{ kind: "rewrite", set: { a: 1 } }])).toThrow(
      "rules[0].set.a must be JSON text",
    );
    expect(() => parseFaultRules([{ kind: "rewrite", omit: "metadata" }])).toThrow("rules[0].omit must be");
  });

  it("answers a custom body after applying only when the update went through, else the real error", async () => {
    standIn.setFaults([{ kind: "custom", apply: true, body: '{"id":"{{runId}}"}', times: "unlimited" }]);
    const missing = await updateRun(standIn, "workflow_run_notThere", { name: "x" });
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe("NOT_FOUND");
    const applied = await updateRun(standIn, runA, { name: "stored" });
    expect(applied.json).toEqual({ id: runA });
    expect(standIn.getRun(runA)?.name).toBe("stored");
  });

  it("refuses headers that are not header names or not one line", () => {
    expect(() => parseFaultRules([{ kind: "503", headers: { "bad name": "x" } }])).toThrow(/header name/);
    expect(() => parseFaultRules([{ kind: "503", headers: { ok: "a\r\nb" } }])).toThrow(/one line/);
    expect(() => parseFaultRules([{ kind: "503", headers: ["x"] }])).toThrow(/object/);
    expect(parseFaultRules([{ kind: "503", headers: { "Retry-After": "1" } }])).toHaveLength(1);
  });

  it("consumes rules in order, each `times` times, only for matching requests", async () => {
    standIn.setFaults([
      { kind: "500-json", times: 2, match: { method: "POST", runId: runB } },
      { kind: "503", match: { path: "/workflow_runs/*" } },
    ]);
    expect((await call(standIn, "GET", "/workflow_runs")).status).toBe(200); // matches neither
    expect((await updateRun(standIn, runA, {})).status).toBe(503); // second rule; the first wants runB
    expect((await updateRun(standIn, runB, {})).status).toBe(500);
    expect((await updateRun(standIn, runB, {})).status).toBe(500);
    expect((await updateRun(standIn, runB, {})).status).toBe(200);
    expect(standIn.faults.pending()).toEqual([]);
    expect(standIn.stats().faultsInjected).toEqual({ "500-json": 2, "503": 1 });
  });

  it("faults at a probability, deterministically for the same seed", async () => {
    standIn.configure({ rate: 0 });
    const pattern = async () => {
      standIn.setFaults([{ kind: "500-json", times: "unlimited", probability: 0.3 }]);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++)
        statuses.push((await updateRun(standIn, runA, { metadata: { i } })).status);
      return statuses;
    };
    const first = await pattern();
    const second = await pattern();
    expect(second).toEqual(first);
    const faulted = first.filter((status) => status === 500).length;
    expect(faulted).toBeGreaterThan(3);
    expect(faulted).toBeLessThan(25);
    expect(standIn.stats().updatesApplied).toBe(80 - 2 * faulted);
  });

  it("gives a different but repeatable pattern for another fault seed", () => {
    const sample = (seed: number) => {
      const queue = new FaultQueue(seed);
      queue.replace([{ kind: "drop", times: "unlimited", probability: 0.5 }]);
      return Array.from(
        { length: 32 },
        () => queue.take({ method: "POST", path: "/", runId: null }) !== null,
      );
    };
    expect(sample(7)).toEqual(sample(7));
    expect(sample(7)).not.toEqual(sample(8));
  });

  it("faults a request the same way whatever order the requests come in", () => {
    const requests = Array.from({ length: 60 }, (_, i) => ({
      method: i % 3 === 0 ? "GET" : "POST",
      path: `/workflow_runs/run_${i % 20}`,
      runId: `run_${i % 20}`,
      body: i % 3 === 0 ? "" : JSON.stringify({ metadata: { i } }),
    }));
    const faulted = (order: typeof requests) => {
      const queue = new FaultQueue(11);
      queue.replace([
        { kind: "503", times: "unlimited", probability: 0.2, match: { method: "GET" } },
        { kind: "drop", times: "unlimited", probability: 0.2 },
      ]);
      const kinds = new Map(
        order.map((request) => [JSON.stringify(request), queue.take(request)?.kind ?? "-"]),
      );
      return requests.map((request) => kinds.get(JSON.stringify(request)));
    };
    const inOrder = faulted(requests);
    expect(faulted([...requests].reverse())).toEqual(inOrder);
    expect(faulted([...requests.slice(30), ...requests.slice(0, 30)])).toEqual(inOrder);
    expect(inOrder.filter((kind) => kind !== "-").length).toBeGreaterThan(5);
    // A retry of the same request is its next attempt, rolled afresh: not doomed to the first attempt's fault.
    const queue = new FaultQueue(11);
    queue.replace([{ kind: "drop", times: "unlimited", probability: 0.5 }]);
    const same = { method: "POST", path: "/workflow_runs/run_1", runId: "run_1", body: "{}" };
    const attempts = Array.from({ length: 16 }, () => queue.take(same) !== null);
    expect(new Set(attempts).size).toBe(2);
  });

  it("is armed and inspected over the control API, replacing or appending", async () => {
    const replaced = await call(standIn, "POST", "/_stand-in/faults", { body: { rules: [{ kind: "503" }] } });
    expect(replaced.json.rules).toEqual([{ kind: "503", times: 1 }]);
    const appended = await call(standIn, "POST", "/_stand-in/faults", {
      body: { rules: [{ kind: "delay", delayMs: 10, times: "unlimited" }], mode: "append" },
    });
    expect(appended.json.rules).toHaveLength(2);
    expect((await call(standIn, "GET", "/_stand-in/faults")).json.rules[1]).toMatchObject({
      times: "unlimited",
    });
    expect((await updateRun(standIn, runA, {})).status).toBe(503);
    expect((await updateRun(standIn, runA, {})).status).toBe(200);

    const invalid = await call(standIn, "POST", "/_stand-in/faults", {
      body: { rules: [{ kind: "explode" }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toContain("kind");
  });

  it("list-cursor answers List with a broken List's cursors: repeated, cycling, fresh each page, or creeping by one run", async () => {
    standIn.configure({ rate: 0 });
    const page = async (token?: string) => {
      const query = new URLSearchParams({ maxPageSize: "5", ...(token ? { nextPageToken: token } : {}) });
      const response = await call(standIn, "GET", `/workflow_runs?${query}`);
      expect(response.status).toBe(200);
      return {
        ids: response.json.data.map((run: { id: string }) => run.id) as string[],
        next: response.json.nextPageToken as string | undefined,
      };
    };
    const first = await page();
    const walk = async (steps: number) => {
      const pages = [await page()];
      for (let step = 1; step < steps; step++) pages.push(await page(pages.at(-1)?.next));
      return pages;
    };
    const armed = (cursor: string) =>
      standIn.setFaults(
        parseFaultRules([
          { kind: "list-cursor", cursor, times: "unlimited", match: { path: "/workflow_runs" } },
        ]),
      );

    armed("repeat");
    expect((await walk(3)).map(({ next }) => next)).toEqual(["repeat", "repeat", "repeat"]);
    armed("cycle");
    const cycled = await walk(4);
    expect(cycled.map(({ next }) => next)).toEqual(["cycle-a", "cycle-b", "cycle-a", "cycle-b"]);
    expect(cycled.every(({ ids }) => ids.join() === first.ids.join())).toBe(true);
    armed("fresh");
    const fresh = await walk(3);
    expect(fresh.map(({ next }) => next)).toEqual(["fresh-1", "fresh-2", "fresh-3"]);
    expect(fresh.every(({ ids }) => ids.join() === first.ids.join())).toBe(true);
    armed("creep");
    const crept = await walk(3);
    expect(crept[1]?.ids).toEqual([...first.ids.slice(1), crept[1]?.ids[4]]);
    expect(crept[2]?.ids.slice(0, 3)).toEqual(first.ids.slice(2));
    expect(standIn.stats().faultsInjected).toMatchObject({ "list-cursor": 13 });

    expect(() => parseFaultRules([{ kind: "list-cursor", cursor: "sideways" }])).toThrow(
      /cursor must be one of/,
    );
  });

  it("never faults control routes", async () => {
    standIn.setFaults([{ kind: "drop", times: "unlimited" }]);
    expect((await call(standIn, "GET", "/_stand-in/stats")).status).toBe(200);
  });
});
