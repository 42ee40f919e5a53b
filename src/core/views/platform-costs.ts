// What the platform check measured of Apps Script's service calls, turned into the local host's cost model
// (dev/gas-host/cost-model.ts): the same fields in the same units, so the report's JSON saved as a file runs
// the benchmark with this spreadsheet's costs (npm run bench -- --cost-model FILE.json). A figure the check
// cannot measure (or whose probe failed) keeps the host's typical one and is named as not measured.

/** The host's CostModel, field for field (test/core/platform-costs.test.ts keeps the two the same). */
export interface MeasuredCostModel {
  name: string;
  sheets: {
    roundTripMs: number;
    cellReadMs: number;
    writeQueueMs: number;
    commitMs: number;
    cellWriteMs: number;
  };
  properties: { getMs: number; setMs: number };
  lock: { callMs: number };
  urlFetch: { callMs: number; concurrency: number; jitterMs: number };
  sleepOverheadMs: number;
  executionGapMs: number;
}

/** The host's "on" model: what a figure is when it could not be measured. */
export const TYPICAL_COSTS: MeasuredCostModel = {
  name: "on",
  sheets: { roundTripMs: 60, cellReadMs: 0.02, writeQueueMs: 0.4, commitMs: 30, cellWriteMs: 0.1 },
  properties: { getMs: 30, setMs: 62 },
  lock: { callMs: 50 },
  urlFetch: { callMs: 50, concurrency: 20, jitterMs: 20 },
  sleepOverheadMs: 10,
  executionGapMs: 2000,
};

/** Timed calls, in milliseconds; a part missing means its probe failed or ran out of time. */
export interface CostSamples {
  /** Each of a few getLastRow calls. */
  roundTrips?: number[];
  /** One getValues of `cells` cells. */
  bigRead?: { cells: number; ms: number };
  /** One-cell setValue calls queued (no read or flush between them): each figure the mean of a batch. */
  queuedWrites?: number[];
  /** A flush committing one queued one-cell write. */
  smallFlushMs?: number;
  /** A flush committing one setValues of `cells` cells. */
  bigFlush?: { cells: number; ms: number };
  propertyGets?: number[];
  propertySets?: number[];
  /** Each tryLock and releaseLock. */
  lockCalls?: number[];
  /** Utilities.sleep(requested) calls and what each took. */
  sleeps?: { requestedMs: number; ms: number }[];
  /** A fetchAll of one List request, and one of `count` at once (the same request). */
  fetchOneMs?: number;
  fetchMany?: { count: number; ms: number };
}

/** Field paths ("sheets.roundTripMs") that kept the typical figure. */
export interface MeasuredCosts {
  model: MeasuredCostModel;
  notMeasured: string[];
  /** The concurrency seen is only a lower bound: every request of the check's fetchAll ran at once. */
  concurrencyAtLeast: boolean;
}

function median(values: readonly number[] | undefined): number | undefined {
  if (!values || values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Milliseconds kept to the microsecond: per-cell figures are fractions of one. */
const rounded = (ms: number) => Math.round(Math.max(0, ms) * 1000) / 1000;

export function measuredCosts(samples: CostSamples, name: string): MeasuredCosts {
  const notMeasured: string[] = [];
  const pick = (path: string, value: number | undefined, typical: number): number => {
    if (value === undefined || !Number.isFinite(value)) {
      notMeasured.push(path);
      return typical;
    }
    return rounded(value);
  };
  const typical = TYPICAL_COSTS;
  const roundTrip = median(samples.roundTrips);
  const cellRead =
    samples.bigRead && roundTrip !== undefined && samples.bigRead.cells > 0
      ? (samples.bigRead.ms - roundTrip) / samples.bigRead.cells
      : undefined;
  const commit = samples.smallFlushMs;
  const cellWrite =
    samples.bigFlush && commit !== undefined && samples.bigFlush.cells > 0
      ? (samples.bigFlush.ms - commit) / samples.bigFlush.cells
      : undefined;
  const lockCall = median(samples.lockCalls);
  const sleepOver = median(samples.sleeps?.map((sleep) => sleep.ms - sleep.requestedMs));

  // One request's fetchAll takes the call's overhead plus Extend's answer time, which cannot be told apart
  // from here: the whole is taken as the overhead (an upper bound). Requests sent at once that take about as
  // long as one ran in one wave, so the concurrency is at least their number.
  const one = samples.fetchOneMs;
  const many = samples.fetchMany;
  let concurrency: number | undefined;
  let jitter: number | undefined;
  let concurrencyAtLeast = false;
  if (one !== undefined && many !== undefined && one > 0 && many.count > 1) {
    const waves = Math.max(1, Math.round(many.ms / one));
    concurrency = Math.ceil(many.count / waves);
    concurrencyAtLeast = waves === 1;
    if (waves === 1) jitter = many.ms - one;
  }
  const model: MeasuredCostModel = {
    name,
    sheets: {
      roundTripMs: pick("sheets.roundTripMs", roundTrip, typical.sheets.roundTripMs),
      cellReadMs: pick("sheets.cellReadMs", cellRead, typical.sheets.cellReadMs),
      writeQueueMs: pick("sheets.writeQueueMs", median(samples.queuedWrites), typical.sheets.writeQueueMs),
      commitMs: pick("sheets.commitMs", commit, typical.sheets.commitMs),
      cellWriteMs: pick("sheets.cellWriteMs", cellWrite, typical.sheets.cellWriteMs),
    },
    properties: {
      getMs: pick("properties.getMs", median(samples.propertyGets), typical.properties.getMs),
      setMs: pick("properties.setMs", median(samples.propertySets), typical.properties.setMs),
    },
    lock: { callMs: pick("lock.callMs", lockCall, typical.lock.callMs) },
    urlFetch: {
      callMs: pick("urlFetch.callMs", one, typical.urlFetch.callMs),
      concurrency: concurrency ?? pick("urlFetch.concurrency", undefined, typical.urlFetch.concurrency),
      jitterMs: pick("urlFetch.jitterMs", jitter, typical.urlFetch.jitterMs),
    },
    sleepOverheadMs: pick("sleepOverheadMs", sleepOver, typical.sleepOverheadMs),
    // The pause between two executions cannot be seen from inside one.
    executionGapMs: pick("executionGapMs", undefined, typical.executionGapMs),
  };
  return { model, notMeasured, concurrencyAtLeast };
}
