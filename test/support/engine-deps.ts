// The engine's ports and settings as the core's tests run it: a sheet, scripted HTTP on a virtual clock, the
// default retry policy, 10 requests/s, and every saved job kept (a copy, as the real property keeps text).
import type { EngineDeps } from "../../src/core/engine/engine";
import type { SyncJob } from "../../src/core/engine/job";
import { DEFAULT_RETRY_POLICY } from "../../src/core/requests/retry";
import { scrubberFor } from "../../src/core/requests/secrets";
import { type ArraySheet, type Responder, ScriptedHttp, VirtualClock } from "./fake-ports";

export const TEST_KEY = "test-key-not-secret";

export interface EngineDepsOptions extends Partial<EngineDeps> {
  /** When the execution's soft budget ends, from the clock's start. */
  budgetMs?: number;
  /** When its hard limit falls, from the clock's start. */
  hardLimitMs?: number;
}

export function engineDeps(
  sheet: ArraySheet,
  respond: Responder,
  { budgetMs = 600_000, hardLimitMs = budgetMs + 100_000, ...overrides }: EngineDepsOptions = {},
) {
  const clock = new VirtualClock();
  const http = new ScriptedHttp(respond, clock);
  const saved: SyncJob[] = [];
  const deps: EngineDeps = {
    sheet,
    http,
    clock,
    random: () => 0.5,
    parse: { dateToIso: (date) => date.toISOString() },
    connection: { baseUrl: "http://127.0.0.1:1", apiKey: TEST_KEY },
    retryPolicy: DEFAULT_RETRY_POLICY,
    scrub: scrubberFor([TEST_KEY]),
    rate: 10,
    budgetEndsAt: clock.now() + budgetMs,
    mustStopBy: clock.now() + hardLimitMs,
    saveJob: (job) => saved.push(structuredClone(job)),
    loadMarks: () => undefined,
    ...overrides,
  };
  return { clock, http, deps, saved };
}
