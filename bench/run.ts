// `npm run bench`: the add-on against targets and against a hand-written per-row script, on the local Apps
// Script host's virtual clock. With no scenario flags it runs the whole matrix (rows x rates x cost models,
// each with an unchanged re-run and the naive baseline), the pure core's CPU and a check of the simulation
// against real time, prints a table, and writes docs/benchmarks.md and the engineering guide's figures. With --rows,
// --rate, --cost-model or --json it runs one scenario of the add-on alone.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type CostModel, type CostModelName, resolveCostModel } from "../dev/gas-host/index.js";
import { measureCoreCpu } from "./core-cpu.js";
import { readCostModelFile } from "./cost-model-file.js";
import { type ScenarioSpec, scenarioJson } from "./figures.js";
import { runMatrix } from "./matrix.js";
import { runRealtimeCheck } from "./realtime-check.js";
import {
  type BenchReport,
  consoleTable,
  FIGURES_FILE,
  figuresBlock,
  HISTORY_HEADING,
  keptSection,
  markdownReport,
  withFiguresBlock,
} from "./report.js";
import { type BenchClock, runScenario } from "./scenario.js";
import { evaluateTargets, SMALL_JOB_TARGETS } from "./targets.js";

const USAGE = `Usage:
  npm run bench                                   the whole matrix; writes docs/benchmarks.md and the figures of
                                                  docs/engineering.md
  npm run bench -- --rows N --rate R --cost-model on|off|high|FILE.json [--json FILE] [--latency MS]
                  [--clock virtual|real]          one scenario of the add-on alone; FILE.json: a cost model
                                                  measured by the add-on's platform check
                  [--history on|off]              Keep history (off by default)
                  [--shared-limit]                the stand-in limits GET and WRITE together (apart by default)
                  [--fetch-concurrency N]         the model's requests in flight at once within a fetchAll
                                                  (undocumented by Google; the model "on" takes 20)
Matrix options: --budget-minutes M (real minutes for the scenarios, default 13), --cap-seconds S (at most S
  real seconds per scenario), --parallel N (default 2), --latency MS (stand-in latency, default 100),
  --rows-list 1000,10000,20000, --rates 10,25,75, --models on,off,high`;

const ROOT = join(import.meta.dirname, "..");
const MODELS: readonly CostModelName[] = ["on", "off", "high"];

const { values } = parseArgs({
  options: {
    rows: { type: "string" },
    rate: { type: "string" },
    "cost-model": { type: "string" },
    json: { type: "string" },
    clock: { type: "string", default: "virtual" },
    latency: { type: "string", default: "100" },
    "budget-minutes": { type: "string", default: "13" },
    "cap-seconds": { type: "string" },
    parallel: { type: "string", default: "2" },
    "rows-list": { type: "string", default: "1000,10000,20000" },
    rates: { type: "string", default: "10,25,75" },
    models: { type: "string", default: MODELS.join(",") },
    history: { type: "string" },
    "shared-limit": { type: "boolean" },
    "fetch-concurrency": { type: "string" },
    help: { type: "boolean" },
  },
});

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function modelName(text: string): CostModelName {
  if (!(MODELS as readonly string[]).includes(text))
    throw new Error(`--cost-model must be on, off, high or a .json file`);
  return text as CostModelName;
}

const list = <T>(text: string, parse: (item: string) => T): T[] =>
  text.split(",").map((item) => parse(item.trim()));

/** A model's name, or a file of the platform check's measured costs (any argument ending in .json). */
function modelOrFile(text: string): CostModelName | CostModel {
  return text.toLowerCase().endsWith(".json") ? readCostModelFile(text) : modelName(text);
}

/** The model with another answer to how many requests a fetchAll has in flight at once, which Google does not say. */
function withConcurrency(
  model: CostModelName | CostModel,
  text: string | undefined,
): CostModelName | CostModel {
  if (text === undefined) return model;
  const concurrency = positive("fetch-concurrency", text);
  const base = resolveCostModel(model);
  return {
    ...base,
    name: `${base.name}, fetchAll ${concurrency} at once`,
    urlFetch: { ...base.urlFetch, concurrency },
  };
}

async function single(): Promise<void> {
  const model = withConcurrency(modelOrFile(values["cost-model"] ?? "on"), values["fetch-concurrency"]);
  const spec: ScenarioSpec = {
    rows: positive("rows", values.rows ?? "1000"),
    rate: positive("rate", values.rate ?? "10"),
    costModel: typeof model === "string" ? model : "on",
    ...(typeof model === "string" ? {} : { measuredModel: model }),
    latencyMs: Number(values.latency),
  };
  if (values.history !== undefined && values.history !== "on" && values.history !== "off")
    throw new Error("--history must be on or off");
  if (values.history === "on") spec.history = true;
  if (values["shared-limit"]) spec.sharedLimit = true;
  const clock = values.clock as BenchClock;
  if (clock !== "virtual" && clock !== "real") throw new Error("--clock must be virtual or real");
  const result = await runScenario(spec, { clock, rerun: false, baseline: false });
  const json = scenarioJson(spec, result.addOn);
  console.log(JSON.stringify(json, null, 2));
  const where = Object.entries(result.addOn.timeSeconds)
    .filter(([, seconds]) => seconds > 0)
    .map(([area, seconds]) => `${area} ${seconds.toFixed(1)} s`);
  console.log(`where the time goes: ${where.join(", ")}`);
  console.log(`(simulated in ${result.addOn.realSeconds.toFixed(1)} real seconds on a ${clock} clock)`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(json, null, 2)}\n`);
}

async function matrix(): Promise<void> {
  const started = performance.now();
  const latencyMs = Number(values.latency);
  const budgetMinutes = positive("budget-minutes", values["budget-minutes"]);
  const maxCap =
    values["cap-seconds"] === undefined ? undefined : positive("cap-seconds", values["cap-seconds"]);
  const specs: ScenarioSpec[] = list(values["rows-list"], (item) => positive("rows-list", item)).flatMap(
    (rows) =>
      list(values.rates, (item) => positive("rates", item)).flatMap((rate) =>
        list(values.models, modelName).map((costModel) => ({ rows, rate, costModel, latencyMs })),
      ),
  );
  // The small jobs' targets are under the model "on": their scenarios join the matrix whenever it runs that model.
  if (list(values.models, modelName).includes("on"))
    for (const { rows, rate } of SMALL_JOB_TARGETS)
      if (!specs.some((spec) => spec.rows === rows && spec.rate === rate && spec.costModel === "on"))
        specs.push({ rows, rate, costModel: "on", latencyMs });

  console.log("Pure core: 100,000 rows...");
  const core = measureCoreCpu(100_000);
  console.log(`  ${core.microsPerRow.toFixed(1)} µs CPU per row`);
  console.log("Simulation against real time (one small scenario, twice)...");
  const check = await runRealtimeCheck();
  console.log(
    `  simulated wall ${check.simulated.wallSeconds.toFixed(1)} s, real-time wall ${check.realTime.wallSeconds.toFixed(1)} s`,
  );
  console.log(
    `Matrix: ${specs.length} scenarios, ${values.parallel} at a time, within ${budgetMinutes} minutes...`,
  );
  const entries = await runMatrix(specs, {
    parallel: positive("parallel", values.parallel),
    budgetSeconds: budgetMinutes * 60,
    ...(maxCap === undefined ? {} : { maxCapSeconds: maxCap }),
    onDone: (entry) =>
      console.log(
        `  ${entry.spec.rows} rows @ ${entry.spec.rate}/s, model ${entry.spec.costModel}: ${
          entry.error
            ? `failed (${entry.error})`
            : entry.capped
              ? "stopped at its share of the budget"
              : "done"
        } in ${entry.realSeconds.toFixed(0)} s`,
      ),
  });

  const report: BenchReport = {
    date: new Date().toISOString().slice(0, 10),
    latencyMs,
    budgetMinutes,
    realSeconds: (performance.now() - started) / 1000,
    entries,
    core,
    check,
    targets: evaluateTargets(entries, core.microsPerRow),
  };
  console.log(`\n${consoleTable(entries)}\n`);
  for (const target of report.targets)
    console.log(`${target.met ? "met   " : "missed"}  ${target.target}: ${target.detail}`);
  mkdirSync(join(ROOT, "docs"), { recursive: true });
  // The history scenarios are run one by one (see the section's text): the matrix keeps their section as it is.
  const reportPath = join(ROOT, "docs", "benchmarks.md");
  const previous = existsSync(reportPath) ? readFileSync(reportPath, "utf8") : "";
  writeFileSync(reportPath, markdownReport(report, keptSection(previous, HISTORY_HEADING)));
  const figuresPath = join(ROOT, FIGURES_FILE);
  writeFileSync(figuresPath, withFiguresBlock(readFileSync(figuresPath, "utf8"), figuresBlock(report)));
  // The repository's formatter aligns Markdown tables; npm test checks that the files are formatted.
  const formatted = spawnSync(
    join(ROOT, "node_modules", ".bin", "biome"),
    ["format", "--write", FIGURES_FILE, "docs/benchmarks.md"],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (formatted.status !== 0) console.error(`biome format failed: ${formatted.stderr}`);
  console.log(`\nWrote docs/benchmarks.md and the benchmark figures of ${FIGURES_FILE}.`);
}

const oneScenario = [
  "rows",
  "rate",
  "cost-model",
  "json",
  "history",
  "shared-limit",
  "fetch-concurrency",
].some((flag) => values[flag as keyof typeof values] !== undefined);
(values.help ? Promise.resolve(console.log(USAGE)) : oneScenario ? single() : matrix()).catch(
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exitCode = 1;
  },
);
