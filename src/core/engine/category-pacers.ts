// The pace of each rate category. Extend limits GET and WRITE requests apart (an inference from its docs: an
// update counts as WRITE, a read as GET), so each has its own pacer at the configured rate, and a job's reads
// never slow its updates. Once Extend shows they share a limit (a 429 while both categories were sending within
// one window), both are paced as one, at the lower rate, waiting for every request of either in the window;
// the job remembers it, so later executions start that way.
import type { SyncJob } from "./job";
import { newPacer, type PacerState, recordBatch, windowMs } from "./pacing";
import { CATEGORIES } from "./send-queue";
import type { RateCategory } from "./steps";

export class CategoryPacers {
  private pacers: Record<RateCategory, PacerState>;
  /** Reads and writes paced as one. */
  shared: boolean;

  constructor(rate: number, job: SyncJob) {
    this.pacers = {
      WRITE: { ...newPacer(rate, job.rate), recent: job.recentBatches ?? [] },
      GET: { ...newPacer(rate, job.getRate ?? rate), recent: job.recentGets ?? [] },
    };
    this.shared = job.sharedLimit === true;
  }

  /** The writes' own pacer: the sync's pace, whatever the reads do. */
  get write(): PacerState {
    return this.pacers.WRITE;
  }

  /** The pacer a category's next batch waits for: its own, or both as one under a shared limit. */
  of(category: RateCategory): PacerState {
    if (!this.shared) return this.pacers[category];
    const { GET, WRITE } = this.pacers;
    return {
      ...this.pacers[category],
      currentRate: Math.min(GET.currentRate, WRITE.currentRate),
      recent: [...GET.recent, ...WRITE.recent].sort((a, b) => a.at - b.at),
      notBefore: Math.max(GET.notBefore, WRITE.notBefore),
    };
  }

  /** A batch sent at `startedAt` with `sentOf` requests of each category, some answered 429. */
  afterBatch(
    startedAt: number,
    sentOf: Readonly<Record<RateCategory, number>>,
    rateLimited: Readonly<Record<RateCategory, boolean>>,
  ): void {
    if (!this.shared && (rateLimited.GET || rateLimited.WRITE)) {
      const windowStart =
        startedAt - windowMs(Math.min(this.pacers.GET.currentRate, this.pacers.WRITE.currentRate));
      const sentLately = (category: RateCategory) =>
        sentOf[category] > 0 || this.pacers[category].recent.some((sent) => sent.at > windowStart);
      this.shared = sentLately("GET") && sentLately("WRITE");
    }
    for (const category of CATEGORIES)
      if (sentOf[category] > 0)
        this.pacers[category] = recordBatch(
          this.pacers[category],
          startedAt,
          sentOf[category],
          rateLimited[category],
        );
  }

  /** What the job keeps of the pace for its next execution. */
  jobFields(): Pick<SyncJob, "rate" | "recentBatches" | "getRate" | "recentGets" | "sharedLimit"> {
    const { GET, WRITE } = this.pacers;
    return {
      rate: WRITE.currentRate,
      recentBatches: WRITE.recent,
      getRate: GET.currentRate,
      recentGets: GET.recent,
      ...(this.shared ? { sharedLimit: true as const } : {}),
    };
  }
}
