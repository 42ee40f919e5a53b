// The local Apps Script host: runs the bundled classic script (dist/Code.js) in node:vm, one fresh context per
// execution as Apps Script re-runs top-level code on every call, against in-memory services whose state (the
// spreadsheet, property stores, caches, locks, UI, logs) persists across executions like the real document and
// project do. Executions are synchronous: every wait inside one blocks the thread, as in Apps Script, or, on a
// virtual clock, passes simulated time. A cost model makes service calls cost the time they cost in Apps
// Script (host-options.ts, cost-model.ts), and the accounting tells where each execution's time went.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { seededRandom } from "../stand-in/random.js";
import { emptyAccounting, Ledger } from "./accounting.js";
import { CacheStores, makeCacheService } from "./cache.js";
import { HostClock } from "./clock.js";
import { type CostModel, resolveCostModel } from "./cost-model.js";
import { exportCsv, importCsv } from "./csv.js";
import { AuthMode, type EnumValue } from "./enums.js";
import {
  type AuthModeName,
  CallCounter,
  Execution,
  MAX_TIME_MESSAGE,
  type ServiceCall,
} from "./execution.js";
import {
  DEFAULT_EXECUTION_LIMIT_MS,
  type ExecutionResult,
  type GasHostOptions,
  MAX_SIMULTANEOUS_EXECUTIONS,
  type RunOptions,
  SIMPLE_TRIGGER_LIMIT_MS,
  TOO_MANY_EXECUTIONS_MESSAGE,
} from "./host-options.js";
import { makeHtmlService } from "./html.js";
import { checkModelledLocale } from "./locale.js";
import { LockTable, makeLockService } from "./lock.js";
import { type LogEntry, type LogSink, makeConsole, makeLogger } from "./logger.js";
import { type Manifest, readManifest } from "./manifest.js";
import { makePropertiesService, type PropertiesQuota, type PropertyStore } from "./properties.js";
import { clientCopy, illegalClientValue, Realm, toHost } from "./realm.js";
import { makeScriptApp } from "./script-app.js";
import { ENTRY_SCRIPT, type EntryBox, errorInfo, installVirtualDate } from "./script-entry.js";
import { makeSession } from "./session.js";
import { SpreadsheetModel } from "./sheet-model.js";
import { makeSpreadsheetApp } from "./spreadsheet.js";
import { makeUi, UiLog } from "./ui.js";
import { FetchWorker, makeUrlFetchApp } from "./url-fetch.js";
import { UrlFetchQuota } from "./url-fetch-limits.js";
import { makeUtilities } from "./utilities.js";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export class GasHost {
  readonly spreadsheet: SpreadsheetModel;
  readonly ui = new UiLog();
  readonly calls = new CallCounter();
  readonly locks = new LockTable();
  /** Host time: real, or virtual (GasHostOptions.clock); tests may advance it. */
  readonly clock: HostClock;
  readonly caches: CacheStores;
  /** The cost model in force (GasHostOptions.costModel). */
  readonly costModel: CostModel;
  /** Every execution's calls, cells, requests and time by area, plus the gaps between executions. */
  readonly accounting = new Ledger();
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
  /** Seeded, so a simulation's network jitter is the same every run. */
  private readonly jitterRandom = seededRandom(1);
  /** Executions in progress (nested runs count), and top-level executions started so far. */
  private depth = 0;
  private topLevelStarted = 0;

  constructor(options: GasHostOptions = {}) {
    this.options = options;
    this.clock = new HostClock(options.clock ?? "real", options.virtualStartMs);
    this.caches = new CacheStores(this.clock);
    this.costModel = resolveCostModel(options.costModel);
    this.bundlePath = options.bundlePath ?? join(repoRoot, "dist", "Code.js");
    this.htmlDir = options.htmlDir ?? dirname(this.bundlePath);
    this.userEmail = options.userEmail ?? "tester@example.com";
    this.spreadsheet = new SpreadsheetModel(options.timeZone ?? "Europe/Berlin");
    this.spreadsheet.locale = checkModelledLocale(options.locale ?? "en_US");
    this.spreadsheet.formulaSyntax = options.formulaSyntax ?? "english";
    this.spreadsheet.plainTextApostrophe = options.plainTextApostrophe ?? "strip";
    this.spreadsheet.sheetNameLookup = options.sheetNameLookup ?? "exact";
    this.spreadsheet.refusedWriteTiming = options.refusedWriteTiming ?? "at-write";
    this.logSink = { entries: [], echo: options.echoLogs ?? false };
    this.urlFetchQuota = new UrlFetchQuota({
      daily: options.urlFetchDailyQuota ?? 20_000,
      reset: options.urlFetchQuotaReset,
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

  /**
   * Starts the fetch worker now (it otherwise starts with the first request), so that the first request of
   * a timed run does not leave late by the worker's start-up, which Apps Script has no equivalent of.
   */
  startFetchWorker(): void {
    if (!this.options.transport) void this.fetchWorker.transport;
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
        accounting: emptyAccounting(),
      };
      this.executions.push(refused);
      return refused;
    }
    if (this.depth === 0) {
      // The sidebar's next call (or the user's next click) does not start the instant the last one ended.
      if (this.topLevelStarted > 0) {
        this.clock.wait(this.costModel.executionGapMs);
        this.accounting.time("gap", this.costModel.executionGapMs);
      }
      this.topLevelStarted += 1;
    }
    this.running.set(userEmail, running + 1);
    this.depth += 1;
    try {
      return this.executeCounted(script, id, functionName, args, options, caller);
    } finally {
      this.depth -= 1;
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
    const ledger = new Ledger(this.accounting);
    ledger.count("executions");
    const exec = new Execution(
      { calls: this.calls, clock: this.clock, model: this.costModel, ledger },
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
    const virtual = this.clock.mode === "virtual";
    if (virtual) installVirtualDate(context, () => this.clock.now());
    exec.realm = new Realm(context);
    Object.assign(sandbox, this.services(exec, context));

    const box: EntryBox = {};
    let error: unknown;
    // The watchdog stops a script that computes forever. In virtual time the script's CPU passes virtual time
    // one for one but the host's real work does not, so the real bound is looser; the deadline itself is kept
    // by every service call.
    const timeout = () => {
      const remaining = Math.max(1, Math.ceil(exec.remainingMs()));
      return virtual ? 2 * remaining + 1000 : remaining + 100;
    };
    this.clock.enterExecution((ms) => ledger.time("cpu", ms));
    try {
      script.runInContext(context, { timeout: timeout() });
      sandbox.__gasHostEntry = { name: functionName, args: args.map((arg) => exec.realm.copy(arg)), box };
      ENTRY_SCRIPT.runInContext(context, { timeout: timeout() });
      if (box.notFound) error = exec.realm.error(`Script function not found: ${functionName}`);
      else if (box.rejected) error = box.error;
    } catch (thrown) {
      if ((thrown as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
        exec.killed = true;
        // Killed by the watchdog before virtual time reached the deadline: the execution still ends there.
        if (virtual) this.clock.advance(exec.deadline - this.clock.now());
      }
      error = thrown;
    } finally {
      this.clock.exitExecution();
      // Writes still queued are committed as the execution ends, and that takes its time too.
      if (!exec.killed) {
        const commitMs = exec.meter.commitAtEnd();
        this.clock.wait(commitMs);
        ledger.time("sheets", commitMs);
        // A write refused at this last commit fails the execution, whatever the function returned.
        const refused = exec.meter.takeRefusal();
        if (refused !== undefined && error === undefined) error = exec.realm.error(refused, "Exception");
      }
      exec.finished = true;
      this.locks.releaseAll(id);
    }

    const result: ExecutionResult = {
      executionId: id,
      functionName,
      killed: exec.killed,
      // A killed execution ends at its deadline, whatever its catch blocks still computed.
      durationMs: exec.killed
        ? Math.min(this.clock.now(), exec.deadline) - exec.startedAt
        : this.clock.now() - exec.startedAt,
      calls: Object.fromEntries(exec.counts),
      accounting: ledger.snapshot(),
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
        random: this.jitterRandom,
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
