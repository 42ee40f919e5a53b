// `npm run playground [-- --port P] [--rows N | --csv FILE] [--execution-limit S]`: the add-on in a browser, no
// Google account. What cannot work (a flag, the CSV file) is refused in one line, exit code 2, before the build
// (--build, as `npm run playground` asks) and the servers start.
import { parseArgs } from "node:util";
import { buildQuietly } from "../quiet-build.js";
import { printable } from "../safe-output.js";
import { readInputCsv, UsageError } from "../start-options.js";
import { startPlayground } from "./server.js";

function refuse(message: string): never {
  console.error(printable(message));
  process.exit(2);
}

let values: ReturnType<typeof parseOptions>["values"];
function parseOptions() {
  return parseArgs({
    options: {
      build: { type: "boolean" },
      port: { type: "string" },
      rows: { type: "string" },
      csv: { type: "string" },
      "execution-limit": { type: "string" },
    },
  });
}
try {
  values = parseOptions().values;
} catch (error) {
  refuse(error instanceof Error ? error.message : String(error));
}

function wholeNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    refuse(`--${name} takes a whole number from ${min} to ${max}`);
  return value;
}

const port = wholeNumber("port", values.port, 0, 65535) ?? 8080;
const rows = wholeNumber("rows", values.rows, 1, 50_000);
const executionLimitSeconds = wholeNumber("execution-limit", values["execution-limit"], 2, 360);
const csvPath = values.csv;
if (csvPath !== undefined && rows !== undefined) refuse("Give --csv or --rows, not both.");
if (csvPath !== undefined) {
  try {
    readInputCsv(csvPath, "npm run playground -- --csv my-sheet.csv");
  } catch (error) {
    refuse(error instanceof UsageError ? error.message : String(error));
  }
}
if (values.build) buildQuietly();

const playground = await startPlayground({
  port,
  ...(rows !== undefined ? { rows } : {}),
  ...(csvPath !== undefined ? { csvPath } : {}),
  ...(executionLimitSeconds !== undefined ? { executionLimitSeconds } : {}),
});
// The address carries the access token: without it the playground answers nothing (see guard.ts).
console.log(`Extend Sheets Sync playground: open ${playground.url} in a browser (Ctrl+C stops it).`);
const sheet = rows !== undefined ? `${rows} generated rows` : printable(csvPath ?? "examples/runs.csv");
console.log(
  `Sheet: ${sheet}; each Apps Script run stops after ${executionLimitSeconds ?? 360} s; any API key works.`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  playground.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
