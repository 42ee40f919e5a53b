// Sheet chores that need not hold a batch back, done while the pace makes the job wait or at the execution's end:
// hiding the Sync State column a job's start made (a structural edit is a Sheets round trip), and giving the
// add-on's format to Synced At cells that got their first date (a format is a Sheets call or two, so the dates
// are formatted a quarter of the job at a time, not with each write). Both only change how the sheet looks: a
// refusal (a protected sheet) leaves it as it is, and a kill leaves the dates written since unformatted.
import { mapHeaders } from "../sheet/headers";
import type { DatesToFormat, Layout } from "./commit";
import type { SheetPort } from "./ports";

/**
 * New dates are formatted with a write at most this often, and with an execution's last write: each format is
 * one or two more Sheets calls, and a kill in between costs only the look of the dates written since.
 */
export const DATES_FORMAT_INTERVAL_MS = 60_000;
/**
 * Rows of new dates formatted together in a wait: a quarter of the job's rows, at least this many. A few formats
 * a job, whatever its size (0.1 s per 1,000 cells with the cost model on), and a quarter at most left for the
 * last write, after the last batch.
 */
const MIN_DATES_PER_FORMAT = 500;
/** A wait at least this long is used for a chore (two round trips, ~120 ms with the cost model on). */
const CHORE_IN_WAITS_OF_MS = 150;

export class SheetChores {
  /** Rows given their first Synced At date since dates were last formatted (see DatesToFormat). */
  private readonly datesToFormat: number[] = [];
  private readonly datesPerFormat: number;
  private datesFormattedAt: number;
  /**
   * A write read the header since the last batch left: the layout is the sheet's now. Otherwise a column the
   * person inserted meanwhile may have moved the Synced At and Sync State columns, and the header is read again.
   */
  private layoutChecked = false;

  constructor(
    private readonly sheet: SheetPort,
    /** The job's layout, which each write brings up to date from the header it reads. */
    private readonly layout: Layout,
    private readonly now: () => number,
    rowsToSend: number,
    /** The job's start made the Sync State column and left it showing (SyncJob.hideStateColumn). */
    public stateColumnToHide: boolean,
  ) {
    this.datesPerFormat = Math.max(MIN_DATES_PER_FORMAT, Math.ceil(rowsToSend / 4));
    this.datesFormattedAt = now();
  }

  /** A write read the header and found the columns it needs (the layout is up to date). */
  headerChecked(): void {
    this.layoutChecked = true;
  }

  /** A batch left: time passed, and the person may have moved columns since the header was read. */
  batchSent(): void {
    this.layoutChecked = false;
  }

  /** The dates a write carries: it adds its own, and formats them all when due (`last`: the execution's last). */
  forWrite(last: boolean, writesRows: boolean): DatesToFormat {
    const now = last || this.now() - this.datesFormattedAt >= DATES_FORMAT_INTERVAL_MS;
    if (now && writesRows) this.datesFormattedAt = this.now();
    return { rows: this.datesToFormat, now };
  }

  /** Hides the Sync State column in a wait long enough; true when it did. */
  hideInWait(waitMs: number): boolean {
    if (!this.stateColumnToHide || waitMs < CHORE_IN_WAITS_OF_MS) return false;
    this.hideStateColumn(this.columnsNow());
    return true;
  }

  /**
   * Formats the dates waiting in a wait long enough, once they are a quarter of the job, or in the wait before
   * the last (`beforeTheLast`; the last one is the final scan's read's), so that the last write, after the last
   * batch, formats only its own rows. Only right after a write checked the header: the dates then need no read
   * of their own. True when it did.
   */
  formatInWait(waitMs: number, beforeTheLast: boolean): boolean {
    const due = this.datesToFormat.length >= this.datesPerFormat || beforeTheLast;
    if (this.datesToFormat.length === 0 || !due || !this.layoutChecked || waitMs < CHORE_IN_WAITS_OF_MS)
      return false;
    this.formatDates(this.layout.outputs.syncedAt);
    return true;
  }

  /**
   * At the execution's end: the dates the last write did not carry, and the column still to hide, where the
   * header has them now. `headerChanged`: the last write found the header without its columns; no date then.
   */
  atEnd(headerChanged: boolean): void {
    if (headerChanged) this.datesToFormat.length = 0;
    if (this.datesToFormat.length === 0 && !this.stateColumnToHide) return;
    const columns = this.columnsNow();
    this.formatDates(columns?.syncedAt);
    if (this.stateColumnToHide) this.hideStateColumn(columns);
  }

  /** The Synced At and Sync State columns as the sheet has them now: read again unless a write just did. */
  private columnsNow(): { syncedAt?: number; state?: number } | undefined {
    if (this.layoutChecked) return this.layout.outputs;
    try {
      const headers = mapHeaders(this.sheet.readHeader());
      return headers.ok ? headers.columns.output : undefined;
    } catch {
      return undefined;
    }
  }

  /** Formats the dates waiting in `column` (none, and they are forgotten, when the column is gone). */
  private formatDates(column: number | undefined): void {
    if (this.datesToFormat.length === 0) return;
    const rows = [...new Set(this.datesToFormat)].sort((a, b) => a - b);
    this.datesToFormat.length = 0;
    this.datesFormattedAt = this.now();
    if (column === undefined) return;
    try {
      this.sheet.write([], { column, rows });
    } catch {
      // Only their look: the dates are in the sheet.
    }
  }

  private hideStateColumn(columns: { state?: number } | undefined): void {
    this.stateColumnToHide = false;
    if (columns?.state === undefined) return;
    try {
      this.sheet.hideColumn(columns.state);
    } catch {
      // A protected sheet may refuse it; the column then stays visible and the sync goes on.
    }
  }
}
