// What the history sheet says of past jobs: the recent syncs (and undos) a person may undo, and what an undo of
// one will do, for its confirmation before anything is sent. The confirmation is computed from the records
// alone, with no read of Extend: which runs changed since the sync is only known from each run's read, so it
// says that such runs will be skipped and listed at the end, never a count it cannot know.
import { USAGE_TAGS_KEY } from "../../extend/api";
import type { ReadRecord } from "../engine/history";

/** One past job of the history sheet, as the sidebar's History view and the menu's prompt list it. */
export interface HistoryJob {
  id: string;
  /** "sync", or "undo of <job id>". */
  kind: string;
  /** When its first record was written (ms). */
  at: number;
  who: string;
  sheet: string;
  /** Distinct runs it recorded a change for. */
  runs: number;
  /** The id of an undo of it, if one was started. */
  undoneBy?: string;
}

/** The most recent first, at most `limit`. */
export function historyJobs(records: readonly ReadRecord[], limit = 50): HistoryJob[] {
  const jobs = new Map<string, HistoryJob & { runIds: Set<string> }>();
  const undoneBy = new Map<string, string>();
  for (const record of records) {
    const undone = /^undo of (\S+)$/.exec(record.job)?.[1];
    if (undone) undoneBy.set(undone, record.jobId);
    const job = jobs.get(record.jobId);
    if (job) {
      job.runIds.add(record.runId);
      job.at = Math.min(job.at, record.at);
      continue;
    }
    jobs.set(record.jobId, {
      id: record.jobId,
      kind: record.job || "sync",
      at: record.at,
      who: record.who,
      sheet: record.sheet,
      runs: 0,
      runIds: new Set([record.runId]),
    });
  }
  return [...jobs.values()]
    .map(({ runIds, ...job }) => {
      const listed: HistoryJob = { ...job, runs: runIds.size };
      const by = undoneBy.get(job.id);
      if (by) listed.undoneBy = by;
      return listed;
    })
    .sort((a, b) => b.at - a.at)
    .slice(0, limit);
}

/** What an undo of one job will do, for the person to confirm before anything is sent. */
export interface UndoSummary {
  jobId: string;
  kind: string;
  at: number;
  who: string;
  sheet: string;
  /** Runs whose values the undo will put back, if each still holds what the job set. */
  runs: number;
  /** Runs whose tags change back. */
  runsWithTags: number;
  /** Metadata keys that change back (the first 20). */
  keys: string[];
  /** Runs whose name the job set: names cannot be undone (Extend never returns a run's name). */
  names: number;
  /** The id of an earlier undo of this job, if any. */
  undoneBy?: string;
}

export const MAX_KEYS_LISTED = 20;

export function undoSummary(records: readonly ReadRecord[], jobId: string): UndoSummary | undefined {
  const own = records.filter((record) => record.jobId === jobId);
  const first = own[0];
  if (!first) return undefined;
  const runs = new Set<string>();
  const withTags = new Set<string>();
  const named = new Set<string>();
  const keys = new Set<string>();
  for (const record of own) {
    runs.add(record.runId);
    if (record.sent.name !== undefined) named.add(record.runId);
    for (const key of Object.keys(record.sent.metadata ?? {})) {
      if (key === USAGE_TAGS_KEY) withTags.add(record.runId);
      else keys.add(key);
    }
  }
  const summary: UndoSummary = {
    jobId,
    kind: first.job || "sync",
    at: own.reduce((earliest, record) => Math.min(earliest, record.at), first.at),
    who: first.who,
    sheet: first.sheet,
    runs: runs.size,
    runsWithTags: withTags.size,
    keys: [...keys].sort().slice(0, MAX_KEYS_LISTED),
    names: named.size,
  };
  const undoneBy = historyJobs(records, Number.POSITIVE_INFINITY).find((job) => job.id === jobId)?.undoneBy;
  if (undoneBy) summary.undoneBy = undoneBy;
  return summary;
}

/** "sync" or "undo": what a job of the history is, from its kind ("sync", "undo of <job id>"). */
export function kindNoun(kind: string): "sync" | "undo" {
  return /^undo of /.test(kind) ? "undo" : "sync";
}

/**
 * A job of the history named for a reader: `sync 1a2b of the sheet "Runs"`, or `undo 3c4d (of 1a2b)` (an
 * undo's records sit in the history sheet, so its sheet says nothing; the job it undid does).
 */
export function jobWords(kind: string, jobId: string, sheet: string): string {
  const undone = /^undo of (\S+)$/.exec(kind)?.[1];
  return undone ? `undo ${jobId} (of ${undone})` : `sync ${jobId} of the sheet "${sheet}"`;
}

const runs = (count: number, one = "run", many = "runs") => `${count} ${count === 1 ? one : many}`;

/** The confirmation's words: counts, what changes back, what is skipped, and that names stay. */
export function describeUndo(summary: UndoSummary, when: string): string {
  const noun = kindNoun(summary.kind);
  const parts = [
    `Undo the ${jobWords(summary.kind, summary.jobId, summary.sheet)}, started by ${summary.who} at ${when}: ${runs(summary.runs, "run is", "runs are")} read, and each that still holds what the ${noun} set gets its values from before back.`,
  ];
  const back: string[] = [];
  if (summary.runsWithTags > 0) back.push(`the usage tags of ${runs(summary.runsWithTags)}`);
  if (summary.keys.length > 0)
    back.push(`the metadata ${summary.keys.length === 1 ? "key" : "keys"} ${summary.keys.join(", ")}`);
  if (back.length > 0)
    parts.push(
      `What changes back: ${back.join("; ")}. A key a run did not have before is set to empty (null).`,
    );
  parts.push(
    "Runs someone changed since are skipped and listed at the end with both values: a later change is never overwritten.",
  );
  if (summary.names > 0)
    parts.push(
      `Names cannot be undone (Extend never returns a run's name): ${summary.names === 1 ? "1 run keeps the name" : `${summary.names} runs keep the names`} the ${noun} set.`,
    );
  if (summary.undoneBy)
    parts.push(
      `This ${noun} was undone before (undo ${summary.undoneBy}); runs already back are left as they are.`,
    );
  return parts.join("\n\n");
}
