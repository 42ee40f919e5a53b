// Drives the built add-on in the local Apps Script host the way a person (and later the sidebar) would:
// settings stored as the add-on stores them, a menu click, then continuation calls until the sync is done,
// each a separate execution that the host kills at the execution limit if it has not paused by itself.
import type { ExecutionResult, GasHost, HtmlShownRecord, MenuEntry, ServiceCall } from "./gas-host/index.js";

export interface AddOnSetup {
  apiKey: string;
  baseUrl: string;
  rate?: number;
  /** Apps Script's limit as the add-on should assume it; the host kills executions at the same limit. */
  executionLimitSeconds?: number;
  executionBudgetSeconds?: number;
  /** Keep history (the add-on's default is on); undefined leaves the add-on's default. */
  keepHistory?: boolean;
}

const SETTING = "extendSync.setting.";
const JOB_PROPERTY = "extendSync.job";
/** How long the sidebar waits before asking again when continueSyncJob answers busy. */
const BUSY_RETRY_MS = 250;

/**
 * Stores settings where the add-on reads them (the API key in this user's own properties), and allows the
 * base URL's origin in UrlFetchApp as a test deployment's manifest would (the stand-in is not on the allowlist).
 */
export function configureAddOn(host: GasHost, setup: AddOnSetup): void {
  host.allowUrlFetchPrefixes(`${new URL(setup.baseUrl).origin}/`);
  host.userProperties.set("extendSync.apiKey", setup.apiKey);
  const documentSettings: Record<string, number | string | undefined> = {
    baseUrl: setup.baseUrl,
    rate: setup.rate,
    executionLimitSeconds: setup.executionLimitSeconds,
    executionBudgetSeconds: setup.executionBudgetSeconds,
    keepHistory: setup.keepHistory === undefined ? undefined : setup.keepHistory ? "on" : "off",
  };
  for (const [name, value] of Object.entries(documentSettings)) {
    if (value !== undefined) host.documentProperties.set(SETTING + name, String(value));
  }
}

export interface SyncRun {
  /** Executions that worked on the sync (the click and each continuation that got to run). */
  executions: ExecutionResult[];
  killed: number;
}

export function syncUnfinished(host: GasHost): boolean {
  const job = host.documentProperties.get(JOB_PROPERTY);
  return job !== undefined && JSON.parse(job).status === "running";
}

/** The document's job waits for the person (an import paused by a refused key or a lost column). */
export function jobHeld(host: GasHost): boolean {
  const job = host.documentProperties.get(JOB_PROPERTY);
  return job !== undefined && typeof JSON.parse(job).import?.held === "string";
}

export interface FinishOptions {
  executionLimitMs?: number;
  maxExecutions?: number;
  killWhen?: (execution: number) => ((call: ServiceCall) => boolean) | undefined;
  /** Per execution, like killWhen: called before each service call, and may throw as a failing service would. */
  onServiceCall?: (execution: number) => ((call: ServiceCall) => void) | undefined;
  /** Called after each execution that worked on the job (a benchmark reports progress from here). */
  onExecution?: (run: SyncRun) => void;
}

/**
 * Clicks a menu item, then keeps calling continueSyncJob as the sidebar does while a job is unfinished (and not
 * waiting for the person to fix something).
 * After a killed execution the job stays claimed until the killed execution's limit has passed, so the
 * loop waits and asks again, as the sidebar would.
 */
export function clickAndFinish(host: GasHost, caption: string, options: FinishOptions = {}): SyncRun {
  return finish(host, (runOptions) => host.clickMenuItem(caption, runOptions), options);
}

/** Calls a start function as the sidebar or a dialog does (google.script.run), then drives the job to its end. */
export function startAndFinish(
  host: GasHost,
  functionName: string,
  args: unknown[],
  options: FinishOptions = {},
): SyncRun {
  return finish(host, (runOptions) => host.runFromClient(functionName, args, runOptions), options);
}

function finish(
  host: GasHost,
  first: (options: {
    executionLimitMs?: number;
    killWhen?: (call: ServiceCall) => boolean;
    onServiceCall?: (call: ServiceCall) => void;
  }) => ExecutionResult,
  options: FinishOptions,
): SyncRun {
  const run: SyncRun = { executions: [], killed: 0 };
  const limit = options.executionLimitMs;
  const runOptions = (index: number) => {
    const killWhen = options.killWhen?.(index);
    const onServiceCall = options.onServiceCall?.(index);
    return {
      ...(limit ? { executionLimitMs: limit } : {}),
      ...(killWhen ? { killWhen } : {}),
      ...(onServiceCall ? { onServiceCall } : {}),
    };
  };
  const record = (result: ExecutionResult) => {
    run.executions.push(result);
    if (result.killed) run.killed += 1;
    if (result.error && !result.killed)
      throw new Error(`${result.functionName} failed: ${result.error.message}`);
    options.onExecution?.(run);
  };
  record(first(runOptions(0)));
  const maxExecutions = options.maxExecutions ?? 1000;
  // A job held until the person fixes something (an import refused by the key) waits for them, as the sidebar does.
  while (syncUnfinished(host) && !jobHeld(host)) {
    if (run.executions.length >= maxExecutions)
      throw new Error(`sync unfinished after ${maxExecutions} executions`);
    const result = host.runFromClient("continueSyncJob", [], runOptions(run.executions.length));
    const returned = result.returned as { state?: string; message?: string } | undefined;
    const state = returned?.state;
    if (state === "error") throw new Error(`continueSyncJob: ${returned?.message}`);
    if (state === "busy" && !result.killed) {
      // The sidebar waits before asking again; on a virtual clock the wait is virtual too. It is time between
      // executions, so it is recorded as a gap: otherwise the areas would no longer add up to the wall time.
      host.clock.wait(BUSY_RETRY_MS);
      host.accounting.time("gap", BUSY_RETRY_MS);
      continue;
    }
    record(result);
  }
  return run;
}

/** How a sidebar's loop ended: the job is done, or the sidebar was closed (replaced by another window). */
export interface SidebarDrive {
  ended: "finished" | "sidebar closed";
  /** continueSyncJob calls made. */
  calls: number;
}

/**
 * The sidebar's loop as its page runs it: continueSyncJob again and again while the job is unfinished and
 * `sidebar` is still on screen. Sheets shows one add-on window at a time, so a dialog shown meanwhile closes the
 * sidebar and the loop stops with it. `between` runs after each call (a test clicks a menu item there).
 */
export function driveFromSidebar(
  host: GasHost,
  sidebar: HtmlShownRecord,
  between?: (calls: number) => void,
): SidebarDrive {
  let calls = 0;
  while (syncUnfinished(host)) {
    if (!sidebar.open) return { ended: "sidebar closed", calls };
    if (calls >= 1000) throw new Error("the sidebar's loop did not finish the job in 1,000 calls");
    const result = host.runFromClient("continueSyncJob", []);
    calls += 1;
    if (result.error) throw new Error(`continueSyncJob failed: ${result.error.message}`);
    if ((result.returned as { state?: string } | null)?.state === "busy") host.clock.wait(BUSY_RETRY_MS);
    between?.(calls);
  }
  return { ended: "finished", calls };
}

export function describeMenu(items: readonly MenuEntry[], indent = "  "): string[] {
  return items.flatMap((item) => {
    if (item.type === "separator") return [`${indent}──────────`];
    if (item.type === "item") return [`${indent}${item.caption}`];
    return [`${indent}${item.caption} ▸`, ...describeMenu(item.items, `${indent}    `)];
  });
}
