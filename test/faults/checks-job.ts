// What must hold of every job of a fault scenario, whatever its kind: its counts in the run log and in its final
// progress equal what the sheet shows of the rows it wrote; it ended (finished, or stopped with a reason) rather
// than being left running; and the API key, which hostile answers echo, is nowhere the person or another
// editor could see it: no cell, note, dialog, page, toast, log, property or answer to the sidebar.
import type { CellValue, GasHost } from "../../dev/gas-host/index.js";
import { everythingVisible } from "../e2e/harness.js";
import type { SheetView, Violations } from "./checks.js";
import { RUN_LOG } from "./drive.js";
import type { RowIntent } from "./sheet.js";

/** Where the add-on keeps the key: the one place it belongs. */
const API_KEY_PROPERTY = "extendSync.apiKey";

/** Every text the add-on left anywhere a person or a script could read it, the key's own property excepted. */
export function everythingKept(host: GasHost): string {
  const notes = host.spreadsheet.sheets.flatMap((sheet) => sheet.notes().flat());
  const pages = host.ui.shown.map((page) => `${page.title}\n${page.html}`);
  const userProperties = [...host.userProperties].filter(([name]) => name !== API_KEY_PROPERTY);
  const returned = host.executions.map((execution) => JSON.stringify(execution.returned ?? null));
  return [
    everythingVisible(host),
    ...notes,
    ...pages,
    ...[...host.documentProperties, ...host.scriptProperties, ...userProperties].flat(),
    ...returned,
  ].join("\n");
}

export function checkKeyHidden(host: GasHost, apiKey: string, label: string, found: Violations): number {
  const appearances = everythingKept(host).split(apiKey).length - 1;
  if (appearances > 0) found.add(`${label}: the API key appears ${appearances} times`);
  return appearances;
}

/** The run log's row of the job that ran last, by header. */
export function lastLogRow(host: GasHost): Record<string, CellValue> | undefined {
  const [header = [], ...rows] = host.spreadsheet.findSheet(RUN_LOG)?.values() ?? [];
  const last = rows.at(-1);
  return last && Object.fromEntries(header.map((name, index) => [String(name), last[index] ?? ""]));
}

export type JobCounts = Record<
  "updated" | "failed" | "invalid" | "unchanged" | "noop" | "read" | "readFailed" | "matching" | "changing",
  number
>;

const doneBy = (state: CellValue) => String(state).match(/\bdone=([^\s:]+)/)?.[1];

/**
 * The counts the sheet shows for a job: the rows its Sync State says it wrote, by outcome; a read counts each run
 * once (a run on several rows is read once). A preview counts the invalid rows and those with nothing to change
 * without writing them, so those come from what the rows are.
 */
export function sheetCounts(
  view: SheetView,
  jobId: string,
  job: "update" | "refresh" | "preview",
  intents: ReadonlyMap<string, RowIntent>,
): JobCounts {
  const counts: JobCounts = {
    updated: 0,
    failed: 0,
    invalid: 0,
    unchanged: 0,
    noop: 0,
    read: 0,
    readFailed: 0,
    matching: 0,
    changing: 0,
  };
  const readRuns = new Set<string>();
  const failedRuns = new Set<string>();
  for (const row of view.rows) {
    const out = row.outputs;
    const intent = intents.get(row.key);
    if (job === "preview" && (intent?.kind === "invalid" || intent?.kind === "noop")) {
      counts[intent.kind] += 1;
      continue;
    }
    if (doneBy(out["Sync State"] ?? "") !== jobId) continue;
    if (job === "update") {
      const result = String(out["Sync Result"]);
      if (result.startsWith("Updated")) counts.updated += 1;
      else if (result === "Failed") counts.failed += 1;
      else if (result === "Invalid") counts.invalid += 1;
      else if (result === "Unchanged") counts.unchanged += 1;
      else if (result === "Nothing to change") counts.noop += 1;
      continue;
    }
    const runId = intent?.runId ?? String(row.values[0]);
    if (out["Refresh Error"] !== "") failedRuns.add(runId);
    else {
      readRuns.add(runId);
      if (job === "preview") counts[/\bsent=/.test(String(out["Sync State"])) ? "matching" : "changing"] += 1;
    }
  }
  counts.read = readRuns.size;
  counts.readFailed = failedRuns.size;
  return counts;
}

const LOG_COLUMNS: Partial<Record<keyof JobCounts, string>> = {
  updated: "Updated",
  failed: "Failed",
  invalid: "Invalid",
  unchanged: "Unchanged",
  noop: "Nothing To Change",
  read: "Runs Read",
  readFailed: "Reads Failed",
};

/** What the job's own counts are, from its log row (a preview's matching and changing from its Details). */
function logCounts(log: Record<string, CellValue>): Partial<JobCounts> {
  const counts: Partial<JobCounts> = {};
  for (const [name, column] of Object.entries(LOG_COLUMNS))
    counts[name as keyof JobCounts] = Number(log[column]);
  const preview = String(log.Details).match(/^(\d+) rows already match Extend .*?, (\d+) would change/);
  if (preview) {
    counts.matching = Number(preview[1]);
    counts.changing = Number(preview[2]);
  }
  return counts;
}

const COUNTED: Record<"update" | "refresh" | "preview", (keyof JobCounts)[]> = {
  update: ["updated", "failed", "invalid", "unchanged", "noop"],
  refresh: ["read", "readFailed"],
  preview: ["read", "readFailed", "matching", "changing", "invalid", "noop"],
};

/**
 * The job's counts in the run log and in the final progress the sidebar got equal what the sheet shows; no row
 * counted as deleted or not synced (the matrix deletes none); and the job ended finished or stopped.
 */
export function checkJobEnd(
  host: GasHost,
  view: SheetView,
  job: "update" | "refresh" | "preview",
  intents: ReadonlyMap<string, RowIntent>,
  lastReturned: unknown,
  label: string,
  found: Violations,
): { jobId: string; ended: string; counts: JobCounts } | undefined {
  const log = lastLogRow(host);
  if (!log) {
    found.add(`${label}: no run log row`);
    return undefined;
  }
  const jobId = String(log["Sync ID"]);
  const ended = String(log.Ended);
  if (ended !== "Finished" && !ended.startsWith("Stopped: "))
    found.add(`${label}: the job ended "${ended.slice(0, 300)}"`);
  const counts = sheetCounts(view, jobId, job, intents);
  const logged = logCounts(log);
  for (const name of COUNTED[job])
    if (logged[name] !== counts[name])
      found.add(`${label}: the run log counts ${logged[name]} ${name}, the sheet shows ${counts[name]}`);
  if (Number(log["Rows Deleted During Sync"]) !== 0 || log["Rows Not Synced"] !== "")
    found.add(
      `${label}: the run log counts rows deleted (${log["Rows Deleted During Sync"]}) or not synced (${String(log["Rows Not Synced"]).slice(0, 200)})`,
    );
  const progress = lastReturned as
    | { jobId?: string; state?: string; counts?: Record<string, number> }
    | undefined;
  if (progress?.jobId === jobId && progress.counts) {
    for (const name of COUNTED[job])
      if (progress.counts[name] !== counts[name])
        found.add(
          `${label}: the final progress counts ${progress.counts[name]} ${name}, the sheet shows ${counts[name]}`,
        );
    const state = ended === "Finished" ? "finished" : "stopped";
    if (progress.state !== state)
      found.add(`${label}: the final progress says ${progress.state}, the log ${ended}`);
  } else if (lastReturned !== undefined) {
    found.add(
      `${label}: the last execution returned no progress of the job: ${JSON.stringify(lastReturned).slice(0, 200)}`,
    );
  }
  return { jobId, ended, counts };
}
