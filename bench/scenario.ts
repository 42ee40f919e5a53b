// One benchmark scenario: a sheet of N rows synced by the built add-on in the local host against its own
// Extend stand-in (rate limit = the add-on's rate), then synced again unchanged, then, optionally, the naive
// baseline on the same rows. Everything is measured through the host (accounting, clock), so it works on
// whatever the add-on does inside.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GasHost, type GasHostOptions } from "../dev/gas-host/index.js";
import { clickAndFinish, configureAddOn, type SyncRun } from "../dev/local-run.js";
import { type StandInClient, startStandInProcess } from "../dev/stand-in/process.js";
import { figuresOf, type RunFigures, rowsWithResult, type ScenarioSpec } from "./figures.js";
import { BENCH_SHEET, loadBenchSheet } from "./sheet-data.js";

const API_KEY = "bench-key-not-secret";
const PROGRESS_EVERY_MS = 5_000;
const NAIVE_SCRIPT = readFileSync(join(import.meta.dirname, "naive-baseline.js"), "utf8");

export type BenchClock = "virtual" | "real";

export interface ScenarioResult {
  spec: ScenarioSpec;
  clock: BenchClock;
  addOn: RunFigures;
  rerun?: RunFigures;
  baseline?: RunFigures;
}

export interface ScenarioOptions {
  clock: BenchClock;
  rerun: boolean;
  baseline: boolean;
  /** Called with what is known so far: after the baseline, and after every execution of the add-on's sync. */
  onProgress?: (partial: Partial<Omit<ScenarioResult, "spec" | "clock">>) => void;
}

// The benchmark plays a Google Workspace user: a 20,000-row sync with retries would pass the consumer
// account's 20,000 UrlFetch calls a day, which is a quota, not a speed.
const hostOptions = (spec: ScenarioSpec, clock: BenchClock): GasHostOptions => ({
  clock,
  costModel: spec.measuredModel ?? spec.costModel,
  urlFetchDailyQuota: 100_000,
  propertiesDailyQuota: 500_000,
});

export async function runScenario(spec: ScenarioSpec, options: ScenarioOptions): Promise<ScenarioResult> {
  const extend = await startStandInProcess({
    apiKey: API_KEY,
    runCount: spec.rows,
    rate: spec.rate,
    latencyMs: spec.latencyMs,
    virtualClock: options.clock === "virtual",
    ...(spec.sharedLimit ? { sharedRateLimit: true } : {}),
  });
  try {
    // The baseline goes first: it is cheap (one execution), so a run cut short still has it.
    const baseline = options.baseline ? runBaseline(extend, spec, options.clock) : undefined;
    if (baseline) {
      options.onProgress?.({ baseline });
      await extend.reset({ runs: true });
    }
    const progress = (addOn: RunFigures) =>
      options.onProgress?.({ ...(baseline ? { baseline } : {}), addOn });
    return {
      spec,
      clock: options.clock,
      ...runAddOn(extend, spec, options.clock, options.rerun, progress),
      ...(baseline ? { baseline } : {}),
    };
  } finally {
    await extend.close();
  }
}

function runAddOn(
  extend: StandInClient,
  spec: ScenarioSpec,
  clock: BenchClock,
  rerun: boolean,
  onProgress: (partial: RunFigures) => void,
): { addOn: RunFigures; rerun?: RunFigures } {
  const host = new GasHost(hostOptions(spec, clock));
  try {
    loadBenchSheet(host, spec.rows);
    // History on or off as the scenario says (off in the matrix, which measures the update alone).
    configureAddOn(host, {
      apiKey: API_KEY,
      baseUrl: extend.url,
      rate: spec.rate,
      keepHistory: spec.history === true,
    });
    host.startFetchWorker();
    host.open();
    const addOn = measureSync(host, onProgress);
    onProgress(addOn);
    return rerun ? { addOn, rerun: measureSync(host) } : { addOn };
  } finally {
    host.dispose();
  }
}

/** One "Sync all rows" until done, measured from the click (the gap before the click is not the sync's). */
function measureSync(host: GasHost, onProgress?: (partial: RunFigures) => void): RunFigures {
  host.accounting.reset();
  const initialGapMs = host.costModel.executionGapMs;
  const virtualStart = host.clock.now();
  const realStart = performance.now();
  const executionsBefore = host.executions.length;
  const figures = (executions: number, killed: number, complete: boolean): RunFigures => {
    const measured = figuresOf(host, {
      wallMs: host.clock.now() - virtualStart - initialGapMs,
      realMs: performance.now() - realStart,
      executions,
      killed,
      rowsDone: rowsWithResult(host, BENCH_SHEET),
      complete,
    });
    measured.timeSeconds.gap = Math.max(0, measured.timeSeconds.gap - initialGapMs / 1000);
    return measured;
  };
  const soFar = (run: SyncRun) => figures(run.executions.length, run.killed, false);
  // Progress also comes in the middle of long executions, so a run stopped at its time cap still tells.
  let lastReport = performance.now();
  if (onProgress) {
    host.onServiceCall = () => {
      if (performance.now() - lastReport < PROGRESS_EVERY_MS) return;
      lastReport = performance.now();
      const started = host.executions.slice(executionsBefore);
      onProgress(figures(started.length + 1, started.filter((result) => result.killed).length, false));
    };
  }
  try {
    const run = clickAndFinish(host, "Sync all rows", {
      ...(onProgress ? { onExecution: (partial: SyncRun) => onProgress(soFar(partial)) } : {}),
    });
    return figures(run.executions.length, run.killed, true);
  } finally {
    host.onServiceCall = undefined;
  }
}

/**
 * The naive script gets one execution: it cannot resume, so when the sheet is too long for one execution the
 * figures of that execution are extrapolated to all rows (rows per execution and per-row figures measured,
 * wall time = time per row x rows), and marked as such.
 */
function runBaseline(extend: StandInClient, spec: ScenarioSpec, clock: BenchClock): RunFigures {
  const host = new GasHost({ ...hostOptions(spec, clock), scriptCode: NAIVE_SCRIPT });
  try {
    loadBenchSheet(host, spec.rows);
    configureAddOn(host, { apiKey: API_KEY, baseUrl: extend.url });
    host.startFetchWorker();
    host.accounting.reset();
    const realStart = performance.now();
    const result = host.run("naiveSync");
    if (result.error && !result.killed) throw new Error(`naive baseline failed: ${result.error.message}`);
    const rowsDone = rowsWithResult(host, BENCH_SHEET);
    const figures = figuresOf(host, {
      wallMs: result.durationMs,
      realMs: performance.now() - realStart,
      executions: 1,
      killed: result.killed ? 1 : 0,
      rowsDone,
      complete: rowsDone >= spec.rows,
    });
    if (figures.complete) return figures;
    const scale = spec.rows / Math.max(1, rowsDone);
    const timeSeconds = Object.fromEntries(
      Object.entries(figures.timeSeconds).map(([area, seconds]) => [area, seconds * scale]),
    ) as RunFigures["timeSeconds"];
    return {
      ...figures,
      wallSeconds: figures.wallSeconds * scale,
      timeSeconds,
      executions: Math.ceil(scale),
      extrapolated: true,
    };
  } finally {
    host.dispose();
  }
}
