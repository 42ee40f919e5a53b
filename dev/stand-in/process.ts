// Runs the stand-in as a child process and controls it only over HTTP. Needed by tests whose own thread blocks
// (the local Apps Script host waits with Atomics.wait inside UrlFetchApp): a server in that thread could not answer.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CONFIG_FIELD_NAMES, type PublicConfig, type StandInConfig, type StandInOptions } from "./config.js";
import type { FaultRule } from "./faults.js";
import type { ResetOptions, RunInput } from "./stand-in.js";
import type { StandInStats } from "./stats.js";
import type { StoredRun } from "./types.js";

export interface StandInProcessOptions extends StandInOptions {
  /** How long to wait for the child to print its URL; default 20 s (tsx compiles on first start). */
  startTimeoutMs?: number;
}

/** What runs/lookup returns of a stored run: what an update can change, and the status. */
export type StoredRunCore = Pick<StoredRun, "id" | "name" | "status" | "metadata">;

export interface StandInClient {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stats(): Promise<StandInStats>;
  /** The stored run including `name`, or undefined when there is none. */
  getRun(id: string): Promise<StoredRun | undefined>;
  /** Several stored runs in one call, in the order asked, as far as an update can change them; null where none. */
  getRuns(ids: readonly string[]): Promise<(StoredRunCore | null)[]>;
  addRuns(runs: RunInput[], options?: { replace?: boolean }): Promise<string[]>;
  /** Returns the rules now armed. */
  setFaults(rules: FaultRule[], mode?: "replace" | "append"): Promise<FaultRule[]>;
  configure(patch: Partial<StandInConfig>): Promise<PublicConfig>;
  reset(options?: ResetOptions): Promise<void>;
  /** Stops the child and waits for it to exit. */
  close(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI_PATH = fileURLToPath(new URL("./cli.ts", import.meta.url));
const LISTENING = /Extend stand-in listening on (http:\/\/127\.0\.0\.1:(\d+))/;

const liveChildren = new Set<ChildProcessWithoutNullStreams>();
let exitHookInstalled = false;

function killChildrenOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of liveChildren) child.kill("SIGKILL");
  });
}

export async function startStandInProcess(options: StandInProcessOptions): Promise<StandInClient> {
  const args = ["--import", "tsx", CLI_PATH, "--port", String(options.port ?? 0), "--exit-on-stdin-close"];
  if (options.runCount !== undefined) args.push("--runs", String(options.runCount));
  if (options.seed !== undefined) args.push("--seed", String(options.seed));
  if (options.faultSeed !== undefined) args.push("--fault-seed", String(options.faultSeed));
  // As flags, not over the control API, so that reset({ config: true }) returns to them.
  if (options.rate !== undefined) args.push("--rate", String(options.rate));
  if (options.latencyMs !== undefined) args.push("--latency", String(options.latencyMs));
  if (options.virtualClock) args.push("--virtual-clock");
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // Through the environment, not argv, so the key does not show in the process list.
    env: { ...process.env, EXTEND_STAND_IN_API_KEY: options.apiKey },
    stdio: ["pipe", "pipe", "pipe"],
  });
  liveChildren.add(child);
  killChildrenOnExit();
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      liveChildren.delete(child);
      resolve();
    });
  });
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));

  let url: string;
  try {
    url = await waitForUrl(child, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }
  // From here the child must not keep this process alive; closing stdin on our exit stops it.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) unrefPipe(stream);

  const client = createClient(url, child, exited);
  // Settings the CLI has no flag for go over the control API (the key went through the environment).
  const passedAsFlags = new Set<string>(["apiKey", "rate", "latencyMs", "virtualClock"]);
  const settings = CONFIG_FIELD_NAMES.filter(
    (field) => !passedAsFlags.has(field) && options[field] !== undefined,
  );
  const patch = Object.fromEntries(settings.map((field) => [field, options[field]]));
  try {
    if (Object.keys(patch).length > 0) await client.configure(patch);
    if (options.faults) await client.setFaults(options.faults);
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

/** Child stdio pipes are sockets underneath, and each keeps the event loop alive until unref'd. */
function unrefPipe(stream: object): void {
  if ("unref" in stream && typeof stream.unref === "function") stream.unref();
}

function waitForUrl(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`stand-in did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = output.match(LISTENING);
      if (match?.[1]) {
        cleanUp();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`stand-in exited (code ${code}) before listening`));
    function cleanUp() {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
    }
    function fail(error: Error) {
      cleanUp();
      reject(error);
    }
    child.stdout.on("data", onData);
    child.once("exit", onExit);
  });
}

function createClient(
  url: string,
  child: ChildProcessWithoutNullStreams,
  exited: Promise<void>,
): StandInClient {
  async function send(method: "GET" | "POST", route: string, body?: unknown): Promise<Response> {
    return fetch(`${url}/_stand-in/${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function control<T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await send(method, route, body);
    } catch {
      // A test that blocked its thread (the local Apps Script host waits synchronously) outlives the server's
      // keep-alive timeout; the pooled socket is then closed under us. Once more on a fresh one.
      response = await send(method, route, body);
    }
    const payload = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new StandInControlError(response.status, payload.error ?? response.statusText);
    return payload;
  }

  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid ?? -1,
    stats: () => control<StandInStats>("GET", "stats"),
    getRun: async (id) => {
      try {
        return await control<StoredRun>("GET", `runs/${encodeURIComponent(id)}`);
      } catch (error) {
        if (error instanceof StandInControlError && error.status === 404) return undefined;
        throw error;
      }
    },
    getRuns: async (ids) =>
      (await control<{ runs: (StoredRunCore | null)[] }>("POST", "runs/lookup", { ids })).runs,
    addRuns: async (runs, { replace = false } = {}) =>
      (await control<{ ids: string[] }>("POST", "runs", { runs, replace })).ids,
    setFaults: async (rules, mode = "replace") =>
      (await control<{ rules: FaultRule[] }>("POST", "faults", { rules, mode })).rules,
    configure: (patch) => control<PublicConfig>("POST", "config", patch),
    reset: async (resetOptions = {}) => {
      await control("POST", "reset", resetOptions);
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const forceKill = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(forceKill);
      }
    },
  };
}

export class StandInControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`stand-in control request failed (${status}): ${message}`);
  }
}
