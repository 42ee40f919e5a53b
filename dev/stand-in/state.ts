// Everything a running stand-in holds, shared by the API routes, the control routes and the StandIn object.
import type { StandInConfig } from "./config.js";
import type { FaultQueue } from "./faults.js";
import type { RateLimiter } from "./rate-limit.js";
import type { LazyRunMap } from "./run-store.js";
import type { StatsRecorder } from "./stats.js";
import type { VirtualTimeline } from "./virtual-time.js";

export interface StandInState {
  runs: LazyRunMap;
  config: StandInConfig;
  faults: FaultQueue;
  stats: StatsRecorder;
  rateLimiter: RateLimiter;
  timeline: VirtualTimeline;
}
