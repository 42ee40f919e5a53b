// Settings of a running stand-in. Every setting can change while it runs (in process, or through
// `POST /_stand-in/config`); where the reference says UNKNOWN, the setting lets a test pick either answer.
import type { FaultRule } from "./faults.js";
import { MAX_PAGE_SIZE } from "./list.js";
import { METADATA_MAX_BYTES } from "./update.js";

export interface StandInConfig {
  /** The only key `Authorization: Bearer <key>` is accepted with. Never echoed, logged or recorded. */
  apiKey: string;
  /** Any non-empty bearer key is accepted (the playground: there is no real account to check against). */
  acceptAnyKey: boolean;
  /** Requests per second per category (GET, WRITE), PAYG's 10 by default; 0 turns rate limiting off. */
  rate: number;
  /**
   * GET and WRITE draw on one bucket of `rate` a second instead of one each: the reference says the categories
   * are limited apart, but that an update counts as WRITE is an inference, so a test can take the other answer.
   */
  sharedRateLimit: boolean;
  /** Token-bucket capacity; null means the same as `rate`. */
  burst: number | null;
  /** Added before every API response. */
  latencyMs: number;
  /** Every authorised request answers 402 USAGE_BLOCKED. */
  usageBlocked: boolean;
  /** Send `Retry-After` on 429 (UNKNOWN whether the real API does). */
  sendRetryAfter: boolean;
  /** Error bodies as `{"error": {...}}` instead of flat. */
  wrapErrors: boolean;
  /** When set, requests must carry this `x-extend-workspace-id`, else 401 UNAUTHORIZED (as for an org key). */
  requiredWorkspaceId: string | null;
  /** A metadata value of null deletes the key instead of storing null (UNKNOWN). */
  nullDeletesKey: boolean;
  /** Whether incoming usage tags replace the stored ones or are added to them (UNKNOWN). */
  usageTagsMerge: "replace" | "union";
  /** Cap on the merged metadata, in bytes of UTF-8 JSON. */
  maxMetadataBytes: number;
  /** Run statuses whose updates are refused with 422 INVALID_REQUEST (UNKNOWN; none by default). */
  refusedStatuses: string[];
  /** Updates with a body but without `Content-Type: application/json` get 400, as a JSON-only server would. */
  requireJsonContentType: boolean;
  /** List answers at most this many runs per page, whatever maxPageSize asks (its real limit is UNKNOWN). */
  maxPageSize: number;
  /**
   * Run on the client's virtual clock (the local Apps Script host's, see virtual-time.ts): the rate limiter
   * reads each request's virtual send time from a header, and latency and `delay` faults are reported in a
   * response header instead of slept.
   */
  virtualClock: boolean;
}

export interface StandInOptions extends Partial<StandInConfig> {
  apiKey: string;
  /** 0 picks a free port. */
  port?: number;
  /** How many seeded runs to start with; default 200. */
  runCount?: number;
  /** Seed of the generated runs; default 1. */
  seed?: number;
  /** Seed of fault probabilities; defaults to `seed`. */
  faultSeed?: number;
  /** Fault rules armed from the start. */
  faults?: FaultRule[];
}

export const DEFAULT_RUN_COUNT = 200;
export const DEFAULT_SEED = 1;

export function initialConfig(options: StandInOptions): StandInConfig {
  return {
    apiKey: options.apiKey,
    acceptAnyKey: options.acceptAnyKey ?? false,
    rate: options.rate ?? 10,
    burst: options.burst ?? null,
    sharedRateLimit: options.sharedRateLimit ?? false,
    latencyMs: options.latencyMs ?? 0,
    usageBlocked: options.usageBlocked ?? false,
    sendRetryAfter: options.sendRetryAfter ?? true,
    wrapErrors: options.wrapErrors ?? false,
    requiredWorkspaceId: options.requiredWorkspaceId ?? null,
    nullDeletesKey: options.nullDeletesKey ?? false,
    usageTagsMerge: options.usageTagsMerge ?? "replace",
    maxMetadataBytes: options.maxMetadataBytes ?? METADATA_MAX_BYTES,
    refusedStatuses: options.refusedStatuses ?? [],
    requireJsonContentType: options.requireJsonContentType ?? true,
    maxPageSize: options.maxPageSize ?? MAX_PAGE_SIZE,
    virtualClock: options.virtualClock ?? false,
  };
}

/** The config as the control API shows it: everything but the key. */
export type PublicConfig = Omit<StandInConfig, "apiKey">;

export function publicConfig(config: StandInConfig): PublicConfig {
  const { apiKey: _apiKey, ...rest } = config;
  return structuredClone(rest);
}

type FieldCheck = (value: unknown) => boolean;

const nonNegativeNumber: FieldCheck = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isBoolean: FieldCheck = (v) => typeof v === "boolean";

const CONFIG_FIELDS: Record<keyof StandInConfig, [FieldCheck, string]> = {
  apiKey: [(v) => typeof v === "string" && v.length > 0, "a non-empty string"],
  acceptAnyKey: [isBoolean, "a boolean"],
  rate: [nonNegativeNumber, "a number >= 0"],
  sharedRateLimit: [isBoolean, "a boolean"],
  burst: [(v) => v === null || (typeof v === "number" && v >= 1), "null or a number >= 1"],
  latencyMs: [nonNegativeNumber, "a number >= 0"],
  usageBlocked: [isBoolean, "a boolean"],
  sendRetryAfter: [isBoolean, "a boolean"],
  wrapErrors: [isBoolean, "a boolean"],
  requiredWorkspaceId: [(v) => v === null || typeof v === "string", "null or a string"],
  nullDeletesKey: [isBoolean, "a boolean"],
  usageTagsMerge: [(v) => v === "replace" || v === "union", '"replace" or "union"'],
  maxMetadataBytes: [(v) => Number.isInteger(v) && (v as number) > 0, "a positive integer"],
  refusedStatuses: [(v) => Array.isArray(v) && v.every((s) => typeof s === "string"), "an array of strings"],
  requireJsonContentType: [isBoolean, "a boolean"],
  maxPageSize: [(v) => Number.isInteger(v) && (v as number) >= 1, "a positive integer"],
  virtualClock: [isBoolean, "a boolean"],
};

export const CONFIG_FIELD_NAMES = Object.keys(CONFIG_FIELDS) as ReadonlyArray<keyof StandInConfig>;

/** Validates a partial config; throws naming the first bad field (never quoting a value, which may be a key). */
export function parseConfigPatch(input: unknown): Partial<StandInConfig> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Error("config must be a JSON object");
  }
  for (const [field, value] of Object.entries(input)) {
    const check = CONFIG_FIELDS[field as keyof StandInConfig];
    if (!check) throw new Error(`unknown config field '${field}'`);
    if (!check[0](value)) throw new Error(`config field '${field}' must be ${check[1]}`);
  }
  return input as Partial<StandInConfig>;
}
