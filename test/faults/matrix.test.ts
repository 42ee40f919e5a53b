// The fault matrix (issues #7 and #14): every job kind (a sync replacing, adding or removing tags, a refresh, a
// preview, an import with and without current values; with Keep history on, a sync and the undo of one) through the built bundle in the local Apps Script host against the Extend stand-in, under each fault
// alone and then all of them mixed at 5% and 20%, with the checks of checks*.ts after every job. Writes its report
// to .test-results/reliability.md, or to the path in FAULT_MATRIX_REPORT (`npm run test:faults` writes
// docs/reliability.md). FAULT_MATRIX_ROWS sets the rows of a sync that replaces tags (1,000), and
// FAULT_MATRIX_READBACK_ROWS those of the other kinds (150), FAULT_MATRIX_HISTORY_ROWS those of the history kinds (40); FAULT_MATRIX_CLOCK=real runs it in real time (slow:
// retries really wait; use FAULT_MATRIX_ROWS=100 or so). The stand-in's faults follow FAULT_SEED (default 1): a
// failure names its seed, and FAULT_SEED=<n> replays it, whatever order the requests arrive in (faults.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClockMode } from "../../dev/gas-host/index.js";
import { FetchWorker } from "../../dev/gas-host/url-fetch.js";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { generateSeededRuns, seededRunIds } from "../../dev/stand-in/runs.js";
import { KINDS } from "./kinds.js";
import { writeReport } from "./report.js";
import { runImportScenario } from "./run-import.js";
import { API_KEY, type MatrixSettings, runScenario, type ScenarioResult } from "./run-scenario.js";
import { runUndoScenario } from "./run-undo.js";
import { SCENARIOS } from "./scenarios.js";
import { seededRunsNeeded } from "./sheet.js";

const clock: ClockMode = process.env.FAULT_MATRIX_CLOCK === "real" ? "real" : "virtual";
const updateRows = Number(process.env.FAULT_MATRIX_ROWS ?? 1000);
const readbackRows = Number(process.env.FAULT_MATRIX_READBACK_ROWS ?? 150);
const historyRows = Number(process.env.FAULT_MATRIX_HISTORY_ROWS ?? 40);
const faultSeed = Number(process.env.FAULT_SEED ?? 1);
const reportPath = process.env.FAULT_MATRIX_REPORT ?? ".test-results/reliability.md";
const runCount = seededRunsNeeded({
  updateRows: Math.max(updateRows, readbackRows),
  refusedRows: Math.max(...SCENARIOS.map((scenario) => scenario.refusedRows ?? 0)),
});
const fetchWorker = new FetchWorker();
const settings: MatrixSettings = {
  clock,
  updateRows,
  readbackRows,
  historyRows,
  seededIds: seededRunIds(runCount, 1),
  seededRuns: generateSeededRuns(runCount, 1),
  transport: (command) => fetchWorker.transport(command),
};

let extend: StandInClient;
const results: ScenarioResult[] = [];

beforeAll(async () => {
  extend = await startStandInProcess({
    apiKey: API_KEY,
    runCount,
    rate: 0,
    faultSeed,
    virtualClock: clock === "virtual",
  });
});
afterAll(async () => {
  fetchWorker.dispose();
  await extend?.close();
  if (results.length > 0) writeReport(reportPath, results, settings);
});

for (const kind of KINDS) {
  describe(kind.title, () => {
    SCENARIOS.forEach((scenario, index) => {
      if (scenario.appliesTo && !scenario.appliesTo(kind.id)) return;
      it(`${scenario.title}: every row ends right, Extend holds what rows ask, counts exact, no key shown`, async () => {
        const result =
          kind.job === "import"
            ? await runImportScenario(extend, kind, scenario, settings)
            : kind.job === "undo"
              ? await runUndoScenario(extend, kind, scenario, index, settings)
              : await runScenario(extend, kind, scenario, index, settings);
        results.push(result);
        expect(result.violations, `replay with FAULT_SEED=${faultSeed}`).toEqual([]);
      }, 180_000);
    });
  });
}
