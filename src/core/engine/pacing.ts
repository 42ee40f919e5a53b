// Client-side rate limit. The organisation's limit is shared with every other Extend integration, so a sync
// stays under its own budget and halves it whenever Extend answers 429, then creeps back up while all is well.

export const PLAN_RATES = { payAsYouGo: 10, scale: 25, enterprise: 75 } as const;
export const DEFAULT_RATE = PLAN_RATES.payAsYouGo;
export const MIN_RATE = 0.5;
/**
 * Requests in one fetchAll at most. A batch is one second of the rate (Extend counts requests per second), so 75
 * requests/s needs batches of 75. Apps Script documents no cap (UNCONFIRMED; community code uses 50 to avoid its
 * burst error, which the add-on treats like a 429 and slows down for).
 */
export const MAX_BATCH_SIZE = 100;

/**
 * The share of the configured rate the add-on paces itself to. Requests reach Extend tens of milliseconds earlier
 * or later than they leave, so a batch sent exactly one second after the last could find the organisation's
 * per-second budget not yet refilled: the rate is counted over windows 5% longer than a second, which leaves
 * about 50 ms for such jitter.
 */
export const PACE_HEADROOM = 0.95;

const RECOVERY_FACTOR = 1.25;
const CLEAN_BATCHES_BEFORE_RECOVERY = 5;

export interface SentBatch {
  /** When the batch left. */
  at: number;
  count: number;
}

export interface PacerState {
  /** Requests per second the user configured (less the headroom): the ceiling. */
  configuredRate: number;
  /** Requests per second in force now, lowered after 429s. */
  currentRate: number;
  /** Batches sent within the last window, oldest first: the next batch waits until it fits beside them. */
  recent: SentBatch[];
  /** No batch before this time (a Retry-After or backoff carried across executions). */
  notBefore: number;
  cleanBatches: number;
}

export function newPacer(configuredRate: number, currentRate = configuredRate): PacerState {
  return {
    configuredRate,
    currentRate: Math.min(configuredRate, Math.max(MIN_RATE, currentRate)),
    recent: [],
    notBefore: 0,
    cleanBatches: 0,
  };
}

/** One second, or the time one request takes at rates below one a second. */
function baseWindowMs(rate: number): number {
  return Math.max(1000, 1000 / rate);
}

/** The window the rate is counted over: the base window stretched by the headroom. */
export function windowMs(rate: number): number {
  return baseWindowMs(rate) / PACE_HEADROOM;
}

/** Requests allowed in any one window, however it is placed. */
export function requestsPerWindow(pacer: PacerState): number {
  return Math.max(1, Math.floor((pacer.currentRate * baseWindowMs(pacer.currentRate)) / 1000));
}

/** A whole window's requests leave in one fetchAll, or in several of MAX_BATCH_SIZE at higher rates. */
export function batchSizeFor(pacer: PacerState): number {
  return Math.min(MAX_BATCH_SIZE, requestsPerWindow(pacer));
}

/** How long to wait before `count` requests may leave at once without any window holding more than allowed. */
export function waitBeforeBatch(pacer: PacerState, now: number, count: number): number {
  const window = windowMs(pacer.currentRate);
  const limit = requestsPerWindow(pacer);
  let start = Math.max(now, pacer.notBefore);
  let inWindow = 0;
  for (const batch of pacer.recent) if (batch.at > start - window) inWindow += batch.count;
  // Wait for the oldest batches to leave the window until this one fits.
  for (const batch of pacer.recent) {
    if (inWindow + Math.min(count, limit) <= limit) break;
    if (batch.at <= start - window) continue;
    start = batch.at + window;
    inWindow -= batch.count;
  }
  return Math.max(0, start - now);
}

/** Books `count` requests that left at `startedAt`, and lowers the rate after a 429 or raises it after calm. */
export function recordBatch(
  pacer: PacerState,
  startedAt: number,
  count: number,
  rateLimited: boolean,
): PacerState {
  let currentRate = pacer.currentRate;
  let cleanBatches = pacer.cleanBatches + 1;
  if (rateLimited) {
    currentRate = Math.max(MIN_RATE, pacer.currentRate / 2);
    cleanBatches = 0;
  } else if (cleanBatches >= CLEAN_BATCHES_BEFORE_RECOVERY && pacer.currentRate < pacer.configuredRate) {
    currentRate = Math.min(pacer.configuredRate, pacer.currentRate * RECOVERY_FACTOR);
    cleanBatches = 0;
  }
  // A lowered rate means a longer window: keep enough history for the longest one.
  const keepFrom = startedAt - windowMs(Math.min(currentRate, pacer.currentRate));
  const recent = pacer.recent.filter((batch) => batch.at > keepFrom);
  recent.push({ at: startedAt, count });
  return { ...pacer, currentRate, cleanBatches, recent };
}
