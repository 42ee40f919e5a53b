// One job of any kind run while the person edits the sheet between its executions (user-edits.ts), and the
// checks of user-edits-checks.ts after it: the property test's body, apart so a failing case can be run alone.
import { GasHost } from "../../dev/gas-host/index.js";
import { FetchWorker } from "../../dev/gas-host/url-fetch.js";
import { configureAddOn } from "../../dev/local-run.js";
import { type StandInClient, startStandInProcess } from "../../dev/stand-in/process.js";
import { generateSeededRuns, seededRunIds } from "../../dev/stand-in/runs.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { validateRunId } from "../../src/core/requests/rows.js";
import { holds, type Stored, violations } from "./checks.js";
import { importedSheetName } from "./checks-import.js";
import { checkKeyHidden, lastLogRow } from "./checks-job.js";
import { checkNothingChanged } from "./checks-read.js";
import { driveJob, hashText, seeded } from "./drive.js";
import { expectsUpdate, sendable, startingState, storeStartingRuns } from "./extend-state.js";
import { type KindId, kindSpec, startCall, type TagMode } from "./kinds.js";
import { listedIds } from "./run-import.js";
import { API_KEY, lostTags } from "./run-scenario.js";
import {
  buildFaultSheet,
  HEADER,
  loadFaultSheet,
  type RowIntent,
  SHEET_NAME,
  seededRunsNeeded,
} from "./sheet.js";
import { EditLog, type UserEdit } from "./user-edits.js";
import {
  checkCountsAfterEdits,
  checkInsertedRowsEmpty,
  checkOwnRun,
  checkUserCellsByHeader,
  type Job,
  notSyncedNamed,
} from "./user-edits-checks.js";

const UPDATE_ROWS = 8;
const IMPORTED = 12;
const RUN_COUNT = seededRunsNeeded({ updateRows: UPDATE_ROWS }) + 40;
const seededRuns = generateSeededRuns(RUN_COUNT, 1);
const seededIds = seededRunIds(RUN_COUNT, 1);
/** Slow enough (2 requests a second, 1-second executions) that every job spans several executions. */
const RATE = 2;
const MAX_EXECUTIONS = 200;
export const EDITED_KINDS: readonly KindId[] = [
  "replace",
  "add",
  "remove",
  "refresh",
  "preview",
  "import",
  "import-current",
];

let extend: StandInClient;
const fetchWorker = new FetchWorker();

export async function startEditsStandIn(): Promise<void> {
  extend = await startStandInProcess({ apiKey: API_KEY, runCount: RUN_COUNT, rate: 0, virtualClock: true });
}

export async function stopEditsStandIn(): Promise<void> {
  fetchWorker.dispose();
  await extend?.close();
}

async function storedRuns(ids: readonly string[]): Promise<Map<string, Stored | null>> {
  const runs = await extend.getRuns(ids);
  return new Map(ids.map((id, index) => [id, runs[index] ? { ...(runs[index] as Stored) } : null]));
}

function newHost(): GasHost {
  const host = new GasHost({
    timeZone: "Europe/Berlin",
    clock: "virtual",
    costModel: "on",
    transport: (command) => fetchWorker.transport(command),
  });
  return host;
}

/** A run of a job of the kind, the person's batches of edits applied between its executions. */
export async function editedJob(
  kindId: KindId,
  mode: TagMode,
  batches: readonly (readonly UserEdit[])[],
): Promise<string[]> {
  const kind = kindSpec(kindId);
  const found = violations();
  const label = `${kindId} (${mode})`;
  await extend.reset({ runs: true, config: true });
  await extend.configure({ maxPageSize: 3 });
  const host = newHost();
  try {
    const importing = kind.job === "import";
    let intents: RowIntent[];
    let runs: Map<string, StoredRun>;
    let sheetName: string;
    if (importing) {
      // The runs the person's deletions may make room for (two rows an edit) come after the first ones.
      const ids = listedIds(seededRuns, IMPORTED + 24);
      intents = ids.map((id) => ({ key: id, runId: id, kind: "update" }));
      runs = new Map(ids.map((id) => [id, seededRuns.get(id) as StoredRun]));
      host.spreadsheet.addSheet(SHEET_NAME).setValues("A1", [["Notes"]]);
      host.spreadsheet.select(SHEET_NAME, "A1");
      sheetName = "";
    } else {
      const sheet = buildFaultSheet({
        updateRows: UPDATE_ROWS,
        seededIds,
        fewerNames: kind.job === "preview",
      });
      const start = startingState(kind, mode, sheet.intents, seededRuns, undefined);
      await storeStartingRuns(extend, start, seededRuns);
      intents = start.intents;
      runs = start.runs;
      loadFaultSheet(host, sheet);
      sheetName = SHEET_NAME;
    }
    const intentsByKey = new Map(intents.map((intent) => [intent.key, intent]));
    const ids = [...new Set(intents.map((intent) => intent.runId))];
    const seed = await storedRuns(ids);
    configureAddOn(host, {
      apiKey: API_KEY,
      baseUrl: extend.url,
      rate: RATE,
      executionBudgetSeconds: 1,
      keepHistory: false,
    });
    host.open();

    let log: EditLog | undefined = importing ? undefined : new EditLog(host, sheetName, "Row Key");
    const before = log?.rows() ?? new Map();
    let next = 0;
    const between = () => {
      if (!log) {
        const name = importedSheetName(host);
        if (!name) return;
        log = new EditLog(host, name, "Run ID");
      }
      log.apply(batches[next++] ?? []);
    };
    const request = importing
      ? {
          fn: "startImportJob",
          request: { max: String(IMPORTED), withCurrent: kindId === "import-current" },
        }
      : startCall(kind, mode);
    const driven = driveJob(host, request, {
      random: seeded(hashText(label)),
      executionLimitMs: 360_000,
      budgetMs: 1_000,
      fetchUrl: extend.url,
      maxExecutions: MAX_EXECUTIONS,
      between,
      accepts: (message) => !!log?.sheetDeleted && /no longer exists/.test(message),
    });
    if (driven.problem) found.add(`${label}: ${driven.problem}`);
    if (driven.held)
      found.add(`${label}: the job waits for the person, who did nothing it cannot go on from`);
    const edits = log as EditLog | undefined;
    const final = edits?.rows() ?? new Map();

    // How the job ended: its sheet deleted, its Sync State column deleted, or finished.
    const entry = lastLogRow(host);
    const ended = String(entry?.Ended ?? "no run log row");
    const jobId = String(entry?.["Sync ID"] ?? "");
    const finished = ended === "Finished";
    if (edits?.sheetDeleted) {
      if (!/^Stopped: the sheet ".*" was deleted before the \w+ finished$/.test(ended))
        found.add(`${label}: the job's sheet was deleted, the log says ${ended}`);
    } else if (
      !finished &&
      !(
        edits?.deletedHeaders.includes("Sync State") &&
        /^Stopped: The hidden Sync State column was deleted/.test(ended)
      )
    )
      found.add(`${label}: the job ended ${ended.slice(0, 300)}`);
    checkKeyHidden(host, API_KEY, label, found);

    // Extend holds only what rows asked: the old or the new Name of a row renamed after it was sent.
    const stored = await storedRuns(ids);
    const requests = (await extend.stats()).updateRequests;
    if (kind.job === "update") {
      for (const intent of intents) {
        const renamed = edits?.renamed.get(intent.key);
        const now = stored.get(intent.runId);
        const asked = [
          intent,
          ...(renamed && intent.body ? [{ ...intent, body: { ...intent.body, name: renamed } }] : []),
        ];
        const same = isSame(now, seed.get(intent.runId));
        if (!same && !(sendable(intent) && asked.some((candidate) => holds(now, candidate))))
          found.add(
            `${intent.key}: Extend holds ${JSON.stringify(now).slice(0, 200)}, which the row never asked`,
          );
      }
      for (const id of lostTags(intents, runs, stored, mode)) found.add(`${id}: lost a tag no row named`);
    } else checkNothingChanged(requests, runs, stored, found);

    if (edits) {
      const sheetNow = edits.currentSheet;
      if (sheetNow) {
        const values = host.spreadsheet.sheet(sheetNow).values();
        checkInsertedRowsEmpty(values, (values[0] ?? []).indexOf(importing ? "Run ID" : "Row Key"), found);
      }
      checkOwnRun(final, intentsByKey, runs, edits.deletedHeaders, found);
      if (!importing)
        checkUserCellsByHeader(
          before,
          final,
          HEADER.filter((name) => name !== "Id Length"),
          edits.renamed,
          found,
        );
      else checkImportedOnce(final, edits, finished, found);
    }

    // The job's counts against its rows, deleted and cleared ones included.
    const job: Job | undefined = importing
      ? kindId === "import-current"
        ? "refresh"
        : undefined
      : (kind.job as Job);
    if (entry && job && edits) {
      const counts = {
        updated: Number(entry.Updated),
        failed: Number(entry.Failed),
        invalid: Number(entry.Invalid),
        unchanged: Number(entry.Unchanged),
        noop: Number(entry["Nothing To Change"]),
        read: Number(entry["Runs Read"]),
        readFailed: Number(entry["Reads Failed"]),
        missing: Number(entry["Rows Deleted During Sync"]),
        notSynced: notSyncedNamed(String(entry["Rows Not Synced"])),
        ...previewCounts(String(entry.Details)),
      };
      const toWorkOn = (intent: RowIntent) =>
        kind.job === "refresh" ? validateRunId(intent.runId) === undefined : importing || sendable(intent);
      checkCountsAfterEdits(
        edits,
        final,
        {
          job,
          jobId,
          intents: intentsByKey,
          toWorkOn,
          allRows: kind.job !== "preview",
          // An import marks the rows of its refresh as it appends them: which of those the person deleted before
          // the listing ended (not counted) or after (counted as deleted), only its executions know.
          finished: finished && !importing,
          counts,
          label,
        },
        found,
      );
    }

    // After a sync, or the sync a preview previewed: the same sync again, nobody editing, and Extend holds what
    // every row still there asks (the Name the person typed last).
    if ((kind.job === "update" || kind.job === "preview") && edits?.currentSheet) {
      host.spreadsheet.select(edits.currentSheet, "A1");
      const again = driveJob(host, startCall({ ...kind, job: "update" }, mode), {
        random: seeded(1),
        executionLimitMs: 360_000,
        budgetMs: 1_000,
        fetchUrl: extend.url,
        maxExecutions: MAX_EXECUTIONS,
      });
      if (again.problem) found.add(`${label}, the sync again: ${again.problem}`);
      const afterAgain = await storedRuns(ids);
      for (const [key, row] of edits.rows()) {
        const intent = intentsByKey.get(key);
        if (!intent || !expectsUpdate(intent, mode) || intent.kind !== "update") continue;
        const renamed = edits.renamed.get(key);
        const asked =
          renamed && intent.body ? { ...intent, body: { ...intent.body, name: renamed } } : intent;
        if (!holds(afterAgain.get(intent.runId), asked))
          found.add(
            `${key}: after the sync again Extend does not hold what the row asks (${String(row["Sync Result"])})`,
          );
      }
    }
    return found.list;
  } finally {
    host.dispose();
  }
}

const isSame = (a: Stored | null | undefined, b: Stored | null | undefined) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function previewCounts(details: string): { matching?: number; changing?: number } {
  const match = details.match(/^(\d+) rows already match Extend .*?, (\d+) would change/);
  return match ? { matching: Number(match[1]), changing: Number(match[2]) } : {};
}

/**
 * Each listed run is in the imported sheet once, or was deleted by the person; all of them once it finished. An
 * import counts the runs in its sheet against its maximum, so each run the person deletes makes room for one more
 * from List: those may follow the first ones.
 */
function checkImportedOnce(
  final: ReadonlyMap<string, unknown>,
  edits: EditLog,
  finished: boolean,
  found: ReturnType<typeof violations>,
): void {
  const listed = listedIds(seededRuns, IMPORTED + edits.deleted.size);
  for (const id of final.keys())
    if (!listed.includes(id)) found.add(`${id}: imported, but not a run List gave`);
  if (!finished) return;
  for (const id of listed.slice(0, IMPORTED))
    if (!final.has(id) && !edits.deleted.has(id)) found.add(`${id}: List gave it, the import lost it`);
  if (final.size > IMPORTED)
    found.add(`the finished import holds ${final.size} runs, more than its maximum of ${IMPORTED}`);
}
