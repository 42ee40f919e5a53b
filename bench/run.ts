// `npm run bench`: measures the add-on's sync against a named baseline in the same run: the naive per-row
// script of bench/naive-baseline.js, on the same rows, against the same Extend stand-in with network latency.
// Prints ratios (baseline / add-on), never absolute pass/fail limits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { GasHost } from "../dev/gas-host/index.js";
import { clickAndFinish, configureAddOn } from "../dev/local-run.js";
import { startStandInProcess } from "../dev/stand-in/process.js";
import { seededRunIds } from "../dev/stand-in/runs.js";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "300" },
    latency: { type: "string", default: "100" },
    rate: { type: "string", default: "100" },
  },
});
const rowCount = Number(values.rows);
const latencyMs = Number(values.latency);
const rate = Number(values.rate);
const API_KEY = "bench-key-not-secret";

interface Measurement {
  seconds: number;
  requests: number;
  sheetCalls: number;
  writes: number;
}

function sheetWithRows(host: GasHost, ids: string[]): void {
  const sheet = host.spreadsheet.addSheet("Runs");
  sheet.setValues(
    "A1",
    [["Run ID", "Name", "metadata.team", "Tags"], ...ids.map((id, index) => [id, `Run ${index}`, "ops", ""])],
    { raw: true },
  );
  host.spreadsheet.select("Runs", "A1");
}

/** Times one piece of work in the host and counts its Sheets calls, writes and update requests. */
async function measure(
  host: GasHost,
  work: () => void,
  updatesSoFar: () => Promise<number>,
): Promise<Measurement> {
  const before = await updatesSoFar();
  host.calls.reset();
  const started = performance.now();
  work();
  const seconds = (performance.now() - started) / 1000;
  const snapshot = Object.fromEntries(host.calls.snapshot());
  const sheetCalls = Object.entries(snapshot)
    .filter(([key]) => /^(Sheet|Range|Spreadsheet)\./.test(key))
    .reduce((sum, [, count]) => sum + count, 0);
  const writes = (snapshot["Range.setValues"] ?? 0) + (snapshot["Range.setValue"] ?? 0);
  return { seconds, requests: (await updatesSoFar()) - before, sheetCalls, writes };
}

async function main(): Promise<void> {
  const extend = await startStandInProcess({ apiKey: API_KEY, runCount: rowCount, rate: 0, latencyMs });
  const ids = seededRunIds(rowCount);
  const updates = async () => (await extend.stats()).byRoute["POST /workflow_runs/{id}"] ?? 0;
  try {
    const baselineHost = new GasHost({
      scriptCode: readFileSync(join(import.meta.dirname, "naive-baseline.js"), "utf8"),
    });
    sheetWithRows(baselineHost, ids);
    configureAddOn(baselineHost, { apiKey: API_KEY, baseUrl: extend.url });
    const baseline = await measure(baselineHost, () => baselineHost.run("naiveSync"), updates);
    baselineHost.dispose();

    await extend.reset({ runs: true });
    const addOnHost = new GasHost();
    sheetWithRows(addOnHost, ids);
    configureAddOn(addOnHost, { apiKey: API_KEY, baseUrl: extend.url, rate });
    addOnHost.open();
    const syncAll = () => clickAndFinish(addOnHost, "Sync all rows");
    const addOn = await measure(addOnHost, syncAll, updates);
    const rerun = await measure(addOnHost, syncAll, updates);
    addOnHost.dispose();

    const ratio = (a: number, b: number) => (b === 0 ? `${a} vs 0` : `${(a / b).toFixed(1)}×`);
    console.log(
      `Benchmark: ${rowCount} rows, stand-in latency ${latencyMs} ms, add-on rate ${rate} requests/s`,
    );
    console.log("Baseline: bench/naive-baseline.js (one UrlFetchApp.fetch and one cell write at a time)\n");
    const table = [
      ["", "baseline", "add-on", "baseline / add-on"],
      [
        "wall time (s)",
        baseline.seconds.toFixed(2),
        addOn.seconds.toFixed(2),
        ratio(baseline.seconds, addOn.seconds),
      ],
      [
        "Sheets service calls",
        baseline.sheetCalls,
        addOn.sheetCalls,
        ratio(baseline.sheetCalls, addOn.sheetCalls),
      ],
      ["range writes", baseline.writes, addOn.writes, ratio(baseline.writes, addOn.writes)],
      ["update requests", baseline.requests, addOn.requests, ratio(baseline.requests, addOn.requests)],
      [
        "requests when re-run unchanged",
        baseline.requests,
        rerun.requests,
        ratio(baseline.requests, rerun.requests),
      ],
    ];
    for (const row of table)
      console.log(row.map((cell, index) => String(cell).padEnd(index === 0 ? 32 : 18)).join(""));
  } finally {
    await extend.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
