// Runs one fault scenario under one job kind end to end: the built bundle in the local Apps Script host works
// on the fault sheet against the stand-in over real HTTP, the way the sidebar drives it (one execution after
// another), while the stand-in and the host misbehave as the scenario says and the user kills executions and
// sorts rows. After every job the checks run; then the faults stop and one more job must bring every row to
// where it belongs: the same sync again, a refresh again, or, after a preview, the sync it previewed. With Keep
// history on, every job's changes must also have their records (checks-history.ts).
import type { GasHost, Transport } from "../../dev/gas-host/index.js";
import { GasHost as Host } from "../../dev/gas-host/index.js";
import { configureAddOn } from "../../dev/local-run.js";
import type { FaultRule } from "../../dev/stand-in/faults.js";
import type { StandInClient } from "../../dev/stand-in/process.js";
import type { ReceivedUpdate, StandInStats } from "../../dev/stand-in/stats.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import {
  checkHostileUpdates,
  checkRequests,
  checkRequestsPerRow,
  checkRows,
  checkUserCells,
  holds,
  outcomeCounts,
  readSheet,
  type SheetView,
  type Stored,
  userCells,
  violations,
} from "./checks.js";
import { checkHistory, countSending } from "./checks-history.js";
import { checkJobEnd, checkKeyHidden, type JobCounts } from "./checks-job.js";
import { checkNothingChanged, checkReadRows } from "./checks-read.js";
import { driveJob, hashText, seeded } from "./drive.js";
import { expectsUpdate, sendable, startingState, storeStartingRuns, tagsOf } from "./extend-state.js";
import { hostileRules } from "./hostile.js";
import { type KindSpec, previewMode, startCall, type TagMode } from "./kinds.js";
import type { Scenario } from "./scenarios.js";
import { buildFaultSheet, loadFaultSheet, type RowIntent, SHEET_NAME } from "./sheet.js";

export const API_KEY = "fault-matrix-key-0123456789";
/** Pay-as-you-go: the add-on's default pace. */
export const ADD_ON_RATE = 10;
const EXECUTION_LIMIT_SECONDS = 360;
const KILL_SCENARIO_LIMIT_SECONDS = 90;
/**
 * How long an execution works by default (src/core/views/settings.ts): kills land at random points within it.
 */
const DEFAULT_BUDGET_SECONDS = 300;
/** A job that needs more executions than this never ends, as far as the person can tell. */
const MAX_EXECUTIONS = 400;

export interface MatrixSettings {
  clock: "real" | "virtual";
  /** Valid rows with changes in a sync that replaces tags (the sheet has a few dozen more). */
  updateRows: number;
  /** The same for the other kinds, which are given fewer rows to keep the suite's time. */
  readbackRows: number;
  /** The same for the history kinds (a sync with history, an undo), fewer again: each undo follows a sync. */
  historyRows: number;
  seededIds: readonly string[];
  /** The stand-in's seeded runs, built in this process the same way (runs.ts is deterministic). */
  seededRuns: ReadonlyMap<string, StoredRun>;
  /** One fetch worker for every scenario's host: starting one per host costs a few hundred milliseconds. */
  transport?: Transport;
}

/**
 * How long an execution works, if the scenario says: the history kinds have few rows, which a 30-second budget
 * sends in one execution, so where executions are killed or rows sorted theirs work 2 seconds (more kill and
 * sort points).
 */
export function budgetSecondsOf(scenario: Scenario, kind: KindSpec): number | undefined {
  const budget = scenario.executionBudgetSeconds;
  return kind.history && (scenario.killRate || scenario.sortRate)
    ? Math.min(budget ?? DEFAULT_BUDGET_SECONDS, 2)
    : budget;
}

/**
 * The local host a scenario's job runs in, the same for every runner (sync, import, undo). With kills, a shorter
 * execution limit: a killed execution's claim on the job lasts until its limit has passed.
 */
export function matrixHost(
  scenario: Scenario,
  settings: MatrixSettings,
): { host: GasHost; limitSeconds: number } {
  const limitSeconds = scenario.killRate ? KILL_SCENARIO_LIMIT_SECONDS : EXECUTION_LIMIT_SECONDS;
  const host: GasHost = new Host({
    timeZone: "Europe/Berlin",
    clock: settings.clock,
    costModel: settings.clock === "virtual" ? "on" : "off",
    fetchAllThrowsOnTransportError: scenario.fetchAllThrowsOnTransportError ?? true,
    ...(settings.transport ? { transport: settings.transport } : {}),
  });
  return { host, limitSeconds };
}

export const rowsOf = (settings: MatrixSettings, kind: KindSpec): number =>
  kind.id === "replace" ? settings.updateRows : kind.history ? settings.historyRows : settings.readbackRows;

export interface JobFigures {
  ended: string;
  executions: number;
  kills: number;
  /** Update requests (POST). */
  requests: number;
  /** Run reads (GET). */
  reads: number;
  rowsSent: number;
  maxPerRow: number;
  bound: number;
}

export interface ScenarioResult {
  kind: KindSpec;
  tagMode: TagMode;
  scenario: Scenario;
  rows: number;
  /** The faulty jobs, then the follow-up. */
  jobs: JobFigures[];
  sorts: number;
  /** The rows' outcomes after the scenario's last faulty job, in the report's words. */
  outcomes: Record<string, number>;
  requests: number;
  reads: number;
  /** Update requests beyond the first for each row sent. */
  resends: number;
  /** Runs whose update Extend applied more than once (harmless: the same merge again). */
  appliedTwice: number;
  maxPerRow: number;
  bound: number;
  /** Update requests of the job after the faults stopped, which must be exactly the rows not yet in Extend. */
  followUpRequests: number;
  /** Runs that lost a tag no row named (a sync that replaces tags is meant to: not counted there). */
  tagsLost: number;
  /** Times the API key appeared anywhere the add-on left text. */
  keyFound: number;
  virtualMinutes: number;
  wallSeconds: number;
  violations: string[];
}

/** The stand-in's runs now, by id, as the checks compare them (null: the run is gone). */
export async function storedRuns(
  extend: StandInClient,
  ids: readonly string[],
): Promise<Map<string, Stored | null>> {
  const runs = await extend.getRuns(ids);
  return new Map(
    ids.map((id, index) => {
      const run = runs[index];
      return [id, run ? { name: run.name, metadata: run.metadata, status: run.status } : null];
    }),
  );
}

export const getsOf = (stats: StandInStats) => stats.byRoute["GET /workflow_runs/{id}"] ?? 0;

/** Runs that lost a tag they held at the start that no row asked to remove. */
export function lostTags(
  intents: readonly RowIntent[],
  start: ReadonlyMap<string, StoredRun>,
  stored: ReadonlyMap<string, Stored | null>,
  mode: TagMode,
): string[] {
  const lost: string[] = [];
  for (const intent of intents) {
    const before = start.get(intent.runId);
    if (!before || (mode === "replace" && intent.namedTags !== undefined && sendable(intent))) continue;
    const removable = mode === "remove" && sendable(intent) ? (intent.namedTags ?? []) : [];
    const now = tagsOf(stored.get(intent.runId)?.metadata);
    if (tagsOf(before.metadata).some((tag) => !removable.includes(tag) && !now.includes(tag)))
      lost.push(intent.runId);
  }
  return [...new Set(lost)];
}

/** The report's words for how the rows of a read ended. */
function readOutcomes(counts: JobCounts | undefined, view: SheetView, job: "refresh" | "preview") {
  const outcomes: Record<string, number> = {};
  if (!counts) return outcomes;
  const add = (name: string, count: number) => {
    if (count > 0) outcomes[name] = count;
  };
  if (job === "preview") {
    add("marked as in Extend", counts.matching);
    add("would change", counts.changing);
  } else add("read", counts.read);
  add("could not be read", counts.readFailed);
  const untouched = view.rows.filter(
    (row) => row.outputs["Refreshed At"] === "" && row.outputs["Refresh Error"] === "",
  );
  add("not read", untouched.length);
  return outcomes;
}

export async function runScenario(
  extend: StandInClient,
  kind: KindSpec,
  scenario: Scenario,
  scenarioIndex: number,
  settings: MatrixSettings,
): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const random = seeded(hashText(kind.id === "replace" ? scenario.id : `${kind.id}:${scenario.id}`));
  const tagMode = kind.tagMode ?? previewMode(scenarioIndex);
  const sheet = buildFaultSheet({
    updateRows: rowsOf(settings, kind),
    seededIds: settings.seededIds,
    notFoundRows: scenario.notFoundRows ?? 0,
    refusedRows: scenario.refusedRows ?? 0,
    fewerNames: kind.job === "preview",
  });
  const start = startingState(kind, tagMode, sheet.intents, settings.seededRuns, scenario.hostile);
  const intents = start.intents;
  const intentsByKey = new Map(intents.map((intent) => [intent.key, intent]));
  const allIds = [...new Set(intents.map((intent) => intent.runId).filter((id) => id !== ""))];

  await extend.reset({ runs: true, config: true });
  await extend.configure({ rate: scenario.extendRate ?? 0 });
  await storeStartingRuns(extend, start, settings.seededRuns);
  const seed = await storedRuns(extend, allIds);
  // 422 rows are refused whatever else happens; they stay refused after the other faults stop.
  const refusals: FaultRule[] = intents
    .filter((intent) => intent.kind === "refused")
    .map((intent) => ({
      kind: "status",
      status: 422,
      message: "metadata.team is not an allowed team for this workflow.",
      match: { runId: intent.runId },
      times: "unlimited",
    }));
  const scenarioFaults = scenario.faults({ intents, on: kind.faultsOn, list: false });
  const stops = (rule: FaultRule) => rule.status === 401 || rule.status === 402;
  await extend.setFaults([
    ...scenarioFaults.filter(stops),
    ...refusals,
    ...hostileRules(intents, kind.faultsOn),
    ...scenarioFaults.filter((rule) => !stops(rule)),
  ]);

  const { host, limitSeconds } = matrixHost(scenario, settings);
  try {
    loadFaultSheet(host, sheet);
    configureAddOn(host, {
      apiKey: API_KEY,
      baseUrl: extend.url,
      rate: ADD_ON_RATE,
      executionLimitSeconds: limitSeconds,
      ...(budgetSecondsOf(scenario, kind) ? { executionBudgetSeconds: budgetSecondsOf(scenario, kind) } : {}),
      // The history kinds turn it on; the others check the add-on as it was before history (issue 18).
      keepHistory: scenario.keepHistory === true || kind.history === true,
    });
    host.open();
    const virtualStart = host.clock.now();
    const inputsBefore = userCells(readSheet(host));
    const found = violations();
    const jobs: JobFigures[] = [];
    const requested = new Set<string>();
    const allRequests: ReceivedUpdate[] = [];
    // Every update of the scenario's jobs, the follow-up's included: each must have its record.
    const everyUpdate: ReceivedUpdate[] = [];
    let reads = 0;
    let sorts = 0;
    let keyFound = 0;
    let leftSending = 0;
    const sortBetweenExecutions = () => {
      if (!scenario.sortRate || random() >= scenario.sortRate) return;
      const target = host.spreadsheet.sheet(SHEET_NAME);
      target.sortRows(1 + Math.floor(random() * target.lastColumn()), random() < 0.5, 2);
      sorts += 1;
    };

    const jobOnce = async (
      label: string,
      job: "update" | "refresh" | "preview",
      options: { faults: boolean },
    ) => {
      const before = await extend.stats();
      const driven = driveJob(host, startCall({ ...kind, job }, tagMode), {
        random,
        executionLimitMs: limitSeconds * 1000,
        budgetMs: (budgetSecondsOf(scenario, kind) ?? DEFAULT_BUDGET_SECONDS) * 1000,
        fetchUrl: extend.url,
        maxExecutions: MAX_EXECUTIONS,
        ...(options.faults
          ? {
              killRate: scenario.killRate ?? 0,
              fetchAllThrows: scenario.fetchAllThrows ?? 0,
              between: sortBetweenExecutions,
            }
          : {}),
      });
      if (driven.problem) found.add(`${label}: ${driven.problem}`);
      const stats = await extend.stats();
      const requests = stats.updateRequests.slice(before.updateRequests.length);
      for (const request of requests) requested.add(request.runId);
      everyUpdate.push(...requests);
      const view = readSheet(host);
      const stored = await storedRuns(extend, allIds);
      const end = checkJobEnd(host, view, job, intentsByKey, driven.lastReturned, label, found);
      const stopped = end?.ended.startsWith("Stopped: ") ?? false;
      checkUserCells(inputsBefore, view, found);
      keyFound += checkKeyHidden(host, API_KEY, label, found);
      let perRow = { rowsSent: 0, max: 0, bound: 0 };
      if (job === "update") {
        perRow = checkRequestsPerRow(requests, driven.windows, found);
        checkRequests(requests, intents, found);
        checkRows(
          view,
          {
            intents: intentsByKey,
            stored,
            seed,
            requested,
            stopped,
            answersMayLie: !!scenario.answersMayLie && options.faults,
          },
          found,
        );
        checkHostileUpdates(
          view,
          intentsByKey,
          tagMode !== "replace" && options.faults && !!scenario.hostile,
          found,
        );
        if (kind.history)
          leftSending = countSending(
            checkHistory(host, { updates: everyUpdate, seed, stored }, label, found),
          );
      } else {
        checkNothingChanged(requests, start.runs, stored, found);
        checkReadRows(
          view,
          {
            job,
            mode: tagMode,
            intents: intentsByKey,
            runs: start.runs,
            stopped,
            faults: options.faults,
            hostile: options.faults && !!scenario.hostile,
          },
          found,
        );
      }
      const jobReads = getsOf(stats) - getsOf(before);
      jobs.push({
        ended: stopped
          ? `stopped (${end?.ended.match(/\b(UNAUTHORIZED|USAGE_BLOCKED)\b/)?.[1] ?? end?.ended})`
          : (end?.ended ?? "?"),
        executions: driven.executions,
        kills: driven.kills,
        requests: requests.length,
        reads: jobReads,
        rowsSent: perRow.rowsSent,
        maxPerRow: perRow.max,
        bound: perRow.bound,
      });
      return { requests, reads: jobReads, view, stored, stopped, stats, counts: end?.counts };
    };

    const faultyJob = kind.job;
    if (faultyJob === "import" || faultyJob === "undo")
      throw new Error(`${faultyJob}s run in run-${faultyJob}.ts`);
    let last = await jobOnce("job 1", faultyJob, { faults: true });
    allRequests.push(...last.requests);
    reads += last.reads;
    for (let restart = 0; last.stopped && restart < (scenario.stops ?? 0); restart++) {
      // The person reads the message, puts things right (a new key, credits), and starts the job again.
      last = await jobOnce(`job ${restart + 2}`, faultyJob, { faults: true });
      allRequests.push(...last.requests);
      reads += last.reads;
    }
    if (last.stopped) found.add("the last job of the scenario stopped");
    const outcomes =
      faultyJob === "update" ? outcomeCounts(last.view) : readOutcomes(last.counts, last.view, faultyJob);
    if (leftSending > 0) outcomes['records left "Sending"'] = leftSending;
    const appliedTwice = Object.values(last.stats.updatesByRunId).filter((count) => count > 1).length;
    const virtualMinutes = (host.clock.now() - virtualStart) / 60_000;
    const tagsLost = lostTags(intents, start.runs, last.stored, tagMode);
    for (const id of tagsLost) found.add(`${id}: lost a tag no row named`);

    // The faults stop (the 422 rows stay refused). A refresh reads every row again; an update (or the sync a
    // preview previewed) sends exactly the rows Extend does not hold yet.
    await extend.setFaults(refusals);
    await extend.configure({ rate: 0 });
    let followUpRequests = 0;
    if (faultyJob === "refresh") {
      await jobOnce("follow-up refresh", "refresh", { faults: false });
    } else {
      const marked = (row: SheetView["rows"][number]) => {
        if (faultyJob === "preview") return /\bsent=/.test(String(row.outputs["Sync State"]));
        const result = String(row.outputs["Sync Result"]);
        return result.startsWith("Updated") || result === "Unchanged";
      };
      const waiting = new Set(
        last.view.rows
          .filter((row) => {
            const intent = intentsByKey.get(row.key);
            // With history every row is read before its update: a run that cannot be read is never sent.
            const expected = kind.history
              ? intent?.kind === "update"
              : intent && expectsUpdate(intent, tagMode);
            return intent && expected && !marked(row);
          })
          .map((row) => intentsByKey.get(row.key)?.runId ?? ""),
      );
      const followUp = await jobOnce("follow-up sync", "update", { faults: false });
      followUpRequests = followUp.requests.length;
      const followUpIds = new Set(followUp.requests.map((request) => request.runId));
      for (const id of waiting) if (!followUpIds.has(id)) found.add(`follow-up: ${id} was not sent`);
      for (const id of followUpIds)
        if (!waiting.has(id)) found.add(`follow-up: ${id} was sent though Extend holds it`);
      if (followUp.requests.length !== followUpIds.size)
        found.add("follow-up: a row was sent twice without any fault");
      for (const intent of intents)
        if (intent.kind === "update" && !holds(followUp.stored.get(intent.runId), intent))
          found.add(`${intent.key}: after the follow-up sync Extend does not hold the row's values`);
      for (const id of lostTags(intents, start.runs, followUp.stored, tagMode))
        found.add(`${id}: lost a tag no row named, after the follow-up sync`);
    }

    const rowsSent = new Set(allRequests.map((request) => request.runId)).size;
    const faulty = jobs.slice(0, -1);
    return {
      kind,
      tagMode,
      scenario,
      rows: sheet.rows.length - 1,
      jobs,
      sorts,
      outcomes,
      requests: allRequests.length,
      reads,
      resends: allRequests.length - rowsSent,
      appliedTwice,
      maxPerRow: Math.max(0, ...faulty.map((job) => job.maxPerRow)),
      bound: Math.max(0, ...faulty.map((job) => job.bound)),
      followUpRequests,
      tagsLost: tagsLost.length,
      keyFound,
      virtualMinutes,
      wallSeconds: (performance.now() - wallStart) / 1000,
      violations: found.list,
    };
  } finally {
    host.dispose();
  }
}
