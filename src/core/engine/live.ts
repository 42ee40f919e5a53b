// A running job's progress while an execution is still under way, for the sidebar's light call (jobProgress)
// to read between two steps' answers. It is a hint, published to a cheap store that may lose it; the saved job
// stays the truth. Publishing costs time (a cache put), so an execution publishes at most every
// LIVE_PROGRESS_INTERVAL_MS, the first time as soon as it has something new to show.

import { TAG_MODES } from "../requests/tag-mode";
import {
  addCounts,
  emptyCounts,
  JOB_KINDS,
  type JobKind,
  jobKind,
  type SyncCounts,
  type SyncJob,
  shownRate,
} from "./job";
import type { Clock } from "./ports";

/** What the sidebar's progress bar and counts need, as one execution sees them now. */
export interface LiveProgress {
  jobId: string;
  kind: JobKind;
  tagMode?: SyncJob["tagMode"];
  /** An import still reading List's pages: the total is not known. */
  listing?: boolean;
  /** When the job started (the server's clock): a sidebar waiting for its own start ignores older jobs. */
  startedAt: number;
  /** When this was published (the server's clock): a later view replaces an earlier one, never the reverse. */
  publishedAt: number;
  executions: number;
  /** Answers received count here before their outcomes reach the sheet (at the next write, ≤ 10 s later). */
  counts: SyncCounts;
  rowsLeft: number;
  rowsToSend: number;
  rate: number;
}

/** A put of the document cache costs about 92 ms (docs/platform/apps-script.md §1.5): one every few seconds. */
export const LIVE_PROGRESS_INTERVAL_MS = 2_500;

export function liveProgressOf(
  job: SyncJob,
  rowsLeft: number,
  now: number,
  unwritten: Partial<SyncCounts> = {},
): LiveProgress {
  const view: LiveProgress = {
    jobId: job.id,
    kind: jobKind(job),
    startedAt: job.startedAt,
    publishedAt: now,
    executions: job.executions,
    counts: addCounts(job.counts, unwritten),
    rowsLeft,
    rowsToSend: job.rowsToSend,
    rate: shownRate(job),
  };
  if (job.tagMode) view.tagMode = job.tagMode;
  if (job.import && !job.import.listingDone) view.listing = true;
  return view;
}

/**
 * Hands views to `publish` at most once per interval; `offer` says whether it did. It takes a function so that a
 * view is built only when it will be published; a failure to publish is ignored (the job does not depend on it).
 */
export function livePublisher(
  clock: Clock,
  publish: ((view: LiveProgress) => void) | undefined,
  intervalMs = LIVE_PROGRESS_INTERVAL_MS,
): { offer(view: (now: number) => LiveProgress): boolean } {
  let lastAt = Number.NEGATIVE_INFINITY;
  return {
    offer(view) {
      if (!publish) return false;
      const now = clock.now();
      if (now - lastAt < intervalMs) return false;
      lastAt = now;
      try {
        publish(view(now));
      } catch {
        // Progress is a hint: a full or unavailable cache must not cost the job anything.
      }
      return true;
    },
  };
}

/** Longest text read back from the store: a view is a few hundred characters. */
const MAX_STORED_LENGTH = 10_000;

const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * A view read back from the store, or null when there is none or it is not one (evicted, cut, written by
 * another version of the add-on): the sidebar then keeps what it shows.
 */
export function parseLiveProgress(text: unknown): LiveProgress | null {
  if (typeof text !== "string" || text.length > MAX_STORED_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  const { jobId, kind, tagMode, listing } = record;
  if (typeof jobId !== "string" || jobId === "" || jobId.length > 200) return null;
  if (typeof kind !== "string" || !(JOB_KINDS as readonly string[]).includes(kind)) return null;
  const counts = emptyCounts();
  const storedCounts = record.counts;
  if (typeof storedCounts !== "object" || storedCounts === null) return null;
  for (const key of Object.keys(counts) as (keyof SyncCounts)[]) {
    const figure = count((storedCounts as Record<string, unknown>)[key]);
    if (figure === undefined) return null;
    counts[key] = figure;
  }
  const numbers = ["startedAt", "publishedAt", "executions", "rowsLeft", "rowsToSend", "rate"] as const;
  const figures: Partial<Record<(typeof numbers)[number], number>> = {};
  for (const key of numbers) {
    const figure = count(record[key]);
    if (figure === undefined) return null;
    figures[key] = figure;
  }
  const view: LiveProgress = {
    jobId,
    kind: kind as JobKind,
    startedAt: figures.startedAt as number,
    publishedAt: figures.publishedAt as number,
    executions: figures.executions as number,
    counts,
    rowsLeft: figures.rowsLeft as number,
    rowsToSend: figures.rowsToSend as number,
    rate: figures.rate as number,
  };
  if (typeof tagMode === "string" && (TAG_MODES as readonly string[]).includes(tagMode))
    view.tagMode = tagMode as LiveProgress["tagMode"];
  if (listing === true) view.listing = true;
  return view;
}
