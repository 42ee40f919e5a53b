// What Apps Script service calls cost in time, so the add-on's own clock and budget feel them locally. The
// figures are public measurements (cited per field); where nothing is published the field is a setting and
// says so. "on" takes the typical figure, "high" the high end of each range (for concurrency, the low end).
// Reference: docs/platform/apps-script.md §9.

export interface CostModel {
  name: string;
  sheets: {
    /** One Sheets round trip: a data read, getLastRow/getLastColumn/getMaxRows, a structural edit. */
    roundTripMs: number;
    /** Per cell a read returns, on top of the round trip. */
    cellReadMs: number;
    /** Per write call when it is queued (writes are applied later, at the next read, flush or the end). */
    writeQueueMs: number;
    /** Per commit of the queued writes (paid by the next read, SpreadsheetApp.flush() or the execution's end). */
    commitMs: number;
    /** Per cell committed. */
    cellWriteMs: number;
  };
  properties: { getMs: number; setMs: number };
  /** CacheService: a read (get, getAll) and a change (put, putAll, remove, removeAll). */
  cache: { getMs: number; putMs: number };
  /** LockService tryLock/waitLock/releaseLock: no published measurement, a setting. */
  lock: { callMs: number };
  urlFetch: {
    /** Per fetch or fetchAll call, besides the requests themselves. */
    callMs: number;
    /** Requests in flight at once within one fetchAll; the rest wait for the next wave. Not documented. */
    concurrency: number;
    /**
     * Virtual clock only: each request reaches the server up to this much later than its wave left (and its
     * answer comes back as much later), drawn from a seeded generator, as networks spread a burst of
     * requests. A real clock has the real jitter instead. Not published: a setting.
     */
    jitterMs: number;
  };
  /** Added to every Utilities.sleep (its accuracy): no published measurement, a setting. */
  sleepOverheadMs: number;
  /** Between two executions (the sidebar's next google.script.run): no published measurement, a setting. */
  executionGapMs: number;
}

export type CostModelName = "off" | "on" | "high";

const OFF: CostModel = {
  name: "off",
  sheets: { roundTripMs: 0, cellReadMs: 0, writeQueueMs: 0, commitMs: 0, cellWriteMs: 0 },
  properties: { getMs: 0, setMs: 0 },
  cache: { getMs: 0, putMs: 0 },
  lock: { callMs: 0 },
  urlFetch: { callMs: 0, concurrency: Number.POSITIVE_INFINITY, jitterMs: 0 },
  sleepOverheadMs: 0,
  executionGapMs: 0,
};

const ON: CostModel = {
  name: "on",
  sheets: {
    // bugbugnow.net/2019/03/GoogleAppsScript-speed-up.html: a round trip is ~30-160 ms; 1,000 getLastRow()
    // calls took 160 s (160 ms each), 1,000 batched rows read and written ~0.9 s. 60 ms is the typical call.
    roundTripMs: 60,
    // Same source: 1,000 cells in one getValues() within ~0.1 s of round trips; 10-50 us per cell.
    cellReadMs: 0.02,
    // Stack Overflow answer by Mogsdad (mirrored at ruby-bash.developreference.com/article/29263774): 400 row
    // writes without flush took 164 ms in all, ~0.4 ms each to queue.
    writeQueueMs: 0.4,
    // Same answer: 400 flushes of one row ~12 s (30 ms each); 4,000 cells queued < 50 ms, 610 ms with flush
    // (~0.14 ms a cell). googleappsscript.blogspot.com/2010/06/optimizing-spreadsheet-operations.html: every
    // read commits the queued writes first.
    commitMs: 30,
    cellWriteMs: 0.1,
  },
  // ziritione.org/post/apps_script_performance: getProperty ~30 ms (20-84), setProperty ~62 ms (43-231).
  properties: { getMs: 30, setMs: 62 },
  // Same source: cache get ~3 ms, put ~92 ms (one blogger's timing; reference §1.5).
  cache: { getMs: 3, putMs: 92 },
  // Not published (reference §9 assumes ~50 ms): a setting.
  lock: { callMs: 50 },
  urlFetch: {
    // Not published as such; a setting. gist.github.com/tanaikech/c0f383034045ab63c19604139ecb0728 and
    // pre-practice.net/2020/03/urlfetchappfetchallfetch.html: fetchAll of 3 took 0.93 s against 0.59 s for one.
    callMs: 50,
    // Not documented (reference §1.4, §8 item 1); magesheet.com/blog/apps-script-urlfetchapp-quotas-retries
    // reports "around 10-20" concurrent fetches observed. A setting.
    concurrency: 20,
    // Not published: a setting. The benchmark's check against real time on loopback showed that pacing at
    // exactly the rate limit meets 429s once arrivals spread by a few milliseconds.
    jitterMs: 20,
  },
  // Not published (reference §9 assumes +0-20 ms): a setting.
  sleepOverheadMs: 10,
  // Not published (reference §9 assumes ~2 s): a setting.
  executionGapMs: 2000,
};

const HIGH: CostModel = {
  name: "high",
  sheets: { roundTripMs: 160, cellReadMs: 0.05, writeQueueMs: 0.4, commitMs: 100, cellWriteMs: 0.15 },
  properties: { getMs: 84, setMs: 231 },
  // Nothing published beyond the one timing: the property's own high-to-typical ratio (84/30, 231/62), rounded up.
  cache: { getMs: 10, putMs: 350 },
  lock: { callMs: 100 },
  // The whole difference between fetchAll of 3 (0.93 s) and one fetch (0.59 s) taken as overhead.
  urlFetch: { callMs: 340, concurrency: 10, jitterMs: 50 },
  sleepOverheadMs: 20,
  executionGapMs: 5000,
};

export const COST_MODELS: Readonly<Record<CostModelName, CostModel>> = { off: OFF, on: ON, high: HIGH };

export function resolveCostModel(model: CostModelName | CostModel | undefined): CostModel {
  if (model === undefined) return OFF;
  return typeof model === "string" ? COST_MODELS[model] : model;
}
