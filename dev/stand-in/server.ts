// The local Extend API stand-in: an HTTP server on 127.0.0.1 that answers the workflow-run endpoints of API
// version 2026-02-09 as the real API does, so an unmodified client can be pointed at it. Started in process here;
// cli.ts runs it standalone and process.ts runs it as a child process for tests that block their own thread.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleApiRequest } from "./api.js";
import {
  DEFAULT_RUN_COUNT,
  DEFAULT_SEED,
  initialConfig,
  parseConfigPatch,
  publicConfig,
  type StandInOptions,
} from "./config.js";
import { CONTROL_PREFIX, handleControlRequest } from "./control.js";
import { FaultQueue } from "./faults.js";
import { RateLimiter } from "./rate-limit.js";
import { completeRun, generateSeededRuns } from "./runs.js";
import type { StandIn } from "./stand-in.js";
import type { StandInState } from "./state.js";
import { StatsRecorder } from "./stats.js";
import { VirtualTimeline } from "./virtual-time.js";

export type { StandInConfig, StandInOptions } from "./config.js";
export type { FaultKind, FaultRule } from "./faults.js";
export type { ResetOptions, RunInput, StandIn } from "./stand-in.js";
export type { StandInStats } from "./stats.js";

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  if (!options.apiKey) throw new Error("startStandIn: apiKey is required");
  const seed = options.seed ?? DEFAULT_SEED;
  const state: StandInState = {
    runs: generateSeededRuns(options.runCount ?? DEFAULT_RUN_COUNT, seed),
    config: initialConfig(options),
    faults: new FaultQueue(options.faultSeed ?? seed),
    stats: new StatsRecorder(),
    rateLimiter: new RateLimiter(),
    timeline: new VirtualTimeline(),
  };
  if (options.faults) state.faults.replace(options.faults);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const handled = url.pathname.startsWith(CONTROL_PREFIX)
      ? handleControlRequest(standIn, req, res, url.pathname)
      : handleApiRequest(state, req, res, url.pathname, url.searchParams);
    handled.catch((error: unknown) => {
      console.error("Extend stand-in: request failed", error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const standIn: StandIn = {
    url: `http://127.0.0.1:${port}`,
    port,
    runs: state.runs,
    config: state.config,
    faults: state.faults,
    stats: () => state.stats.snapshot(),
    getRun: (id) => {
      const run = state.runs.get(id);
      return run && structuredClone(run);
    },
    addRuns: (runs, { replace = false } = {}) => {
      if (replace) state.runs.clear();
      for (const run of runs) state.runs.set(run.id, completeRun(structuredClone(run)));
      return runs.map((run) => run.id);
    },
    setFaults: (rules, mode = "replace") => {
      if (mode === "append") state.faults.append(rules);
      else state.faults.replace(rules);
    },
    configure: (patch) => {
      const checked = parseConfigPatch(patch);
      Object.assign(state.config, checked);
      // New limits start from a full bucket rather than one filled under the old limit.
      if ("rate" in checked || "burst" in checked || "apiKey" in checked || "virtualClock" in checked) {
        state.rateLimiter.clear();
        state.timeline.reset();
      }
    },
    publicConfig: () => publicConfig(state.config),
    reset: ({ runs = false, config = false } = {}) => {
      state.stats.reset();
      state.faults.clear();
      state.rateLimiter.clear();
      state.timeline.reset();
      if (runs) state.runs.restoreSeeded();
      if (config) Object.assign(state.config, initialConfig(options));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return standIn;
}
