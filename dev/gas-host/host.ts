// The local Apps Script host: runs the bundled classic script (dist/Code.js) in node:vm, one fresh context per
// execution as Apps Script re-runs top-level code on every call, against in-memory services whose state (the
// spreadsheet, property stores, caches, locks, UI, logs) persists across executions like the real document and
// project do. Executions are synchronous: every wait inside one blocks the thread, as in Apps Script.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { CacheStores, HostClock, makeCacheService } from "./cache.js";
import type { PlainTextApostrophe } from "./cell-values.js";
import { exportCsv, importCsv } from "./csv.js";
import { AuthMode, type EnumValue } from "./enums.js";
import {
  type AuthModeName,
  CallCounter,
  Execution,
  MAX_TIME_MESSAGE,
  type ServiceCall,
} from "./execution.js";
import { makeHtmlService } from "./html.js";
import { LockTable, makeLockService } from "./lock.js";
import { type LogEntry, type LogSink, makeConsole, makeLogger } from "./logger.js";
import { type Manifest, readManifest } from "./manifest.js";
import { makePropertiesService, type PropertiesQuota, type PropertyStore } from "./properties.js";
import { clientCopy, illegalClientValue, Realm, toHost } from "./realm.js";
import { makeScriptApp } from "./script-app.js";
import { makeSession } from "./session.js";
import { SpreadsheetModel } from "./sheet-model.js";
import { makeSpreadsheetApp } from "./spreadsheet.js";
import { makeUi, UiLog } from "./ui.js";
import { FetchWorker, makeUrlFetchApp, type Transport } from "./url-fetch.js";
import { UrlFetchQuota } from "./url-fetch-limits.js";
import { makeUtilities } from "./utilities.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export const DEFAULT_EXECUTION_LIMIT_MS = 360_000;
export const SIMPLE_TRIGGER_LIMIT_MS = 30_000;
/** Quotas page: 30 simultaneous executions per user, counted across scripts. */
export const MAX_SIMULTANEOUS_EXECUTIONS = 30;
export const TOO_MANY_EXECUTIONS_MESSAGE =
  "There are too many scripts running simultaneously for this Google user account.";

export interface GasHostOptions {
  /** The bundled classic script; default <repo>/dist/Code.js. Ignored when scriptCode is given. */
  bundlePath?: string;
  /** Script text to run instead of the bundle (tests of the host itself). */
  scriptCode?: string;
  /** Where createHtmlOutputFromFile(name) finds <name>.html; default the bundle's directory. */
  htmlDir?: string;
  /** The spreadsheet's time zone; default "Europe/Berlin". */
  timeZone?: string;
  /** Session.getScriptTimeZone(), the manifest's zone; default "Etc/UTC" as in appsscript.json. */
  scriptTimeZone?: string;
  /** The user running executions; default "tester@example.com". */
  userEmail?: string;
  /** What Session.getActiveUser().getEmail() reveals; default userEmail. */
  activeUserEmail?: string;
  /** Per-request UrlFetchApp timeout; default 60 s. */
  urlFetchTimeoutMs?: number;
  /** URL Fetch calls allowed per "day" (host lifetime); default 20,000 (consumer accounts). */
  urlFetchDailyQuota?: number;
  /**
   * UrlFetch requests allowed in any rolling second before "Service invoked too many times in a short time:
   * urlfetch."; default none, because Google publishes no threshold (see injectUrlFetchBurstErrors).
   */
  urlFetchPerSecondLimit?: number;
  /**
   * The manifest Apps Script enforces (urlFetchWhitelist, oauthScopes): an object, a path, or false for none.
   * Default: appsscript.json beside the bundle (dist/, copied by the build); none when scriptCode is given.
   */
  manifest?: Manifest | string | false;
  /**
   * URL prefixes allowed besides the manifest's urlFetchWhitelist, as a test deployment's own manifest would
   * list them; local runs add the stand-in's "http://127.0.0.1:PORT/". Only matters when the manifest has an
   * allowlist (see also allowUrlFetchPrefixes).
   */
  extraUrlFetchPrefixes?: string[];
  /**
   * What a leading apostrophe written by the script into a plain-text ("@") cell does: "strip" (default, as
   * in any other cell) or "keep" it as a literal character. Google does not say (reference §8 item 12).
   */
  plainTextApostrophe?: PlainTextApostrophe;
  /** Executions one user may have running at once (a run nested in onServiceCall counts); default 30. */
  maxSimultaneousExecutions?: number;
  /** Properties reads and writes per "day" (host lifetime); default 50,000 (consumer accounts). */
  propertiesDailyQuota?: number;
  /** One transport failure throws for the whole fetchAll (default true); false puts null in its slot. */
  fetchAllThrowsOnTransportError?: boolean;
  /** tryLock/waitLock really wait their timeout when the lock is busy (default false: answer at once). */
  realLockWaits?: boolean;
  /** Mirror Logger/console output to the real console. */
  echoLogs?: boolean;
  /** Replace the HTTP transport (default: a synckit worker running fetch). */
  transport?: Transport;
}

export interface RunOptions {
  /** Default 360,000 ms, the real limit; open() uses 30,000 ms like simple triggers. */
  executionLimitMs?: number;
  /** Default "FULL" (menu items, sidebar calls). */
  authMode?: AuthModeName;
  /** Kills the execution just before the service call for which it returns true. */
  killWhen?: (call: ServiceCall) => boolean;
  /** Called before each service call of this execution; may start nested host.run() calls. */
  onServiceCall?: (call: ServiceCall) => void;
  /** Run as another user (own user properties, user cache and user lock). */
  userEmail?: string;
}

export interface ExecutionResult {
  executionId: string;
  functionName: string;
  /** The function's return value copied into the host realm (awaited if it returned a Promise). */
  returned?: unknown;
  error?: { message: string; name: string; stack?: string };
  killed: boolean;
  durationMs: number;
  /** "Service.method" -> calls made by this execution. */
  calls: Record<string, number>;
  /** runFromClient only: why google.script.run would hand the client null instead of the return value. */
  returnRejected?: string;
}

const ENTRY_SCRIPT = new vm.Script(
  `(function () {
  var e = globalThis.__gasHostEntry;
  delete globalThis.__gasHostEntry;
  var parts = e.name.split("."), target = globalThis, owner = globalThis;
  for (var i = 0; i < parts.length; i++) {
    owner = target;
    target = target === null || target === undefined ? undefined : target[parts[i]];
  }
  if (typeof target !== "function") { e.box.notFound = true; return; }
  var result = target.apply(owner, e.args);
  if (result !== null && typeof result === "object" && typeof result.then === "function") {
    e.box.promise = true;
    result.then(
      function (value) { e.box.settled = true; e.box.value = value; },
      function (error) { e.box.settled = true; e.box.rejected = true; e.box.error = error; }
    );
  } else {
    e.box.value = result;
  }
})();`,
  { filename: "gas-host-entry.js" },
);

interface EntryBox {
  notFound?: boolean;
  promise?: boolean;
  settled?: boolean;
  rejected?: boolean;
  value?: unknown;
  error?: unknown;
}

const errorInfo = (error: unknown): { message: string; name: string; stack?: string } => {
  if (typeof error === "object" && error !== null && "message" in error) {
    const e = error as { message: unknown; name?: unknown; stack?: unknown };
    return {
      message: String(e.message),
      name: String(e.name ?? "Error"),
      ...(typeof e.stack === "string" ? { stack: e.stack } : {}),
    };
  }
  return { message: String(error), name: "Error" };
};

export class GasHost {
  readonly spreadsheet: SpreadsheetModel;
  readonly ui = new UiLog();
  readonly calls = new CallCounter();
  readonly locks = new LockTable();
  readonly clock = new HostClock();
  readonly caches = new CacheStores(this.clock);
  readonly documentProperties: PropertyStore = new Map();
  readonly scriptProperties: PropertyStore = new Map();
  /** Every execution's result, oldest first. */
  readonly executions: ExecutionResult[] = [];
  readonly userEmail: string;
  readonly urlFetchQuota: UrlFetchQuota;
  readonly propertiesQuota: PropertiesQuota;
  /** The manifest in force, or undefined when there is none. */
  readonly manifest: Manifest | undefined;
  /** Called before every service call of every execution (see RunOptions.onServiceCall for one run). */
  onServiceCall: ((call: ServiceCall) => void) | undefined;
  readonly scriptId = "1GasHostLocalScriptId0000000000000000000000000000000000";
  private readonly userStores = new Map<string, PropertyStore>();
  private readonly logSink: LogSink;
  private readonly fetchWorker = new FetchWorker();
  private readonly options: GasHostOptions;
  private readonly bundlePath: string;
  private readonly htmlDir: string;
  private readonly extraUrlFetchPrefixes: string[];
  private readonly running = new Map<string, number>();
  private script: vm.Script | undefined;
  private nextExecution = 1;

  constructor(options: GasHostOptions = {}) {
    this.options = options;
    this.bundlePath = options.bundlePath ?? join(repoRoot, "dist", "Code.js");
    this.htmlDir = options.htmlDir ?? dirname(this.bundlePath);
    this.userEmail = options.userEmail ?? "tester@example.com";
    this.spreadsheet = new SpreadsheetModel(options.timeZone ?? "Europe/Berlin");
    this.spreadsheet.plainTextApostrophe = options.plainTextApostrophe ?? "strip";
    this.logSink = { entries: [], echo: options.echoLogs ?? false };
    this.urlFetchQuota = new UrlFetchQuota({
      daily: options.urlFetchDailyQuota ?? 20_000,
      perSecond: options.urlFetchPerSecondLimit,
    });
    this.propertiesQuota = { used: 0, daily: options.propertiesDailyQuota ?? 50_000 };
    this.manifest = this.loadManifest(options);
    this.extraUrlFetchPrefixes = [...(options.extraUrlFetchPrefixes ?? [])];
  }

  /** Allows more URL prefixes besides the manifest's allowlist, from the next execution on. */
  allowUrlFetchPrefixes(...prefixes: string[]): void {
    for (const prefix of prefixes) {
      if (!this.extraUrlFetchPrefixes.includes(prefix)) this.extraUrlFetchPrefixes.push(prefix);
    }
  }

  /** The next `calls` UrlFetchApp.fetch/fetchAll calls throw the short-time quota error and send nothing. */
  injectUrlFetchBurstErrors(calls: number): void {
    this.urlFetchQuota.injectBurstErrors(calls);
  }

  /** The allowlist UrlFetchApp enforces, or undefined when the manifest has none (all URLs allowed). */
  get urlFetchAllowlist(): readonly string[] | undefined {
    const listed = this.manifest?.urlFetchWhitelist;
    return listed ? [...listed, ...this.extraUrlFetchPrefixes] : undefined;
  }

  /** Everything written through Logger and console, oldest first. */
  get logs(): LogEntry[] {
    return this.logSink.entries;
  }

  /** The default user's property store (see userPropertiesOf for others). */
  get userProperties(): PropertyStore {
    return this.userPropertiesOf(this.userEmail);
  }

  userPropertiesOf(email: string): PropertyStore {
    let store = this.userStores.get(email);
    if (!store) {
      store = new Map();
      this.userStores.set(email, store);
    }
    return store;
  }

  /** One execution of `functionName` (a top-level function, or "obj.method" as menus and triggers allow). */
  run(functionName: string, args: unknown[] = [], options: RunOptions = {}): ExecutionResult {
    return this.execute(functionName, args, options, "server");
  }

  /**
   * One execution as google.script.run makes it: only top-level functions not ending in "_", arguments limited
   * to primitives, arrays and plain objects (a Date or function throws here, as the client refuses to send it),
   * and a return value the client cannot receive (e.g. containing a Date) arrives as null.
   */
  runFromClient(functionName: string, args: unknown[] = [], options: RunOptions = {}): ExecutionResult {
    if (functionName.includes(".") || functionName.endsWith("_")) {
      throw new Error(
        `gas-host: google.script.run cannot call ${functionName} (not a public top-level function)`,
      );
    }
    args.forEach((arg, i) => {
      const illegal = illegalClientValue(arg);
      if (illegal !== null) {
        throw new Error(
          `Failed due to illegal value in property: ${illegal === "value" ? i : `${i}.${illegal}`}`,
        );
      }
    });
    return this.execute(functionName, args.map(clientCopy), options, "client");
  }

  /** Clicks the add-on's menu item with this caption (submenus included) and runs the function it names. */
  clickMenuItem(caption: string, options: RunOptions = {}): ExecutionResult {
    const functionName = this.ui.findMenuItem(caption);
    if (functionName === undefined) {
      const known = this.ui.menuCaptions();
      throw new Error(
        `gas-host: no menu item "${caption}"; the menus have ${known.length > 0 ? known.map((c) => `"${c}"`).join(", ") : "no items (did onOpen run?)"}`,
      );
    }
    const result = this.run(functionName, [], options);
    if (result.error?.message === `Script function not found: ${functionName}`) {
      throw new Error(
        `gas-host: menu item "${caption}" names ${functionName}, which the script does not define`,
      );
    }
    return result;
  }

  /** Opens the document: onOpen(e) as the simple trigger runs it (default LIMITED, 30 s). */
  open(options: RunOptions = {}): ExecutionResult {
    const authMode = options.authMode ?? "LIMITED";
    return this.runTrigger("onOpen", authMode, options);
  }

  /** Installs the add-on: onInstall(e) in FULL mode. */
  install(options: RunOptions = {}): ExecutionResult {
    return this.runTrigger("onInstall", options.authMode ?? "FULL", options);
  }

  /** Imports CSV (a file path or the text itself) into `sheetName`, typed as Sheets types an import. */
  loadCsv(pathOrText: string, sheetName: string): void {
    const text =
      !/[\n,]/.test(pathOrText) || existsSync(pathOrText) ? readFileSync(pathOrText, "utf8") : pathOrText;
    importCsv(this.spreadsheet, sheetName, text);
  }

  toCsv(sheetName: string): string {
    return exportCsv(this.spreadsheet.sheet(sheetName));
  }

  /** Ends the fetch worker; safe to call twice. */
  dispose(): void {
    this.fetchWorker.dispose();
  }

  private runTrigger(name: string, authMode: AuthModeName, options: RunOptions): ExecutionResult {
    const event = {
      authMode: (AuthMode as Record<string, EnumValue>)[authMode],
      user: { email: options.userEmail ?? this.userEmail },
    };
    return this.execute(
      name,
      [event],
      { executionLimitMs: SIMPLE_TRIGGER_LIMIT_MS, ...options, authMode },
      "server",
    );
  }

  private loadManifest(options: GasHostOptions): Manifest | undefined {
    const given = options.manifest;
    if (given === false) return undefined;
    if (typeof given === "object") return structuredClone(given);
    if (typeof given === "string") {
      const manifest = readManifest(given);
      if (!manifest) throw new Error(`gas-host: manifest ${given} not found`);
      return manifest;
    }
    return options.scriptCode === undefined
      ? readManifest(join(dirname(this.bundlePath), "appsscript.json"))
      : undefined;
  }

  private loadScript(): vm.Script {
    if (this.script) return this.script;
    let code = this.options.scriptCode;
    if (code === undefined) {
      if (!existsSync(this.bundlePath)) {
        throw new Error(`gas-host: ${this.bundlePath} not found; build it first (npm run build)`);
      }
      code = readFileSync(this.bundlePath, "utf8");
    }
    this.script = new vm.Script(code, {
      filename: this.options.scriptCode === undefined ? this.bundlePath : "Code.js",
    });
    return this.script;
  }

  private execute(
    functionName: string,
    args: unknown[],
    options: RunOptions,
    caller: "server" | "client",
  ): ExecutionResult {
    const script = this.loadScript();
    const id = `exec-${this.nextExecution++}`;
    const userEmail = options.userEmail ?? this.userEmail;
    const running = this.running.get(userEmail) ?? 0;
    if (running >= (this.options.maxSimultaneousExecutions ?? MAX_SIMULTANEOUS_EXECUTIONS)) {
      const refused: ExecutionResult = {
        executionId: id,
        functionName,
        killed: false,
        durationMs: 0,
        calls: {},
        error: { message: TOO_MANY_EXECUTIONS_MESSAGE, name: "Exception" },
      };
      this.executions.push(refused);
      return refused;
    }
    this.running.set(userEmail, running + 1);
    try {
      return this.executeCounted(script, id, functionName, args, options, caller);
    } finally {
      this.running.set(userEmail, (this.running.get(userEmail) ?? 1) - 1);
    }
  }

  private executeCounted(
    script: vm.Script,
    id: string,
    functionName: string,
    args: unknown[],
    options: RunOptions,
    caller: "server" | "client",
  ): ExecutionResult {
    const scopes = this.manifest?.oauthScopes;
    const exec = new Execution(
      { calls: this.calls },
      {
        id,
        functionName,
        limitMs: options.executionLimitMs ?? DEFAULT_EXECUTION_LIMIT_MS,
        authMode: options.authMode ?? "FULL",
        userEmail: options.userEmail ?? this.userEmail,
        killWhen: options.killWhen,
        grantedScopes: scopes ? new Set(scopes) : undefined,
        onServiceCall: (call) => {
          options.onServiceCall?.(call);
          this.onServiceCall?.(call);
        },
      },
    );
    const sandbox: Record<string, unknown> = {};
    const context = vm.createContext(sandbox, { name: `gas-host ${id}`, microtaskMode: "afterEvaluate" });
    exec.realm = new Realm(context);
    Object.assign(sandbox, this.services(exec, context));

    const box: EntryBox = {};
    let error: unknown;
    const timeout = () => Math.max(1, exec.remainingMs()) + 100;
    try {
      script.runInContext(context, { timeout: timeout() });
      sandbox.__gasHostEntry = { name: functionName, args: args.map((arg) => exec.realm.copy(arg)), box };
      ENTRY_SCRIPT.runInContext(context, { timeout: timeout() });
      if (box.notFound) error = exec.realm.error(`Script function not found: ${functionName}`);
      else if (box.rejected) error = box.error;
    } catch (thrown) {
      if ((thrown as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") exec.killed = true;
      error = thrown;
    } finally {
      exec.finished = true;
      this.locks.releaseAll(id);
    }

    const result: ExecutionResult = {
      executionId: id,
      functionName,
      killed: exec.killed,
      durationMs: Date.now() - exec.startedAt,
      calls: Object.fromEntries(exec.counts),
    };
    if (exec.killed) result.error = { message: MAX_TIME_MESSAGE, name: "Exception" };
    else if (error !== undefined) result.error = errorInfo(error);
    else if (caller === "client") {
      const illegal = illegalClientValue(box.value);
      if (illegal === null) result.returned = clientCopy(toHost(box.value));
      else {
        result.returned = null;
        result.returnRejected = `illegal value at ${illegal} (google.script.run passes null to the success handler)`;
      }
    } else result.returned = toHost(box.value);
    this.executions.push(result);
    return result;
  }

  private services(exec: Execution, context: vm.Context): Record<string, unknown> {
    const ui = () => makeUi(exec, this.ui);
    return {
      SpreadsheetApp: makeSpreadsheetApp({ exec, book: this.spreadsheet, uiLog: this.ui, ui }),
      UrlFetchApp: makeUrlFetchApp(exec, {
        transport: () => this.options.transport ?? this.fetchWorker.transport,
        timeoutMs: this.options.urlFetchTimeoutMs ?? 60_000,
        fetchAllThrowsOnTransportError: this.options.fetchAllThrowsOnTransportError ?? true,
        quota: this.urlFetchQuota,
        allowlist: this.urlFetchAllowlist,
        now: () => this.clock.now(),
        scriptId: this.scriptId,
      }),
      PropertiesService: makePropertiesService(
        exec,
        {
          user: this.userPropertiesOf(exec.userEmail),
          document: this.documentProperties,
          script: this.scriptProperties,
        },
        this.propertiesQuota,
      ),
      LockService: makeLockService(exec, this.locks, { realLockWaits: this.options.realLockWaits ?? false }),
      CacheService: makeCacheService(exec, this.caches),
      Utilities: makeUtilities(exec),
      Session: makeSession(exec, {
        scriptTimeZone: this.options.scriptTimeZone ?? "Etc/UTC",
        activeUserEmail:
          exec.userEmail === this.userEmail
            ? (this.options.activeUserEmail ?? this.userEmail)
            : exec.userEmail,
      }),
      HtmlService: makeHtmlService(exec, { htmlDir: this.htmlDir, context }),
      Logger: makeLogger(exec, this.logSink),
      console: makeConsole(exec, this.logSink),
      ScriptApp: makeScriptApp(exec, this.scriptId),
    };
  }
}
