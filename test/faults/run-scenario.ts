// Runs one fault scenario end to end: the built bundle in the local Apps Script host syncs the fault sheet
// against the stand-in over real HTTP, the way the sidebar drives it (one execution after another), while the
// stand-in and the host misbehave as the scenario says and the user kills executions and sorts rows. After every
// sync the checks run; then the faults stop and one more sync must bring every row to where it belongs.
import type { ClockMode, GasHost, ServiceCall } from "../../dev/gas-host/index.js";
import { GasHost as Host } from "../../dev/gas-host/index.js";
import { clickAndFinish, configureAddOn } from "../../dev/local-run.js";
import type { FaultRule } from "../../dev/stand-in/faults.js";
import type { StandInClient } from "../../dev/stand-in/process.js";
import type { ReceivedUpdate } from "../../dev/stand-in/stats.js";
import { everythingVisible } from "../e2e/harness.js";
import {
  checkRequests,
  checkRequestsPerRow,
  checkRows,
  checkUserCells,
  type ExecutionWindow,
  holds,
  outcomeCounts,
  readSheet,
  type Stored,
  userCells,
  violations,
} from "./checks.js";
import type { Scenario } from "./scenarios.js";
import { buildFaultSheet, loadFaultSheet, type RowIntent, SHEET_NAME } from "./sheet.js";

export const API_KEY = "fault-matrix-key-0123456789";
/** Pay-as-you-go: the add-on's default pace. */
const ADD_ON_RATE = 10;
const EXECUTION_LIMIT_SECONDS = 360;
const KILL_SCENARIO_LIMIT_SECONDS = 90;
/**
 * How long an execution works by default (src/core/views/settings.ts): kills land at random points within it.
 */
const DEFAULT_BUDGET_SECONDS = 300;

export interface MatrixSettings {
  clock: ClockMode;
  /** Valid rows with changes per scenario (the sheet has a few dozen more). */
  updateRows: number;
  seededIds: readonly string[];
}

export interface SyncFigures {
  ended: string;
  executions: number;
  kills: number;
  requests: number;
  rowsSent: number;
  maxPerRow: number;
  bound: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  rows: number;
  syncs: SyncFigures[];
  sorts: number;
  /** Sync Result counts after the scenario's last sync, before the faults stopped. */
  outcomes: Record<string, number>;
  requests: number;
  rowsSent: number;
  /** Requests beyond the first for each row sent. */
  resends: number;
  /** Runs whose update Extend applied more than once (harmless: the same merge again). */
  appliedTwice: number;
  maxPerRow: number;
  bound: number;
  /** The sync after the faults stopped: requests it made, which must be exactly the rows not yet updated. */
  followUpRequests: number;
  followUpOutcomes: Record<string, number>;
  virtualMinutes: number;
  wallSeconds: number;
  violations: string[];
}

/** A deterministic generator, so a failing scenario fails the same way again. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

function hashText(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
  return hash >>> 0;
}

/** How the last sync ended, from the last row of the run log: "Finished", "Paused…" or "Stopped: <reason>". */
function lastSyncEnded(host: GasHost): string {
  const log = host.spreadsheet.findSheet("Extend Sync Log");
  const [header = [], ...rows] = log?.values() ?? [];
  const ended = rows.at(-1)?.[header.indexOf("Ended")];
  return ended === undefined ? "no run log row" : String(ended);
}

async function storedRuns(
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

const sendableIds = (intents: readonly RowIntent[]) =>
  intents
    .filter((intent) => intent.kind !== "invalid" && intent.kind !== "noop")
    .map((intent) => intent.runId);

export async function runScenario(
  extend: StandInClient,
  scenario: Scenario,
  settings: MatrixSettings,
): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const random = seeded(hashText(scenario.id));
  const sheet = buildFaultSheet({
    updateRows: settings.updateRows,
    seededIds: settings.seededIds,
    notFoundRows: scenario.notFoundRows ?? 0,
    refusedRows: scenario.refusedRows ?? 0,
  });
  const intents = sheet.intents;
  const intentsByKey = new Map(intents.map((intent) => [intent.key, intent]));
  const allIds = [...new Set(intents.map((intent) => intent.runId).filter((id) => id !== ""))];

  await extend.reset({ runs: true, config: true });
  await extend.configure({ rate: scenario.extendRate ?? 0 });
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
  const scenarioFaults = scenario.faults({ intents });
  await extend.setFaults([
    ...scenarioFaults.filter((rule) => rule.status === 401 || rule.status === 402),
    ...refusals,
    ...scenarioFaults.filter((rule) => rule.status !== 401 && rule.status !== 402),
  ]);

  // With kills, a shorter limit: a killed execution's claim on the sync lasts until its limit has passed.
  const limitSeconds = scenario.killRate ? KILL_SCENARIO_LIMIT_SECONDS : EXECUTION_LIMIT_SECONDS;
  const host = new Host({
    timeZone: "Europe/Berlin",
    clock: settings.clock,
    costModel: settings.clock === "virtual" ? "on" : "off",
    fetchAllThrowsOnTransportError: scenario.fetchAllThrowsOnTransportError ?? true,
  });
  try {
    loadFaultSheet(host, sheet);
    configureAddOn(host, {
      apiKey: API_KEY,
      baseUrl: extend.url,
      rate: ADD_ON_RATE,
      executionLimitSeconds: limitSeconds,
      ...(scenario.executionBudgetSeconds ? { executionBudgetSeconds: scenario.executionBudgetSeconds } : {}),
    });
    host.open();
    const virtualStart = host.clock.now();
    const inputsBefore = userCells(readSheet(host));
    const found = violations();
    const syncs: SyncFigures[] = [];
    const requested = new Set<string>();
    const allRequests: ReceivedUpdate[] = [];
    let sorts = 0;
    const budgetMs = (scenario.executionBudgetSeconds ?? DEFAULT_BUDGET_SECONDS) * 1000;

    // Every execution the runner starts (busy polls included), when it started and whether it was killed.
    let windows: ExecutionWindow[] = [];
    let faultsOn = true;
    // Half the kills land at a random moment of the execution's budget (mostly while it waits for its pace),
    // half just after a random fetchAll has been answered, before its results are written.
    const killWhen = (): ((call: ServiceCall) => boolean) => {
      const window: ExecutionWindow = { start: host.clock.now(), killed: false };
      windows.push(window);
      const kill = () => {
        window.killed = true;
        return true;
      };
      if (!faultsOn || !scenario.killRate || random() >= scenario.killRate) return () => false;
      if (random() < 0.5) {
        const killAt = host.clock.now() + random() * budgetMs;
        return () => host.clock.now() >= killAt && kill();
      }
      const afterFetch = 1 + Math.floor(random() * 20);
      let answered = false;
      return (call) => {
        if (answered) return kill();
        if (call.key === "UrlFetchApp.fetchAll" && call.count === afterFetch) answered = true;
        return false;
      };
    };
    const onServiceCall = (): ((call: ServiceCall) => void) | undefined => {
      const rate = scenario.fetchAllThrows;
      if (!rate) return undefined;
      return (call) => {
        if (call.key === "UrlFetchApp.fetchAll" && random() < rate)
          throw new Error(`Address unavailable: ${extend.url}/workflow_runs`);
      };
    };
    const sortBetweenExecutions = () => {
      if (!scenario.sortRate || random() >= scenario.sortRate) return;
      const target = host.spreadsheet.sheet(SHEET_NAME);
      const width = target.lastColumn();
      target.sortRows(1 + Math.floor(random() * width), random() < 0.5, 2);
      sorts += 1;
    };

    const runLogRows = () =>
      Math.max(0, (host.spreadsheet.findSheet("Extend Sync Log")?.values().length ?? 1) - 1);
    const syncOnce = async (label: string, options: { faults: boolean }) => {
      const before = (await extend.stats()).updateRequests.length;
      const logRowsBefore = runLogRows();
      windows = [];
      faultsOn = options.faults;
      let executions = 0;
      let kills = 0;
      // A click killed before the sync began leaves nothing behind: the user clicks again.
      for (let clicks = 0; runLogRows() === logRowsBefore; clicks++) {
        if (clicks >= 5) {
          found.add(`${label}: five clicks never started a sync`);
          break;
        }
        const run = clickAndFinish(host, "Sync all rows", {
          executionLimitMs: limitSeconds * 1000,
          maxExecutions: 400,
          killWhen,
          ...(options.faults ? { onServiceCall, onExecution: sortBetweenExecutions } : {}),
        });
        executions += run.executions.length;
        kills += run.killed;
      }
      const stats = await extend.stats();
      const requests = stats.updateRequests.slice(before);
      for (const request of requests) requested.add(request.runId);
      const ended = lastSyncEnded(host);
      const stopped = ended.startsWith("Stopped:");
      const view = readSheet(host);
      const stored = await storedRuns(extend, allIds);
      const perRow = checkRequestsPerRow(requests, windows, found);
      checkRequests(requests, intents, found);
      checkUserCells(inputsBefore, view, found);
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
      if (stats.deletes > 0) found.add(`${label}: ${stats.deletes} DELETE requests`);
      // Scenarios echo the key in Extend's messages: it must reach no cell, alert, toast, log or saved job.
      const saved = [...host.documentProperties.values()].join("\n");
      if (`${everythingVisible(host)}\n${saved}`.includes(API_KEY))
        found.add(`${label}: the API key is visible`);
      if (ended !== "Finished" && !stopped) {
        const job = host.documentProperties.get("extendSync.job") ?? "no job";
        const alert = host.ui.alerts.at(-1)?.prompt ?? "no alert";
        found.add(
          `${label}: the sync ended ${ended}; job ${job.slice(0, 300)}; last alert: ${alert.slice(0, 300)}`,
        );
      }
      syncs.push({
        ended: stopped ? `stopped (${ended.match(/\b(UNAUTHORIZED|USAGE_BLOCKED)\b/)?.[1] ?? ended})` : ended,
        executions,
        kills,
        requests: requests.length,
        rowsSent: perRow.rowsSent,
        maxPerRow: perRow.max,
        bound: perRow.bound,
      });
      return { requests, view, stored, stopped, stats };
    };

    let last = await syncOnce("sync 1", { faults: true });
    allRequests.push(...last.requests);
    for (let restart = 0; last.stopped && restart < (scenario.stops ?? 0); restart++) {
      // The user reads the message, puts things right (a new key, credits), and starts the sync again.
      last = await syncOnce(`sync ${restart + 2}`, { faults: true });
      allRequests.push(...last.requests);
    }
    if (last.stopped) found.add("the last sync of the scenario stopped");
    const outcomes = outcomeCounts(last.view);
    const appliedTwice = Object.values(last.stats.updatesByRunId).filter((count) => count > 1).length;
    const virtualMinutes = (host.clock.now() - virtualStart) / 60_000;

    // The faults stop (the 422 rows stay refused). Exactly the rows not updated yet are sent again.
    await extend.setFaults(refusals);
    const waiting = new Set(
      last.view.rows
        .filter((row) => {
          const result = String(row.outputs["Sync Result"]);
          const intent = intentsByKey.get(row.key);
          return (
            intent &&
            sendableIds([intent]).length > 0 &&
            !result.startsWith("Updated") &&
            result !== "Unchanged"
          );
        })
        .map((row) => intentsByKey.get(row.key)?.runId ?? ""),
    );
    const followUp = await syncOnce("follow-up sync", { faults: false });
    const followUpIds = new Set(followUp.requests.map((request) => request.runId));
    for (const id of waiting) if (!followUpIds.has(id)) found.add(`follow-up: ${id} was not sent again`);
    for (const id of followUpIds)
      if (!waiting.has(id)) found.add(`follow-up: ${id} was sent again though updated`);
    if (followUp.requests.length !== followUpIds.size)
      found.add("follow-up: a row was sent twice without any fault");
    for (const intent of intents) {
      if (intent.kind === "update" && !holds(followUp.stored.get(intent.runId), intent))
        found.add(`${intent.key}: after the follow-up sync Extend does not hold the row's values`);
    }
    const followUpOutcomes = outcomeCounts(followUp.view);

    const rowsSent = new Set(allRequests.map((request) => request.runId)).size;
    return {
      scenario,
      rows: sheet.rows.length - 1,
      syncs,
      sorts,
      outcomes,
      requests: allRequests.length,
      rowsSent,
      resends: allRequests.length - rowsSent,
      appliedTwice,
      maxPerRow: Math.max(0, ...syncs.slice(0, -1).map((sync) => sync.maxPerRow)),
      bound: Math.max(0, ...syncs.slice(0, -1).map((sync) => sync.bound)),
      followUpRequests: followUp.requests.length,
      followUpOutcomes,
      virtualMinutes,
      wallSeconds: (performance.now() - wallStart) / 1000,
      violations: found.list,
    };
  } finally {
    host.dispose();
  }
}
