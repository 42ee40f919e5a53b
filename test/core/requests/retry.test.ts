// Unit tests for src/core/requests/retry.ts: the backoff schedule as a value (injected random) and
// Retry-After parsing.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from "../../../src/core/requests/retry";

const constant = (value: number) => () => value;
const LONG: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 20 };

describe("DEFAULT_RETRY_POLICY", () => {
  it("is 5 attempts, 1 s base, 30 s cap, Retry-After capped at 60 s", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
      maxRetryAfterMs: 60_000,
    });
  });
});

describe("retryDelayMs: exponential growth with equal jitter", () => {
  it.each<[number, number, number]>([
    // attemptsMade, random, delay
    [1, 0, 500],
    [1, 0.5, 750],
    [1, 0.999, 1000],
    [2, 0, 1000],
    [2, 0.5, 1500],
    [2, 0.999, 1999],
    [3, 0, 2000],
    [3, 0.25, 2500],
    [4, 0, 4000],
    [4, 0.5, 6000],
  ])("after %i attempt(s), random %d -> %i ms", (attemptsMade, random, delay) => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, attemptsMade, undefined, constant(random))).toBe(delay);
  });

  it("doubles the floor of the delay with every attempt until the cap", () => {
    const schedule = Array.from({ length: 9 }, (_, i) => retryDelayMs(LONG, i + 1, undefined, constant(0)));
    expect(schedule).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000]);
    const ceilings = Array.from({ length: 9 }, (_, i) => retryDelayMs(LONG, i + 1, undefined, constant(1)));
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it.each<[number, number, number]>([
    [6, 15000, 30000],
    [10, 15000, 30000],
    [19, 15000, 30000],
  ])("after %i attempts the delay stays within the cap [%i, %i]", (attemptsMade, low, high) => {
    expect(retryDelayMs(LONG, attemptsMade, undefined, constant(0))).toBe(low);
    expect(retryDelayMs(LONG, attemptsMade, undefined, constant(0.9999999))).toBe(high);
  });

  it("keeps every jittered delay within [half, all] of the exponential step", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let attemptsMade = 1; attemptsMade < LONG.maxAttempts; attemptsMade++) {
      const step = Math.min(LONG.maxDelayMs, LONG.baseDelayMs * 2 ** (attemptsMade - 1));
      for (let i = 0; i < 200; i++) {
        const delay = retryDelayMs(LONG, attemptsMade, undefined, random) as number;
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it("uses the injected random, so two callers can spread apart", () => {
    const low = retryDelayMs(DEFAULT_RETRY_POLICY, 3, undefined, constant(0.1));
    const high = retryDelayMs(DEFAULT_RETRY_POLICY, 3, undefined, constant(0.9));
    expect([low, high]).toEqual([2200, 3800]);
  });

  it.each([
    { baseDelayMs: 200, maxDelayMs: 1000, attemptsMade: 3, random: 0, delay: 400 },
    { baseDelayMs: 200, maxDelayMs: 1000, attemptsMade: 4, random: 0, delay: 500 },
    { baseDelayMs: 200, maxDelayMs: 1000, attemptsMade: 4, random: 0.999999, delay: 1000 },
  ])("follows a custom policy %j", ({ baseDelayMs, maxDelayMs, attemptsMade, random, delay }) => {
    const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs, maxDelayMs, maxRetryAfterMs: 5000 };
    expect(retryDelayMs(policy, attemptsMade, undefined, constant(random))).toBe(delay);
  });
});

describe("retryDelayMs: Retry-After", () => {
  it.each<[number, number, number]>([
    // attemptsMade, retryAfterMs, delay
    [1, 5000, 5000],
    // A Retry-After shorter than the backoff waits for the backoff (750 ms, then 6 s at attempt 4).
    [1, 100, 750],
    [4, 100, 6000],
    [1, 0, 750],
    [1, -3000, 750],
    [1, 1500.4, 1500],
    [1, 59_999, 59_999],
    [1, 60_000, 60_000],
    [1, 60_001, 60_000],
    [2, 3_600_000, 60_000],
  ])("after %i attempt(s), Retry-After %d ms -> %i ms", (attemptsMade, retryAfterMs, delay) => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, attemptsMade, retryAfterMs, constant(0.5))).toBe(delay);
  });

  it("caps Retry-After at the policy's own limit", () => {
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 10_000 };
    expect(retryDelayMs(policy, 1, 25_000, constant(0))).toBe(10_000);
  });
});

describe("retryDelayMs: attempts exhausted", () => {
  it.each<[number, number, number | undefined]>([
    [5, 4, 4000],
    [5, 5, undefined],
    [5, 6, undefined],
    [1, 1, undefined],
    [2, 1, 500],
    [2, 2, undefined],
  ])("maxAttempts %i, %i made -> %j", (maxAttempts, attemptsMade, expected) => {
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts };
    expect(retryDelayMs(policy, attemptsMade, undefined, constant(0))).toBe(expected);
  });

  it("gives up even when the server says when to come back", () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 5, 1000, constant(0))).toBeUndefined();
  });

  it("allows exactly maxAttempts - 1 retries", () => {
    const delays: number[] = [];
    for (let made = 1; ; made++) {
      const delay = retryDelayMs(DEFAULT_RETRY_POLICY, made, undefined, constant(0));
      if (delay === undefined) break;
      delays.push(delay);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000]);
  });
});

describe("parseRetryAfter", () => {
  const NOW = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");

  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ["", undefined],
    ["   ", undefined],
    ["soon", undefined],
    ["0", 0],
    ["1", 1000],
    ["120", 120_000],
    [" 3 ", 3000],
    ["1.5", 1500],
    ["0.25", 250],
    ["Wed, 21 Oct 2015 07:28:30 GMT", 30_000],
    ["Wed, 21 Oct 2015 07:29:00 GMT", 60_000],
    ["Wed, 21 Oct 2015 08:28:00 GMT", 3_600_000],
    ["Wed, 21 Oct 2015 07:28:00 GMT", 0],
    ["Wed, 21 Oct 2015 07:27:00 GMT", 0],
    ["Tue, 20 Oct 2015 07:28:00 GMT", 0],
    ["  Wed, 21 Oct 2015 07:28:05 GMT  ", 5000],
  ])("%j -> %j", (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });

  it("measures an HTTP date from the injected now", () => {
    const header = "Wed, 21 Oct 2015 07:28:30 GMT";
    expect(parseRetryAfter(header, NOW - 10_000)).toBe(40_000);
    expect(parseRetryAfter(header, NOW + 10_000)).toBe(20_000);
  });
});
