// Read-ahead for jobs that record their changes (history kept, or an undo). Each such row is a GET, then a POST
// whose record must be in the history sheet before it leaves. Appending records costs several Sheets round trips
// whatever their number, so records are written for several batches in one append. That needs several batches
// of rows already read: the GETs run a few batches ahead of the POSTs. While the lead is built, POSTs wait
// (about READ_AHEAD_BATCHES windows, once per execution, and only once batches follow each other with no wait
// for the pace, see BUSY_BATCHES); after that each fetchAll carries one batch of reads and one of writes, as
// before, and the lead stays.
//
// Only while GET and WRITE are limited apart: under one shared limit a read ahead takes the place of a write, so
// the engine keeps the old order (writes first, each batch's records on their own). Whether Extend limits them
// apart is UNCONFIRMED (docs/platform), so the engine starts as if apart and falls back at the first 429 that
// shows otherwise. A read made a few seconds before its write widens, by those seconds, the window in which
// another client's change could slip between them: the add and remove modes already had that window, and an
// undo reads the run again anyway before it decides.
import type { QueueItem } from "./prepare";
import type { SendQueue } from "./send-queue";
import type { RateCategory } from "./steps";

/** Batches of rows read ahead of the writes: about this many seconds of the rate. */
export const READ_AHEAD_BATCHES = 4;

/**
 * Batches sent one after another with no wait for the pace before the lead is built. While the pace makes the
 * sync wait, each batch's records are written during the wait and cost it nothing: holding writes back to read
 * ahead would only cost time (the lead is built again in every execution). Once the work fills the windows
 * (high rates), records written several batches at a time are what the sync gains. Three, not two: an
 * execution's first batches follow each other with no wait whatever the rate (the first reads alone, their
 * writes alone, the next reads), and a lead started there would hold the writes back where none was needed.
 */
export const BUSY_BATCHES = 3;

/** Rows the writes should have waiting, read, before they start: the lead. */
export function leadRows(writeBatchSize: number): number {
  return READ_AHEAD_BATCHES * Math.max(1, writeBatchSize);
}

/**
 * Whether the writes wait for the reads to build the lead: only while a read may go now to build it with (reads
 * all done, or all waiting out a backoff, never hold the writes), and only while the execution has time left to
 * build the lead twice over. A short execution never holds: it would pause with its rows read and none written,
 * and the next execution starts those rows again from their reads (a job that would never end). The engine
 * asks until the lead is built once.
 */
export function holdWrites(input: {
  queue: SendQueue;
  now: number;
  writeBatchSize: number;
  windowMs: number;
  budgetEndsAt: number;
}): boolean {
  const { queue, now, writeBatchSize, windowMs, budgetEndsAt } = input;
  if (budgetEndsAt - now < 2 * READ_AHEAD_BATCHES * windowMs) return false;
  return (
    (queue.dueAt("GET", now) ?? Number.POSITIVE_INFINITY) <= now &&
    queue.sizeOf("WRITE") < leadRows(writeBatchSize)
  );
}

/**
 * The items whose records to write in one append, starting with `batch` (the batch about to leave, or the next
 * one): then the writes waiting behind it, as many as the execution is expected to send before its budget ends
 * (one batch a window), so a pause leaves few records of changes that were not going to leave this execution.
 * Those few stay "Sending", which means "maybe applied"; the job settles them (history.ts).
 */
export function recordsAhead(input: {
  queue: SendQueue;
  batch: readonly QueueItem[];
  at: number;
  writeBatchSize: number;
  windowMs: number;
  budgetEndsAt: number;
}): QueueItem[] {
  const { queue, batch, at, writeBatchSize, windowMs, budgetEndsAt } = input;
  const windowsLeft = Math.floor((budgetEndsAt - at) / windowMs);
  const more = Math.min(leadRows(writeBatchSize), Math.max(0, windowsLeft) * writeBatchSize);
  if (more === 0) return [...batch];
  const taken = new Set(batch);
  const ahead = queue.peek(at, "WRITE", more + batch.length).filter((item) => !taken.has(item));
  return [...batch, ...ahead.slice(0, more)];
}

/**
 * Moves the reads' start to the writes' when the reads are due less than one fetchAll before them: sent alone,
 * the reads' fetchAll would hold the writes back about as long anyway, and the reads, ahead, can wait. The writes
 * are never held for the reads: their pace is the sync's. Whether it moved them.
 */
export function alignCategories(startOf: Partial<Record<RateCategory, number>>, batchMs: number): boolean {
  const { GET, WRITE } = startOf;
  if (GET === undefined || WRITE === undefined || GET >= WRITE || WRITE - GET > batchMs) return false;
  startOf.GET = WRITE;
  return true;
}
