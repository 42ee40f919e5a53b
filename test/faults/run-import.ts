// Runs one fault scenario under an import (with or without current values): the built bundle pages through the
// stand-in's List into a new sheet, one execution after another, while List's answers fail, go round or come
// back hostile, executions are killed and the person sorts the new sheet. An import that waits for the person (a
// 401 or 402) is continued once they fixed it. With current values, a refresh of the new sheet once the faults
// stop must then read every run.
import type { GasHost } from "../../dev/gas-host/index.js";
import { configureAddOn } from "../../dev/local-run.js";
import type { FaultRule } from "../../dev/stand-in/faults.js";
import { listRuns } from "../../dev/stand-in/list.js";
import type { StandInClient } from "../../dev/stand-in/process.js";
import type { StandInStats } from "../../dev/stand-in/stats.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { readSheet, type Stored, violations } from "./checks.js";
import { checkImportEnd, checkImportedRows, importedSheetName } from "./checks-import.js";
import { checkJobEnd, checkKeyHidden, type JobCounts, lastLogRow } from "./checks-job.js";
import { checkNothingChanged, checkReadRows } from "./checks-read.js";
import { driveJob, hashText, seeded } from "./drive.js";
import { hostileRows } from "./extend-state.js";
import { hostileRules } from "./hostile.js";
import type { KindSpec } from "./kinds.js";
import {
  ADD_ON_RATE,
  API_KEY,
  type JobFigures,
  type MatrixSettings,
  matrixHost,
  type ScenarioResult,
} from "./run-scenario.js";
import type { Scenario } from "./scenarios.js";
import type { RowIntent } from "./sheet.js";

/** Runs per List page (the stand-in's page size), so an import of a few hundred runs reads a few dozen pages. */
export const IMPORT_PAGE_SIZE = 10;
/** Short executions, so pages and reads spread over many of them: more points to kill and sort at. */
const IMPORT_BUDGET_SECONDS = 4;
const MAX_EXECUTIONS = 400;
const USER_SHEET = "Runs";
/** Continues a person may have to click again because the execution was killed. */
const RESUMES_KILLED = 10;

/** The runs an import of at most `max` runs (no filter, newest first) must end with, in List's order. */
export function listedIds(runs: ReadonlyMap<string, StoredRun>, max: number): string[] {
  const page = listRuns(runs.values(), new URLSearchParams({ maxPageSize: String(max) }), max);
  if (!page.ok) throw new Error(page.message);
  return page.value.data.map((run) => run.id);
}

const getsOf = (stats: StandInStats) =>
  (stats.byRoute["GET /workflow_runs"] ?? 0) + (stats.byRoute["GET /workflow_runs/{id}"] ?? 0);

/** Listed runs a read of which fails for good (gone since the listing, or refused), spread through the list. */
function unreadable(
  ids: readonly string[],
  notFound: number,
  refused: number,
): Map<string, RowIntent["kind"]> {
  const kinds = new Map<string, RowIntent["kind"]>();
  const total = notFound + refused;
  for (let place = 0; place < total; place++) {
    const id = ids[Math.floor(((place + 0.5) * ids.length) / total)];
    if (id) kinds.set(id, place % 2 === 0 && place / 2 < notFound ? "notFound" : "refused");
  }
  return kinds;
}

export async function runImportScenario(
  extend: StandInClient,
  kind: KindSpec,
  scenario: Scenario,
  settings: MatrixSettings,
): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const random = seeded(hashText(`${kind.id}:${scenario.id}`));
  const withCurrent = kind.id === "import-current";
  const max = settings.readbackRows;
  const expectedIds = listedIds(settings.seededRuns, max);
  const runs = new Map(expectedIds.map((id) => [id, settings.seededRuns.get(id) as StoredRun]));
  const failing = withCurrent
    ? unreadable(expectedIds, scenario.notFoundRows ?? 0, scenario.refusedRows ?? 0)
    : new Map();
  const hostileAt = withCurrent ? hostileRows(expectedIds.length, scenario.hostile) : new Map();
  const intents: RowIntent[] = expectedIds.map((id, index) => {
    const intent: RowIntent = { key: id, runId: id, kind: failing.get(id) ?? "update" };
    const answer = hostileAt.get(index);
    return answer && intent.kind === "update" ? { ...intent, hostile: answer } : intent;
  });
  const intentsByKey = new Map(intents.map((intent) => [intent.key, intent]));

  await extend.reset({ runs: true, config: true });
  await extend.configure({ rate: scenario.extendRate ?? 0, maxPageSize: IMPORT_PAGE_SIZE });
  const lasting: FaultRule[] = intents.flatMap((intent): FaultRule[] =>
    intent.kind === "notFound"
      ? [{ kind: "status", status: 404, match: { method: "GET", runId: intent.runId }, times: "unlimited" }]
      : intent.kind === "refused"
        ? [{ kind: "status", status: 422, match: { method: "GET", runId: intent.runId }, times: "unlimited" }]
        : [],
  );
  const scenarioFaults = scenario.faults({ intents, on: kind.faultsOn, list: true });
  const stops = (rule: FaultRule) => rule.status === 401 || rule.status === 402;
  await extend.setFaults([
    ...scenarioFaults.filter(stops),
    ...lasting,
    ...hostileRules(intents, { method: "GET" }),
    ...scenarioFaults.filter((rule) => !stops(rule)),
  ]);

  const { host, limitSeconds } = matrixHost(scenario, settings);
  try {
    host.spreadsheet.addSheet(USER_SHEET).setValues("A1", [["Notes"], ["The person's own sheet"]]);
    host.spreadsheet.select(USER_SHEET, "A1");
    configureAddOn(host, {
      apiKey: API_KEY,
      baseUrl: extend.url,
      rate: ADD_ON_RATE,
      executionLimitSeconds: limitSeconds,
      executionBudgetSeconds: Math.min(
        scenario.executionBudgetSeconds ?? IMPORT_BUDGET_SECONDS,
        IMPORT_BUDGET_SECONDS,
      ),
    });
    host.open();
    const userSheetBefore = JSON.stringify(host.spreadsheet.sheet(USER_SHEET).values());
    const virtualStart = host.clock.now();
    const found = violations();
    const jobs: JobFigures[] = [];
    let reads = 0;
    let sorts = 0;
    let keyFound = 0;
    const sortBetweenExecutions = () => {
      const name = importedSheetName(host);
      if (!name || !scenario.sortRate || random() >= scenario.sortRate) return;
      const sheet = host.spreadsheet.sheet(name);
      sheet.sortRows(1 + Math.floor(random() * sheet.lastColumn()), random() < 0.5, 2);
      sorts += 1;
    };
    const form = {
      workflowId: "",
      batchId: "",
      status: "",
      fileNameContains: "",
      sortBy: "",
      sortDir: "",
      max: String(max),
      withCurrent,
    };

    const importOnce = async (label: string, resume: boolean) => {
      const before = await extend.stats();
      const driven = driveJob(
        host,
        { fn: resume ? "continueSyncJob" : "startImportJob", request: form, resume },
        {
          random,
          executionLimitMs: limitSeconds * 1000,
          budgetMs: IMPORT_BUDGET_SECONDS * 1000,
          fetchUrl: extend.url,
          maxExecutions: MAX_EXECUTIONS,
          killRate: scenario.killRate ?? 0,
          fetchAllThrows: scenario.fetchAllThrows ?? 0,
          between: sortBetweenExecutions,
        },
      );
      if (driven.problem) found.add(`${label}: ${driven.problem}`);
      const stats = await extend.stats();
      const jobReads = getsOf(stats) - getsOf(before);
      reads += jobReads;
      const sheetName = importedSheetName(host);
      if (!sheetName) {
        found.add(`${label}: no imported sheet`);
        return { ended: "?", held: driven.held, sheetName };
      }
      if (host.spreadsheet.sheets.filter((sheet) => sheet.name.startsWith("Extend runs")).length > 1)
        found.add(`${label}: the import made a second sheet`);
      const view = readSheet(host, sheetName, (cells, header) =>
        String(cells[header.indexOf("Run ID")] ?? ""),
      );
      // An execution killed after its work but before its log leaves the log to the next one: while the import
      // waits after such a kill, the log may be behind the sheet (the next execution counts the sheet again).
      const logged =
        !driven.held || (lastLogRow(host)?.Kind === "Import" && driven.lastReturned !== undefined);
      const end = logged
        ? checkImportEnd(host, view, intentsByKey, withCurrent, driven.lastReturned, label, found)
        : { ended: "Paused" };
      const listingDone = end.ended === "Finished";
      checkImportedRows(host, sheetName, expectedIds, runs, listingDone, found);
      if (scenario.cursor && !end.ended.startsWith("Stopped: LIST_LOOP: "))
        found.add(`${label}: a List that goes round did not stop the import: ${end.ended.slice(0, 200)}`);
      if (withCurrent)
        checkReadRows(
          view,
          {
            job: "refresh",
            mode: "replace",
            intents: intentsByKey,
            runs,
            stopped: end.ended !== "Finished",
            faults: true,
            hostile: !!scenario.hostile,
          },
          found,
        );
      const requests = stats.updateRequests.slice(before.updateRequests.length);
      const stored = await storedOf(extend, expectedIds);
      checkNothingChanged(requests, runs, stored, found);
      if (JSON.stringify(host.spreadsheet.sheet(USER_SHEET).values()) !== userSheetBefore)
        found.add(`${label}: the person's own sheet changed`);
      keyFound += checkKeyHidden(host, API_KEY, label, found);
      jobs.push({
        ended: driven.held ? `waiting (${heldCode(host)})` : endedWord(end.ended),
        executions: driven.executions,
        kills: driven.kills,
        requests: requests.length,
        reads: jobReads,
        rowsSent: 0,
        maxPerRow: 0,
        bound: 0,
      });
      return { ended: end.ended, held: driven.held, sheetName, view, counts: end.counts };
    };

    let last = await importOnce("import", false);
    // The person reads what to fix (a new key, credits), fixes it, and continues the import; a continue killed
    // before it got anywhere leaves the import waiting, and they continue again.
    for (let resumed = 0; last.held && resumed < (scenario.stops ?? 0) + RESUMES_KILLED; resumed++) {
      last = await importOnce(`import, continued ${resumed + 1}`, true);
    }
    if (last.held) found.add("the import still waits for the person after the scenario");
    const virtualMinutes = (host.clock.now() - virtualStart) / 60_000;
    const rowsImported = last.view?.rows.length ?? 0;
    const outcomes: Record<string, number> = { imported: rowsImported };
    const counts: JobCounts | undefined = last.counts;
    if (counts?.read) outcomes.read = counts.read;
    if (counts?.readFailed) outcomes["could not be read"] = counts.readFailed;

    // With current values: once the faults stop, a refresh of the new sheet reads every run but the failing ones.
    await extend.setFaults(lasting);
    await extend.configure({ rate: 0 });
    if (withCurrent && last.sheetName) {
      host.spreadsheet.select(last.sheetName, "A1");
      const before = getsOf(await extend.stats());
      const driven = driveJob(
        host,
        { fn: "startRefreshJob", request: { selectedRowsOnly: false } },
        {
          random,
          executionLimitMs: limitSeconds * 1000,
          budgetMs: IMPORT_BUDGET_SECONDS * 1000,
          fetchUrl: extend.url,
          maxExecutions: MAX_EXECUTIONS,
        },
      );
      if (driven.problem) found.add(`follow-up refresh: ${driven.problem}`);
      const view = readSheet(host, last.sheetName, (cells, header) =>
        String(cells[header.indexOf("Run ID")] ?? ""),
      );
      const end = checkJobEnd(
        host,
        view,
        "refresh",
        intentsByKey,
        driven.lastReturned,
        "follow-up refresh",
        found,
      );
      checkReadRows(
        view,
        {
          job: "refresh",
          mode: "replace",
          intents: intentsByKey,
          runs,
          stopped: false,
          faults: false,
          hostile: false,
        },
        found,
      );
      keyFound += checkKeyHidden(host, API_KEY, "follow-up refresh", found);
      jobs.push({
        ended: end?.ended ?? "?",
        executions: driven.executions,
        kills: 0,
        requests: 0,
        reads: getsOf(await extend.stats()) - before,
        rowsSent: 0,
        maxPerRow: 0,
        bound: 0,
      });
    } else {
      jobs.push({
        ended: "—",
        executions: 0,
        kills: 0,
        requests: 0,
        reads: 0,
        rowsSent: 0,
        maxPerRow: 0,
        bound: 0,
      });
    }

    return {
      kind,
      tagMode: "replace",
      scenario,
      rows: expectedIds.length,
      jobs,
      sorts,
      outcomes,
      requests: 0,
      reads,
      resends: 0,
      appliedTwice: 0,
      maxPerRow: 0,
      bound: 0,
      followUpRequests: 0,
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

/** The code of what a waiting import asks the person to fix, from the job itself (its log may lag after a kill). */
function heldCode(host: GasHost): string {
  const job = JSON.parse(host.documentProperties.get("extendSync.job") ?? "{}") as {
    import?: { held?: string };
  };
  return job.import?.held?.match(/^([A-Z_]+):/)?.[1] ?? "?";
}

function endedWord(ended: string): string {
  if (ended === "Finished") return ended;
  return `stopped (${ended.match(/^Stopped: ([A-Z_]+)/)?.[1] ?? ended.slice(0, 40)})`;
}

async function storedOf(extend: StandInClient, ids: readonly string[]): Promise<Map<string, Stored | null>> {
  const found = await extend.getRuns(ids);
  return new Map(
    ids.map((id, index) => {
      const run = found[index];
      return [id, run ? { name: run.name, metadata: run.metadata, status: run.status } : null];
    }),
  );
}
