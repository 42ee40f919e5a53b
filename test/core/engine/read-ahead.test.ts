// Unit tests for src/core/engine/read-ahead.ts: when the writes wait for the reads' lead, how far ahead records
// are written, and that aligning the two categories never holds the writes back.
import { describe, expect, it } from "vitest";
import type { QueueItem } from "../../../src/core/engine/prepare";
import {
  alignCategories,
  holdWrites,
  READ_AHEAD_BATCHES,
  recordsAhead,
} from "../../../src/core/engine/read-ahead";
import { SendQueue } from "../../../src/core/engine/send-queue";
import type { Step } from "../../../src/core/engine/steps";

const item = (index: number, category: "GET" | "WRITE"): QueueItem =>
  ({
    runId: `workflow_run_${index}`,
    before: {},
    step: { category, request: {} } as unknown as Step,
    attempts: 0,
    notBefore: 0,
  }) as unknown as QueueItem;

const queueOf = (gets: number, writes: number) =>
  new SendQueue([
    ...Array.from({ length: gets }, (_, index) => item(index, "GET")),
    ...Array.from({ length: writes }, (_, index) => item(1000 + index, "WRITE")),
  ]);

const WINDOW = 1000 / 0.95;

describe("holdWrites", () => {
  it("holds the writes while reads can build the lead and the execution has time for it", () => {
    const queue = queueOf(500, 10);
    expect(holdWrites({ queue, now: 0, writeBatchSize: 75, windowMs: WINDOW, budgetEndsAt: 60_000 })).toBe(
      true,
    );
  });

  it("never holds them once the lead is there, with no read left, or in a short execution", () => {
    const lead = READ_AHEAD_BATCHES * 75;
    const input = { now: 0, writeBatchSize: 75, windowMs: WINDOW, budgetEndsAt: 60_000 };
    expect(holdWrites({ ...input, queue: queueOf(500, lead) })).toBe(false);
    expect(holdWrites({ ...input, queue: queueOf(0, 10) })).toBe(false);
    // Too short to build the lead twice over: the execution would pause with rows read and none written.
    const short = 2 * READ_AHEAD_BATCHES * WINDOW - 1;
    expect(holdWrites({ ...input, queue: queueOf(500, 10), budgetEndsAt: short })).toBe(false);
  });
});

describe("recordsAhead", () => {
  it("adds the writes waiting behind the batch, up to the lead", () => {
    const queue = queueOf(0, 1000);
    const batch = queue.take(0, "WRITE", 75);
    const ahead = recordsAhead({
      queue,
      batch,
      at: 0,
      writeBatchSize: 75,
      windowMs: WINDOW,
      budgetEndsAt: 60_000,
    });
    expect(ahead.slice(0, 75)).toEqual(batch);
    expect(ahead).toHaveLength(75 + READ_AHEAD_BATCHES * 75);
    expect(new Set(ahead).size).toBe(ahead.length);
  });

  it("adds only what the execution is expected to send before its budget ends", () => {
    const queue = queueOf(0, 1000);
    const next = queue.peek(0, "WRITE", 75);
    const input = { queue, batch: next, at: 0, writeBatchSize: 75, windowMs: WINDOW };
    expect(recordsAhead({ ...input, budgetEndsAt: WINDOW * 2 })).toHaveLength(75 + 2 * 75);
    expect(recordsAhead({ ...input, budgetEndsAt: WINDOW / 2 })).toEqual(next);
  });
});

describe("alignCategories", () => {
  it("makes reads due just before the writes wait for them", () => {
    const startOf = { GET: 1000, WRITE: 1200 };
    expect(alignCategories(startOf, 500)).toBe(true);
    expect(startOf).toEqual({ GET: 1200, WRITE: 1200 });
  });

  it("never holds the writes back for the reads, nor moves reads due long before", () => {
    const later = { GET: 1200, WRITE: 1000 };
    expect(alignCategories(later, 500)).toBe(false);
    expect(later).toEqual({ GET: 1200, WRITE: 1000 });
    const far = { GET: 0, WRITE: 1200 };
    expect(alignCategories(far, 500)).toBe(false);
    expect(far.GET).toBe(0);
  });
});
