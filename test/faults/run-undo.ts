// Runs one fault scenario under the undo (issue 18): a clean sync with Keep history on (its tag mode rotating
// scenario after scenario), then another client changes a few of its runs, then the undo of the sync runs under
// the scenario's faults while executions are killed and the person sorts the history sheet. After every undo job
// the checks of checks-history.ts run; then the faults stop and the same sync is undone once more, which must
// send exactly the runs not yet back and leave every run as before the sync, or reported.
import type { GasHost } from "../../dev/gas-host/index.js";
import { configureAddOn } from "../../dev/local-run.js";
import type { FaultRule } from "../../dev/stand-in/faults.js";
import type { StandInClient } from "../../dev/stand-in/process.js";
import type { ReceivedUpdate } from "../../dev/stand-in/stats.js";
import { violations } from "./checks.js";
import {
  checkHistory,
  checkUndone,
  countSending,
  HISTORY_SHEET,
  historyRows,
  present,
  same,
} from "./checks-history.js";
import { checkKeyHidden, lastLogRow } from "./checks-job.js";
import { driveJob, hashText, seeded } from "./drive.js";
import { startingState, storeStartingRuns } from "./extend-state.js";
import { type KindSpec, previewMode, startCall } from "./kinds.js";
import {
  ADD_ON_RATE,
  API_KEY,
  budgetSecondsOf,
  getsOf,
  type JobFigures,
  type MatrixSettings,
  matrixHost,
  rowsOf,
  type ScenarioResult,
  storedRuns,
} from "./run-scenario.js";
import type { Scenario } from "./scenarios.js";
import { buildFaultSheet, loadFaultSheet } from "./sheet.js";

const DEFAULT_BUDGET_SECONDS = 300;
const MAX_EXECUTIONS = 400;
/** Runs of the sync another client changes before the undo: the undo must leave each as that client set it. */
const CHANGED_ELSEWHERE = 3;

const doneBy = (state: unknown) => String(state).match(/\bdone=([^\s:]+)/)?.[1];

/** The undo's counts in its run log row equal what its records show; it finished or stopped with a reason. */
function checkUndoEnd(host: GasHost, label: string, found: ReturnType<typeof violations>) {
  const log = lastLogRow(host);
  if (log?.Kind !== "Undo") {
    found.add(`${label}: no run log row of the undo`);
    return { ended: "?", stopped: false };
  }
  const ended = String(log.Ended);
  if (ended !== "Finished" && !ended.startsWith("Stopped: "))
    found.add(`${label}: the undo ended "${ended.slice(0, 300)}"`);
  const jobId = String(log["Sync ID"]);
  const rows = historyRows(host).filter((row) => doneBy(row.cells["Sync State"]) === jobId);
  // Counted by run, as the run log counts: a run the sync recorded twice (its first record written ahead of a
  // batch a pause or a kill kept from leaving, then read and recorded again) has two rows, and the undo writes
  // its one outcome on both.
  const count = (test: (result: string) => boolean) =>
    new Set(rows.filter((row) => test(String(row.cells["Sync Result"] ?? ""))).map((row) => row.runId)).size;
  const shown: Record<string, number> = {
    Updated: count((result) => result.startsWith("Updated")),
    Failed: count((result) => result === "Failed"),
    Unchanged: count((result) => result === "Unchanged"),
  };
  for (const [column, value] of Object.entries(shown))
    if (Number(log[column]) !== value)
      found.add(`${label}: the run log counts ${log[column]} ${column}, the history sheet shows ${value}`);
  return { ended, stopped: ended.startsWith("Stopped: ") };
}

export async function runUndoScenario(
  extend: StandInClient,
  kind: KindSpec,
  scenario: Scenario,
  scenarioIndex: number,
  settings: MatrixSettings,
): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const random = seeded(hashText(`${kind.id}:${scenario.id}`));
  const tagMode = previewMode(scenarioIndex);
  const sheet = buildFaultSheet({
    updateRows: rowsOf(settings, kind),
    seededIds: settings.seededIds,
    notFoundRows: 0,
    refusedRows: 0,
    fewerNames: false,
  });
  const start = startingState(kind, tagMode, sheet.intents, settings.seededRuns, undefined);
  const intents = start.intents;
  const allIds = [...new Set(intents.map((intent) => intent.runId).filter((id) => id !== ""))];

  await extend.reset({ runs: true, config: true });
  await extend.configure({ rate: 0 });
  await storeStartingRuns(extend, start, settings.seededRuns);
  await extend.setFaults([]);
  const seed = await storedRuns(extend, allIds);

  const { host, limitSeconds } = matrixHost(scenario, settings);
  try {
    loadFaultSheet(host, sheet);
    configureAddOn(host, {
      apiKey: API_KEY,
      baseUrl: extend.url,
      rate: ADD_ON_RATE,
      executionLimitSeconds: limitSeconds,
      ...(budgetSecondsOf(scenario, kind) ? { executionBudgetSeconds: budgetSecondsOf(scenario, kind) } : {}),
      keepHistory: true,
    });
    host.open();
    const virtualStart = host.clock.now();
    const found = violations();
    const everyUpdate: ReceivedUpdate[] = [];
    const drive = (fn: string, request: Record<string, unknown>, faults: boolean) =>
      driveJob(
        host,
        { fn, request },
        {
          random,
          executionLimitMs: limitSeconds * 1000,
          budgetMs: (budgetSecondsOf(scenario, kind) ?? DEFAULT_BUDGET_SECONDS) * 1000,
          fetchUrl: extend.url,
          maxExecutions: MAX_EXECUTIONS,
          ...(faults
            ? {
                killRate: scenario.killRate ?? 0,
                fetchAllThrows: scenario.fetchAllThrows ?? 0,
                between: sortHistory,
              }
            : {}),
        },
      );
    let sorts = 0;
    let keyFound = 0;
    const sortHistory = () => {
      if (!scenario.sortRate || random() >= scenario.sortRate) return;
      const target = host.spreadsheet.sheet(HISTORY_SHEET);
      target.sortRows(1 + Math.floor(random() * target.lastColumn()), random() < 0.5, 2);
      sorts += 1;
    };

    // The clean sync whose changes the undo takes back.
    const sync = startCall({ ...kind, job: "update" }, tagMode);
    const synced = drive(sync.fn, sync.request, false);
    if (synced.problem) found.add(`the sync: ${synced.problem}`);
    everyUpdate.push(...(await extend.stats()).updateRequests);
    const afterSync = await storedRuns(extend, allIds);
    checkHistory(host, { updates: everyUpdate, seed, stored: afterSync }, "the sync", found);
    const syncRows = historyRows(host);
    const syncId = syncRows[0]?.jobId ?? "";
    const syncRuns = [...new Set(syncRows.map((row) => row.runId))];
    if (syncRuns.length === 0) found.add("the sync recorded no change");

    // Another client changes a few of the synced runs: the undo must not overwrite them.
    const changedElsewhere = new Map<string, Record<string, unknown>>();
    for (let index = 0; index < CHANGED_ELSEWHERE && syncRuns.length > 0; index++) {
      const runId = syncRuns[Math.floor(random() * syncRuns.length)] ?? "";
      const run = await extend.getRun(runId);
      if (!run || changedElsewhere.has(runId)) continue;
      // Every key the sync set, set again to something else: the run no longer holds what the sync sent.
      const sent = syncRows.find((row) => row.runId === runId)?.sent?.metadata ?? {};
      const theirs = Object.fromEntries(
        Object.keys(sent).map((key) => [
          key,
          key === "extend:usage_tags" ? ["set-elsewhere"] : "set-elsewhere",
        ]),
      );
      run.metadata = { ...run.metadata, ...theirs };
      await extend.addRuns([run]);
      changedElsewhere.set(runId, run.metadata);
    }

    // Extend refuses the undo of a few runs, whatever else happens.
    const refused = syncRuns.filter((id) => !changedElsewhere.has(id)).slice(0, scenario.refusedRows ?? 0);
    const refusals: FaultRule[] = refused.map((runId) => ({
      kind: "status",
      status: 422,
      message: "metadata.team is not an allowed team for this workflow.",
      match: { runId, method: "POST" },
      times: "unlimited",
    }));
    const scenarioFaults = scenario.faults({ intents, on: kind.faultsOn, list: false });
    const stops = (rule: FaultRule) => rule.status === 401 || rule.status === 402;
    await extend.setFaults([
      ...scenarioFaults.filter(stops),
      ...refusals,
      ...scenarioFaults.filter((rule) => !stops(rule)),
    ]);
    await extend.configure({ rate: scenario.extendRate ?? 0 });

    const jobs: JobFigures[] = [];
    const undoOnce = async (label: string, faults: boolean) => {
      const statsBefore = await extend.stats();
      const before = statsBefore.updateRequests.length;
      const driven = drive("startUndoJob", { jobId: syncId }, faults);
      if (driven.problem) found.add(`${label}: ${driven.problem}`);
      const stats = await extend.stats();
      const requests = stats.updateRequests.slice(before);
      everyUpdate.push(...requests);
      const stored = await storedRuns(extend, allIds);
      const end = checkUndoEnd(host, label, found);
      keyFound += checkKeyHidden(host, API_KEY, label, found);
      const rows = checkHistory(
        host,
        { updates: everyUpdate, seed, stored, changedElsewhere: new Set(changedElsewhere.keys()) },
        label,
        found,
      );
      const undone = checkUndone(
        rows,
        { syncId, seed, stored, changedElsewhere, finished: !end.stopped },
        label,
        found,
      );
      const perRun = new Map<string, number>();
      for (const request of requests) perRun.set(request.runId, (perRun.get(request.runId) ?? 0) + 1);
      jobs.push({
        ended: end.stopped
          ? `stopped (${end.ended.match(/\b(UNAUTHORIZED|USAGE_BLOCKED)\b/)?.[1] ?? end.ended})`
          : end.ended,
        executions: driven.executions,
        kills: driven.kills,
        requests: requests.length,
        reads: getsOf(stats) - getsOf(statsBefore),
        rowsSent: perRun.size,
        maxPerRow: Math.max(0, ...perRun.values()),
        bound: 0,
      });
      return { requests, stored, stopped: end.stopped, undone, sending: countSending(rows) };
    };

    let last = await undoOnce("undo 1", true);
    const faultyRequests = [...last.requests];
    for (let restart = 0; last.stopped && restart < (scenario.stops ?? 0); restart++) {
      last = await undoOnce(`undo ${restart + 2}`, true);
      faultyRequests.push(...last.requests);
    }
    if (last.stopped) found.add("the last undo of the scenario stopped");
    const outcomes: Record<string, number> = {};
    if (last.undone.restored > 0) outcomes["back as before"] = last.undone.restored;
    if (last.undone.reported > 0) outcomes["reported, not undone"] = last.undone.reported;
    if (last.sending > 0) outcomes['records left "Sending"'] = last.sending;
    const virtualMinutes = (host.clock.now() - virtualStart) / 60_000;

    // The faults stop (the refusals stay): undoing the same sync again sends exactly the runs not yet back.
    await extend.setFaults(refusals);
    await extend.configure({ rate: 0 });
    const waiting = new Set(
      syncRuns.filter(
        (id) =>
          !changedElsewhere.has(id) &&
          !same(present(last.stored.get(id)?.metadata), present(seed.get(id)?.metadata)),
      ),
    );
    const followUp = await undoOnce("follow-up undo", false);
    const followUpIds = new Set(followUp.requests.map((request) => request.runId));
    // A refused run may be sent again or not (Extend refused it, whatever the add-on sends): left out here.
    for (const id of waiting)
      if (!followUpIds.has(id) && !refused.includes(id)) found.add(`follow-up: ${id} was not sent back`);
    for (const id of followUpIds)
      if (!waiting.has(id) && !refused.includes(id)) found.add(`follow-up: ${id} was sent though it is back`);
    for (const id of syncRuns)
      if (
        !changedElsewhere.has(id) &&
        !refused.includes(id) &&
        !same(present(followUp.stored.get(id)?.metadata), present(seed.get(id)?.metadata))
      )
        found.add(`${id}: after the follow-up undo it is not back as before the sync`);

    const rowsSent = new Set(faultyRequests.map((request) => request.runId)).size;
    const faulty = jobs.slice(0, -1);
    return {
      kind,
      tagMode,
      scenario,
      rows: syncRuns.length,
      jobs,
      sorts,
      outcomes,
      requests: faultyRequests.length,
      reads: faulty.reduce((sum, job) => sum + job.reads, 0),
      resends: faultyRequests.length - rowsSent,
      appliedTwice: 0,
      maxPerRow: Math.max(0, ...faulty.map((job) => job.maxPerRow)),
      bound: 0,
      followUpRequests: followUp.requests.length,
      tagsLost: 0,
      keyFound,
      virtualMinutes,
      wallSeconds: (performance.now() - wallStart) / 1000,
      violations: found.list,
    };
  } finally {
    host.dispose();
  }
}
