// Unit tests for src/core/jobs/import/import-guard.ts: a cursor seen before, pages in a row without a new run
// and more pages than the maximum needs each stop an import; what it remembers of cursors stays small enough
// for the job's one 9 KB property.
import { describe, expect, it } from "vitest";
import { emptyCounts, type ImportState, type SyncJob } from "../../../../src/core/engine/job";
import {
  CURSORS_REMEMBERED,
  followPage,
  PAGES_WITHOUT_NEW_RUN_LIMIT,
  pageBudget,
} from "../../../../src/core/jobs/import/import-guard";
import { describeFilters, MAX_CURSOR_LENGTH } from "../../../../src/core/jobs/import/import-list";

const fresh = (overrides: Partial<ImportState> = {}): ImportState => ({
  filters: {},
  withCurrent: false,
  listingDone: false,
  pages: 0,
  ...overrides,
});

describe("pageBudget", () => {
  it("is what the maximum needs in pages of the largest size seen, a tenth more, and ten pages", () => {
    expect(pageBudget(40, 7)).toBe(6 + 1 + 10);
    expect(pageBudget(1_000, 100)).toBe(10 + 1 + 10);
    expect(pageBudget(undefined, 100)).toBe(4_000 + 400 + 10);
    // A List that has sent only empty pages so far counts as pages of one run.
    expect(pageBudget(5, 0)).toBe(5 + 1 + 10);
  });
});

describe("followPage", () => {
  it("lets a working List page on, counting its pages and remembering each cursor's digest", () => {
    const state = fresh();
    for (let page = 1; page <= 50; page++)
      expect(followPage(state, { runs: 100, newRuns: 100, nextPageToken: `cursor-${page}` })).toBeUndefined();
    expect(state).toMatchObject({ pages: 50, largestPage: 100, pagesWithoutNew: 0 });
    expect(state.seenCursors).toHaveLength(CURSORS_REMEMBERED);
    expect(state.seenCursors?.every((digest) => digest.length <= 8)).toBe(true);
    // The last page has no cursor: nothing to follow, nothing to check.
    expect(followPage(state, { runs: 3, newRuns: 0 })).toBeUndefined();
  });

  it("stops at a cursor seen before, though that page brought new runs", () => {
    const state = fresh();
    expect(followPage(state, { runs: 5, newRuns: 5, nextPageToken: "A" })).toBeUndefined();
    expect(followPage(state, { runs: 5, newRuns: 5, nextPageToken: "B" })).toBeUndefined();
    expect(followPage(state, { runs: 5, newRuns: 5, nextPageToken: "A", requestId: "req_9" })).toEqual({
      code: "LIST_LOOP",
      message:
        "Extend's list of runs sent a page cursor it had already sent in this import (after 3 pages), so going on would read the same pages again.",
      requestId: "req_9",
    });
  });

  it(`stops after ${PAGES_WITHOUT_NEW_RUN_LIMIT} pages in a row without a new run, not after fewer`, () => {
    const state = fresh();
    followPage(state, { runs: 5, newRuns: 5, nextPageToken: "first" });
    for (let page = 1; page < PAGES_WITHOUT_NEW_RUN_LIMIT; page++)
      expect(followPage(state, { runs: 5, newRuns: 0, nextPageToken: `again-${page}` })).toBeUndefined();
    // A page with a new run starts the count again.
    followPage(state, { runs: 5, newRuns: 1, nextPageToken: "new" });
    for (let page = 1; page < PAGES_WITHOUT_NEW_RUN_LIMIT; page++)
      expect(followPage(state, { runs: 5, newRuns: 0, nextPageToken: `more-${page}` })).toBeUndefined();
    expect(followPage(state, { runs: 5, newRuns: 0, nextPageToken: "last" })?.message).toMatch(
      new RegExp(`sent ${PAGES_WITHOUT_NEW_RUN_LIMIT} pages in a row without a run`),
    );
  });

  it("stops when the pages read reach the budget of the maximum, each bringing one new run", () => {
    const state = fresh({ max: 40 });
    const budget = pageBudget(40, 7);
    for (let page = 1; page < budget; page++)
      expect(
        followPage(state, { runs: 7, newRuns: page === 1 ? 7 : 1, nextPageToken: `c${page}` }),
      ).toBeUndefined();
    expect(followPage(state, { runs: 7, newRuns: 1, nextPageToken: "over" })?.message).toBe(
      `Extend's list of runs needed more than ${budget} pages for at most 40 runs (pages of up to 7 runs), as its pages bring too few new runs.`,
    );
  });

  it("fits a job at its largest into the 9 KB document property it is saved in", () => {
    const state = fresh({
      filters: {
        workflowId: "w".repeat(255),
        batchId: "b".repeat(255),
        fileNameContains: "f".repeat(255),
        status: "PROCESSED",
        sortBy: "updatedAt",
        sortDir: "asc",
      },
      max: 400_000,
      withCurrent: true,
      nextPageToken: "c".repeat(MAX_CURSOR_LENGTH),
      // The longest held message, and Extend's part of it in a script of two bytes a character.
      held: "é".repeat(1_000),
      pageAttempts: 4,
    });
    for (let page = 0; page < 100; page++)
      followPage(state, {
        runs: 100,
        newRuns: 100,
        nextPageToken: `${"c".repeat(MAX_CURSOR_LENGTH - 4)}${page}`,
      });
    expect(state.seenCursors).toHaveLength(CURSORS_REMEMBERED);
    const job: SyncJob = {
      id: "abcdef12",
      kind: "import",
      import: state,
      sheetId: 2_147_483_647,
      sheetName: `Extend runs 2026-04-12 10:30 (12)`,
      scopeLabel: describeFilters(state),
      allRows: false,
      force: false,
      startedBy: "someone.with.a.long.name@example-company.com",
      startedAt: 1_800_000_000_000,
      lastActivityAt: 1_800_000_000_000,
      lease: { token: "x".repeat(36), expiresAt: 1_800_000_000_000 },
      executions: 9_999,
      rate: 75,
      getRate: 75,
      nextGetAt: 1_800_000_000_000,
      recentGets: Array.from({ length: 75 }, () => ({ at: 1_800_000_000_000, count: 1 })),
      rowsToSend: 400_000,
      counts: { ...emptyCounts(), requests: 999_999, imported: 400_000, read: 400_000 },
      status: "running",
    };
    expect(Buffer.byteLength(JSON.stringify(job), "utf8")).toBeLessThan(9 * 1024);
  });
});
