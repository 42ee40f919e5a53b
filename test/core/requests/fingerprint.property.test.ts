// Property of src/core/requests/fingerprint.ts (fast-check): fingerprint() and runIdTag() give exactly what
// the first implementation gave (canonical JSON written out in full, then hashed), for any run id, name,
// metadata and tag mode. Sheets store these digests: a different one would send every row again.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base36, fingerprint, runIdTag } from "../../../src/core/requests/fingerprint";
import type { TagMode } from "../../../src/core/requests/tag-mode";
import { type JsonValue, type UpdateWorkflowRunBody, USAGE_TAGS_KEY } from "../../../src/extend/api";

// The implementation as it was before the digest was streamed, kept verbatim as the reference.
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

function referenceFingerprint(
  runId: string,
  body: UpdateWorkflowRunBody,
  tagMode: TagMode = "replace",
): string {
  const subject: { [key: string]: JsonValue } = {
    runId,
    name: body.name ?? null,
    metadata: body.metadata ?? null,
  };
  if (tagMode !== "replace" && body.metadata?.[USAGE_TAGS_KEY] !== undefined) subject.tagMode = tagMode;
  return hash53(canonicalJson(subject)).toString(36);
}

/** Texts that need escaping, lone and paired surrogates, and every other code unit. */
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 })
    .map((codes) => String.fromCharCode(...codes)),
  fc.constantFrom("", '"', "\\", "\n", "\u0000", "\u001f", "\u007f", "\u2028", "\ud800", "\udfff", "😀", "é"),
);
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    -0,
    0,
    1e21,
    1e-7,
    -1e21,
    5e-324,
    1.7976931348623157e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
);
const key = fc.oneof(text, fc.constantFrom("__proto__", "constructor", USAGE_TAGS_KEY, "a", "b", "10", "2"));
const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("json"), { maxLength: 5 }),
    fc.dictionary(key, tie("json"), { maxKeys: 5 }),
  ),
}));
const metadata = fc.oneof(
  fc.dictionary(key, json, { maxKeys: 6 }),
  fc.dictionary(key, json, { maxKeys: 6 }).map((entries) => Object.assign(Object.create(null), entries)),
  fc.dictionary(key, fc.oneof(number, text), { minKeys: 12, maxKeys: 40 }),
  fc.constant(undefined),
);
const body: fc.Arbitrary<UpdateWorkflowRunBody> = fc.record(
  { name: text, metadata },
  { requiredKeys: [] },
) as fc.Arbitrary<UpdateWorkflowRunBody>;
const tagMode = fc.constantFrom<TagMode>("replace", "add", "remove");

describe("fingerprint", () => {
  it("is the digest of the canonical JSON, written out, for any request", () => {
    fc.assert(
      fc.property(text, body, tagMode, (runId, request, mode) => {
        expect(fingerprint(runId, request, mode)).toBe(referenceFingerprint(runId, request, mode));
        expect(fingerprint(runId, request)).toBe(referenceFingerprint(runId, request));
      }),
      { numRuns: 3000 },
    );
  });

  it("is the digest of the canonical JSON for values outside JSON too", () => {
    const odd = [
      undefined,
      [undefined, 1],
      { a: undefined },
      Object.assign(new Array(3), { 0: 1, 2: 3 }),
      new Date(0),
      [true, false],
    ];
    for (const value of odd) {
      const request = { name: "n", metadata: { value } } as unknown as UpdateWorkflowRunBody;
      expect(fingerprint("workflow_run_1", request, "add")).toBe(
        referenceFingerprint("workflow_run_1", request, "add"),
      );
    }
  });
});

describe("base36", () => {
  it("writes every digest as toString(36) does", () => {
    const edges = [
      0,
      1,
      35,
      36,
      36 ** 5 - 1,
      36 ** 5,
      36 ** 5 + 1,
      36 ** 6,
      2 ** 32,
      2 ** 53 - 1,
      2 ** 53 - 36,
    ];
    for (const digest of edges) expect(base36(digest)).toBe(digest.toString(36));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 21 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (high, low) => {
          const digest = high * 2 ** 32 + low;
          expect(base36(digest)).toBe(digest.toString(36));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe("runIdTag", () => {
  it("is the digest of the run id, for any text", () => {
    fc.assert(
      fc.property(text, (runId) => {
        expect(runIdTag(runId)).toBe(hash53(runId).toString(36));
      }),
      { numRuns: 2000 },
    );
  });
});
