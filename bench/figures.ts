// What the benchmark measures of one run (the add-on's sync, its unchanged re-run, or the naive baseline),
// how it reads those figures from the host, and the exact JSON of `npm run bench -- --json FILE`.
import {
  type Accounting,
  AREAS,
  type Area,
  type CostModel,
  type CostModelName,
  type GasHost,
} from "../dev/gas-host/index.js";

export interface ScenarioSpec {
  rows: number;
  /** The add-on's rate setting and the stand-in's rate limit, requests per second. */
  rate: number;
  costModel: CostModelName;
  /** A model measured in a real spreadsheet (--cost-model FILE.json), charged instead of costModel's. */
  measuredModel?: CostModel;
  /** The stand-in's latency per request, ms. */
  latencyMs: number;
  /** Keep history on: every update reads its run first and is recorded (issue 18); off when absent. */
  history?: boolean;
  /** The stand-in limits GET and WRITE together, one bucket of `rate` (--shared-limit); apart when absent. */
  sharedLimit?: boolean;
}

export interface RunFigures {
  /** Simulated seconds from the click until the sync was done (for the baseline: see extrapolated). */
  wallSeconds: number;
  /** Real seconds the simulation took. */
  realSeconds: number;
  executions: number;
  killed: number;
  /** Rows that got a result in this run. */
  rowsDone: number;
  sheetsCalls: number;
  sheetsRoundTrips: number;
  cellsRead: number;
  cellsWritten: number;
  propertiesCalls: number;
  urlFetchRequests: number;
  answered429: number;
  /** Time per area, seconds (shares are of wallSeconds). */
  timeSeconds: Record<Area, number>;
  /** False when the run did not finish (a real-time cap, or the baseline's one execution). */
  complete: boolean;
  /** Baseline only: figures extrapolated from one execution, which the naive script cannot resume. */
  extrapolated?: boolean;
}

/** Reads a run's figures from the host's accounting (reset before the run). */
export function figuresOf(
  host: GasHost,
  run: {
    wallMs: number;
    realMs: number;
    executions: number;
    killed: number;
    rowsDone: number;
    complete: boolean;
  },
): RunFigures {
  const accounting: Accounting = host.accounting.snapshot();
  return {
    wallSeconds: run.wallMs / 1000,
    realSeconds: run.realMs / 1000,
    executions: run.executions,
    killed: run.killed,
    rowsDone: run.rowsDone,
    sheetsCalls: accounting.calls.sheets,
    sheetsRoundTrips: accounting.sheets.roundTrips,
    cellsRead: accounting.sheets.cellsRead,
    cellsWritten: accounting.sheets.cellsWritten,
    propertiesCalls: accounting.calls.properties,
    urlFetchRequests: accounting.urlFetch.requests,
    answered429: accounting.urlFetch.answered429,
    timeSeconds: Object.fromEntries(AREAS.map((area) => [area, accounting.timeMs[area] / 1000])) as Record<
      Area,
      number
    >,
    complete: run.complete,
  };
}

/** Rows whose "Sync Result" cell is filled: the rows a run has finished with. */
export function rowsWithResult(host: GasHost, sheetName: string): number {
  const [header = [], ...rows] = host.spreadsheet.sheet(sheetName).values();
  const column = header.indexOf("Sync Result");
  return column < 0 ? 0 : rows.filter((row) => row[column] !== "" && row[column] !== undefined).length;
}

export const floorSeconds = (spec: ScenarioSpec): number => spec.rows / spec.rate;

/** The one-scenario JSON: exactly these keys (per-row figures are per row of the sheet). */
export interface ScenarioJson {
  rows: number;
  rate: number;
  /** on, off, high, or a measured model's name. */
  costModel: string;
  wallSeconds: number;
  floorSeconds: number;
  ratioToFloor: number;
  executions: number;
  rowsPerExecution: number;
  sheetsCalls: number;
  cellsRead: number;
  cellsWritten: number;
  propertiesCalls: number;
  urlFetchRequests: number;
  answered429: number;
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export function scenarioJson(spec: ScenarioSpec, run: RunFigures): ScenarioJson {
  const floor = floorSeconds(spec);
  return {
    rows: spec.rows,
    rate: spec.rate,
    costModel: spec.measuredModel?.name ?? spec.costModel,
    wallSeconds: round(run.wallSeconds, 1),
    floorSeconds: round(floor, 1),
    ratioToFloor: round(run.wallSeconds / floor),
    executions: run.executions,
    rowsPerExecution: round(rowsPerExecution(spec, run), 0),
    sheetsCalls: round(run.sheetsCalls / rowsCovered(spec, run), 4),
    cellsRead: round(run.cellsRead / rowsCovered(spec, run), 1),
    cellsWritten: round(run.cellsWritten / rowsCovered(spec, run), 2),
    propertiesCalls: run.propertiesCalls,
    urlFetchRequests: round(run.urlFetchRequests / rowsCovered(spec, run)),
    answered429: run.answered429,
  };
}

/**
 * Per-row figures divide by the rows a run covered: all of them once it finished; the rows it did when it was
 * stopped early or, for the baseline, in its one execution.
 */
export const rowsCovered = (spec: ScenarioSpec, run: RunFigures): number =>
  run.complete && !run.extrapolated ? spec.rows : Math.max(1, run.rowsDone);

/** Rows a 6-minute execution gets through: all rows over the executions it took (or measured, baseline). */
export function rowsPerExecution(spec: ScenarioSpec, run: RunFigures): number {
  if (run.extrapolated) return run.rowsDone;
  return spec.rows / Math.max(1, run.executions);
}
