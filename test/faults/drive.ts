// Drives one job of the built add-on in the local host to its end the way the sidebar does: start it (confirming
// what it asks to confirm, an undo's confirmation included), then one execution after another, while executions are killed at random points,
// fetchAll calls throw, and the user changes the sheet between executions. Whatever goes wrong (a job that never
// ends, an execution that fails) is returned as text for the checks, never thrown.
import type { GasHost, ServiceCall } from "../../dev/gas-host/index.js";
import { type FinishOptions, jobHeld, startAndFinish, syncUnfinished } from "../../dev/local-run.js";
import type { ExecutionWindow } from "./checks.js";

export const RUN_LOG = "Extend Sync Log";
/** How long a person waits before continuing a job again when told it is still running. */
const BUSY_WAIT_MS = 5_000;
/** Waits enough for any execution's time limit (6 minutes) to pass. */
const MAX_BUSY_WAITS = 80;
/** Questions (tag changes, a tag mode, the day's requests) answered yes before the job began, not counted as clicks. */
const MAX_CONFIRMATIONS = 10;

/** A deterministic generator, so a failing scenario fails the same way again. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

export function hashText(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
  return hash >>> 0;
}

export interface DriveOptions {
  random: () => number;
  /** Apps Script's limit the host kills executions at. */
  executionLimitMs: number;
  /** How long an execution works before it pauses: kills land at random points within it. */
  budgetMs: number;
  /** Chance per execution that it is killed. */
  killRate?: number;
  /** Chance per fetchAll call that it throws before sending anything. */
  fetchAllThrows?: number;
  /** The address a throwing fetchAll names in its message. */
  fetchUrl: string;
  /** What the user does between two executions of the job. */
  between?: () => void;
  /** The most executions a job may take before it counts as never ending. */
  maxExecutions: number;
  /** Whether a message a continue answers with instead of going on is what the person should be told now. */
  accepts?: (message: string) => boolean;
}

export interface Driven {
  executions: number;
  kills: number;
  /** Every execution the driver started (busy polls included): when it started, and whether it was killed. */
  windows: ExecutionWindow[];
  /** What the last execution that ran to its end returned (the job's final progress, for the sidebar). */
  lastReturned: unknown;
  /** Why the job did not end as a job must, if it did not. */
  problem?: string;
  /** The job waits for the person to fix something (an import refused by the key or the credits). */
  held: boolean;
  /** The message a continue answered with instead of going on (the sidebar shows it), if one did. */
  shown?: string;
}

function runLogRows(host: GasHost): number {
  return Math.max(0, (host.spreadsheet.findSheet(RUN_LOG)?.values().length ?? 1) - 1);
}

/** Starts the job with `fn(request)` (or, with `resume`, continues the job that waits) and drives it to its end. */
export function driveJob(
  host: GasHost,
  start: { fn: string; request: Record<string, unknown>; resume?: boolean },
  options: DriveOptions,
): Driven {
  const { random } = options;
  const driven: Driven = { executions: 0, kills: 0, windows: [], lastReturned: undefined, held: false };
  // Half the kills land at a random moment of the execution's budget (mostly while it waits for its pace),
  // half just after a random fetchAll has been answered, before its results are written.
  const killWhen = (): ((call: ServiceCall) => boolean) => {
    const window: ExecutionWindow = { start: host.clock.now(), killed: false };
    driven.windows.push(window);
    const kill = () => {
      window.killed = true;
      return true;
    };
    if (!options.killRate || random() >= options.killRate) return () => false;
    if (random() < 0.5) {
      const killAt = host.clock.now() + random() * options.budgetMs;
      return () => host.clock.now() >= killAt && kill();
    }
    const afterFetch = 1 + Math.floor(random() * 20);
    let answered = false;
    return (call) => {
      if (answered) return kill();
      if (call.key === "UrlFetchApp.fetchAll" && call.count === afterFetch) answered = true;
      return false;
    };
  };
  const throws = options.fetchAllThrows;
  const onServiceCall = throws
    ? () => (call: ServiceCall) => {
        if (call.key === "UrlFetchApp.fetchAll" && random() < throws)
          throw new Error(`Address unavailable: ${options.fetchUrl}/workflow_runs`);
      }
    : undefined;
  const finishOptions: FinishOptions = {
    executionLimitMs: options.executionLimitMs,
    maxExecutions: options.maxExecutions,
    killWhen,
    ...(onServiceCall ? { onServiceCall } : {}),
    // Between two executions of the job, not between a confirmation and the person's yes.
    ...(options.between ? { onExecution: () => syncUnfinished(host) && options.between?.() } : {}),
  };
  const logRowsBefore = runLogRows(host);
  let request = start.request;
  // Resuming a job that waits (continueSyncJob) makes at least one call; starting one goes on until it began.
  const started = () => runLogRows(host) !== logRowsBefore || syncUnfinished(host);
  // A click killed before the job began leaves nothing behind: the user clicks again. A confirmation (tag changes,
  // an add or remove mode) is answered yes, as the person reads it and agrees.
  let busyWaits = 0;
  let confirmations = 0;
  for (let clicks = 0; clicks <= 0 || (!start.resume && !started()); clicks++) {
    if (clicks >= 5) {
      driven.problem = `five clicks never started the job (${confirmations} questions answered yes)`;
      break;
    }
    let run: ReturnType<typeof startAndFinish>;
    try {
      run = startAndFinish(host, start.fn, start.resume ? [] : [request], finishOptions);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // What the sidebar shows when a continue cannot go on (the job's sheet is gone): the job has ended.
      if (message.startsWith("continueSyncJob: ")) driven.shown = message.slice("continueSyncJob: ".length);
      else driven.problem = `the job did not end: ${message}`;
      break;
    }
    driven.executions += run.executions.length;
    driven.kills += run.killed;
    const last = run.executions.at(-1);
    driven.lastReturned = last && !last.killed ? last.returned : undefined;
    const first = run.executions[0]?.returned as { state?: string; token?: string } | undefined;
    if ((first?.state === "confirm" || first?.state === "confirm-undo") && run.executions.length === 1) {
      request = { ...request, confirmToken: first.token };
      // Agreeing to a question is not a click that failed to start the job: a start killed after the yes asks
      // again, and with kills at 20% a few such rounds are expected. Bounded, so a question asked for ever fails.
      if (confirmations < MAX_CONFIRMATIONS) clicks -= 1;
      confirmations += 1;
    } else if (first?.state === "busy" && start.resume && busyWaits < MAX_BUSY_WAITS) {
      // A killed execution still holds the job until its time limit has passed: the person is told so, waits,
      // and continues again.
      host.clock.wait(BUSY_WAIT_MS);
      busyWaits += 1;
      clicks -= 1;
    } else if (first?.state === "error" || first?.state === "busy") {
      driven.problem = `the job could not start: ${JSON.stringify(first).slice(0, 300)}`;
      break;
    }
  }
  driven.held = jobHeld(host);
  if (driven.shown && !options.accepts?.(driven.shown)) driven.problem = `a continue failed: ${driven.shown}`;
  if (!driven.problem && syncUnfinished(host) && !driven.held)
    driven.problem = "the job is still running after its last execution";
  return driven;
}
