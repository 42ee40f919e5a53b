// Command line for the stand-in: `npm run stand-in -- --port 8787 --api-key <key> [options]`.
// Prints one line with the URL (never the key) and serves until SIGINT or SIGTERM.
import { parseArgs } from "node:util";
import type { StandInOptions } from "./config.js";
import { startStandIn } from "./server.js";

const USAGE = `Usage: npm run stand-in -- --api-key <key> [options]

  --port <n>             port on 127.0.0.1 (default 8787; 0 picks a free one)
  --api-key <key>        the key clients must send as "Authorization: Bearer <key>"
                         (or set EXTEND_STAND_IN_API_KEY, which keeps it out of the process list)
  --runs <count>         seeded workflow runs to serve (default 200)
  --seed <n>             seed of the generated runs and fault probabilities (default 1)
  --fault-seed <n>       a different seed for fault probabilities only
  --rate <n>             requests per second per category, GET and WRITE (default 10; 0 = unlimited)
  --burst <n>            token-bucket capacity (default: same as --rate)
  --latency <ms>         delay added to every API response (default 0)
  --no-retry-after       do not send Retry-After on 429
  --wrap-errors          error bodies as {"error": {...}}
  --usage-blocked        answer every authorised request with 402 USAGE_BLOCKED
  --workspace-id <id>    require this x-extend-workspace-id (else 401)
  --accept-any-key       accept every bearer key (for a playground; the default checks --api-key)
  --null-deletes-key     a metadata value of null deletes the key instead of storing null
  --virtual-clock        run on the client's virtual clock (the local Apps Script host's): rate limits by
                         the x-gas-host-virtual-now header, reports latency in x-simulated-latency-ms
  --exit-on-stdin-close  stop when stdin closes (used by process.ts so no child outlives its parent)
  --help                 this text`;

function numberFlag(name: string, text: string | undefined, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be ${integer ? "an integer" : "a number"} >= 0`);
  }
  return value;
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: "string" },
        "api-key": { type: "string" },
        runs: { type: "string" },
        seed: { type: "string" },
        "fault-seed": { type: "string" },
        rate: { type: "string" },
        burst: { type: "string" },
        latency: { type: "string" },
        "no-retry-after": { type: "boolean" },
        "wrap-errors": { type: "boolean" },
        "usage-blocked": { type: "boolean" },
        "workspace-id": { type: "string" },
        "accept-any-key": { type: "boolean" },
        "null-deletes-key": { type: "boolean" },
        "virtual-clock": { type: "boolean" },
        "exit-on-stdin-close": { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    // Node quotes a stray argument in its message, and a stray argument may well be a key typed without its flag.
    const code = (error as { code?: string }).code;
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
      throw new Error("unexpected argument: only --flags are accepted");
    throw error;
  }
}

function parseCliArgs(argv: string[]): { options: StandInOptions; exitOnStdinClose: boolean } | null {
  const values = parseFlags(argv);
  if (values.help) return null;
  const apiKey = values["api-key"] ?? process.env.EXTEND_STAND_IN_API_KEY;
  if (!apiKey) throw new Error("--api-key (or EXTEND_STAND_IN_API_KEY) is required");
  const options: StandInOptions = {
    apiKey,
    port: numberFlag("port", values.port, true) ?? 8787,
    runCount: numberFlag("runs", values.runs, true),
    seed: numberFlag("seed", values.seed, true),
    faultSeed: numberFlag("fault-seed", values["fault-seed"], true),
    rate: numberFlag("rate", values.rate),
    burst: numberFlag("burst", values.burst),
    latencyMs: numberFlag("latency", values.latency),
    sendRetryAfter: !values["no-retry-after"],
    wrapErrors: values["wrap-errors"] ?? false,
    usageBlocked: values["usage-blocked"] ?? false,
    requiredWorkspaceId: values["workspace-id"] ?? null,
    acceptAnyKey: values["accept-any-key"] ?? false,
    nullDeletesKey: values["null-deletes-key"] ?? false,
    virtualClock: values["virtual-clock"] ?? false,
  };
  return { options, exitOnStdinClose: values["exit-on-stdin-close"] ?? false };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!parsed) {
    console.log(USAGE);
    return;
  }
  const standIn = await startStandIn(parsed.options);
  console.log(`Extend stand-in listening on ${standIn.url}`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    standIn.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (parsed.exitOnStdinClose) {
    // The parent holds the other end of stdin; when it dies, even by SIGKILL, the pipe closes and so do we.
    process.stdin.on("end", stop);
    process.stdin.on("close", stop);
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  console.error(`Extend stand-in failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
