// When to try a failed request again: capped exponential backoff with jitter, never sooner than the server's
// Retry-After. A value, not a loop: the caller owns the clock and the sleeping, so tests need no real time.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut down to it, so one answer cannot stall a sync. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Delay before attempt `attemptsMade + 1`, or undefined when no attempt is left.
 * Equal jitter (half fixed, half random) spreads a batch's retries without ever retrying at once.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attemptsMade: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number | undefined {
  if (attemptsMade >= policy.maxAttempts) return undefined;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptsMade - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  if (retryAfterMs === undefined) return Math.round(jittered);
  // Never sooner than the server asked, nor sooner than the backoff: "Retry-After: 0" must not mean a storm.
  return Math.round(Math.max(jittered, Math.min(policy.maxRetryAfterMs, Math.max(retryAfterMs, 0))));
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
