// fast-check generators of what a hostile or broken server may answer: arbitrary JSON, values of the wrong type
// where a run has fields, nesting up to 10,000 levels deep, texts of 60,000+ characters that hold the API key
// (also where a cut may fall), HTML and text that is not JSON. Bodies are built as text, since a value nested
// that deep is more than JSON.stringify can write.
import fc from "fast-check";

/** The key the scrubber is given: a placeholder, nothing like a real key. */
export const HOSTILE_KEY = "prop-key-not-secret-0123";

/** JSON text of a value nested `depth` levels deep, as arrays or as objects (also under the tags' key). */
export const deepJson: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 1, max: 10_000 }),
    fc.constantFrom("[", '{"k":', '{"extend:usage_tags":', '[{"a":'),
    fc.constantFrom("1", '"x"', "null", "[]", "{}", `"${HOSTILE_KEY}"`),
  )
  .map(([depth, open, leaf]) => {
    const close = open === "[" ? "]" : open === '[{"a":' ? "}]" : "}";
    return open.repeat(depth) + leaf + close.repeat(depth);
  });

/** 60,000 to 70,000 characters, the key somewhere in them (at the start, the end, or where a cut falls). */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 60_000, max: 70_000 }),
    fc.oneof(fc.constantFrom(0, 49_990, 50_000, 59_990), fc.integer({ min: 0, max: 60_000 })),
    fc.constantFrom("x", "=", "é", "😀", "\ud800", " "),
  )
  .map(([length, at, unit]) => {
    const filler = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    return filler.slice(0, at) + HOSTILE_KEY + filler.slice(at);
  });

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("", "=1+1", "PROCESSED", `Bearer ${HOSTILE_KEY}`, "javascript:alert(1)", "https://x/"),
);

/** A JSON value as text: anything JSON holds, often a text, sometimes deep or huge. */
export const anyJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? "null") },
  { weight: 3, arbitrary: text.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: hugeText.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.constantFrom('"1.5"', "1e999", "-0", "NaN", '"1,5"', "[1.5]", '{"credits":1}') },
);

/** An object's JSON text from keys and the JSON text of their values (which may be deeper than stringify goes). */
function objectText(fields: readonly (readonly [string, string | undefined])[]): string {
  const parts = fields
    .filter((field): field is readonly [string, string] => field[1] !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}:${value}`);
  return `{${parts.join(",")}}`;
}

/** Metadata: an object of anything (the tags too), or not an object at all, or missing. */
export const metadataText: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom("extend:usage_tags", "team", "__proto__", "constructor", ""), text),
          anyJsonText,
        ),
        { maxLength: 4 },
      )
      .map(objectText),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(text, hugeText), { maxLength: 5 })
      .map((tags) => objectText([["extend:usage_tags", JSON.stringify(tags)]])),
  },
  { weight: 2, arbitrary: anyJsonText },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** A workflow run as a hostile server may send it: the right id (mostly), every other field anything or missing. */
export function runBody(runId: string): fc.Arbitrary<string> {
  const maybe = (value: fc.Arbitrary<string>) => fc.option(value, { nil: undefined });
  return fc
    .record({
      id: fc.oneof(
        { weight: 8, arbitrary: fc.constant(JSON.stringify(runId)) },
        { weight: 1, arbitrary: anyJsonText },
      ),
      status: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('"PROCESSED"', '"FAILED"', `"${HOSTILE_KEY}"`) },
        { weight: 2, arbitrary: anyJsonText },
      ),
      metadata: metadataText,
      usage: maybe(
        fc.oneof(
          anyJsonText,
          anyJsonText.map((credits) => objectText([["credits", credits]])),
          fc.constantFrom("null", '{"credits":2.5}', '{"credits":"1.5"}'),
        ),
      ),
      dashboardUrl: maybe(
        fc.oneof(
          anyJsonText,
          hugeText.map((value) => JSON.stringify(`https://dashboard.extend.ai/${value}`)),
        ),
      ),
      failureReason: maybe(anyJsonText),
      failureMessage: maybe(anyJsonText),
    })
    .map((run) => objectText(Object.entries(run)));
}

/** Any body at all: a run, arbitrary JSON, text that is not JSON, HTML, nothing. */
export function anyBody(runId: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: runBody(runId) },
    { weight: 2, arbitrary: anyJsonText },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: hugeText.map((value) => `<html><body>${value}</body></html>`) },
    { weight: 1, arbitrary: fc.constantFrom("", "null", "{", '{"object":"workflow_run","id":') },
  );
}

/** Response headers, some hostile: a request id or Retry-After holding the key, huge, or of the wrong shape. */
export const anyHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    "x-extend-request-id": fc.oneof(text, hugeText),
    "Retry-After": fc.oneof(fc.constantFrom("0", "1", "120", "-5", "Wed, 21 Oct 2015 07:28:00 GMT"), text),
  },
  { requiredKeys: [] },
);
