// What the sheet shows a job did. Each row a job finishes carries the job's mark with the outcome's letter
// (`done=<job>:<letter>`), written in the same write as the row's outcome, and the job's counts are saved after
// that write: an execution killed between the two leaves rows the job does not count. So each execution counts
// the job's rows when it reads the sheet, and the last one counts them again, and a job never reports less work
// than its rows show.
import { type CellValue, cellText } from "./cell";
import { emptyCounts, type SyncCounts, type SyncJob } from "./job";
import { DONE_MARKS, type DoneAs, isDoneAs } from "./outcome";
import { decodeRowState, type RowState } from "./row-state";

export interface SheetTally {
  /**
   * The job's counts as its rows show them; `requests` is the runs Extend answered (each took one request at
   * least), and `missing` and `notSynced` are never shown by a row.
   */
  counts: SyncCounts;
  /** Rows the job marked done, whatever their letter (marks written before letters were kept have none). */
  doneRows: number;
}

/** Counts a job's done rows; a run on several rows (a refresh reads it once for all of them) counts once. */
export class DoneTally {
  private readonly runsBy = new Map<DoneAs, Set<string>>();
  /** Rows without a Run ID (an invalid row): each is its own. */
  private readonly blankBy = new Map<DoneAs, number>();
  private doneRows = 0;

  constructor(private readonly jobId: string) {}

  add(state: RowState, runId: string): void {
    if (state.doneSync !== this.jobId) return;
    this.doneRows += 1;
    const letter = state.doneAs;
    if (!isDoneAs(letter)) return;
    if (runId === "") {
      this.blankBy.set(letter, (this.blankBy.get(letter) ?? 0) + 1);
      return;
    }
    const runs = this.runsBy.get(letter);
    if (runs) runs.add(runId);
    else this.runsBy.set(letter, new Set([runId]));
  }

  result(): SheetTally {
    const counts = emptyCounts();
    const answered = new Set<string>();
    let answeredBlank = 0;
    for (const letter of Object.keys(DONE_MARKS) as DoneAs[]) {
      const runs = this.runsBy.get(letter);
      const blank = this.blankBy.get(letter) ?? 0;
      const rows = (runs?.size ?? 0) + blank;
      if (rows === 0) continue;
      const mark: { counts: Partial<SyncCounts>; requested: boolean } = DONE_MARKS[letter];
      for (const key of Object.keys(mark.counts) as (keyof SyncCounts)[])
        counts[key] += rows * (mark.counts[key] ?? 0);
      if (!mark.requested) continue;
      for (const run of runs ?? []) answered.add(run);
      answeredBlank += blank;
    }
    counts.requests = answered.size + answeredBlank;
    return { counts, doneRows: this.doneRows };
  }
}

/** The job's rows in a read of the whole sheet (header row first). */
export function tallyRows(
  values: readonly (readonly CellValue[])[],
  runIdColumn: number,
  stateColumn: number,
  jobId: string,
  dateToIso: (date: Date) => string,
): SheetTally {
  const tally = new DoneTally(jobId);
  const marker = `done=${jobId}`;
  for (let index = 1; index < values.length; index++) {
    const cells = values[index];
    const state = cells?.[stateColumn];
    // Most rows of a long sheet are not the job's yet: a look at the text spares decoding them.
    if (typeof state !== "string" || !state.includes(marker)) continue;
    tally.add(decodeRowState(state), cellText(cells?.[runIdColumn] ?? "", dateToIso));
  }
  return tally.result();
}

/** The job with every count at least what its rows show, and the rows it resolved likewise. */
export function withSheetCounts(job: SyncJob, tally: SheetTally): SyncJob {
  const counts = { ...job.counts };
  for (const key of Object.keys(counts) as (keyof SyncCounts)[])
    counts[key] = Math.max(counts[key], tally.counts[key]);
  const resolved = Math.max(job.rowsResolved ?? 0, tally.doneRows - (job.resolvedAtStart ?? 0));
  return { ...job, counts, rowsResolved: resolved };
}
