// One scenario of the benchmark matrix in its own process (so two run side by side and one that takes too
// long can be stopped): argv[2] is the scenario as JSON, argv[3] the file it keeps its progress and result in.
import { renameSync, writeFileSync } from "node:fs";
import type { ScenarioSpec } from "./figures.js";
import { runScenario } from "./scenario.js";

const [specJson, outArg] = process.argv.slice(2);
if (!specJson || !outArg) throw new Error("usage: worker.ts <scenario JSON> <output file>");
const spec = JSON.parse(specJson) as ScenarioSpec;
const outFile: string = outArg;

function save(report: unknown): void {
  // Written whole and renamed, so the parent never reads half a file when it stops this process.
  writeFileSync(`${outFile}.tmp`, JSON.stringify(report));
  renameSync(`${outFile}.tmp`, outFile);
}

const result = await runScenario(spec, {
  clock: "virtual",
  rerun: true,
  baseline: true,
  onProgress: (partial) => save({ status: "running", ...partial }),
});
save({ status: "done", ...result });
