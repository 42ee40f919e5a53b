// The stand-in on the local host's virtual clock: it rate-limits by each request's stamped virtual send time
// and reports latency and delays in a header instead of sleeping; without virtualClock the stamps mean nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  SIMULATED_LATENCY_HEADER as HOST_LATENCY_HEADER,
  VIRTUAL_NOW_HEADER as HOST_NOW_HEADER,
} from "../../dev/gas-host/index.js";
import { RateLimiter } from "../../dev/stand-in/rate-limit.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { type StandIn, startStandIn } from "../../dev/stand-in/server.js";
import { SIMULATED_LATENCY_HEADER, VIRTUAL_NOW_HEADER } from "../../dev/stand-in/virtual-time.js";
import { apiHeaders, call } from "./stand-in-helpers.js";

let standIn: StandIn;
const [runA] = seededRunIds(1, 1) as [string];

beforeAll(async () => {
  standIn = await startStandIn({ apiKey: "test-key-not-secret" });
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset({ runs: true, config: true }));

const updateAt = (virtualMs: number | undefined, attempt = 0) =>
  call(standIn, "POST", `/workflow_runs/${encodeURIComponent(runA)}`, {
    body: { metadata: { attempt } },
    headers: apiHeaders(virtualMs === undefined ? {} : { [VIRTUAL_NOW_HEADER]: String(virtualMs) }),
  });

describe("the stand-in on a virtual clock", () => {
  it("speaks the same header names as the host", () => {
    expect([VIRTUAL_NOW_HEADER, SIMULATED_LATENCY_HEADER]).toEqual([HOST_NOW_HEADER, HOST_LATENCY_HEADER]);
  });

  it("answers at once and reports its latency, plus any delay fault, in a header", async () => {
    standIn.configure({ virtualClock: true, latencyMs: 2000, rate: 0 });
    standIn.setFaults([{ kind: "delay", delayMs: 30_000 }]);
    const started = performance.now();
    const delayed = await updateAt(1_000_000);
    const plain = await updateAt(1_000_000);
    // Not waited out: really sleeping would take 34 s (a bound far from it, so a busy machine passes).
    expect(performance.now() - started).toBeLessThan(34_000 / 4);
    expect(delayed.status).toBe(200);
    expect(delayed.headers.get(SIMULATED_LATENCY_HEADER)).toBe("32000");
    expect(plain.headers.get(SIMULATED_LATENCY_HEADER)).toBe("2000");
  });

  it("reports latency on error answers too", async () => {
    standIn.configure({ virtualClock: true, latencyMs: 150 });
    standIn.setFaults([{ kind: "503" }]);
    const failed = await updateAt(1_000_000);
    expect(failed.status).toBe(503);
    expect(failed.headers.get(SIMULATED_LATENCY_HEADER)).toBe("150");
  });

  it("refills its token bucket by the stamped virtual times, however fast they really arrive", async () => {
    standIn.configure({ virtualClock: true, rate: 2 });
    const t = 5_000_000;
    const statuses = [];
    for (const at of [t, t, t, t + 499, t + 500, t + 1500, t + 1500])
      statuses.push((await updateAt(at, statuses.length)).status);
    expect(statuses).toEqual([200, 200, 429, 429, 200, 200, 200]);
    expect(standIn.stats().updateRequests.map((update) => update.receivedAt - t)).toEqual([
      0, 0, 0, 499, 500, 1500, 1500,
    ]);
  });

  it("does not let an unstamped request turn its time back", async () => {
    standIn.configure({ virtualClock: true, rate: 1 });
    expect((await updateAt(9_000_000)).status).toBe(200);
    expect((await updateAt(undefined)).status).toBe(429);
  });

  it("ignores stamps and sleeps its latency without virtualClock", async () => {
    standIn.configure({ latencyMs: 300, rate: 1 });
    const started = performance.now();
    const first = await updateAt(1);
    const second = await updateAt(10_000_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(590);
    expect(first.headers.get(SIMULATED_LATENCY_HEADER)).toBeNull();
    expect([first.status, second.status]).toEqual([200, 429]);
  });

  it("keeps time from running backwards in the rate limiter when stamps arrive out of order", () => {
    const limiter = new RateLimiter(() => 0);
    const settings = { rate: 1, burst: 1 };
    expect(limiter.take("k", "WRITE", settings, 10_000).allowed).toBe(true);
    expect(limiter.take("k", "WRITE", settings, 5_000).allowed).toBe(false);
    expect(limiter.take("k", "WRITE", settings, 11_000).allowed).toBe(true);
  });
});
