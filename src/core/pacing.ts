// Client-side rate limit. The organisation's limit is shared with every other Extend integration, so a sync
// stays under its own budget and halves it whenever Extend answers 429, then creeps back up while all is well.

export const PLAN_RATES = { payAsYouGo: 10, scale: 25, enterprise: 75 } as const;
export const DEFAULT_RATE = PLAN_RATES.payAsYouGo;
export const MIN_RATE = 0.5;
/** Requests in one fetchAll. The safe size is UNCONFIRMED; community code uses 50. */
export const MAX_BATCH_SIZE = 50;

const RECOVERY_FACTOR = 1.25;
const CLEAN_BATCHES_BEFORE_RECOVERY = 5;

export interface PacerState {
  /** Requests per second the user configured: the ceiling. */
  configuredRate: number;
  /** Requests per second in force now, lowered after 429s. */
  currentRate: number;
  /** Earliest time the next batch may start. */
  nextSendAt: number;
  cleanBatches: number;
}

export function newPacer(configuredRate: number, currentRate = configuredRate): PacerState {
  return {
    configuredRate,
    currentRate: Math.min(configuredRate, Math.max(MIN_RATE, currentRate)),
    nextSendAt: 0,
    cleanBatches: 0,
  };
}

/** Largest batch that fits one second of budget: a whole batch leaves fetchAll at once. */
export function batchSizeFor(pacer: PacerState): number {
  return Math.max(1, Math.min(MAX_BATCH_SIZE, Math.floor(pacer.currentRate)));
}

export function waitBeforeBatch(pacer: PacerState, now: number): number {
  return Math.max(0, pacer.nextSendAt - now);
}

/** Books `count` requests starting at `startedAt`; the next batch waits until they fit the rate. */
export function recordBatch(
  pacer: PacerState,
  startedAt: number,
  count: number,
  rateLimited: boolean,
): PacerState {
  const slot = (count / pacer.currentRate) * 1000;
  if (rateLimited) {
    const currentRate = Math.max(MIN_RATE, pacer.currentRate / 2);
    return { ...pacer, currentRate, cleanBatches: 0, nextSendAt: startedAt + (count / currentRate) * 1000 };
  }
  const cleanBatches = pacer.cleanBatches + 1;
  if (cleanBatches >= CLEAN_BATCHES_BEFORE_RECOVERY && pacer.currentRate < pacer.configuredRate) {
    const currentRate = Math.min(pacer.configuredRate, pacer.currentRate * RECOVERY_FACTOR);
    return { ...pacer, currentRate, cleanBatches: 0, nextSendAt: startedAt + slot };
  }
  return { ...pacer, cleanBatches, nextSendAt: startedAt + slot };
}
