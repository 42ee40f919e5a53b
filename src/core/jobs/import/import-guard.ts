// What keeps a broken List from making an import go round for ever. Each page is followed by the cursor it
// brings, so a List whose cursors cycle (A, B, A…) or that sends a fresh cursor with the same runs every page
// would read pages until the day's UrlFetch allowance is gone (an audit saw 570 requests in one execution, and the
// import paused for ever after). Three rules stop it, each with a message saying what happened:
// - a cursor seen before in this import: following it reads pages already read;
// - PAGES_WITHOUT_NEW_RUN_LIMIT pages in a row that bring no run new to the sheet;
// - more pages than the import's maximum needs (pageBudget), pages that bring fewer runs allowed for.
// The job lives in one 9 KB document property beside the rest of its state, so it remembers short digests of the
// latest cursors, not the cursors (up to 1,000 characters each). A cycle longer than that memory brings no new
// run after its first lap, so the second rule stops it.

import type { ImportState } from "../../engine/job";
import type { SyncError } from "../../requests/classify";
import { textDigest } from "../../requests/fingerprint";
import { MAX_IMPORT_COUNT } from "./import-list";

/** Cursors remembered: 32 digests of 8 characters take about 350 bytes of the job's property. */
export const CURSORS_REMEMBERED = 32;

/**
 * Pages in a row without a new run that stop an import. A working List brings new runs on every page but one
 * read again after an execution was killed, or runs repeated when runs are created while an import pages; a List
 * that filters after paging could send some empty pages. 20 allows all that and costs at most 20 requests (0.1% of
 * a consumer account's 20,000 a day) when List is broken.
 */
export const PAGES_WITHOUT_NEW_RUN_LIMIT = 20;

/** Pages on top of what the maximum needs: pages read again after a kill, a short first page, the last page. */
const EXTRA_PAGES = 10;

/**
 * The last 8 base-36 characters of a cursor's digest (41 bits; the leading ones vary less): a new cursor matches
 * one of the 32 remembered by chance about once in 10^11 pages.
 */
function cursorDigest(cursor: string): string {
  return textDigest(cursor).slice(-8);
}

/**
 * The most pages an import of at most `max` runs may read (without a maximum, the most any import takes), when
 * List's pages hold up to `largestPage` runs: what the maximum needs if every page brought that many new runs,
 * a tenth more for pages that bring fewer (runs repeated while new ones are created meanwhile), and EXTRA_PAGES.
 * List's page size is UNKNOWN, so it is the largest page seen, not the size asked for.
 */
export function pageBudget(max: number | undefined, largestPage: number): number {
  const needed = Math.ceil((max ?? MAX_IMPORT_COUNT) / Math.max(1, largestPage));
  return needed + Math.ceil(needed / 10) + EXTRA_PAGES;
}

/** What the import took from one page of List's answer. */
export interface PageRead {
  /** Runs the page held. */
  runs: number;
  /** Runs the sheet did not have yet. */
  newRuns: number;
  nextPageToken?: string;
  requestId?: string;
}

function loop(message: string, page: PageRead): SyncError {
  const error: SyncError = { code: "LIST_LOOP", message };
  if (page.requestId) error.requestId = page.requestId;
  return error;
}

/**
 * Counts a page the import read into `state` (in place) and decides whether its cursor may be followed: an error
 * when following it would go round, otherwise undefined (also when there is no next page).
 */
export function followPage(state: ImportState, page: PageRead): SyncError | undefined {
  state.pages += 1;
  state.largestPage = Math.max(state.largestPage ?? 0, page.runs);
  state.pagesWithoutNew = page.newRuns > 0 ? 0 : (state.pagesWithoutNew ?? 0) + 1;
  const cursor = page.nextPageToken;
  if (cursor === undefined) return undefined;
  const digest = cursorDigest(cursor);
  const seen = state.seenCursors ?? [];
  if (seen.includes(digest))
    return loop(
      `Extend's list of runs sent a page cursor it had already sent in this import (after ${state.pages} pages), so going on would read the same pages again.`,
      page,
    );
  if (state.pagesWithoutNew >= PAGES_WITHOUT_NEW_RUN_LIMIT)
    return loop(
      `Extend's list of runs sent ${state.pagesWithoutNew} pages in a row without a run that is not already in the sheet, so going on would read the same runs again.`,
      page,
    );
  const budget = pageBudget(state.max, state.largestPage);
  if (state.pages >= budget)
    return loop(
      `Extend's list of runs needed more than ${budget} pages for ${state.max === undefined ? "this import" : `at most ${state.max} runs`} (pages of up to ${state.largestPage} runs), as its pages bring too few new runs.`,
      page,
    );
  state.seenCursors = [...seen, digest].slice(-CURSORS_REMEMBERED);
  return undefined;
}
