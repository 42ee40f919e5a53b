// Properties of the shortcuts row parsing takes (fast-check): the bound that spares measuring a row's metadata
// is never below the bytes it bounds, so a row over Extend's limit is always measured and refused; and a run id
// is judged as it was when every id was encoded to count its length, except that an id holding half a character
// (a lone surrogate), on which encoding threw for the whole sheet, is now an invalid row of its own.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BROKEN_CHARACTER_IN_RUN_ID,
  jsonBytesAtMost,
  parseRow,
  validateRunId,
} from "../../../src/core/requests/rows";
import { mapHeaders } from "../../../src/core/sheet/headers";
import { MAX_METADATA_BYTES, MAX_RUN_ID_LENGTH, OTHER_RUN_KIND_PREFIXES } from "../../../src/extend/api";
import { parseContext, runIdText } from "../arbitraries";

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** Code units of every kind, lone surrogates and characters JSON escapes included. */
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 30 })
    .map((codes) => String.fromCharCode(...codes)),
);
const primitive = fc.oneof(
  anyText,
  fc.double(),
  fc.constantFrom(
    -0,
    1e21,
    1e-7,
    -1.2345678901234566e-7,
    -0.0000012345678901234565,
    -2.2250738585072014e-308,
  ),
  fc.boolean(),
  fc.constant(null),
);

describe("jsonBytesAtMost", () => {
  it("is at least the UTF-8 bytes of the JSON of texts, numbers, booleans, null and lists of them", () => {
    fc.assert(
      fc.property(fc.oneof(primitive, fc.array(primitive, { maxLength: 8 })), (value) => {
        expect(jsonBytesAtMost(value)).toBeGreaterThanOrEqual(utf8Bytes(JSON.stringify(value)));
      }),
      { numRuns: 3000 },
    );
  });

  it("does not bound objects or nested lists", () => {
    expect(jsonBytesAtMost({ a: 1 })).toBe(Number.POSITIVE_INFINITY);
    expect(jsonBytesAtMost([[1]])).toBe(Number.POSITIVE_INFINITY);
    expect(jsonBytesAtMost([{}])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("parseRow", () => {
  const KEYS = ["a", "é😀", "b"];
  const header = mapHeaders(["Run ID", ...KEYS.map((key) => `metadata.${key}`)]);
  if (!header.ok) throw new Error("the test's header does not map");
  const { columns } = header;
  /** Texts that stay texts (no json:, #CLEAR, formula error or Loading…), some far over the limit together. */
  const plainText = fc
    .oneof(
      anyText,
      fc
        .tuple(
          fc.integer({ min: 500, max: 6_000 }),
          fc.constantFrom("x", "é", "😀", "\u0001", '"', "\ud800", " "),
        )
        .map(([length, unit]) => unit.repeat(length)),
    )
    .filter((text) => !/^\s*(json:|#|loading)/i.test(text));

  it("refuses exactly the rows whose metadata is over the limit, saying by how much", () => {
    fc.assert(
      fc.property(fc.array(plainText, { minLength: 3, maxLength: 3 }), (cells) => {
        const expected: Record<string, string> = {};
        cells.forEach((cell, index) => {
          if (cell.trim() !== "") expected[KEYS[index] as string] = cell.trim();
        });
        const bytes = utf8Bytes(JSON.stringify(expected));
        const parsed = parseRow(["workflow_run_1", ...cells], columns, parseContext);
        if (Object.keys(expected).length === 0) expect(parsed.kind).toBe("noop");
        else if (bytes > MAX_METADATA_BYTES) {
          expect(parsed).toEqual({
            kind: "invalid",
            runId: "workflow_run_1",
            errors: [
              `Metadata is ${bytes} bytes; Extend accepts at most ${MAX_METADATA_BYTES} (10 KB): shorten the values.`,
            ],
          });
        } else {
          expect(parsed.kind).toBe("update");
          if (parsed.kind === "update") expect({ ...parsed.body.metadata }).toEqual(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

// The check as it was, encoding every id, kept as the reference.
function referenceValidateRunId(runId: string): string | undefined {
  if (runId === "") return "Run ID is empty: fill in the workflow run id (it starts with workflow_run_).";
  if (/\s/.test(runId)) return `Run ID "${runId}" contains a space or line break: run ids never do.`;
  if (runId.length > MAX_RUN_ID_LENGTH) {
    return `Run ID is ${runId.length} characters long; Extend ids are at most ${MAX_RUN_ID_LENGTH}.`;
  }
  if (/^\.+$/.test(runId)) return `Run ID "${runId}" is not a run id: copy the workflow run id from Extend.`;
  if (encodeURIComponent(runId).length > 1_900) {
    return "Run ID has characters that make it too long for a web address: copy the workflow run id from Extend.";
  }
  const otherKind = OTHER_RUN_KIND_PREFIXES.find((prefix) => runId.startsWith(prefix));
  if (otherKind) {
    return `Run ID "${runId}" is not a workflow run (ids starting with ${otherKind} are another kind of run, which cannot be updated here).`;
  }
  return undefined;
}

/** encodeURIComponent throws exactly on text holding half a character (a lone surrogate). */
const cannotBeEncoded = (text: string): boolean => {
  try {
    encodeURIComponent(text);
    return false;
  } catch {
    return true;
  }
};

const outcome = (judge: (runId: string) => string | undefined, runId: string) => {
  try {
    return { message: judge(runId) };
  } catch (error) {
    return { threw: String(error) };
  }
};

describe("validateRunId", () => {
  it("judges every id as encoding it first did, and one with half a character as such, never throwing", () => {
    const wide = fc
      .tuple(
        fc.integer({ min: 150, max: 260 }),
        fc.constantFrom("a", "é", "€", "😀", "\ud800", "\udc00", "%"),
      )
      .map(([length, unit]) => unit.repeat(length).slice(0, length));
    fc.assert(
      fc.property(fc.oneof(runIdText, anyText, wide), (runId) => {
        const expected =
          runId !== "" && cannotBeEncoded(runId)
            ? { message: BROKEN_CHARACTER_IN_RUN_ID }
            : outcome(referenceValidateRunId, runId);
        expect(outcome(validateRunId, runId)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
