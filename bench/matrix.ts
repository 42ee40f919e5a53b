// Runs the benchmark's scenarios, each in a worker process (worker.ts), a few side by side, within a real-time
// budget. Scenarios with the cost model on go first (the targets are about them), cheapest first; each may use
// a share of what is left of the budget in proportion to its expected work, and one still running when its
// share is spent is stopped and reported with what it had done by then. So the matrix keeps to its time
// however slow the add-on under test (or the machine) is, and a fast add-on finishes every scenario.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunFigures, ScenarioSpec } from "./figures.js";

export interface MatrixEntry {
  spec: ScenarioSpec;
  addOn?: RunFigures;
  rerun?: RunFigures;
  baseline?: RunFigures;
  /** Stopped at its real-time cap before it finished. */
  capped: boolean;
  /** The real seconds it was allowed. */
  capSeconds: number;
  realSeconds: number;
  error?: string;
}

export interface MatrixOptions {
  parallel: number;
  /** Real seconds for the whole matrix. */
  budgetSeconds: number;
  /** At most this many real seconds per scenario, whatever the budget leaves. */
  maxCapSeconds?: number;
  onDone?: (entry: MatrixEntry) => void;
}

const WORKER = join(import.meta.dirname, "worker.ts");

function runWorker(spec: ScenarioSpec, dir: string, index: number, capSeconds: number): Promise<MatrixEntry> {
  const outFile = join(dir, `scenario-${index}.json`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, JSON.stringify(spec), outFile], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    let capped = false;
    // SIGTERM lets the worker's stand-in child see its stdin close and stop too.
    const timer = setTimeout(() => {
      capped = true;
      child.kill("SIGTERM");
    }, capSeconds * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const report = existsSync(outFile)
        ? (JSON.parse(readFileSync(outFile, "utf8")) as Partial<MatrixEntry> & { status?: string })
        : {};
      const entry: MatrixEntry = {
        spec,
        capped: capped && report.status !== "done",
        capSeconds,
        realSeconds: (performance.now() - started) / 1000,
        ...(report.addOn ? { addOn: report.addOn } : {}),
        ...(report.rerun ? { rerun: report.rerun } : {}),
        ...(report.baseline ? { baseline: report.baseline } : {}),
      };
      if (!capped && code !== 0)
        entry.error = stderr.trim().split("\n").slice(-3).join(" ") || `exit ${code}`;
      resolve(entry);
    });
  });
}

/**
 * Real seconds a scenario roughly takes (measured on a busy 2-core machine): processes starting and the
 * baseline's one execution, then work that grows with the rows and a little with the number of batches.
 */
const expectedCost = (spec: ScenarioSpec): number => 5 + (spec.rows / 1000) * (3 + 10 / spec.rate);

/** A scenario may take this many times its share, within what is left: estimates are rough. */
const SHARE_SLACK = 2;

const MIN_CAP_SECONDS = 30;

/** Runs every scenario, at most `parallel` at a time; entries come back in the given order. */
export async function runMatrix(specs: ScenarioSpec[], options: MatrixOptions): Promise<MatrixEntry[]> {
  const dir = mkdtempSync(join(tmpdir(), "extend-bench-"));
  const modelOnFirst = (spec: ScenarioSpec) => (spec.costModel === "on" ? 0 : 1);
  const order = specs
    .map((spec, index) => ({ spec, index }))
    .sort(
      (a, b) => modelOnFirst(a.spec) - modelOnFirst(b.spec) || expectedCost(a.spec) - expectedCost(b.spec),
    );
  let costLeft = order.reduce((sum, job) => sum + expectedCost(job.spec), 0);
  const entries: MatrixEntry[] = new Array(specs.length);
  const parallel = Math.max(1, options.parallel);
  const endsAt = performance.now() + options.budgetSeconds * 1000;
  try {
    let next = 0;
    const lane = async () => {
      while (next < order.length) {
        const job = order[next++];
        if (!job) break;
        // Its share of the lanes' time left, by its part of the work still to start (this one included).
        const cost = expectedCost(job.spec);
        const left = order.length - next + 1;
        const laneSecondsLeft = (endsAt - performance.now()) / 1000;
        const share = (laneSecondsLeft * Math.min(parallel, left) * cost) / costLeft;
        costLeft -= cost;
        const cap = Math.min(
          Math.max(MIN_CAP_SECONDS, Math.min(SHARE_SLACK * share, laneSecondsLeft)),
          options.maxCapSeconds ?? Number.POSITIVE_INFINITY,
        );
        const entry = await runWorker(job.spec, dir, job.index, cap);
        entries[job.index] = entry;
        options.onDone?.(entry);
      }
    };
    await Promise.all(Array.from({ length: parallel }, lane));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return entries;
}
