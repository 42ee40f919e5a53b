// Unit tests for src/core/engine/pacing.ts: batch sizes, waits, halving on 429, recovery, and the average
// rate.
import { describe, expect, it } from "vitest";
import {
  batchSizeFor,
  DEFAULT_RATE,
  MAX_BATCH_SIZE,
  MIN_RATE,
  newPacer,
  PACE_HEADROOM,
  type PacerState,
  PLAN_RATES,
  recordBatch,
  waitBeforeBatch,
  windowMs,
} from "../../../src/core/engine/pacing";

const pacerAt = (currentRate: number, configuredRate = 10): PacerState =>
  newPacer(configuredRate, currentRate);

describe("constants", () => {
  it("match the plans' documented rates", () => {
    expect(PLAN_RATES).toEqual({ payAsYouGo: 10, scale: 25, enterprise: 75 });
    expect(DEFAULT_RATE).toBe(10);
    expect(MIN_RATE).toBe(0.5);
    expect(MAX_BATCH_SIZE).toBe(100);
  });
});

describe("newPacer", () => {
  it.each<[number, number | undefined, number]>([
    [10, undefined, 10],
    [25, 4, 4],
    [10, 40, 10],
    [10, 0.1, 0.5],
    [10, 0, 0.5],
  ])("configured %d, current %j", (configured, current, rate) => {
    expect(newPacer(configured, current)).toEqual({
      configuredRate: configured,
      currentRate: rate,
      recent: [],
      notBefore: 0,
      cleanBatches: 0,
    });
  });
});

describe("windowMs and batchSizeFor", () => {
  it.each<[number, number, number]>([
    [0.5, 2000, 1],
    [0.7, 1000 / 0.7, 1],
    [1, 1000, 1],
    [1.9, 1000, 1],
    [2.5, 1000, 2],
    [9.5, 1000, 9],
    [10, 1000, 10],
    [25, 1000, 25],
    [71.25, 1000, 71],
    [75, 1000, 75],
    [100, 1000, 100],
    [1000, 1000, 100],
  ])("rate %d -> window %d ms (plus headroom), %i requests", (rate, window, size) => {
    expect(windowMs(rate)).toBeCloseTo(window / PACE_HEADROOM);
    expect(batchSizeFor(pacerAt(rate, 1000))).toBe(size);
  });
});

describe("waitBeforeBatch", () => {
  const withRecent = (recent: PacerState["recent"], rate = 10, notBefore = 0): PacerState => ({
    ...pacerAt(rate, rate),
    recent,
    notBefore,
  });

  it.each<[string, PacerState, number, number, number]>([
    ["nothing sent yet", withRecent([]), 5000, 10, 0],
    ["a full window a window ago", withRecent([{ at: 3900, count: 10 }]), 5000, 10, 0],
    [
      "a full window just over a second ago",
      withRecent([{ at: 4000, count: 10 }]),
      5000,
      10,
      1000 / 0.95 - 1000,
    ],
    ["a full window half a second ago", withRecent([{ at: 4500, count: 10 }]), 5000, 10, 1000 / 0.95 - 500],
    ["room for the smaller batch", withRecent([{ at: 4500, count: 6 }]), 5000, 4, 0],
    ["no room for a bigger one", withRecent([{ at: 4500, count: 6 }]), 5000, 5, 1000 / 0.95 - 500],
    [
      "the oldest batches leave first",
      withRecent([
        { at: 4200, count: 3 },
        { at: 4600, count: 3 },
        { at: 4900, count: 3 },
      ]),
      5000,
      4,
      4200 + 1000 / 0.95 - 5000,
    ],
    ["a Retry-After carried over", withRecent([], 10, 7000), 5000, 1, 2000],
    [
      "a slow rate counts over a longer window",
      withRecent([{ at: 4000, count: 1 }], 0.5),
      5000,
      1,
      2000 / 0.95 - 1000,
    ],
  ])("%s", (_label, pacer, now, count, wait) => {
    expect(waitBeforeBatch(pacer, now, count)).toBeCloseTo(wait);
  });
});

describe("recordBatch", () => {
  it("books the batch and forgets batches older than the window", () => {
    const pacer = { ...newPacer(10), recent: [{ at: 100, count: 10 }] };
    expect(recordBatch(pacer, 1500, 7, false)).toEqual({
      ...pacer,
      recent: [{ at: 1500, count: 7 }],
      cleanBatches: 1,
    });
    expect(recordBatch(pacer, 900, 7, false).recent).toEqual([
      { at: 100, count: 10 },
      { at: 900, count: 7 },
    ]);
  });

  it("does not change the state it is given", () => {
    const pacer = newPacer(10);
    recordBatch(pacer, 0, 10, true);
    expect(pacer).toEqual({ configuredRate: 10, currentRate: 10, recent: [], notBefore: 0, cleanBatches: 0 });
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
      const count = batchSizeFor(pacer);
      now += waitBeforeBatch(pacer, now, count);
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

  it("sends at the configured rate less the headroom when nothing goes wrong", () => {
    const sent = simulate(10, 60, 0, 0);
    const total = sent.slice(0, -1).reduce((sum, batch) => sum + batch.count, 0);
    const last = sent[sent.length - 1] as Sent;
    expect(total).toBe(590);
    expect(last.at).toBeCloseTo(59_000 / PACE_HEADROOM);
  });
});

describe("rates above one batch a second", () => {
  it("sends several batches of MAX_BATCH_SIZE within a window", () => {
    let pacer = newPacer(250);
    let now = 0;
    const starts: number[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const count = batchSizeFor(pacer);
      now += waitBeforeBatch(pacer, now, count);
      starts.push(now);
      pacer = recordBatch(pacer, now, count, false);
    }
    expect(batchSizeFor(pacer)).toBe(MAX_BATCH_SIZE);
    expect(starts.slice(0, 2)).toEqual([0, 0]);
    expect(starts[2]).toBeCloseTo(1000 / PACE_HEADROOM);
  });
});
