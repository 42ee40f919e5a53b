// Fault injection: rules, consumed in order, that make the next matching API requests fail the ways real
// networks and servers fail. A probability roll is a hash of the seed, the rule and the request's identity and
// attempt number, not a draw from a shared stream, so the same requests get the same faults in any interleaving.
import { defaultCodeForStatus, errorBody } from "./errors.js";
import { HOSTILE_CURSORS, type HostileCursor } from "./list.js";
import { mixSeed } from "./random.js";

export const FAULT_KINDS = [
  "500-json",
  "500-html",
  "503",
  "502-html",
  "drop",
  "drop-after-apply",
  "delay",
  "malformed",
  "status",
  "custom",
  "rewrite",
  "list-cursor",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultMatch {
  /** HTTP method, any case. */
  method?: string;
  /** The decoded `{id}` of `/workflow_runs/{id}`. */
  runId?: string;
  /** Exact URL path without query; a trailing `*` makes it a prefix. */
  path?: string;
}

export interface FaultRule {
  kind: FaultKind;
  /** How many requests this rule faults before it is used up; default 1. */
  times?: number | "unlimited";
  match?: FaultMatch;
  /** Chance (0..1) that a matching request is faulted; default 1. A miss leaves the rule unconsumed. */
  probability?: number;
  /** For `delay`: how long to hold the request before answering normally; default 1000. */
  delayMs?: number;
  /** For `status`: the HTTP status to answer; default 500. */
  status?: number;
  /** For `status`: the error code in the body; default follows the status (e.g. 429 -> RATE_LIMIT_EXCEEDED). */
  code?: string;
  /** For `status`: the error message in the body, e.g. one that quotes what a hostile server should not. */
  message?: string;
  /** For `custom`: the exact body to answer with (with `status`, default 200, and `contentType`). */
  body?: string;
  /** For `custom`: the Content-Type; default JSON. */
  contentType?: string;
  /**
   * For `custom`: handle the request for real first (the update is stored), then answer with `body`; when the
   * real handling fails (e.g. 404), its own answer is sent instead.
   */
  apply?: boolean;
  /** For `list-cursor`: List is answered for real, but with a broken List's cursors (see HostileCursor). */
  cursor?: HostileCursor;
  /** For answers that replace the real one (not `drop` or `delay`): extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  /**
   * For `rewrite`: dotted paths (`metadata`, `usage.credits`) removed from the real answer. A rewrite handles the
   * request for real first (an update is stored) and changes only a 200 answer; a failure goes back as it is.
   */
  omit?: string[];
  /**
   * For `rewrite`: dotted path -> JSON text put there as it is written, e.g. `{"usage.credits": "\"1.5\""}`, or
   * metadata nested 5,000 levels deep (which JSON.stringify could not write), as another integration may set.
   */
  set?: Record<string, string>;
}

/**
 * Written in a rule's `message`, `body` or `headers`, replaced by what the request carried: a hostile or broken
 * server that echoes the caller's credentials, so a client's scrubbing is tested with the key it really sent.
 * In JSON bodies (a JSON content type) the echoed text is JSON-escaped, as it sits inside a JSON string there,
 * so a key or run id containing `"` or `\` still makes valid JSON; texts that need no escaping are unchanged.
 */
export const ECHO_AUTHORIZATION = "{{authorization}}";
export const ECHO_API_KEY = "{{apiKey}}";
/** Replaced by the run id of the request's path, so one rule can answer each run with a body about that run. */
export const ECHO_RUN_ID = "{{runId}}";

/** What a request carried that a hostile answer may echo. */
export interface EchoSource {
  /** The Authorization header as received, e.g. "Bearer sk_...". */
  authorization: string;
  /** The decoded run id of `/workflow_runs/{id}`, or "" on other routes. */
  runId?: string;
}

/** A text as it is written between the quotes of a JSON string. */
const jsonEscaped = (value: string): string => JSON.stringify(value).slice(1, -1);

/** application/json, application/problem+json and the like, with or without parameters. */
const isJsonType = (contentType: string): boolean => /^[^;]*[/+]json\s*(;|$)/i.test(contentType);

function echo(text: string, source: EchoSource, inJson = false): string {
  const apiKey = source.authorization.replace(/^Bearer\s+/i, "");
  // A function replacement, so a `$` in the echoed text is never read as a replacement pattern.
  const put = (value: string) => () => (inJson ? jsonEscaped(value) : value);
  return text
    .replaceAll(ECHO_AUTHORIZATION, put(source.authorization))
    .replaceAll(ECHO_API_KEY, put(apiKey))
    .replaceAll(ECHO_RUN_ID, put(source.runId ?? ""));
}

export interface FaultTarget {
  method: string;
  path: string;
  runId: string | null;
  /** The query string, part of the request's identity (List's cursor); default "". */
  query?: string;
  /** The request body as received, part of the request's identity; default "". */
  body?: string;
}

/** Faults answered in place of the real handling, so nothing is stored: the request "never arrived". */
export const FAULTS_BEFORE_APPLY: ReadonlySet<FaultKind> = new Set([
  "500-json",
  "500-html",
  "503",
  "502-html",
  "drop",
  "malformed",
  "status",
]);

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  /** The rule's place in arming order since the last replace: its own stream of rolls. */
  stream: number;
}

/** FNV-1a over a text: a cheap, stable 32-bit digest of a request's identity. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class FaultQueue {
  private active: ActiveRule[] = [];
  private armed = 0;
  /** How many times each request identity has been seen since the last replace: its attempt number. */
  private attempts = new Map<number, number>();

  constructor(readonly seed: number) {}

  /** Replacing restarts attempt counts, so the same rules fault the same requests every time. */
  replace(rules: readonly FaultRule[]): void {
    this.armed = 0;
    this.attempts.clear();
    this.active = rules.map((rule) => this.toActive(rule));
  }

  append(rules: readonly FaultRule[]): void {
    this.active.push(...rules.map((rule) => this.toActive(rule)));
  }

  clear(): void {
    this.replace([]);
  }

  /** The rules still armed, with `times` showing what is left of each. */
  pending(): FaultRule[] {
    return this.active.map(({ rule, remaining }) => ({
      ...rule,
      times: Number.isFinite(remaining) ? remaining : "unlimited",
    }));
  }

  /** Picks and consumes the first rule that matches and wins its probability roll. */
  take(target: FaultTarget): FaultRule | null {
    const identity = hash32(
      [target.method, target.path, target.runId ?? "", target.query ?? "", hash32(target.body ?? "")].join(
        "\n",
      ),
    );
    const attempt = this.attempts.get(identity) ?? 0;
    this.attempts.set(identity, attempt + 1);
    for (const [index, entry] of this.active.entries()) {
      if (!matches(entry.rule.match, target)) continue;
      const probability = entry.rule.probability ?? 1;
      if (probability < 1 && this.roll(entry.stream, identity, attempt) >= probability) continue;
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.active.splice(index, 1);
      return entry.rule;
    }
    return null;
  }

  /** A float in [0, 1) fixed by the seed, the rule, the request's identity and its attempt number. */
  private roll(stream: number, identity: number, attempt: number): number {
    return mixSeed(mixSeed(mixSeed(this.seed, stream), identity), attempt) / 4294967296;
  }

  private toActive(rule: FaultRule): ActiveRule {
    const remaining = rule.times === "unlimited" ? Number.POSITIVE_INFINITY : (rule.times ?? 1);
    return { rule, remaining, stream: this.armed++ };
  }
}

function matches(match: FaultMatch | undefined, target: FaultTarget): boolean {
  if (!match) return true;
  if (match.method !== undefined && match.method.toUpperCase() !== target.method) return false;
  if (match.runId !== undefined && match.runId !== target.runId) return false;
  if (match.path !== undefined) {
    const pathMatches = match.path.endsWith("*")
      ? target.path.startsWith(match.path.slice(0, -1))
      : target.path === match.path;
    if (!pathMatches) return false;
  }
  return true;
}

export interface FaultAnswer {
  status: number;
  contentType: string;
  body: string;
  headers: Record<string, string>;
}

const htmlPage = (status: number, title: string) =>
  `<!DOCTYPE html>\n<html><head><title>${status} ${title}</title></head>` +
  `<body><center><h1>${status} ${title}</h1></center><hr><center>nginx</center></body></html>\n`;

/** The response a fault sends instead of the real one, with the rule's headers and echoes filled in. */
export function faultAnswer(
  rule: FaultRule,
  requestId: string,
  wrapErrors: boolean,
  source: EchoSource = { authorization: "" },
): FaultAnswer {
  const answer = cannedAnswer(rule, requestId, wrapErrors);
  const headers = Object.fromEntries(
    Object.entries(rule.headers ?? {}).map(([name, value]) => [name.toLowerCase(), echo(value, source)]),
  );
  return { ...answer, body: echo(answer.body, source, isJsonType(answer.contentType)), headers };
}

function cannedAnswer(rule: FaultRule, requestId: string, wrapErrors: boolean): Omit<FaultAnswer, "headers"> {
  const json = (status: number, code: string, message: string) => ({
    status,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify(errorBody(code, message, requestId, wrapErrors)),
  });
  switch (rule.kind) {
    case "500-json":
      return json(500, "INTERNAL_ERROR", "An internal error occurred. Please retry the request.");
    case "503":
      return json(503, "INTERNAL_ERROR", "The service is temporarily unavailable. Please retry the request.");
    case "500-html":
      return {
        status: 500,
        contentType: "text/html; charset=utf-8",
        body: htmlPage(500, "Internal Server Error"),
      };
    case "502-html":
      return { status: 502, contentType: "text/html; charset=utf-8", body: htmlPage(502, "Bad Gateway") };
    case "malformed":
      // A 200 whose body was cut off mid-object, as when a proxy truncates the stream.
      return {
        status: 200,
        contentType: "application/json; charset=utf-8",
        body: '{"object":"workflow_run","id":"workflow_run_',
      };
    case "status": {
      const status = rule.status ?? 500;
      return json(
        status,
        rule.code ?? defaultCodeForStatus(status),
        rule.message ?? `Injected fault: HTTP ${status}.`,
      );
    }
    case "custom":
      return {
        status: rule.status ?? 200,
        contentType: rule.contentType ?? "application/json; charset=utf-8",
        body: rule.body ?? "",
      };
    default:
      throw new Error(`fault kind ${rule.kind} has no canned answer`);
  }
}

/** The JSON text of a real 200 answer as a `rewrite` rule changes it; `body` is the answer as sendJson gets it. */
export function rewrittenBody(body: unknown, rule: Pick<FaultRule, "omit" | "set">): string {
  const answer = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  /** The object holding the path's last part, made where missing when `create`. */
  const parentOf = (path: string, create: boolean): [Record<string, unknown> | undefined, string] => {
    const parts = path.split(".");
    const last = parts.pop() ?? "";
    let node: Record<string, unknown> | undefined = answer;
    for (const part of parts) {
      const next: unknown = node?.[part];
      if (typeof next === "object" && next !== null && !Array.isArray(next))
        node = next as Record<string, unknown>;
      else if (create && node) node = node[part] = {};
      else node = undefined;
    }
    return [node, last];
  };
  for (const path of rule.omit ?? []) {
    const [parent, key] = parentOf(path, false);
    if (parent) delete parent[key];
  }
  // Each raw text stands in as a unique placeholder string, replaced once the answer is written.
  const raw = Object.entries(rule.set ?? {}).map(([path, json], index) => {
    const placeholder = `\u0000rewrite-${index}\u0000`;
    const [parent, key] = parentOf(path, true);
    if (parent) parent[key] = placeholder;
    return [JSON.stringify(placeholder), json] as const;
  });
  let text = JSON.stringify(answer);
  for (const [placeholder, json] of raw) text = text.replace(placeholder, () => json);
  return text;
}

/** Checks rules received as JSON (control route) or from a caller; throws a message naming the bad field. */
export function parseFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) throw new Error("rules must be an array");
  return input.map((raw, index) => {
    const where = `rules[${index}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      throw new Error(`${where} must be an object`);
    const rule = raw as Record<string, unknown>;
    if (!FAULT_KINDS.includes(rule.kind as FaultKind)) {
      throw new Error(`${where}.kind must be one of ${FAULT_KINDS.join(", ")}`);
    }
    const times = rule.times;
    if (times !== undefined && times !== "unlimited" && !(Number.isInteger(times) && (times as number) > 0)) {
      throw new Error(`${where}.times must be a positive integer or "unlimited"`);
    }
    const probability = rule.probability;
    if (
      probability !== undefined &&
      !(typeof probability === "number" && probability >= 0 && probability <= 1)
    ) {
      throw new Error(`${where}.probability must be a number from 0 to 1`);
    }
    for (const field of ["delayMs", "status"] as const) {
      const value = rule[field];
      if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) {
        throw new Error(`${where}.${field} must be a non-negative integer`);
      }
    }
    if (rule.status !== undefined && ((rule.status as number) < 200 || (rule.status as number) > 599)) {
      throw new Error(`${where}.status must be an HTTP status (200-599)`);
    }
    for (const field of ["code", "message", "body", "contentType"] as const) {
      if (rule[field] !== undefined && typeof rule[field] !== "string")
        throw new Error(`${where}.${field} must be a string`);
    }
    if (rule.kind === "list-cursor" && !HOSTILE_CURSORS.includes(rule.cursor as HostileCursor))
      throw new Error(`${where}.cursor must be one of ${HOSTILE_CURSORS.join(", ")}`);
    if (rule.apply !== undefined && typeof rule.apply !== "boolean")
      throw new Error(`${where}.apply must be a boolean`);
    const omit = rule.omit;
    if (omit !== undefined && !(Array.isArray(omit) && omit.every((path) => typeof path === "string")))
      throw new Error(`${where}.omit must be an array of dotted paths`);
    const set = rule.set;
    if (set !== undefined) {
      if (typeof set !== "object" || set === null || Array.isArray(set))
        throw new Error(`${where}.set must be an object`);
      for (const [path, json] of Object.entries(set))
        if (typeof json !== "string") throw new Error(`${where}.set.${path} must be JSON text`);
    }
    const headers = rule.headers;
    if (headers !== undefined) {
      if (typeof headers !== "object" || headers === null || Array.isArray(headers))
        throw new Error(`${where}.headers must be an object`);
      for (const [name, value] of Object.entries(headers)) {
        if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
          throw new Error(`${where}.headers has a name that is not an HTTP header name`);
        if (typeof value !== "string" || /[\r\n]/.test(value))
          throw new Error(`${where}.headers.${name} must be a string on one line`);
      }
    }
    const match = rule.match;
    if (match !== undefined) {
      if (typeof match !== "object" || match === null || Array.isArray(match)) {
        throw new Error(`${where}.match must be an object`);
      }
      for (const [key, value] of Object.entries(match)) {
        if (!["method", "runId", "path"].includes(key))
          throw new Error(`${where}.match.${key} is not a match field`);
        if (typeof value !== "string") throw new Error(`${where}.match.${key} must be a string`);
      }
    }
    return rule as unknown as FaultRule;
  });
}
