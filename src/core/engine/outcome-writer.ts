// An execution's commit stage: the outcomes of answered rows, kept until a write is due (never more rows sent
// and unwritten than one batch may hold, never older than COMMIT_INTERVAL_MS), then written onto the rows that
// carry their run ids (commit.ts) with the dates to format (chores.ts) and their records' states (history), and
// the job's counts updated from what was written. The job is saved after a write at most every
// JOB_SAVE_INTERVAL_MS: its counts are a summary of the rows' marks, so a kill in between loses none of them.
import type { CellValue } from "../sheet/cell";
import type { SheetChores } from "./chores";
import { type CommitDeps, type CommitResult, commitOutcomes, type Layout } from "./commit";
import type { HistoryWriter } from "./history-writer";
import { addCounts, emptyCounts, type SyncCounts, type SyncJob } from "./job";
import { outcomeCounts } from "./outcome";
import { MAX_BATCH_SIZE } from "./pacing";
import type { Clock } from "./ports";
import type { Finished } from "./prepare";
import type { SendQueue } from "./send-queue";

/**
 * Rows sent whose outcomes are not yet in the sheet, at most: what one batch may hold, so a kill sends no more
 * rows again than it did when every batch was written on its own. Each write costs several Sheets round trips
 * (the header, the rows to check, the cells), so writing several batches at once at low rates is what keeps
 * Sheets calls per row low.
 */
export const MAX_UNCOMMITTED_ROWS = MAX_BATCH_SIZE;
/** Outcomes wait at most this long for the next write, so the sheet shows progress at slow rates too. */
export const COMMIT_INTERVAL_MS = 10_000;
/**
 * The job is saved after a write at most this often (each save takes the document lock, reads and writes the
 * job's property: about 0.2 s). Its counts are a summary of the rows' marks, so a kill loses none of them.
 */
export const JOB_SAVE_INTERVAL_MS = 10_000;
const MAX_UNWRITABLE_REMEMBERED = 100;

export interface OutcomeWriterDeps {
  commit: CommitDeps;
  layout: Layout;
  clock: Clock;
  queue: SendQueue;
  records: HistoryWriter;
  chores: SheetChores;
  saveJob(job: SyncJob): void;
}

export class OutcomeWriter {
  /** A write found the header row changed: nothing more is written, or sent, in this execution. */
  headerChanged = false;
  /** The Run ID and Sync State columns as the execution's last write read and wrote them. */
  lastWriteColumns: CellValue[][] | undefined;
  /** Writes of outcomes to the sheet so far: a read of it made before the last one no longer shows it. */
  private sheetWrites = 0;
  /** The Run ID and Sync State columns, read during the wait before what should be the last batch. */
  private readForScan: { columns: CellValue[][]; sheetWrites: number } | undefined;
  private lastSavedAt = Number.NEGATIVE_INFINITY;
  // Outcomes (and requests made) since the last write to the sheet.
  private pending: Finished[] = [];
  private pendingRequests = 0;
  private pendingSince = 0;
  private pendingCounts = emptyCounts();

  constructor(private readonly deps: OutcomeWriterDeps) {}

  /** A row's outcome, answered at `at`, to write with the next write. */
  add(done: Finished, at: number): void {
    if (this.pending.length === 0) this.pendingSince = at;
    this.pending.push(done);
    this.pendingCounts = addCounts(this.pendingCounts, outcomeCounts(done.outcome));
  }

  /** Requests a batch made (retries inside fetchAll included), counted with the next write. */
  addRequests(count: number): void {
    this.pendingRequests += count;
  }

  /** What the answers since the last write add to the job's counts: for the live progress. */
  get unwritten(): SyncCounts {
    return { ...this.pendingCounts, requests: this.pendingRequests };
  }

  /** Whether to write now rather than first send `nextBatch` more rows at `startAt` (or wait for them). */
  due(startAt: number, nextBatch: number): boolean {
    return (
      this.pending.length > 0 &&
      (this.pending.length + nextBatch > MAX_UNCOMMITTED_ROWS ||
        startAt - this.pendingSince >= COMMIT_INTERVAL_MS)
    );
  }

  /** Whether the final scan's columns were read in a wait already. */
  get scanRead(): boolean {
    return this.readForScan !== undefined;
  }

  /** Reads the columns the final scan needs, while the pace holds the last batch back. */
  readForFinalScan(readColumns: () => CellValue[][]): void {
    this.readForScan = { columns: readColumns(), sheetWrites: this.sheetWrites };
  }

  /** Writes what is pending; `save`: false for the execution's last write (`last`), after which it is saved or ended. */
  writePending(job: SyncJob, save = true, last = false): SyncJob {
    if (this.pending.length === 0 && this.pendingRequests === 0) return job;
    const written = this.write(job, this.pending, this.pendingRequests, save, last);
    this.pending = [];
    this.pendingRequests = 0;
    this.pendingCounts = emptyCounts();
    return written;
  }

  /** Writes `done` (and counts `requests`) now; the job with its counts updated. */
  write(job: SyncJob, done: readonly Finished[], requests: number, save = true, last = false): SyncJob {
    const { clock, queue, chores, records } = this.deps;
    // The last write of an execution with nothing left to send hands the job's final scan the columns it reads:
    // read in the wait before the last batch when no write came since, else read with this write.
    const wholeColumns = last && queue.size === 0;
    const readBefore =
      wholeColumns && this.readForScan?.sheetWrites === this.sheetWrites
        ? this.readForScan.columns
        : undefined;
    const dates = chores.forWrite(last, done.length > 0);
    const result: CommitResult = commitOutcomes(
      this.deps.commit,
      this.deps.layout,
      done,
      wholeColumns,
      readBefore,
      dates,
    );
    if (done.length > 0) this.sheetWrites += 1;
    if (result.kind === "written") this.lastWriteColumns = result.columns;
    if (result.kind === "written" && done.length > 0) chores.headerChecked();
    let next: SyncJob;
    if (result.kind === "header changed") {
      // Not written: the rows stay marked and go out again, matched by run id, in the next execution.
      this.headerChanged = true;
      next = { ...job, counts: addCounts(job.counts, { requests }), lastActivityAt: clock.now() };
    } else {
      records.settle(done);
      next = {
        ...job,
        counts: addCounts(job.counts, { ...result.counts, requests }),
        rowsResolved: (job.rowsResolved ?? 0) + result.rowsWritten,
        lastActivityAt: clock.now(),
        retries: queue.retriesInProgress(),
      };
      if (result.unwritable.length > 0) {
        next.unwritable = [...(job.unwritable ?? []), ...result.unwritable].slice(
          0,
          MAX_UNWRITABLE_REMEMBERED,
        );
        this.lastSavedAt = Number.NEGATIVE_INFINITY;
        save = true;
      }
    }
    // Not saving a write costs nothing on a kill: the next execution counts the rows it wrote (tally); only
    // retries under way restart their count. So the job is saved at most every JOB_SAVE_INTERVAL_MS.
    if (save && clock.now() - this.lastSavedAt >= JOB_SAVE_INTERVAL_MS) {
      this.deps.saveJob(next);
      this.lastSavedAt = clock.now();
    }
    return next;
  }
}
