// Unit tests for src/core/engine/job.ts: counts, the lease, whether a job still blocks a new sync, parsing.
import { describe, expect, it } from "vitest";
import {
  ACTIVE_GAP_MS,
  addCounts,
  emptyCounts,
  jobIsActive,
  leaseIsHeld,
  parseJob,
  type SyncCounts,
  type SyncJob,
} from "../../../src/core/engine/job";

const NOW = 1_770_000_000_000;

function job(extra: Partial<SyncJob> = {}): SyncJob {
  return {
    id: "1a2b3c4d",
    sheetId: 0,
    sheetName: "Runs",
    scopeLabel: "All rows",
    force: false,
    startedBy: "ops@example.com",
    startedAt: NOW - 60_000,
    lastActivityAt: NOW - 10 * 60_000,
    executions: 1,
    rate: 10,
    rowsToSend: 100,
    counts: emptyCounts(),
    status: "running",
    ...extra,
  };
}

describe("emptyCounts and addCounts", () => {
  it("starts every count at zero, in a new object each time", () => {
    expect(emptyCounts()).toEqual({
      requests: 0,
      updated: 0,
      failed: 0,
      invalid: 0,
      unchanged: 0,
      noop: 0,
      missing: 0,
      notSynced: 0,
      read: 0,
      readFailed: 0,
      matching: 0,
      changing: 0,
      imported: 0,
    });
    expect(emptyCounts()).not.toBe(emptyCounts());
  });

  const base: SyncCounts = {
    ...emptyCounts(),
    requests: 10,
    updated: 5,
    failed: 1,
    invalid: 2,
    unchanged: 3,
    noop: 4,
    missing: 0,
    notSynced: 0,
  };

  it.each<[Partial<SyncCounts>, SyncCounts]>([
    [{}, base],
    [{ requests: 3 }, { ...base, requests: 13 }],
    [
      { updated: 2, failed: 1, missing: 1 },
      { ...base, updated: 7, failed: 2, missing: 1 },
    ],
    [
      { requests: 1, updated: 1, failed: 1, invalid: 1, unchanged: 1, noop: 1, missing: 1 },
      { ...base, requests: 11, updated: 6, failed: 2, invalid: 3, unchanged: 4, noop: 5, missing: 1 },
    ],
    [{ updated: undefined }, base],
  ])("adds %j", (delta, expected) => {
    expect(addCounts(base, delta)).toEqual(expected);
  });

  it("does not change its inputs", () => {
    const a = emptyCounts();
    const b = { updated: 1 };
    addCounts(a, b);
    expect(a).toEqual(emptyCounts());
    expect(b).toEqual({ updated: 1 });
  });

  it("ignores keys that are not counts", () => {
    expect(addCounts(emptyCounts(), { bogus: 5 } as Partial<SyncCounts>)).toEqual(emptyCounts());
  });
});

describe("leaseIsHeld", () => {
  it.each<[SyncJob["lease"], boolean]>([
    [undefined, false],
    [{ token: "t", expiresAt: NOW + 1 }, true],
    [{ token: "t", expiresAt: NOW + 60_000 }, true],
    [{ token: "t", expiresAt: NOW }, false],
    [{ token: "t", expiresAt: NOW - 1 }, false],
  ])("lease %j -> %s", (lease, held) => {
    const value = lease === undefined ? job() : job({ lease });
    expect(leaseIsHeld(value, NOW)).toBe(held);
  });
});

describe("ACTIVE_GAP_MS and jobIsActive", () => {
  it("is 90 seconds", () => {
    expect(ACTIVE_GAP_MS).toBe(30_000);
  });

  it.each<[string, SyncJob | undefined, boolean]>([
    ["no job", undefined, false],
    ["running, idle for 10 minutes, no lease", job(), false],
    ["running, lease held", job({ lease: { token: "t", expiresAt: NOW + 5_000 } }), true],
    ["running, lease expired, idle", job({ lease: { token: "t", expiresAt: NOW - 5_000 } }), false],
    ["running, touched 1 s ago", job({ lastActivityAt: NOW - 1_000 }), true],
    ["running, touched just under the gap", job({ lastActivityAt: NOW - ACTIVE_GAP_MS + 1 }), true],
    ["running, touched exactly the gap ago", job({ lastActivityAt: NOW - ACTIVE_GAP_MS }), false],
    [
      "finished, even with a lease and fresh activity",
      job({ status: "finished", lastActivityAt: NOW, lease: { token: "t", expiresAt: NOW + 5_000 } }),
      false,
    ],
    ["stopped, fresh activity", job({ status: "stopped", lastActivityAt: NOW }), false],
  ])("%s -> %s", (_label, value, active) => {
    expect(jobIsActive(value, NOW)).toBe(active);
  });
});

describe("parseJob", () => {
  it("round-trips a saved job", () => {
    const saved = job({ lease: { token: "t", expiresAt: NOW }, stopReason: "why", force: true });
    expect(parseJob(JSON.stringify(saved))).toEqual(saved);
  });

  it.each<[string, string | null | undefined]>([
    ["undefined", undefined],
    ["null", null],
    ["empty", ""],
    ["not JSON", "{oops"],
    ["JSON null", "null"],
    ["a number", "42"],
    ["a string", '"job"'],
    ["no id", JSON.stringify({ counts: emptyCounts() })],
    ["a numeric id", JSON.stringify({ id: 1, counts: emptyCounts() })],
    ["no counts", JSON.stringify({ id: "x" })],
  ])("%s -> undefined", (_label, text) => {
    expect(parseJob(text)).toBeUndefined();
  });
});
