// Unit tests for src/ui/sidebar/format.ts: progress figures, rate and the time-left estimate.
import { describe, expect, it } from "vitest";
import { emptyCounts } from "../../../src/core/engine/job";
import type { SyncProgress } from "../../../src/core/views/sidebar-api";
import {
  counted,
  EXECUTION_GAP_SECONDS,
  figuresOf,
  formatDuration,
  formatRate,
  formatTime,
  percent,
  secondsLeft,
} from "../../../src/ui/sidebar/format";

const counts = emptyCounts();

describe("figuresOf", () => {
  it("counts rows done from rows left, and sent rows from updated and failed", () => {
    const progress: SyncProgress = {
      jobId: "j",
      kind: "update",
      sheetName: "Runs",
      state: "paused",
      counts: { ...counts, updated: 700, failed: 20, invalid: 5 },
      rowsLeft: 275,
      rowsToSend: 1000,
      rate: 10,
      executions: 2,
      notSynced: [],
    };
    expect(figuresOf(progress)).toMatchObject({
      rowsDone: 725,
      rowsLeft: 275,
      sent: 720,
      failed: 20,
      rowsToSend: 1000,
    });
    expect(percent(figuresOf(progress))).toBe(72);
    expect(percent(figuresOf({ ...progress, rowsToSend: 0, rowsLeft: 0 }))).toBe(100);
  });

  it("counts reads for a refresh, says an import is still listing, and keeps a tag mode other than replace", () => {
    const base: SyncProgress = {
      jobId: "j",
      kind: "refresh",
      sheetName: "Runs",
      state: "paused",
      counts: { ...counts, read: 40, readFailed: 2, imported: 0 },
      rowsLeft: 58,
      rowsToSend: 100,
      rate: 10,
      executions: 1,
      notSynced: [],
    };
    expect(figuresOf(base)).toMatchObject({ kind: "refresh", sent: 42, failed: 2, listing: false });
    expect(
      figuresOf({ ...base, kind: "import", listing: true, counts: { ...base.counts, imported: 300 } }),
    ).toMatchObject({
      listing: true,
      imported: 300,
    });
    expect(figuresOf({ ...base, kind: "update", tagMode: "add" }).tagMode).toBe("add");
    expect(figuresOf({ ...base, kind: "update", tagMode: "replace" }).tagMode).toBeUndefined();
  });
});

describe("secondsLeft", () => {
  it("adds a gap per execution to the time the rate needs", () => {
    expect(secondsLeft({ rowsLeft: 5400, rate: 10, budgetSeconds: 270 })).toBe(
      540 + 2 * EXECUTION_GAP_SECONDS,
    );
    expect(secondsLeft({ rowsLeft: 0, rate: 10, budgetSeconds: 270 })).toBe(0);
  });

  it("prefers the speed seen so far", () => {
    expect(secondsLeft({ rowsLeft: 600, rate: 10, budgetSeconds: 270, observedRowsPerSecond: 6 })).toBe(100);
  });
});

describe("formatting", () => {
  it("rounds durations the way a person says them", () => {
    expect(formatDuration(3)).toBe("a few seconds");
    expect(formatDuration(42)).toBe("about 45 s");
    expect(formatDuration(181)).toBe("about 4 min");
    expect(formatDuration(4800)).toBe("about 1 h 20 min");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("unknown");
  });

  it("shows the rate in rows per second", () => {
    expect(formatRate(7.25)).toBe("7.3 rows/s");
    expect(formatRate(75)).toBe("75 rows/s");
    expect(formatRate(1)).toBe("1 row/s");
    expect(formatRate(1, "run")).toBe("1 run/s");
    expect(formatRate(0.5, "run")).toBe("0.5 runs/s");
  });
});

describe("formatTime", () => {
  const at = Date.UTC(2026, 6, 1, 10, 31);
  it("shows the spreadsheet's time, not the browser's, and names the zone when the two differ", () => {
    expect(formatTime(at, "Europe/Berlin", "Europe/Berlin")).toBe("2026-07-01 12:31");
    expect(formatTime(at, "Europe/Berlin", "Europe/London")).toBe("2026-07-01 12:31 (Europe/Berlin)");
    expect(formatTime(at, "Asia/Kolkata", "UTC")).toBe("2026-07-01 16:01 (Asia/Kolkata)");
  });

  it("falls back to the browser's zone, unnamed, for a zone it does not know", () => {
    expect(formatTime(at, "Not/AZone", "UTC")).toBe(formatTime(at, undefined, "UTC"));
  });
});

describe("counted", () => {
  it("puts the noun and verb in the right number", () => {
    expect(counted(1, "row was", "rows were")).toBe("1 row was");
    expect(counted(2, "row was", "rows were")).toBe("2 rows were");
    expect(counted(1200, "run", "runs")).toBe("1,200 runs");
  });
});
