// The state of one job across executions, small enough for one document property (9 KB): what kind of job it
// is, who started it, the lease that keeps a second job out while an execution runs, the adapted rates and the
// running counts. One job per document at a time, whatever its kind.
import type { ListRunsFilters } from "../../extend/api";
import type { TagMode } from "../requests/tag-mode";
import type { SentBatch } from "./pacing";

/**
 * update: today's sync (POST per row, tags replaced, added or removed); refresh: GET per row into read-only
 * columns; preview: GET per row compared with what the row asks for; import: List into a new sheet (then a
 * refresh of it when current values were asked for); undo: the changes of an earlier update (or undo) sent back,
 * run by run, from its records in the history sheet (engine/undo.ts).
 */
export type JobKind = "update" | "refresh" | "preview" | "import" | "undo";

export const JOB_KINDS: readonly JobKind[] = ["update", "refresh", "preview", "import", "undo"];

/** What a job is called in messages: "A sync is already running", "Refresh finished". */
export const JOB_NOUN: Readonly<Record<JobKind, string>> = {
  update: "sync",
  refresh: "refresh",
  preview: "preview",
  import: "import",
  undo: "undo",
};

export interface SyncCounts {
  /** HTTP requests made, retries included. */
  requests: number;
  updated: number;
  failed: number;
  invalid: number;
  unchanged: number;
  noop: number;
  /** Rows that had to be synced but were not found again: deleted during the sync (or their mark was lost). */
  missing: number;
  /** Rows still in the sheet that the sync could not follow; the job's `notSynced` says which and why. */
  notSynced: number;
  /** Runs read by a refresh or preview (Get answered). */
  read: number;
  /** Rows whose read failed (their Refresh Error says why). */
  readFailed: number;
  /** Preview: rows whose update would change nothing in Extend (marked, so the next sync skips them). */
  matching: number;
  /** Preview: rows whose update would change something, or whose Name cannot be compared. */
  changing: number;
  /** Import: runs written to the new sheet. */
  imported: number;
}

export type NotSyncedReason =
  | "run id changed"
  | "state cleared"
  | "added after start"
  /** Cleared or added: a sync of too many rows to remember each one cannot tell which. */
  | "not marked"
  | "result not writable";

/** A row still in the sheet that a sync did not sync, and why: shown to the user so they can sync it again. */
export interface NotSyncedRow {
  /** 1-based sheet row when the sync noticed it. */
  row: number;
  runId: string;
  reason: NotSyncedReason;
}

/** The job is one document property (9 KB): it names this many rows and counts the rest. */
export const MAX_NOT_SYNCED_NAMED = 20;

/** Rows marked at the start are remembered (one short tag each, in a property of their own) up to this many. */
export const MAX_MARKS_REMEMBERED = 1_000;

/** A short tag of a marked row's run id: enough to recognise the row again among a sync's rows. */
export function markTag(runIdTagText: string): string {
  return runIdTagText.slice(0, 7);
}

/** Where an import stands: its filters, and the cursor of the next page to read. */
export interface ImportState {
  filters: ListRunsFilters;
  /** Import at most this many runs. */
  max?: number;
  /** Read each run's current tags and metadata after the listing (a refresh of the new sheet). */
  withCurrent: boolean;
  /** The cursor of the next page; absent before the first page. */
  nextPageToken?: string;
  /** No page is left to read (the last page had no cursor, or the maximum was reached). */
  listingDone: boolean;
  pages: number;
  /** Why the import waits for the person (a refused key, a lost column); it goes on from its cursor once fixed. */
  held?: string;
  /** Attempts at the next page so far, across executions, so its retries stay bounded. */
  pageAttempts?: number;
  /**
   * Short digests of the latest cursors followed: one sent again means List goes round
   * (src/core/jobs/import/import-guard.ts).
   */
  seenCursors?: string[];
  /** Pages in a row that brought no run new to the sheet. */
  pagesWithoutNew?: number;
  /** The most runs one page brought: the page size List really uses, for the bound on pages. */
  largestPage?: number;
  /** An import that matched no run: whether its new sheet, left empty, was deleted or kept (and why). */
  emptySheet?: "deleted" | "kept";
}

/** Attempts made and the earliest next attempt of each row whose retries outlast an execution, by run id tag. */
export type RetriesInProgress = Record<string, [attempts: number, notBefore: number]>;

export interface SyncJob {
  id: string;
  /** Absent in jobs saved before kinds existed: those are updates. */
  kind?: JobKind;
  /** How an update (or a preview) treats the tags rows name; absent means replace. */
  tagMode?: TagMode;
  /** An import's filters and cursor. */
  import?: ImportState;
  /** Every update writes its record to the history sheet before it is sent (engine/history.ts). */
  keepHistory?: boolean;
  /** An undo: the id of the job whose changes it sends back; its rows are that job's history records. */
  undoOf?: string;
  /** An undo whose job is itself an undo: its runs go back to what that undo took away. */
  undoesUndo?: true;
  /**
   * The start made the Sync State column and left it showing: an execution hides it while the pace makes it
   * wait (or at its end), not before the first batch (see addOutputColumns).
   */
  hideStateColumn?: true;
  sheetId: number;
  sheetName: string;
  scopeLabel: string;
  /** The sync covers every row of the sheet (not a selection): rows it never marked were added or lost marks. */
  allRows?: boolean;
  force: boolean;
  startedBy: string;
  startedAt: number;
  lastActivityAt: number;
  /** Who ran its last execution (absent in jobs saved before this was kept: then whoever started it). */
  lastDrivenBy?: string;
  /** Pause pressed in a sidebar: by whom and when. It stands until an execution works on the job again. */
  paused?: { by: string; at: number };
  /** Held by the execution working on the job; expires by itself when that execution is killed. */
  lease?: { token: string; expiresAt: number };
  executions: number;
  /** Requests per second in force for writes (Extend's WRITE category), lowered after 429s. */
  rate: number;
  /** Rows whose retries go on in the next execution: attempts so far and the earliest next one, by run id tag. */
  retries?: RetriesInProgress;
  /** Write batches sent in the last rate window, so an execution that follows at once keeps the pace. */
  recentBatches?: SentBatch[];
  /** Requests per second in force for reads (Extend's GET category, limited apart from writes). */
  getRate?: number;
  /** An import's next page not before this time: a Retry-After or backoff that outlasts the execution. */
  nextGetAt?: number;
  /** Read batches sent in the last rate window. */
  recentGets?: SentBatch[];
  /**
   * Extend answered 429 while reads and writes both went out: they seem to share one limit, so the rest of
   * the job paces them as one (engine.ts).
   */
  sharedLimit?: true;
  rowsToSend: number;
  /** Marked rows whose outcome has been written; those never found again were deleted during the sync. */
  rowsResolved?: number;
  /** Rows whose outcome was written when the sync started (invalid, unchanged, nothing to change). */
  resolvedAtStart?: number;
  counts: SyncCounts;
  status: "running" | "finished" | "stopped";
  stopReason?: string;
  /** Rows the sync could not follow, named for the user (at most MAX_NOT_SYNCED_NAMED). */
  notSynced?: NotSyncedRow[];
  /** Run ids whose result could not be written even in short: they are not sent again by this sync. */
  unwritable?: string[];
}

/** A job touched this recently is still being driven (by a sidebar or menu) even between executions. */
export const ACTIVE_GAP_MS = 30_000;

export function emptyCounts(): SyncCounts {
  return {
    requests: 0,
    updated: 0,
    failed: 0,
    invalid: 0,
    unchanged: 0,
    noop: 0,
    missing: 0,
    notSynced: 0,
    read: 0,
    readFailed: 0,
    matching: 0,
    changing: 0,
    imported: 0,
  };
}

export function jobKind(job: Pick<SyncJob, "kind">): JobKind {
  return job.kind ?? "update";
}

/** Whether the job's row work reads runs (Get) rather than updating them. */
export function readsRows(kind: JobKind): boolean {
  return kind !== "update" && kind !== "undo";
}

/** The rate a job's progress shows: of the category its requests mostly belong to. */
export function shownRate(job: SyncJob): number {
  return readsRows(jobKind(job)) ? (job.getRate ?? job.rate) : job.rate;
}

export function addCounts(a: SyncCounts, b: Partial<SyncCounts>): SyncCounts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof SyncCounts)[]) sum[key] += b[key] ?? 0;
  return sum;
}

export function leaseIsHeld(job: SyncJob, now: number): boolean {
  return job.lease !== undefined && job.lease.expiresAt > now;
}

/** Whether someone pressed Pause after the job's last execution (a later execution ends the pause). */
export function pausedOnPurpose(job: SyncJob): boolean {
  return job.paused !== undefined && job.paused.at >= job.lastActivityAt;
}

/** Whether a job is being driven: an execution holds it, or it was driven moments ago and nobody paused it. */
export function jobIsActive(job: SyncJob | undefined, now: number): boolean {
  if (job?.status !== "running") return false;
  if (leaseIsHeld(job, now)) return true;
  return !pausedOnPurpose(job) && now - job.lastActivityAt < ACTIVE_GAP_MS;
}

/** What a sidebar shows of a sync, and offers to resume; plain data that google.script.run can carry. */
export interface JobView {
  id: string;
  kind: JobKind;
  tagMode?: TagMode;
  /** An import still reading pages (rows are counted as they arrive; the total is unknown). */
  listing?: boolean;
  sheetName: string;
  scopeLabel: string;
  /** The sync covers every row of the sheet (not a selection): rows it never marked were added or lost marks. */
  allRows?: boolean;
  force: boolean;
  startedBy: string;
  startedAt: number;
  /** An execution works on it now, or it was driven moments ago (by any editor). */
  active: boolean;
  /** An execution works on it right now (its lease is held). */
  leaseHeld: boolean;
  /** When its last execution ended (or began, while one runs), and who ran it. */
  lastActivityAt?: number;
  lastDrivenBy?: string;
  /** Set when someone pressed Pause after its last execution: who, and when. */
  pausedBy?: string;
  pausedAt?: number;
  rowsToSend: number;
  /** Marked rows not yet written. */
  rowsLeft: number;
  counts: SyncCounts;
  rate: number;
}

export function jobView(job: SyncJob, now: number): JobView {
  const view: JobView = {
    id: job.id,
    kind: jobKind(job),
    sheetName: job.sheetName,
    scopeLabel: job.scopeLabel,
    force: job.force,
    startedBy: job.startedBy,
    startedAt: job.startedAt,
    active: jobIsActive(job, now),
    leaseHeld: leaseIsHeld(job, now),
    rowsToSend: job.rowsToSend,
    rowsLeft: Math.max(0, job.rowsToSend - (job.rowsResolved ?? 0)),
    counts: job.counts,
    rate: shownRate(job),
  };
  if (job.tagMode) view.tagMode = job.tagMode;
  if (job.import && !job.import.listingDone) view.listing = true;
  view.lastActivityAt = job.lastActivityAt;
  view.lastDrivenBy = job.lastDrivenBy ?? job.startedBy;
  if (job.paused && pausedOnPurpose(job)) {
    view.pausedBy = job.paused.by;
    view.pausedAt = job.paused.at;
  }
  return view;
}

export function parseJob(text: string | null | undefined): SyncJob | undefined {
  if (!text) return undefined;
  try {
    const job = JSON.parse(text) as SyncJob;
    if (typeof job.id !== "string" || typeof job.counts !== "object" || job.counts === null) return undefined;
    if (job.kind !== undefined && !JOB_KINDS.includes(job.kind)) return undefined;
    // A job saved by an earlier version lacks the newer counters.
    return { ...job, counts: { ...emptyCounts(), ...job.counts } };
  } catch {
    return undefined;
  }
}
