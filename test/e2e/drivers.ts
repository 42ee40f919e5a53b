// People driving a job at the same time, for the host's interleave(): an editor's sidebar, which finds the
// document's job and drives it with continueSyncJob by the rules of src/ui/sidebar/sync-loop.ts (one call in
// flight, go on while paused, back off while busy or after a failed call, stop on an error), and a person at
// the menu, who clicks Sync all rows and then Continue paused sync until the alert says the sync is over.
import type { Driver, ExecutionResult, GasHost } from "../../dev/gas-host/index.js";
import type { SyncProgress } from "../../src/core/engine.js";
import type { JobView } from "../../src/core/job.js";
import { MAX_FAILED_CALLS, retryDelay } from "../../src/ui/sidebar/sync-loop.js";

/** How a driver ended, and every progress its executions returned. */
export interface DriverEnd {
  /** done: it saw the job end; gone: the job ended elsewhere; error: it stopped on an error it showed. */
  view?: "done" | "gone" | "error" | "never saw a job";
  message?: string;
  progresses: SyncProgress[];
  /** Executions of this driver that Apps Script killed. */
  killed: number;
}

export const newEnd = (): DriverEnd => ({ progresses: [], killed: 0 });

const isProgress = (value: unknown): value is SyncProgress =>
  typeof value === "object" && value !== null && "jobId" in value && "counts" in value;

export interface SidebarOptions {
  user: string;
  executionLimitMs: number;
  /** The job to drive; without one, the sidebar asks currentSyncJob for the document's job. */
  jobId?: string;
  /** How often the person looks again when the sidebar shows no job yet. */
  looks?: number;
  lookEveryMs?: number;
  /** Called with each progress the moment its execution ended (before any other execution goes on). */
  onProgress?: (progress: SyncProgress) => void;
}

/** An editor with the sidebar open: offered the running job, they press Resume, and the sidebar drives it. */
export function* sidebarDriver(host: GasHost, options: SidebarOptions, end: DriverEnd): Driver {
  const run = (name: string, args: unknown[]) => () =>
    host.runFromClient(name, args, { userEmail: options.user, executionLimitMs: options.executionLimitMs });
  let jobId = options.jobId;
  for (let look = 0; jobId === undefined && look < (options.looks ?? 3); look++) {
    if (look > 0) yield { waitMs: options.lookEveryMs ?? 5_000 };
    const opened: ExecutionResult | undefined = yield { run: run("currentSyncJob", []) };
    if (opened?.killed) end.killed += 1;
    jobId = (opened?.returned as JobView | null | undefined)?.id;
  }
  if (jobId === undefined) {
    end.view = "never saw a job";
    return;
  }
  let busyAnswers = 0;
  let failedCalls = 0;
  for (;;) {
    const result: ExecutionResult | undefined = yield { run: run("continueSyncJob", [jobId]) };
    if (!result || result.killed || result.error) {
      if (result?.killed) end.killed += 1;
      failedCalls += 1;
      if (failedCalls >= MAX_FAILED_CALLS) {
        end.view = "error";
        end.message = result?.error?.message ?? "no answer";
        return;
      }
      yield { waitMs: retryDelay(failedCalls - 1) };
      continue;
    }
    failedCalls = 0;
    const answer = result.returned as SyncProgress | { state: string; message?: string };
    if (isProgress(answer)) {
      busyAnswers = 0;
      end.progresses.push(answer);
      options.onProgress?.(answer);
      if (answer.state !== "paused") {
        end.view = "done";
        return;
      }
      continue;
    }
    if (answer.state === "busy") {
      yield { waitMs: retryDelay(busyAnswers) };
      busyAnswers += 1;
      continue;
    }
    end.view = answer.state === "none" ? "gone" : "error";
    if (answer.message) end.message = answer.message;
    return;
  }
}

export interface MenuOptions {
  user: string;
  executionLimitMs: number;
  /** The first click (default Sync all rows); then Continue paused sync. */
  caption?: string;
  /** How long the person waits before clicking again after "already running". */
  againAfterMs?: number;
  /** How long the person takes to read a "paused" alert and click Continue paused sync. */
  readingMs?: number;
  clicks?: number;
}

/** A person at the menu: starts the sync, then continues it while the alert says it is paused or busy. */
export function* menuDriver(host: GasHost, options: MenuOptions, end: DriverEnd): Driver {
  let caption = options.caption ?? "Sync all rows";
  for (let click = 0; click < (options.clicks ?? 20); click++) {
    const result: ExecutionResult | undefined = yield {
      run: () =>
        host.clickMenuItem(caption, { userEmail: options.user, executionLimitMs: options.executionLimitMs }),
    };
    if (result?.killed) end.killed += 1;
    const alert = host.ui.alerts.filter((shown) => shown.executionId === result?.executionId).at(-1);
    const said = alert?.prompt ?? "";
    caption = "Continue paused sync";
    if (result?.killed || /paused to stay within/.test(said)) {
      yield { waitMs: options.readingMs ?? 3_000 };
      continue;
    }
    if (/already running|right now/.test(said)) {
      yield { waitMs: options.againAfterMs ?? 10_000 };
      continue;
    }
    if (/^Sync (finished|stopped)/.test(said)) end.view = "done";
    else if (/^There is no paused sync/.test(said)) end.view = "gone";
    else {
      end.view = "error";
      end.message = said || result?.error?.message || "no alert";
    }
    return;
  }
  end.view = "error";
  end.message = "still not finished after every click";
}
