// One Apps Script execution as the services see it: its clock and deadline, its kill switch, its call
// accounting and its cost meter. Every service method goes through `Execution.enter`, which is the only place
// where the 6-minute limit, test-chosen kill points, authorization modes, scopes, nested-execution hooks and
// per-call costs are applied, so no service can forget one of them.
import type { Area, Ledger } from "./accounting.js";
import type { HostClock } from "./clock.js";
import { CostMeter } from "./cost-meter.js";
import type { CostModel } from "./cost-model.js";
import { missingScopeMessage, requiredScopes } from "./manifest.js";
import type { Realm } from "./realm.js";

export const MAX_TIME_MESSAGE = "Exceeded maximum execution time";

/** An Apps Script service error: the script sees an Error named "Exception" with this message. */
export class GasException extends Error {
  override name = "Exception";
}

export type AuthModeName = "NONE" | "CUSTOM_FUNCTION" | "LIMITED" | "FULL";

export interface ServiceCall {
  service: string;
  method: string;
  /** "Service.method" */
  key: string;
  /** n-th call of this key within the execution, 1-based */
  count: number;
  /** n-th service call of any kind within the execution, 1-based */
  seq: number;
  executionId: string;
  functionName: string;
}

/** Counts of "Service.method" -> calls, across executions until reset. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Requests sent by UrlFetchApp: one per fetch, one per element of a fetchAll. */
  get urlFetchRequests(): number {
    return this.count(URL_FETCH_REQUESTS);
  }

  total(prefix = ""): number {
    let sum = 0;
    for (const [key, n] of this.counts) if (key.startsWith(prefix) && key !== URL_FETCH_REQUESTS) sum += n;
    return sum;
  }

  snapshot(): Map<string, number> {
    return new Map(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }
}

export const URL_FETCH_REQUESTS = "urlFetchRequests";

export interface ExecutionEnv {
  calls: CallCounter;
  clock: HostClock;
  model: CostModel;
  /** This execution's own ledger (which feeds the host's). */
  ledger: Ledger;
}

export interface ExecutionSettings {
  id: string;
  functionName: string;
  limitMs: number;
  authMode: AuthModeName;
  userEmail: string;
  killWhen?: ((call: ServiceCall) => boolean) | undefined;
  onServiceCall?: ((call: ServiceCall) => void) | undefined;
  /** The manifest's oauthScopes; undefined when no manifest sets them (every scope is then granted). */
  grantedScopes?: ReadonlySet<string> | undefined;
}

// Services an add-on may use before the user authorized it in this document (onOpen in NONE), and in simple
// triggers (LIMITED: the bound document, properties, but no external requests and no sidebars).
const allowedInNone = new Set(["Ui", "Menu", "Logger", "console", "Utilities", "ScriptApp"]);
const deniedInLimited = new Set([
  "UrlFetchApp",
  "Ui.showSidebar",
  "Ui.showModalDialog",
  "Ui.showModelessDialog",
]);

export class Execution {
  readonly id: string;
  readonly functionName: string;
  readonly clock: HostClock;
  readonly ledger: Ledger;
  readonly meter: CostMeter;
  readonly startedAt: number;
  readonly deadline: number;
  readonly authMode: AuthModeName;
  readonly userEmail: string;
  readonly counts = new Map<string, number>();
  killed = false;
  finished = false;
  private seq = 0;
  private realmRef: Realm | undefined;

  constructor(
    private readonly env: ExecutionEnv,
    private readonly settings: ExecutionSettings,
  ) {
    this.id = settings.id;
    this.functionName = settings.functionName;
    this.clock = env.clock;
    this.ledger = env.ledger;
    this.meter = new CostMeter(
      env.model,
      env.ledger,
      (ms, area) => this.spend(ms, area),
      (message) => {
        throw this.realm.error(message, "Exception");
      },
    );
    this.startedAt = env.clock.now();
    this.deadline = this.startedAt + settings.limitMs;
    this.authMode = settings.authMode;
    this.userEmail = settings.userEmail;
  }

  get realm(): Realm {
    if (!this.realmRef) throw new Error("execution has no vm context yet");
    return this.realmRef;
  }

  set realm(realm: Realm) {
    this.realmRef = realm;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - this.clock.now());
  }

  /** Lets `ms` pass within the execution's budget, recorded under `area`; past the deadline it dies waiting. */
  spend(ms: number, area: Area): void {
    if (ms <= 0) return;
    const remaining = this.remainingMs();
    if (ms >= remaining) {
      this.clock.wait(remaining);
      this.ledger.time(area, remaining);
      this.kill();
    }
    this.clock.wait(ms);
    this.ledger.time(area, ms);
  }

  /** Gate of every service call; throws into the script when the call may not happen. */
  enter(service: string, method: string): void {
    if (this.finished && !this.killed) {
      throw new Error(
        `gas-host: a service object of execution ${this.id} was used after that execution ended`,
      );
    }
    if (this.killed) throw this.killError();
    const key = `${service}.${method}`;
    if (!this.permitted(service, key)) {
      throw this.realm.error(`You do not have permission to call ${key}`);
    }
    const missing = this.missingScopes(service, method);
    if (missing) throw this.realm.error(missingScopeMessage(key, missing));
    if (this.clock.now() >= this.deadline) this.kill();
    const count = (this.counts.get(key) ?? 0) + 1;
    const call: ServiceCall = {
      service,
      method,
      key,
      count,
      seq: this.seq + 1,
      executionId: this.id,
      functionName: this.functionName,
    };
    if (this.settings.killWhen?.(call)) this.kill();
    this.seq += 1;
    this.counts.set(key, count);
    this.env.calls.add(key);
    this.settings.onServiceCall?.(call);
    // Executions run alongside (nested) or a hold-up before the call may have used up this one's time.
    if (this.clock.now() >= this.deadline) this.kill();
    this.meter.onCall(service, method);
  }

  /** Counts something that is not a method call, e.g. each request of a fetchAll. */
  countExtra(key: string, n: number): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
    this.env.calls.add(key, n);
  }

  /** Ends the execution the way Apps Script does: nothing after this may touch a service. */
  kill(): never {
    this.killed = true;
    throw this.killError();
  }

  killError(): Error {
    return this.realm.error(MAX_TIME_MESSAGE);
  }

  private missingScopes(service: string, method: string): readonly string[] | undefined {
    const granted = this.settings.grantedScopes;
    if (!granted) return undefined;
    const needed = requiredScopes(service, method);
    return needed && !needed.some((scope) => granted.has(scope)) ? needed : undefined;
  }

  private permitted(service: string, key: string): boolean {
    if (this.authMode === "FULL") return true;
    if (this.authMode === "NONE") return allowedInNone.has(service) || key === "SpreadsheetApp.getUi";
    return !deniedInLimited.has(service) && !deniedInLimited.has(key);
  }
}

// Service objects print as their class name (String(sheet) is "Sheet" in Apps Script) and, having a prototype
// of their own, are never mistaken for plain data that crosses realms by copy.
const prototypes = new Map<string, object>();
const prototypeFor = (service: string): object => {
  let proto = prototypes.get(service);
  if (!proto) {
    proto = Object.create(Object.prototype, {
      toString: { value: () => service },
      [Symbol.toStringTag]: { value: service },
    }) as object;
    prototypes.set(service, proto);
  }
  return proto;
};

/** Wraps each method of `impl` so that it is gated, counted and throws script-realm errors. */
export const serviceObject = <T extends object>(exec: Execution, service: string, impl: T): T => {
  const out = Object.create(prototypeFor(service)) as Record<string, unknown>;
  for (const key of Object.keys(impl)) {
    const value = (impl as Record<string, unknown>)[key];
    if (typeof value !== "function") {
      out[key] = value;
      continue;
    }
    out[key] = (...args: unknown[]) => {
      // The host's own work inside a call is not the script's CPU: the cost model charges for the call instead.
      exec.clock.pauseCpu();
      try {
        exec.enter(service, key);
        try {
          return value.apply(impl, args);
        } catch (error) {
          throw toScriptError(exec, error);
        }
      } finally {
        exec.clock.resumeCpu();
      }
    };
  }
  return out as T;
};

export const toScriptError = (exec: Execution, error: unknown): unknown => {
  if (error instanceof GasException) return exec.realm.error(error.message, "Exception");
  if (error instanceof Error && !exec.realm.owns(error)) return exec.realm.error(error.message, error.name);
  return error;
};

/** Apps Script's message for arguments no overload accepts. */
export const signatureError = (method: string, args: readonly unknown[]): GasException =>
  new GasException(
    `The parameters (${args.map(javaTypeName).join(",")}) don't match the method signature for ${method}.`,
  );

const javaTypeName = (value: unknown): string => {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return "String";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "Boolean";
  if (Array.isArray(value)) return value.length > 0 ? `${javaTypeName(value[0])}[]` : "Object[]";
  return "Object";
};
