// Properties of tag parsing (fast-check): on any text, tags come out as Extend stores them (only A-Z a-z 0-9 _ -,
// non-empty, each once, in typed order), every typed tag that is not sent as typed is reported, and the result
// parses to itself with nothing to report.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTags, sanitizeTag } from "../../../src/core/requests/tags";

const TAG = /^[A-Za-z0-9_-]+$/;
const tagText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc
    .array(fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Za-z0-9_ -]{0,10}$/)), {
      maxLength: 10,
    })
    .map((tags) => tags.join(", ")),
);

describe("parseTags", () => {
  it("sends only tags Extend keeps as they are, each once", () => {
    fc.assert(
      fc.property(tagText, (text) => {
        const { tags } = parseTags(text);
        for (const tag of tags) expect(tag).toMatch(TAG);
        expect(new Set(tags).size).toBe(tags.length);
      }),
      { numRuns: 500 },
    );
  });

  it("accounts for every typed tag: sent as typed, or reported as changed, dropped or repeated", () => {
    fc.assert(
      fc.property(tagText, (text) => {
        const { tags, changes } = parseTags(text);
        const typed = text
          .split(/[,\r\n]+/)
          .map((piece) => piece.trim())
          .filter((piece) => piece !== "");
        const unchanged = typed.filter((piece) => !changes.some((change) => change.typed === piece));
        for (const piece of unchanged) expect(tags).toContain(piece);
        for (const change of changes) {
          if (change.reason === "empty after cleaning") expect(sanitizeTag(change.typed)).toBe("");
          else expect(tags).toContain(change.sent);
        }
        expect(tags).toEqual([...new Set(typed.map(sanitizeTag).filter((tag) => tag !== ""))]);
      }),
      { numRuns: 500 },
    );
  });

  it("is idempotent: the tags it sends parse to themselves with no change to report", () => {
    fc.assert(
      fc.property(tagText, (text) => {
        const { tags } = parseTags(text);
        const again = parseTags(tags.join(","));
        expect(again.tags).toEqual(tags);
        expect(again.changes).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
