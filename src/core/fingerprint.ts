// A short, stable digest of what a row asks Extend to store, so a row whose request would be identical to its
// last successful one can be skipped. Keys are sorted so column order does not change the fingerprint.
import type { JsonValue, UpdateWorkflowRunBody } from "../extend/api";

function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
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

/** A short tag of a run id, so a row's state can say which run it was marked for. */
export function runIdTag(runId: string): string {
  return hash53(runId).toString(36);
}
