// The benchmark's verdicts come from its figures: the one-scenario JSON has exactly the documented keys, and
// each target is met or missed by the numbers (an unfinished scenario never counts as met).
import { describe, expect, it } from "vitest";
import { type RunFigures, type ScenarioSpec, scenarioJson } from "../../bench/figures.js";
import type { MatrixEntry } from "../../bench/matrix.js";
import { evaluateTargets } from "../../bench/targets.js";
import { AREAS } from "../../dev/gas-host/index.js";

const zero = Object.fromEntries(AREAS.map((area) => [area, 0])) as RunFigures["timeSeconds"];

const run = (figures: Partial<RunFigures>): RunFigures => ({
  wallSeconds: 0,
  realSeconds: 1,
  executions: 1,
  killed: 0,
  rowsDone: 0,
  sheetsCalls: 0,
  sheetsRoundTrips: 0,
  cellsRead: 0,
  cellsWritten: 0,
  propertiesCalls: 0,
  urlFetchRequests: 0,
  answered429: 0,
  timeSeconds: zero,
  complete: true,
  ...figures,
});

/** A scenario the add-on finishes at `ratio` times the floor in `executions` executions. */
function entry(rows: number, rate: number, ratio: number, extra: Partial<MatrixEntry> = {}): MatrixEntry {
  const spec: ScenarioSpec = { rows, rate, costModel: "on", latencyMs: 100 };
  return {
    spec,
    capped: false,
    capSeconds: 60,
    realSeconds: 1,
    addOn: run({
      wallSeconds: (rows / rate) * ratio,
      rowsDone: rows,
      sheetsCalls: rows / 200,
      urlFetchRequests: rows,
    }),
    rerun: run({ rowsDone: rows }),
    baseline: run({ rowsDone: 1000, sheetsCalls: 10_000, extrapolated: true, complete: false }),
    ...extra,
  };
}

const matrix = () => [
  ...[10_000, 20_000].flatMap((rows) => [10, 25, 75].map((rate) => entry(rows, rate, 1.05))),
  entry(100, 75, 1.9),
  entry(2_400, 75, 1.09),
];

describe("the one-scenario JSON", () => {
  it("has exactly the documented keys, per-row figures per row", () => {
    const spec: ScenarioSpec = { rows: 1000, rate: 25, costModel: "high", latencyMs: 100 };
    const json = scenarioJson(
      spec,
      run({ wallSeconds: 44, sheetsCalls: 500, cellsRead: 2000, urlFetchRequests: 1010, answered429: 3 }),
    );
    expect(Object.keys(json)).toEqual([
      "rows",
      "rate",
      "costModel",
      "wallSeconds",
      "floorSeconds",
      "ratioToFloor",
      "executions",
      "rowsPerExecution",
      "sheetsCalls",
      "cellsRead",
      "cellsWritten",
      "propertiesCalls",
      "urlFetchRequests",
      "answered429",
    ]);
    expect(json).toMatchObject({
      floorSeconds: 40,
      ratioToFloor: 1.1,
      rowsPerExecution: 1000,
      sheetsCalls: 0.5,
      cellsRead: 2,
      urlFetchRequests: 1.01,
      answered429: 3,
      costModel: "high",
    });
  });
});

describe("the targets", () => {
  it("are all met by figures that meet them", () => {
    const results = evaluateTargets(matrix(), 12);
    expect(results.map((result) => result.met)).toEqual([true, true, true, true, true, true, true]);
  });

  it("miss the floor target for one slow scenario, or for one 429 answer", () => {
    const slow = matrix();
    slow[2] = entry(10_000, 75, 1.2);
    expect(evaluateTargets(slow, 12)[0]).toMatchObject({
      met: false,
      detail: "10,000 rows @ 75/s: 1.20×, 0 × 429",
    });
    const limited = matrix();
    const first = limited[0] as MatrixEntry;
    if (first.addOn) first.addOn.answered429 = 1;
    expect(evaluateTargets(limited, 12)[0]?.met).toBe(false);
  });

  it("miss rows per execution when the 20,000-row sync at 75/s takes two executions", () => {
    const twice = matrix();
    const fast = twice[5] as MatrixEntry;
    if (fast.addOn) fast.addOn.executions = 2;
    expect(evaluateTargets(twice, 12)[1]).toMatchObject({
      met: false,
      detail: "10,000 rows per execution (20,000 rows)",
    });
  });

  it("miss the Sheets-calls ratio, the request counts and the core's CPU when the figures do", () => {
    const chatty = matrix();
    const first = chatty[0] as MatrixEntry;
    if (first.addOn) first.addOn.sheetsCalls = 10_000 * 0.2;
    const rerunSends = matrix();
    const second = rerunSends[1] as MatrixEntry;
    if (second.rerun) second.rerun.urlFetchRequests = 3;
    expect(evaluateTargets(chatty, 12)[2]?.met).toBe(false);
    expect(evaluateTargets(rerunSends, 12)[3]?.met).toBe(false);
    expect(evaluateTargets(matrix(), 20.5)[4]?.met).toBe(false);
  });

  it("judge the Sheets-calls ratio at 10,000 and 20,000 rows only, as the issue's targets are", () => {
    const small = entry(1_000, 10, 1.05);
    if (small.addOn) small.addOn.sheetsCalls = 1_000 * 0.2;
    const withSmall = [small, ...matrix()];
    expect(evaluateTargets(withSmall, 12)[2]).toMatchObject({
      met: true,
      detail: "lowest 2000.0× (10,000 rows @ 10/s)",
    });
  });

  it("miss a small job's target when its fixed cost puts it past its ratio to the floor, or it is not run", () => {
    const slowSmall = matrix();
    slowSmall[6] = entry(100, 75, 2.3);
    slowSmall[7] = entry(2_400, 75, 1.12);
    const results = evaluateTargets(slowSmall, 12);
    expect(results[5]).toMatchObject({ met: false, detail: "2.30×" });
    expect(results[6]).toMatchObject({ met: false, detail: "1.12×" });
    expect(evaluateTargets(matrix().slice(0, 6), 12)[5]).toMatchObject({
      met: false,
      detail: "not run or did not finish",
    });
  });

  it("count a scenario stopped before it finished as missed", () => {
    const stopped = matrix();
    const first = stopped[0] as MatrixEntry;
    if (first.addOn) first.addOn.complete = false;
    const results = evaluateTargets(stopped, 12);
    expect(results[0]).toMatchObject({ met: false });
    expect(results[0]?.detail).toContain("did not finish");
    expect(results[2]?.met).toBe(false);
  });
});
