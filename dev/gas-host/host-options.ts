// What a GasHost and one of its executions can be told, and what an execution reports back.
import type { Accounting } from "./accounting.js";
import type { PlainTextApostrophe } from "./cell-values.js";
import type { ClockMode } from "./clock.js";
import type { CostModel, CostModelName } from "./cost-model.js";
import type { AuthModeName, ServiceCall } from "./execution.js";
import type { FormulaSyntax } from "./locale.js";
import type { Manifest } from "./manifest.js";
import type { RefusedWriteTiming, SheetNameLookup } from "./sheet-model.js";
import type { UrlFetchQuotaReset } from "./url-fetch-limits.js";
import type { Transport } from "./wire.js";

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
  /**
   * The spreadsheet's locale (getSpreadsheetLocale), which decides what text written by setValues becomes:
   * "en_US" (default), "en_GB", "de_DE", "de_AT", "fr_FR" or "fr_BE" (locale.ts).
   */
  locale?: string;
  /**
   * How a formula the script writes is read in a locale whose argument separator is ";": "english" (default)
   * takes "," whatever the locale, "locale" takes ";". Google does not say.
   */
  formulaSyntax?: FormulaSyntax;
  /** Session.getScriptTimeZone(), the manifest's zone; default "Etc/UTC" as in appsscript.json. */
  scriptTimeZone?: string;
  /** The user running executions; default "tester@example.com". */
  userEmail?: string;
  /** What Session.getActiveUser().getEmail() reveals; default userEmail. */
  activeUserEmail?: string;
  /** Per-request UrlFetchApp timeout; default 60 s. */
  urlFetchTimeoutMs?: number;
  /** URL Fetch calls allowed per day; default 20,000 (consumer accounts). */
  urlFetchDailyQuota?: number;
  /**
   * When that day starts again, on the host's clock: "never" (default: the host's lifetime is one day),
   * "pacific-midnight" or "24h-after-first-request" (reference §1.2; which one Google does is not confirmed).
   */
  urlFetchQuotaReset?: UrlFetchQuotaReset;
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
  /**
   * When the script hears that Sheets refused a write (a protected range, a "reject input" data validation):
   * "at-write" (default) from the write itself; "at-flush" at the next read, metadata call, structural edit,
   * SpreadsheetApp.flush() or the end of the execution, the refused write being dropped. Google does not say.
   */
  refusedWriteTiming?: RefusedWriteTiming;
  /**
   * Whether Spreadsheet.getSheetByName("Runs") also finds a sheet named "runs": "exact" (default) or
   * "any-case". Google does not say; names are unique regardless of case either way.
   */
  sheetNameLookup?: SheetNameLookup;
  /** Executions one user may have running at once (a run nested in onServiceCall counts); default 30. */
  maxSimultaneousExecutions?: number;
  /** Properties reads and writes per "day" (host lifetime); default 50,000 (consumer accounts). */
  propertiesDailyQuota?: number;
  /** One transport failure throws for the whole fetchAll (default true); false puts null in its slot. */
  fetchAllThrowsOnTransportError?: boolean;
  /**
   * On the real clock, tryLock/waitLock really wait their timeout when the lock is busy (default false: answer
   * at once). On the virtual clock a busy lock's timeout always passes in virtual time.
   */
  realLockWaits?: boolean;
  /** Mirror Logger/console output to the real console. */
  echoLogs?: boolean;
  /** Replace the HTTP transport (default: a synckit worker running fetch). */
  transport?: Transport;
  /**
   * "real" (default): wall time, every wait blocks. "virtual": simulated time shared by the script's Date,
   * Utilities.sleep, deadlines and kills, lock waits, cache expiry, cost charges and fetch latency (reported
   * by the stand-in when it runs with virtualClock), advanced also by the script's own CPU time.
   */
  clock?: ClockMode;
  /** Where virtual time starts (ms since the epoch); default the real time when the host is created. */
  virtualStartMs?: number;
  /**
   * What service calls cost (cost-model.ts): "off" (default), "on" (typical published figures), "high" (the
   * high end of each range), or a custom model. With a real clock charges are real blocking waits.
   */
  costModel?: CostModelName | CostModel;
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
  /** On the host's clock: virtual milliseconds with a virtual clock, the final commit of writes included. */
  durationMs: number;
  /** "Service.method" -> calls made by this execution. */
  calls: Record<string, number>;
  /** runFromClient only: why google.script.run would hand the client null instead of the return value. */
  returnRejected?: string;
  /** What this execution asked of each service and where its time went (see accounting.ts). */
  accounting: Accounting;
}
