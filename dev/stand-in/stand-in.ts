// The running stand-in as tests and tools hold it (server.ts starts it; control.ts serves the same operations
// over HTTP to another process): its address, its live runs, settings and faults, and what may be done to them.
import type { PublicConfig, StandInConfig } from "./config.js";
import type { FaultQueue, FaultRule } from "./faults.js";
import type { StandInStats } from "./stats.js";
import type { StoredRun } from "./types.js";

/** A run to add: only `id` is required, the rest defaults to a plain PROCESSED run. */
export type RunInput = Partial<StoredRun> & { id: string };

export interface ResetOptions {
  /** Also put the runs back to the seeded set. */
  runs?: boolean;
  /** Also put every setting back to the start options. */
  config?: boolean;
}

export interface StandIn {
  /** e.g. `http://127.0.0.1:41234`, the base URL to give a client instead of `https://api.extend.ai`. */
  readonly url: string;
  readonly port: number;
  /** Live stored runs by id; tests may read and change them directly. */
  readonly runs: Map<string, StoredRun>;
  /** Live settings; a change applies to the next request (use configure() to validate and reset rate buckets). */
  readonly config: StandInConfig;
  readonly faults: FaultQueue;
  /** A copy of the statistics so far. */
  stats(): StandInStats;
  /** The stored run, including the `name` the API does not return. */
  getRun(id: string): StoredRun | undefined;
  addRuns(runs: RunInput[], options?: { replace?: boolean }): string[];
  setFaults(rules: FaultRule[], mode?: "replace" | "append"): void;
  configure(patch: Partial<StandInConfig>): void;
  publicConfig(): PublicConfig;
  /** Clears stats, faults and rate buckets; optionally runs and settings too. */
  reset(options?: ResetOptions): void;
  close(): Promise<void>;
}
