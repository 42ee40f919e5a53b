// The rows of one execution waiting for their next request, by rate category (GET or WRITE, which Extend limits
// apart): fresh rows in sheet order, then rows waiting to go on, either a retry after its backoff or a row whose
// read just answered and whose write comes next.
import { runIdTag } from "../requests/fingerprint";
import type { RetriesInProgress } from "./job";
import type { QueueItem } from "./prepare";
import type { RateCategory } from "./steps";

/** The job is one document property: this many rows' retries are carried over, those closest to giving up. */
const MAX_RETRIES_REMEMBERED = 100;

export const CATEGORIES: readonly RateCategory[] = ["GET", "WRITE"];

export class SendQueue {
  private readonly fresh: Record<RateCategory, QueueItem[]> = { GET: [], WRITE: [] };
  private readonly next: Record<RateCategory, number> = { GET: 0, WRITE: 0 };
  private readonly waiting: QueueItem[] = [];

  /** Rows already tried in an earlier execution wait their turn like any retry. */
  constructor(items: readonly QueueItem[]) {
    for (const item of items) {
      if (item.attempts > 0) this.waiting.push(item);
      else this.fresh[item.step.category].push(item);
    }
  }

  get size(): number {
    let size = this.waiting.length;
    for (const category of CATEGORIES) size += this.fresh[category].length - this.next[category];
    return size;
  }

  /** Up to `max` items of the category that may go now, those waiting to go on first. */
  take(now: number, category: RateCategory, max: number): QueueItem[] {
    // One rule picks the items (peek); taking them removes the waiting ones and moves past the fresh ones.
    const batch = this.peek(now, category, max);
    const taken = new Set(batch);
    let fromWaiting = 0;
    for (let index = this.waiting.length - 1; index >= 0; index -= 1) {
      const item = this.waiting[index];
      if (item && taken.has(item)) {
        this.waiting.splice(index, 1);
        fromWaiting += 1;
      }
    }
    this.next[category] += batch.length - fromWaiting;
    return batch;
  }

  /** The items `take(at, category, max)` would give, left in the queue: their records can be written ahead. */
  peek(at: number, category: RateCategory, max: number): QueueItem[] {
    const batch: QueueItem[] = [];
    for (const item of this.waiting) {
      if (batch.length >= max) return batch;
      if (item.step.category === category && item.notBefore <= at) batch.push(item);
    }
    const fresh = this.fresh[category];
    for (let index = this.next[category]; batch.length < max && index < fresh.length; index += 1) {
      const item = fresh[index];
      if (item) batch.push(item);
    }
    return batch;
  }

  /** The item goes on at `item.notBefore` with `item.step`. */
  later(item: QueueItem): void {
    this.waiting.push(item);
  }

  /** Items of the category still to go, due now or later. */
  sizeOf(category: RateCategory): number {
    let size = this.fresh[category].length - this.next[category];
    for (const item of this.waiting) if (item.step.category === category) size += 1;
    return size;
  }

  /** When the category has an item that may go: now for fresh ones, else the earliest wait; undefined if none. */
  dueAt(category: RateCategory, now: number): number | undefined {
    if (this.next[category] < this.fresh[category].length) return now;
    let earliest: number | undefined;
    for (const item of this.waiting)
      if (item.step.category === category && (earliest === undefined || item.notBefore < earliest))
        earliest = item.notBefore;
    return earliest;
  }

  /**
   * The rows waiting to be tried again, by run id tag: a row's attempts must add up across executions, or a run
   * that always times out would be tried a few times in every execution, for ever. A row waiting for its next
   * step has made no failed attempt and starts again from its first step anyway.
   */
  retriesInProgress(): RetriesInProgress {
    const retries: RetriesInProgress = {};
    const byAttempts = this.waiting
      .filter((item) => item.attempts > 0)
      .sort((a, b) => b.attempts - a.attempts);
    for (const item of byAttempts.slice(0, MAX_RETRIES_REMEMBERED))
      retries[runIdTag(item.runId)] = [item.attempts, item.notBefore];
    return retries;
  }
}
