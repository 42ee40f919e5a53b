// Token-bucket rate limiting per API key and category (GET for reads, WRITE for updates and deletes), the way
// reference §3 describes Extend's limits: N requests per second per category, one category not affecting another.
import { createHash } from "node:crypto";

export type RateCategory = "GET" | "WRITE";

export interface RateSettings {
  /** Requests per second per category; 0 turns limiting off. */
  rate: number;
  /** Bucket capacity, i.e. the largest burst; defaults to `rate`. */
  burst?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Settings are read on every call so a live config change applies to the next request. `at` is the time of
   * the request when the caller knows it better than this limiter's clock (a virtual clock, in ms).
   */
  take(apiKey: string, category: RateCategory | "ALL", settings: RateSettings, at?: number): RateDecision {
    const { rate } = settings;
    if (!(rate > 0)) return { allowed: true };
    const capacity = Math.max(1, settings.burst ?? rate);
    // Buckets are keyed by a hash so the key itself is never kept anywhere it could be dumped from.
    const bucketKey = `${hashKey(apiKey)}:${category}`;
    const now = at ?? this.now();
    const bucket = this.buckets.get(bucketKey) ?? { tokens: capacity, refilledAt: now };
    // Requests of one wave share a send time and may arrive in any order: time never runs backwards here.
    const elapsed = Math.max(0, now - bucket.refilledAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed / 1000) * rate);
    bucket.refilledAt = Math.max(bucket.refilledAt, now);
    this.buckets.set(bucketKey, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate)) };
  }

  clear(): void {
    this.buckets.clear();
  }
}

function hashKey(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex").slice(0, 16);
}
