// A short, stable digest of what a row asks Extend to store, so a row whose request would be identical to its
// last successful one can be skipped. Keys are sorted so column order does not change the fingerprint.
import type { UpdateWorkflowRunBody } from "../../extend/api";
import { namesTags, type TagMode } from "./tag-mode";

/** cyrb53: a fast 53-bit string hash; collisions only matter per row, where they are vanishingly unlikely. */
function hash53(text: string): number {
  const hash = new Cyrb53();
  hash.text(text);
  return hash.digest();
}

/**
 * Math.imul read once: in the local host's realm every lookup of a global (Math) crosses the vm context's
 * interceptor (~0.15 µs), which, in this per-character loop, made hashing 20 times slower than the hash itself.
 */
const imul = Math.imul;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * cyrb53 fed piece by piece: hashing the canonical JSON as it would be written gives the same digest as
 * hashing the written text, without building and flattening a string for every row.
 */
class Cyrb53 {
  // As int32 from the start (XOR and imul see the same bits): a double here slows every round down.
  private h1 = 0xdeadbeef | 0;
  private h2 = 0x41c6ce57 | 0;

  text(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      h1 = imul(h1 ^ code, 2654435761);
      h2 = imul(h2 ^ code, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** A string as JSON.stringify writes it; the common case (nothing to escape) without writing it. */
  quoted(text: string): void {
    let h1 = imul(this.h1 ^ QUOTE, 2654435761);
    let h2 = imul(this.h2 ^ QUOTE, 1597334677);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      // Control characters, quote, backslash and (possibly lone) surrogates may be escaped: let JSON decide.
      if (code < 0x20 || code === QUOTE || code === BACKSLASH || (code >= 0xd800 && code <= 0xdfff)) {
        this.text(JSON.stringify(text));
        return;
      }
      h1 = imul(h1 ^ code, 2654435761);
      h2 = imul(h2 ^ code, 1597334677);
    }
    this.h1 = imul(h1 ^ QUOTE, 2654435761);
    this.h2 = imul(h2 ^ QUOTE, 1597334677);
  }

  /** Exactly what canonicalJson writes for the value, for any value canonicalJson accepts. */
  json(value: unknown): void {
    if (value === undefined || value === null) this.text("null");
    else if (typeof value === "string") this.quoted(value);
    else if (typeof value === "number") this.text(Number.isFinite(value) ? String(value) : "null");
    else if (typeof value !== "object") this.text(String(JSON.stringify(value)));
    else if (Array.isArray(value)) {
      this.text("[");
      for (let index = 0; index < value.length; index++) {
        if (index > 0) this.text(",");
        this.json(value[index]);
      }
      this.text("]");
    } else {
      const record = value as Record<string, unknown>;
      const keys = sortedKeys(record);
      this.text("{");
      for (let index = 0; index < keys.length; index++) {
        const key = keys[index] as string;
        if (index > 0) this.text(",");
        this.quoted(key);
        this.text(":");
        this.json(record[key]);
      }
      this.text("}");
    }
  }

  digest(): number {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = imul(h1 ^ (h1 >>> 16), 2246822507) ^ imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = imul(h2 ^ (h2 >>> 16), 2246822507) ^ imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}

/**
 * Object.keys(record).sort(), by insertion for the few keys a row has: keys are distinct strings, which `<`
 * orders as sort() does (by UTF-16 code units), and sort() costs more than the ordering itself.
 */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  if (keys.length > 16) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index] as string;
    let to = index;
    while (to > 0 && (keys[to - 1] as string) > key) {
      keys[to] = keys[to - 1] as string;
      to--;
    }
    keys[to] = key;
  }
  return keys;
}

/** 36^5: both halves of a digest split here are small integers, which the engine converts quickly. */
const LOW_PART = 60_466_176;

/**
 * A digest (an integer from 0 to 2^53 - 1) exactly as `digest.toString(36)` writes it. The engine's radix
 * conversion of a large double costs more than the hash itself; of a small integer, little. The remainder is
 * exact, and so is dividing the exact multiple that is left.
 */
export function base36(digest: number): string {
  if (digest < LOW_PART) return digest.toString(36);
  const low = digest % LOW_PART;
  const lowDigits = low.toString(36);
  return ((digest - low) / LOW_PART).toString(36) + "00000".slice(lowDigits.length) + lowDigits;
}

/**
 * The digest of a row's request. Adding or removing the same tags is another request than replacing the list
 * with them, so the tag mode counts, but only for rows that name tags: for the others the request is the same
 * in every mode, and a replace fingerprint stays what it was before modes existed.
 */
export function fingerprint(
  runId: string,
  body: UpdateWorkflowRunBody,
  tagMode: TagMode = "replace",
): string {
  // canonicalJson({ runId, name, metadata, tagMode? }), its keys in sorted order, hashed as it is written.
  const hash = new Cyrb53();
  hash.text('{"metadata":');
  hash.json(body.metadata ?? null);
  hash.text(',"name":');
  hash.json(body.name ?? null);
  hash.text(',"runId":');
  hash.json(runId);
  if (tagMode !== "replace" && namesTags(body)) {
    hash.text(',"tagMode":');
    hash.json(tagMode);
  }
  hash.text("}");
  return base36(hash.digest());
}

/**
 * A short tag of a run id, so a row's state can say which run it was marked for. Worked out each time it is
 * asked for: hashing an id costs about what looking it up in a memo does, and far less than adding it there.
 */
export function runIdTag(runId: string): string {
  return textDigest(runId);
}

/** A short digest of any text (a run id, an import's List cursor), written in base 36. */
export function textDigest(text: string): string {
  return base36(hash53(text));
}
