// Turns the benchmark's figures into the table printed at the end of `npm run bench`, docs/benchmarks.md and
// the figures block of the engineering guide. Every number here comes from a measurement of this run.
import { cpus } from "node:os";
import { AREAS, COST_MODELS, type CostModelName } from "../dev/gas-host/index.js";
import type { CoreCpu } from "./core-cpu.js";
import {
  floorSeconds,
  type RunFigures,
  rowsCovered,
  rowsPerExecution,
  type ScenarioSpec,
} from "./figures.js";
import type { MatrixEntry } from "./matrix.js";
import type { RealtimeCheck } from "./realtime-check.js";
import { sheetsCallsRatio, type TargetResult } from "./targets.js";

export interface BenchReport {
  date: string;
  latencyMs: number;
  budgetMinutes: number;
  realSeconds: number;
  entries: MatrixEntry[];
  core?: CoreCpu;
  check?: RealtimeCheck;
  targets: TargetResult[];
}

const num = (value: number, digits = 0): string =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const perRow = (value: number, rows: number, digits: number): string =>
  num(value / Math.max(1, rows), digits);
const percent = (part: number, whole: number): string =>
  whole > 0 ? `${Math.round((100 * part) / whole)}%` : "–";

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

/** The first columns of every scenario table, and what they hold. */
const SCENARIO_HEADER = ["rows", "rate/s", "model"];
const scenarioLabel = (spec: ScenarioSpec) => [num(spec.rows), String(spec.rate), spec.costModel];

/** "~" marks the baseline's extrapolated figures; "≥" a run stopped at its real-time cap. */
function wallText(run: RunFigures | undefined, capped: boolean): string {
  if (!run) return capped ? "not reached" : "–";
  const text = num(run.wallSeconds, 1);
  if (run.extrapolated) return `~${text}`;
  return run.complete ? text : `≥ ${text} (${num(run.rowsDone)} rows done)`;
}

function addOnRows(entries: MatrixEntry[]): string[][] {
  return entries.map((entry) => {
    const { spec, addOn } = entry;
    const floor = floorSeconds(spec);
    if (!addOn)
      return [...scenarioLabel(spec), entry.error ? `failed: ${entry.error}` : "not reached", num(floor, 1)];
    const rows = rowsCovered(spec, addOn);
    return [
      ...scenarioLabel(spec),
      wallText(addOn, entry.capped),
      num(floor, 1),
      addOn.complete ? `${num(addOn.wallSeconds / floor, 2)}×` : "–",
      addOn.complete ? String(addOn.executions) : `≥ ${addOn.executions}`,
      addOn.complete ? num(rowsPerExecution(spec, addOn)) : "–",
      perRow(addOn.sheetsCalls, rows, 3),
      perRow(addOn.cellsRead, rows, 0),
      perRow(addOn.cellsWritten, rows, 1),
      num(addOn.propertiesCalls),
      perRow(addOn.urlFetchRequests, rows, 3),
      num(addOn.answered429),
      entry.rerun ? perRow(entry.rerun.urlFetchRequests, spec.rows, 3) : "–",
      entry.rerun ? num(entry.rerun.wallSeconds, 1) : "–",
    ];
  });
}

function shareRows(entries: MatrixEntry[]): string[][] {
  return entries.flatMap((entry) =>
    (["addOn", "baseline"] as const).flatMap((which) => {
      const run = entry[which];
      if (!run) return [];
      return [
        [
          ...scenarioLabel(entry.spec),
          which === "addOn" ? "add-on" : "baseline",
          ...AREAS.map((area) => percent(run.timeSeconds[area], run.wallSeconds)),
        ],
      ];
    }),
  );
}

function baselineRows(entries: MatrixEntry[]): string[][] {
  return entries.map((entry) => {
    const { spec, baseline, addOn } = entry;
    if (!baseline) return [...scenarioLabel(spec), "not reached"];
    const rows = rowsCovered(spec, baseline);
    const ratio = sheetsCallsRatio(entry);
    return [
      ...scenarioLabel(spec),
      wallText(baseline, false),
      baseline.extrapolated ? `~${baseline.executions}` : String(baseline.executions),
      num(rowsPerExecution(spec, baseline)),
      perRow(baseline.sheetsCalls, rows, 1),
      perRow(baseline.cellsRead, rows, 1),
      perRow(baseline.cellsWritten, rows, 1),
      num(baseline.propertiesCalls),
      perRow(baseline.urlFetchRequests, rows, 3),
      num(baseline.answered429),
      addOn?.complete ? `${num(baseline.wallSeconds / addOn.wallSeconds, 1)}×` : "–",
      ratio === undefined ? "–" : `${num(ratio, 0)}×`,
    ];
  });
}

const ADD_ON_HEADER = [
  ...SCENARIO_HEADER,
  "wall s",
  "floor s",
  "wall/floor",
  "executions",
  "rows/execution",
  "Sheets calls/row",
  "cells read/row",
  "cells written/row",
  "Properties calls",
  "requests/row",
  "429s",
  "re-run requests/row",
  "re-run wall s",
];
const SHARE_HEADER = [...SCENARIO_HEADER, "run", ...AREAS];
const BASELINE_HEADER = [
  ...SCENARIO_HEADER,
  "wall s",
  "executions",
  "rows/execution",
  "Sheets calls/row",
  "cells read/row",
  "cells written/row",
  "Properties calls",
  "requests/row",
  "429s",
  "wall: baseline/add-on",
  "Sheets calls/row: baseline/add-on",
];

function modelTable(): string {
  const names: CostModelName[] = ["on", "high"];
  const row = (label: string, pick: (name: CostModelName) => number | string) => [
    label,
    ...names.map((name) => String(pick(name))),
  ];
  return table(
    ["cost", ...names],
    [
      row("Sheets round trip, ms", (n) => COST_MODELS[n].sheets.roundTripMs),
      row("per cell read, ms", (n) => COST_MODELS[n].sheets.cellReadMs),
      row("per write call queued, ms", (n) => COST_MODELS[n].sheets.writeQueueMs),
      row("per commit of queued writes, ms", (n) => COST_MODELS[n].sheets.commitMs),
      row("per cell committed, ms", (n) => COST_MODELS[n].sheets.cellWriteMs),
      row(
        "getProperty / setProperty, ms",
        (n) => `${COST_MODELS[n].properties.getMs} / ${COST_MODELS[n].properties.setMs}`,
      ),
      row("lock call, ms (setting)", (n) => COST_MODELS[n].lock.callMs),
      row("fetch/fetchAll call, ms (setting)", (n) => COST_MODELS[n].urlFetch.callMs),
      row("fetchAll concurrency (setting)", (n) => COST_MODELS[n].urlFetch.concurrency),
      row("sleep overshoot, ms (setting)", (n) => COST_MODELS[n].sleepOverheadMs),
      row("gap between executions, ms (setting)", (n) => COST_MODELS[n].executionGapMs),
    ],
  );
}

function checkTable(check: RealtimeCheck): string {
  const { simulated: sim, realTime: real } = check;
  const line = (label: string, pick: (run: RunFigures) => string) => [label, pick(sim), pick(real)];
  return table(
    ["", "simulated (virtual clock)", "real time"],
    [
      line("wall s", (run) => num(run.wallSeconds, 1)),
      line("real seconds the run took", (run) => num(run.realSeconds, 1)),
      line("executions", (run) => String(run.executions)),
      line("Sheets calls", (run) => num(run.sheetsCalls)),
      line("cells read", (run) => num(run.cellsRead)),
      line("UrlFetch requests", (run) => num(run.urlFetchRequests)),
      line("429s", (run) => num(run.answered429)),
      ...AREAS.map((area) => line(`time in ${area}, s`, (run: RunFigures) => num(run.timeSeconds[area], 1))),
    ],
  );
}

function targetsTable(targets: TargetResult[]): string {
  return table(
    ["target", "result", "measured"],
    targets.map((target) => [target.target, target.met ? "met" : "missed", target.detail]),
  );
}

function coreTable(core: CoreCpu): string {
  return table(
    ["stage", "µs CPU per row"],
    [
      ...Object.entries(core.stages).map(([stage, micros]) => [stage, num(micros, 1)]),
      ["**all**", `**${num(core.microsPerRow, 1)}**`],
    ],
  );
}

/** What the design does to stay at the rate floor under the cost model; the figures below measure it. */
const DESIGN_NOTES = [
  "- **One read per execution.** Each execution reads the sheet once and keeps the rows of the run ids it has to do. Before a write it checks only the rows it is about to write (their Run ID and Sync State cells) and the header row; the whole Run ID and Sync State columns are read again only when those no longer match (a sort, an insert, a moved column).",
  "- **Writes a few batches at a time, while the pace waits.** Outcomes are written when the pace holds the next batch back anyway, at least every 10 seconds and before the rows sent but not written would pass 100 (what one batch may hold, so a kill sends no more rows again than before). At 10 requests/s that is one write of about 95 rows instead of ten writes of 9 or 10: each write costs about six Sheets calls (the header, the rows to check, the cells) and one Properties call (the job).",
  "- **Batches of one second of the rate**, up to 100 requests per fetchAll (several per second above 100/s), so 75 requests/s goes out as one fetchAll a second.",
  "- **What the floor costs.** The pace counts the rate over windows of 1.05 s, so no second ever holds more than the organisation's limit even with 50 ms of network jitter: that headroom alone puts a sync at 1.053× the floor. The rest is each execution's first read of the sheet (about 0.02 ms per cell under the model), the gap between executions, and the last batch's answer.",
].join("\n");

/** The heading of the history scenarios' section: run by hand (see keptSection), not by the matrix. */
export const HISTORY_HEADING = "## History (Keep history on and off)";

/** A section of an earlier report, from its heading to the next one (undefined when absent): kept as it is. */
export function keptSection(previous: string, heading: string): string | undefined {
  const start = previous.indexOf(`${heading}\n`);
  if (start < 0) return undefined;
  const next = previous.indexOf("\n## ", start + heading.length);
  return previous.slice(start, next < 0 ? undefined : next).trimEnd();
}

/** `history`: the hand-run history section of the report being replaced, carried over unchanged. */
export function markdownReport(report: BenchReport, history?: string): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return [
    "# Benchmarks",
    "",
    `Written by \`npm run bench\` on ${report.date} (${cpus().length} × ${cpu}, Node ${process.version}); the whole run took ${num(report.realSeconds / 60, 1)} minutes. Do not edit: run the benchmark again.`,
    "",
    `Each scenario syncs a sheet of generated rows with the built add-on (\`dist/Code.js\`) in the local Apps Script host, against the Extend stand-in with ${report.latencyMs} ms of latency per request and a rate limit equal to the add-on's rate setting, on the host's virtual clock (\`dev/gas-host/README.md\`). The same rows are then synced again unchanged, and the naive script \`bench/naive-baseline.js\` syncs them in the same run. The floor is rows ÷ rate, the fastest the rate allows. Per-row figures are per row of the sheet (of a run stopped early: per row it had done). The scenarios share a budget of ${report.budgetMinutes} real minutes, cheapest first, each allowed an equal share of what is left; one still running when its share was spent was stopped, and "≥" marks what it had reached by then (its simulated wall so far and the rows done).`,
    "",
    "## Targets",
    "",
    targetsTable(report.targets),
    "",
    "## How the add-on reaches the floor",
    "",
    DESIGN_NOTES,
    "",
    "## The add-on",
    "",
    table(ADD_ON_HEADER, addOnRows(report.entries)),
    "",
    "## Where the time goes",
    "",
    "Share of the wall time per area: Sheets, Properties and lock charges of the cost model, UrlFetch (call overhead and the stand-in's latency per wave), `Utilities.sleep`, the script's own CPU, and the gaps between executions.",
    "",
    table(SHARE_HEADER, shareRows(report.entries)),
    "",
    ...(history ? [history, ""] : []),
    "## The naive baseline",
    "",
    "The baseline cannot resume after Apps Script's 6-minute kill, so it gets one execution. When that execution does not reach the last row, its figures are measured on the rows it did and extrapolated to all rows (marked ~): rows per execution as measured, wall time = time per row × rows, executions = rows ÷ rows per execution.",
    "",
    table(BASELINE_HEADER, baselineRows(report.entries)),
    "",
    "## The pure core",
    "",
    report.core
      ? `CPU time per row of \`src/core\` alone (bench/core-cpu.ts), over ${num(report.core.rows)} generated rows after a warm-up: the plan over the whole sheet, as an execution's first read makes it; the answers ${num(report.core.commitRows)} rows at a time, as the engine writes them:\n\n${coreTable(report.core)}\n\nOf "classify answers", ${num(report.core.jsonParseMicrosPerRow, 1)} µs per row is \`JSON.parse\` of the answer alone (the stand-in answers with the full run object, ${num(report.core.answerLength)} characters on average, as the API documents it): parsing what Extend sends is the part no code of the add-on can cut. Everything else the core does takes ${num(report.core.microsPerRow - report.core.jsonParseMicrosPerRow, 1)} µs per row, ${report.core.microsPerRow - report.core.jsonParseMicrosPerRow <= 20 ? "within" : "still over"} the 20 µs target. Figures vary by a few µs between runs on a shared machine (garbage collection falls in one stage or another).`
      : "Not measured in this run.",
    "",
    "## The simulation against real time",
    "",
    report.check
      ? `${num(report.check.spec.rows)} rows at ${report.check.spec.rate} requests/s with the model ${report.check.spec.costModel}, once on the virtual clock and once in real time (every charge a real wait, the stand-in really sleeping its latency):\n\n${checkTable(report.check)}\n\nThe real-time run also pays what the simulation leaves out: opening connections to the stand-in delays its first wave by roughly 0.1–0.2 s on loopback. A client that paces batches from the moment it calls fetchAll can then see its first two batches reach the stand-in less than a second apart, and a 429 in real time that the simulation does not show (the add-on of an earlier revision did, once).`
      : "Not run.",
    "",
    "## The cost models",
    "",
    "Sources for each figure are cited in `dev/gas-host/cost-model.ts`; rows marked setting have no published measurement. `off` charges nothing (only the stand-in's latency and the script's CPU pass time).",
    "",
    modelTable(),
    "",
  ].join("\n");
}

/** The guide that shows the figures block, from the repository's root; its links are relative to docs/. */
export const FIGURES_FILE = "docs/engineering.md";
const FIGURES_START = "<!-- bench:start -->";
const FIGURES_END = "<!-- bench:end -->";

/** The block of the engineering guide between its bench markers: targets and the model-on scenarios. */
export function figuresBlock(report: BenchReport): string {
  const on = report.entries.filter((entry) => entry.spec.costModel === "on");
  // The add-on table up to its rows/execution column: the figures a reader of the guide compares first.
  const header = ADD_ON_HEADER.slice(0, ADD_ON_HEADER.indexOf("rows/execution") + 1);
  return [
    `Measured on ${report.date} with the cost model on (all figures: [benchmarks.md](benchmarks.md)):`,
    "",
    table(
      header,
      addOnRows(on).map((row) => row.slice(0, header.length)),
    ),
    "",
    targetsTable(report.targets),
  ].join("\n");
}

/** `text` (the figures file) with `block` in place of what stood between the bench markers; nothing else moves. */
export function withFiguresBlock(text: string, block: string): string {
  const from = text.indexOf(FIGURES_START);
  const to = text.indexOf(FIGURES_END);
  if (from < 0 || to < from || text.indexOf(FIGURES_START, from + 1) >= 0)
    throw new Error(`${FIGURES_FILE} has no single ${FIGURES_START} ... ${FIGURES_END} block`);
  return `${text.slice(0, from + FIGURES_START.length)}\n${block}\n${text.slice(to)}`;
}

/** A compact table for the console. */
export function consoleTable(entries: MatrixEntry[]): string {
  const lines = [
    [
      "rows",
      "rate",
      "model",
      "wall s",
      "×floor",
      "exec",
      "rows/exec",
      "sheets/row",
      "req/row",
      "429",
      "rerun req",
      "base wall s",
      "base sheets/row",
    ],
  ];
  for (const entry of entries) {
    const { spec, addOn, rerun, baseline } = entry;
    lines.push([
      num(spec.rows),
      String(spec.rate),
      spec.costModel,
      addOn ? `${addOn.complete ? "" : "≥"}${num(addOn.wallSeconds, 0)}` : entry.error ? "failed" : "–",
      addOn?.complete ? num(addOn.wallSeconds / floorSeconds(spec), 2) : "–",
      addOn ? String(addOn.executions) : "–",
      addOn?.complete ? num(rowsPerExecution(spec, addOn)) : "–",
      addOn ? perRow(addOn.sheetsCalls, rowsCovered(spec, addOn), 3) : "–",
      addOn ? perRow(addOn.urlFetchRequests, rowsCovered(spec, addOn), 2) : "–",
      addOn ? String(addOn.answered429) : "–",
      rerun ? String(rerun.urlFetchRequests) : "–",
      baseline ? `${baseline.extrapolated ? "~" : ""}${num(baseline.wallSeconds, 0)}` : "–",
      baseline ? perRow(baseline.sheetsCalls, rowsCovered(spec, baseline), 1) : "–",
    ]);
  }
  const widths = (lines[0] ?? []).map((_, i) => Math.max(...lines.map((line) => (line[i] ?? "").length)));
  return lines.map((line) => line.map((cell, i) => cell.padStart(widths[i] ?? 0)).join("  ")).join("\n");
}
