// `npm run playground [-- --port P] [--rows N] [--execution-limit S]`: the add-on in a browser, no Google account.
import { parseArgs } from "node:util";
import { startPlayground } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    rows: { type: "string" },
    "execution-limit": { type: "string" },
  },
});

function wholeNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`--${name} takes a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}

const port = wholeNumber("port", values.port, 0, 65535) ?? 8080;
const rows = wholeNumber("rows", values.rows, 1, 50_000);
const executionLimitSeconds = wholeNumber("execution-limit", values["execution-limit"], 2, 360);

const playground = await startPlayground({
  port,
  ...(rows !== undefined ? { rows } : {}),
  ...(executionLimitSeconds !== undefined ? { executionLimitSeconds } : {}),
});
// The address carries the access token: without it the playground answers nothing (see guard.ts).
console.log(`Extend Sheets Sync playground: open ${playground.url} in a browser (Ctrl+C stops it).`);
console.log(
  `Sheet: ${rows !== undefined ? `${rows} generated rows` : "examples/runs.csv"}; executions stop after ${executionLimitSeconds ?? 360} s; any API key works.`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  playground.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
