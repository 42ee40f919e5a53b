// Unit tests for src/core/engine/send.ts: one fetchAll, and what happens when it throws: each request tried
// alone while that can help, never after Apps Script's quota refused, never against a host that just failed
// again.
import { describe, expect, it } from "vitest";
import type { HttpPort } from "../../../src/core/engine/ports";
import { sendBatch } from "../../../src/core/engine/send";
import type { HttpResponse } from "../../../src/core/requests/classify";
import type { HttpRequest } from "../../../src/core/requests/request";
import { VirtualClock } from "../../support/fake-ports";

const request = (id: number): HttpRequest => ({
  url: `https://api.extend.ai/workflow_runs/workflow_run_${id}`,
  method: "post",
  contentType: "application/json",
  headers: {},
  payload: "{}",
  muteHttpExceptions: true,
  followRedirects: false,
});
const ok: HttpResponse = { status: 200, headers: {}, body: "{}" };
const QUOTA = "Service invoked too many times for one day: urlfetch.";
const BURST =
  "Service invoked too many times in a short time: urlfetch. Try Utilities.sleep(1000) between calls.";

/** fetchAll behaves as `batch` says; fetch answers from `alone` in order (an Error is thrown). */
function http(batch: (HttpResponse | null)[] | Error, alone: (HttpResponse | Error)[] = []) {
  const calls = { fetchAll: 0, fetch: 0 };
  const port: HttpPort = {
    fetchAll: () => {
      calls.fetchAll += 1;
      if (batch instanceof Error) throw batch;
      return batch;
    },
    fetch: () => {
      const answer = alone[calls.fetch++] ?? ok;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { port, calls };
}

const requests = [request(1), request(2), request(3), request(4)];
const clock = new VirtualClock();
const roomy = { mustStopBy: clock.now() + 60_000, estimateMs: 1_000 };

describe("sendBatch", () => {
  it("makes one attempt per request when fetchAll answers", () => {
    const { port, calls } = http([ok, ok, ok, ok]);
    const sent = sendBatch(port, clock, requests, roomy);
    expect(sent.requestsMade).toBe(4);
    expect(sent.answers.map((answer) => answer.attempts)).toEqual([1, 1, 1, 1]);
    expect(calls).toEqual({ fetchAll: 1, fetch: 0 });
  });

  it("keeps the other answers when fetchAll gives none for one request, and tries nothing alone", () => {
    const { port, calls } = http([ok, null, ok, ok]);
    const sent = sendBatch(port, clock, requests, roomy);
    expect(calls).toEqual({ fetchAll: 1, fetch: 0 });
    expect(sent.requestsMade).toBe(4);
    expect(sent.answers.map((answer) => "response" in answer.result)).toEqual([true, false, true, true]);
    expect(sent.answers[1]).toEqual({ attempts: 1, result: { transportError: "The request got no answer" } });
  });

  it("tries each request alone after fetchAll lost every answer, counting both attempts", () => {
    const { port, calls } = http(new Error("Address unavailable: https://api.extend.ai/..."));
    const sent = sendBatch(port, clock, requests, roomy);
    expect(calls.fetch).toBe(4);
    expect(sent.requestsMade).toBe(8);
    expect(sent.answers.every((answer) => answer.attempts === 2 && "response" in answer.result)).toBe(true);
  });

  it("stops trying alone at the first request that fails slowly: the host does not answer, the rest wait", () => {
    const slowClock = new VirtualClock();
    let tries = 0;
    const timingOut: HttpPort = {
      fetchAll: () => {
        throw new Error("Timeout: https://api.extend.ai/x");
      },
      fetch: () => {
        tries += 1;
        if (tries === 1) return ok;
        slowClock.advance(60_000);
        throw new Error("Timeout: https://api.extend.ai/x");
      },
    };
    const sent = sendBatch(timingOut, slowClock, requests, {
      mustStopBy: slowClock.now() + 600_000,
      estimateMs: 1_000,
    });
    expect(tries).toBe(2);
    expect(sent.requestsMade).toBe(6);
    expect(sent.answers.map((answer) => answer.attempts)).toEqual([2, 2, 1, 1]);
    expect(sent.answers.slice(2).every((answer) => "transportError" in answer.result)).toBe(true);
  });

  it("goes on trying alone after a request fails fast (a dropped connection)", () => {
    const { port, calls } = http(new Error("Address unavailable: x"), [
      ok,
      new Error("Address unavailable: x"),
    ]);
    const sent = sendBatch(port, clock, requests, roomy);
    expect(calls.fetch).toBe(4);
    expect(sent.requestsMade).toBe(8);
    expect(sent.answers.map((answer) => "response" in answer.result)).toEqual([true, false, true, true]);
  });

  it.each([QUOTA, BURST])("tries nothing alone when Apps Script refused the batch (%s)", (message) => {
    const { port, calls } = http(new Error(message));
    const sent = sendBatch(port, clock, requests, roomy);
    expect(calls.fetch).toBe(0);
    expect(sent.requestsMade).toBe(0);
    expect(sent.answers.every((answer) => "transportError" in answer.result)).toBe(true);
  });

  it("stops trying alone once the quota runs out mid-way, and does not count the refused request", () => {
    const { port, calls } = http(new Error("Address unavailable: x"), [ok, new Error(QUOTA)]);
    const sent = sendBatch(port, clock, requests, roomy);
    expect(calls.fetch).toBe(2);
    expect(sent.requestsMade).toBe(4 + 1);
    expect(sent.answers[1]?.result).toEqual({ transportError: QUOTA });
  });

  it("tries nothing alone that could not end before the hard limit", () => {
    const { port, calls } = http(new Error("Address unavailable: x"));
    const sent = sendBatch(port, clock, requests, { mustStopBy: clock.now() + 500, estimateMs: 1_000 });
    expect(calls.fetch).toBe(0);
    expect(sent.requestsMade).toBe(4);
  });
});
