// A short, stable digest of what a row asks Extend to store, so a row whose request would be identical to its
// last successful one can be skipped. Keys are sorted so column order does not change the fingerprint.
import type { JsonValue, UpdateWorkflowRunBody } from "../extend/api";

/** JSON with object keys sorted; written with plain loops, as it runs for every row of every sync. */
function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "null";
  if (typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = "[";
    for (let index = 0; index < value.length; index++) {
      if (index > 0) text += ",";
      text += canonicalJson(value[index]);
    }
    return `${text}]`;
  }
  const keys = Object.keys(value).sort();
  let text = "{";
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (index > 0) text += ",";
    text += `${JSON.stringify(key)}:${canonicalJson(value[key])}`;
  }
  return `${text}}`;
}

/** cyrb53: a fast 53-bit string hash; collisions only matter per row, where they are vanishingly unlikely. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function fingerprint(runId: string, body: UpdateWorkflowRunBody): string {
  const canonical = canonicalJson({ runId, name: body.name ?? null, metadata: body.metadata ?? null });
  return hash53(canonical).toString(36);
}

const tags = new Map<string, string>();
/** Tags are asked for several times per row and execution; past this many the memo starts over. */
const MAX_TAGS_REMEMBERED = 250_000;

/** A short tag of a run id, so a row's state can say which run it was marked for. */
export function runIdTag(runId: string): string {
  let tag = tags.get(runId);
  if (tag === undefined) {
    if (tags.size >= MAX_TAGS_REMEMBERED) tags.clear();
    tag = hash53(runId).toString(36);
    tags.set(runId, tag);
  }
  return tag;
}
