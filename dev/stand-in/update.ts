// The Update Workflow Run rules (reference §1 request body, §4 limits): body schema, shallow metadata merge
// with incoming keys winning, `extend:usage_tags` sanitization, and the 10 KB cap on the merged metadata.
import type { Metadata } from "./types.js";

export const USAGE_TAGS_KEY = "extend:usage_tags";
export const METADATA_MAX_BYTES = 10 * 1024;

export interface UpdateBody {
  name?: string;
  metadata?: Metadata;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; status: 400 | 422; message: string };

export interface MergeRules {
  /** UNKNOWN in the reference whether `null` deletes a key; by default it stores null. */
  nullDeletesKey: boolean;
  /** UNKNOWN whether new tags replace or join the stored ones; a shallow merge replaces, so that is the default. */
  usageTagsMerge: "replace" | "union";
  maxMetadataBytes: number;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (status: 400 | 422, message: string) => ({ ok: false, status, message }) as const;

/** Unparseable JSON is a 400; JSON of the wrong shape is a 422 naming the field. Unknown keys are ignored. */
export function parseUpdateBody(raw: string): Checked<UpdateBody> {
  let parsed: unknown;
  try {
    // An empty body is read as `{}`: the request then changes nothing, like a merge of nothing.
    parsed = raw.trim() === "" ? {} : JSON.parse(raw);
  } catch {
    return invalid(400, "Request body is not valid JSON.");
  }
  if (!isPlainObject(parsed)) return invalid(422, "Request body must be a JSON object.");
  const body: UpdateBody = {};
  if (parsed.name !== undefined) {
    if (typeof parsed.name !== "string") return invalid(422, "Invalid field 'name': expected a string.");
    body.name = parsed.name;
  }
  if (parsed.metadata !== undefined) {
    if (!isPlainObject(parsed.metadata)) {
      return invalid(422, "Invalid field 'metadata': expected an object of key-value pairs.");
    }
    const tags = parsed.metadata[USAGE_TAGS_KEY];
    if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === "string"))) {
      return invalid(422, `Invalid field 'metadata.${USAGE_TAGS_KEY}': expected an array of strings.`);
    }
    body.metadata = parsed.metadata;
  }
  return { ok: true, value: body };
}

/** The API keeps only `[A-Za-z0-9_-]` and silently removes everything else. */
export function sanitizeUsageTag(tag: string): string {
  return tag.replace(/[^A-Za-z0-9_-]/g, "");
}

/**
 * UNKNOWN what the API does with a tag that sanitizes to "" or with duplicates. Chosen here: empty results are
 * dropped (an empty tag cannot categorize anything), duplicates are kept as sent.
 */
export function sanitizeUsageTags(tags: readonly string[]): string[] {
  return tags.map(sanitizeUsageTag).filter((tag) => tag !== "");
}

export function metadataBytes(metadata: Metadata): number {
  return Buffer.byteLength(JSON.stringify(metadata), "utf8");
}

/** Merges `incoming` over `existing` without touching either; fails when the result is over the size cap. */
export function mergeMetadata(existing: Metadata, incoming: Metadata, rules: MergeRules): Checked<Metadata> {
  // A Map, then fromEntries: a key named "__proto__" stays an ordinary key instead of replacing the prototype.
  const merged = new Map(Object.entries(existing));
  for (const [key, value] of Object.entries(incoming)) {
    if (key === USAGE_TAGS_KEY) {
      merged.set(key, mergeTags(existing[key], sanitizeUsageTags(value as string[]), rules.usageTagsMerge));
    } else if (value === null && rules.nullDeletesKey) {
      merged.delete(key);
    } else {
      merged.set(key, value);
    }
  }
  const result = Object.fromEntries(merged);
  const bytes = metadataBytes(result);
  if (bytes > rules.maxMetadataBytes) {
    return invalid(
      422,
      `Invalid field 'metadata': the merged metadata is ${bytes} bytes, over the ${rules.maxMetadataBytes}-byte limit.`,
    );
  }
  return { ok: true, value: result };
}

function mergeTags(stored: unknown, incoming: string[], mode: MergeRules["usageTagsMerge"]): string[] {
  if (mode === "replace" || !Array.isArray(stored)) return incoming;
  const kept = stored.filter((tag): tag is string => typeof tag === "string");
  return [...kept, ...incoming.filter((tag) => !kept.includes(tag))];
}
