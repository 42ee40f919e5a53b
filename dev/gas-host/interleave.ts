// Executions that run at the same time, as they do on Apps Script: up to 10 google.script.run calls per page,
// other editors' sidebars and menu clicks all run at once, and each may read or write what another is in the
// middle of changing. Executions here are synchronous code on one thread, so "at the same time" is explored by
// preemption: before a service call of a running execution, the schedule may start another driver's next
// execution, which runs to its end before the call goes on (nested, as concurrent executions always were in
// this host); that one may be preempted the same way by a third. A driver is a person or a page: a generator
// that yields the executions it makes one after another (one in flight at a time, as the sidebar's loop) and
// the waits between them. The schedules: one preemption before the k-th service call (for each k in turn, a
// systematic exploration of single preemptions), or seeded random preemptions for larger runs.

import type { ServiceCall } from "./execution.js";
import type { GasHost } from "./host.js";
import type { ExecutionResult } from "./host-options.js";

/** What a driver does next: run an execution, or wait (a sidebar's backoff, a person's pause) before the next. */
export type DriverStep = { run: () => ExecutionResult } | { waitMs: number };

/** A person or a page: yields its steps, and is given each execution's result back. */
export type Driver = Generator<DriverStep, void, ExecutionResult | undefined>;

export interface Schedule {
  /** Whether to start another driver's execution before this call; `depth` 1 is a top-level execution. */
  preempt(call: ServiceCall, depth: number): boolean;
  /**
   * Host time that passes before this call, as when a service is slow to answer or the execution is held up:
   * the execution sees it on its clock, and its deadline comes nearer (default none).
   */
  holdUpMs?(call: ServiceCall, depth: number): number;
  /** Which of the ready drivers (by index, never empty) runs next, at top level or preempting. */
  pick(ready: readonly number[]): number;
}

/** One preemption, before the `seq`-th service call of the whole run (counted across every execution). */
export function preemptAt(seq: number): Schedule {
  let calls = 0;
  return {
    preempt: () => {
      calls += 1;
      return calls === seq;
    },
    pick: (ready) => ready[0] ?? 0,
  };
}

/** No preemption: drivers take turns, each execution running alone (the baseline of a systematic run). */
export const NO_PREEMPTION: Schedule = { preempt: () => false, pick: (ready) => ready[0] ?? 0 };

/** Keeps every service call of a run, to know which k a systematic exploration must try (and what each is). */
export function countingCalls(schedule: Schedule): Schedule & { readonly calls: readonly ServiceCall[] } {
  const calls: ServiceCall[] = [];
  return {
    calls,
    preempt: (call, depth) => {
      calls.push(call);
      return schedule.preempt(call, depth);
    },
    holdUpMs: (call, depth) => schedule.holdUpMs?.(call, depth) ?? 0,
    pick: (ready) => schedule.pick(ready),
  };
}

/**
 * Preempts before each service call with probability `probability` (seeded, so a failing schedule fails the same
 * way again), nesting at most `maxDepth` executions, and picks among ready drivers at random.
 */
export function seededPreemptions(seed: number, probability: number, maxDepth = 3): Schedule {
  let state = seed >>> 0 || 1;
  const random = () => {
    // xorshift32: small, fast and the same on every machine.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  return {
    preempt: (_call, depth) => depth < maxDepth && random() < probability,
    pick: (ready) => ready[Math.floor(random() * ready.length)] ?? ready[0] ?? 0,
  };
}

/** One execution of the run: which driver made it, how deeply it was nested, and how it ended. */
export interface InterleavedExecution {
  driver: string;
  /** 1 at top level, 2 when it preempted a top-level execution, and so on. */
  depth: number;
  result: ExecutionResult;
}

export interface InterleaveRecord {
  executions: InterleavedExecution[];
  /** Executions started before a service call of another one. */
  preemptions: number;
  /** The most executions that were running at once. */
  maxDepth: number;
}

interface DriverState {
  name: string;
  driver: Driver;
  next: DriverStep | undefined;
  readyAt: number;
  running: boolean;
}

/** How many executions a run may make before it is taken for a driver that never ends. */
const MAX_EXECUTIONS = 5_000;

/**
 * Runs the drivers until each has ended, under `schedule`. While no driver is ready (all wait), host time moves
 * on to the first one's turn, recorded as a gap between executions.
 */
export function interleave(
  host: GasHost,
  drivers: Readonly<Record<string, Driver>>,
  schedule: Schedule,
): InterleaveRecord {
  const record: InterleaveRecord = { executions: [], preemptions: 0, maxDepth: 0 };
  const states: DriverState[] = Object.entries(drivers).map(([name, driver]) => ({
    name,
    driver,
    next: undefined,
    readyAt: 0,
    running: false,
  }));
  let depth = 0;

  /** Moves a driver past its waits to its next execution (or its end), given what its last one returned. */
  const advance = (state: DriverState, result: ExecutionResult | undefined) => {
    let step = state.driver.next(result);
    while (!step.done && "waitMs" in step.value) {
      state.readyAt = Math.max(state.readyAt, host.clock.now() + step.value.waitMs);
      step = state.driver.next(undefined);
    }
    state.next = step.done ? undefined : step.value;
  };
  const ready = () =>
    states.flatMap((state, index) =>
      state.next && !state.running && state.readyAt <= host.clock.now() ? [index] : [],
    );
  const runNext = (index: number) => {
    const state = states[index];
    if (!state?.next || !("run" in state.next)) return;
    if (record.executions.length >= MAX_EXECUTIONS)
      throw new Error(`gas-host interleave: more than ${MAX_EXECUTIONS} executions; a driver never ends`);
    state.running = true;
    depth += 1;
    record.maxDepth = Math.max(record.maxDepth, depth);
    const entry: Partial<InterleavedExecution> = { driver: state.name, depth };
    record.executions.push(entry as InterleavedExecution);
    let result: ExecutionResult;
    try {
      result = state.next.run();
    } finally {
      depth -= 1;
      state.running = false;
    }
    entry.result = result;
    advance(state, result);
  };

  const previous = host.onServiceCall;
  host.onServiceCall = (call) => {
    previous?.(call);
    const held = schedule.holdUpMs?.(call, depth) ?? 0;
    if (held > 0) {
      host.clock.wait(held);
      host.accounting.time("other", held);
    }
    if (!schedule.preempt(call, depth)) return;
    const candidates = ready();
    if (candidates.length === 0) return;
    record.preemptions += 1;
    runNext(schedule.pick(candidates));
  };
  try {
    for (const state of states) advance(state, undefined);
    for (;;) {
      const candidates = ready();
      if (candidates.length > 0) {
        runNext(schedule.pick(candidates));
        continue;
      }
      const waiting = states.filter((state) => state.next);
      if (waiting.length === 0) break;
      const at = Math.min(...waiting.map((state) => state.readyAt));
      const gap = Math.max(0, at - host.clock.now());
      host.clock.wait(gap);
      host.accounting.time("gap", gap);
    }
  } finally {
    host.onServiceCall = previous;
  }
  return record;
}
