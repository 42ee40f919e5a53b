// Unit tests for src/core/pacing.ts: batch sizes, waits, halving on 429, recovery, and the average rate.
import { describe, expect, it } from "vitest";
import {
  batchSizeFor,
  DEFAULT_RATE,
  MAX_BATCH_SIZE,
  MIN_RATE,
  newPacer,
  type PacerState,
  PLAN_RATES,
  recordBatch,
  waitBeforeBatch,
} from "../../src/core/pacing";

const pacerAt = (currentRate: number, configuredRate = 10): PacerState =>
  newPacer(configuredRate, currentRate);

describe("constants", () => {
  it("match the plans' documented rates", () => {
    expect(PLAN_RATES).toEqual({ payAsYouGo: 10, scale: 25, enterprise: 75 });
    expect(DEFAULT_RATE).toBe(10);
    expect(MIN_RATE).toBe(0.5);
    expect(MAX_BATCH_SIZE).toBe(50);
  });
});

describe("newPacer", () => {
  it.each<[number, number | undefined, PacerState]>([
    [10, undefined, { configuredRate: 10, currentRate: 10, nextSendAt: 0, cleanBatches: 0 }],
    [25, 4, { configuredRate: 25, currentRate: 4, nextSendAt: 0, cleanBatches: 0 }],
    [10, 40, { configuredRate: 10, currentRate: 10, nextSendAt: 0, cleanBatches: 0 }],
    [10, 0.1, { configuredRate: 10, currentRate: 0.5, nextSendAt: 0, cleanBatches: 0 }],
    [10, 0, { configuredRate: 10, currentRate: 0.5, nextSendAt: 0, cleanBatches: 0 }],
  ])("configured %d, current %j", (configured, current, expected) => {
    expect(newPacer(configured, current)).toEqual(expected);
  });
});

describe("batchSizeFor", () => {
  it.each<[number, number]>([
    [0.5, 1],
    [0.99, 1],
    [1, 1],
    [1.9, 1],
    [2.5, 2],
    [10, 10],
    [25, 25],
    [49.9, 49],
    [50, 50],
    [75, 50],
    [1000, 50],
  ])("rate %d -> %i requests", (rate, size) => {
    expect(batchSizeFor(pacerAt(rate, 1000))).toBe(size);
  });
});

describe("waitBeforeBatch", () => {
  it.each<[number, number, number]>([
    [0, 0, 0],
    [0, 12345, 0],
    [5000, 3000, 2000],
    [5000, 5000, 0],
    [5000, 7000, 0],
  ])("next send at %i, now %i -> wait %i", (nextSendAt, now, wait) => {
    expect(waitBeforeBatch({ ...newPacer(10), nextSendAt }, now)).toBe(wait);
  });
});

describe("recordBatch", () => {
  it.each<[string, PacerState, number, number, boolean, PacerState]>([
    [
      "a full clean batch books one second",
      newPacer(10),
      1000,
      10,
      false,
      { configuredRate: 10, currentRate: 10, nextSendAt: 2000, cleanBatches: 1 },
    ],
    [
      "a short clean batch books its share",
      newPacer(10),
      1000,
      3,
      false,
      { configuredRate: 10, currentRate: 10, nextSendAt: 1300, cleanBatches: 1 },
    ],
    [
      "a 429 halves the rate and books the batch at the new rate",
      { ...newPacer(10), cleanBatches: 3 },
      1000,
      10,
      true,
      { configuredRate: 10, currentRate: 5, nextSendAt: 3000, cleanBatches: 0 },
    ],
    [
      "a 429 at the floor stays at the floor",
      pacerAt(0.5),
      0,
      1,
      true,
      { configuredRate: 10, currentRate: 0.5, nextSendAt: 2000, cleanBatches: 0 },
    ],
    [
      "the fifth clean batch raises a lowered rate by a quarter",
      { ...pacerAt(4), cleanBatches: 4 },
      0,
      4,
      false,
      { configuredRate: 10, currentRate: 5, nextSendAt: 1000, cleanBatches: 0 },
    ],
    [
      "recovery never goes above the configured rate",
      { ...pacerAt(9), cleanBatches: 4 },
      0,
      9,
      false,
      { configuredRate: 10, currentRate: 10, nextSendAt: 1000, cleanBatches: 0 },
    ],
    [
      "at the configured rate clean batches only count",
      { ...newPacer(10), cleanBatches: 4 },
      0,
      10,
      false,
      { configuredRate: 10, currentRate: 10, nextSendAt: 1000, cleanBatches: 5 },
    ],
  ])("%s", (_label, pacer, startedAt, count, rateLimited, expected) => {
    expect(recordBatch(pacer, startedAt, count, rateLimited)).toEqual(expected);
  });

  it("does not change the state it is given", () => {
    const pacer = newPacer(10);
    recordBatch(pacer, 0, 10, true);
    expect(pacer).toEqual({ configuredRate: 10, currentRate: 10, nextSendAt: 0, cleanBatches: 0 });
  });

  it("halves on every 429 down to MIN_RATE", () => {
    const rates: number[] = [];
    let pacer = newPacer(10);
    for (let i = 0; i < 7; i++) {
      pacer = recordBatch(pacer, 0, 1, true);
      rates.push(pacer.currentRate);
    }
    expect(rates).toEqual([5, 2.5, 1.25, 0.625, 0.5, 0.5, 0.5]);
  });

  it("recovers after clean batches, five at a time, up to the configured rate", () => {
    let pacer = pacerAt(5);
    const rates: number[] = [];
    for (let i = 0; i < 25; i++) {
      pacer = recordBatch(pacer, 0, 1, false);
      rates.push(pacer.currentRate);
    }
    expect(rates).toEqual([
      ...Array(4).fill(5),
      6.25,
      ...Array(4).fill(6.25),
      7.8125,
      ...Array(4).fill(7.8125),
      9.765625,
      ...Array(4).fill(9.765625),
      10,
      ...Array(5).fill(10),
    ]);
  });

  it("a 429 restarts the count of clean batches", () => {
    let pacer = pacerAt(4);
    for (let i = 0; i < 4; i++) pacer = recordBatch(pacer, 0, 1, false);
    pacer = recordBatch(pacer, 0, 1, true);
    expect(pacer.currentRate).toBe(2);
    for (let i = 0; i < 4; i++) pacer = recordBatch(pacer, 0, 1, false);
    expect(pacer).toMatchObject({ currentRate: 2, cleanBatches: 4 });
    pacer = recordBatch(pacer, 0, 1, false);
    expect(pacer).toMatchObject({ currentRate: 2.5, cleanBatches: 0 });
  });
});

describe("simulated syncs never exceed the configured rate on average", () => {
  interface Sent {
    at: number;
    count: number;
  }

  function simulate(
    configuredRate: number,
    batches: number,
    latencyMs: number,
    limitedEvery: number,
  ): Sent[] {
    let pacer = newPacer(configuredRate);
    let now = 0;
    const sent: Sent[] = [];
    for (let i = 0; i < batches; i++) {
      now += waitBeforeBatch(pacer, now);
      const count = batchSizeFor(pacer);
      sent.push({ at: now, count });
      const rateLimited = limitedEvery > 0 && i % limitedEvery === limitedEvery - 1;
      pacer = recordBatch(pacer, now, count, rateLimited);
      now += latencyMs;
    }
    return sent;
  }

  it.each([
    [10, 0, 0],
    [10, 300, 0],
    [10, 2500, 0],
    [25, 50, 0],
    [75, 50, 0],
    [2.5, 0, 0],
    [0.5, 0, 0],
    [10, 50, 7],
    [25, 0, 3],
    [75, 400, 11],
  ])(
    "configured %d/s, %i ms per fetchAll, a 429 every %i batches",
    (configuredRate, latencyMs, limitedEvery) => {
      const sent = simulate(configuredRate, 120, latencyMs, limitedEvery);
      // Between the start of batch i and the start of batch j, at most rate * time requests were sent.
      const tooFast: string[] = [];
      for (let i = 0; i < sent.length; i++) {
        let requests = 0;
        for (let j = i + 1; j < sent.length; j++) {
          requests += (sent[j - 1] as Sent).count;
          const seconds = ((sent[j] as Sent).at - (sent[i] as Sent).at) / 1000;
          if (requests > configuredRate * seconds + 1e-6)
            tooFast.push(`${requests} in ${seconds}s (${i}..${j})`);
        }
      }
      expect(tooFast).toEqual([]);
      expect(sent.every((batch) => batch.count >= 1 && batch.count <= Math.max(1, configuredRate))).toBe(
        true,
      );
    },
  );

  it("sends at the configured rate when nothing goes wrong", () => {
    const sent = simulate(10, 60, 0, 0);
    const total = sent.slice(0, -1).reduce((sum, batch) => sum + batch.count, 0);
    const last = sent[sent.length - 1] as Sent;
    expect(total).toBe(590);
    expect(last.at).toBe(59_000);
  });
});
