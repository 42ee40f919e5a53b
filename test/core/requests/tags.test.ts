// Unit tests for src/core/requests/tags.ts: usage-tag splitting and sanitisation exactly as the API does, and
// change notes.
import { describe, expect, it } from "vitest";
import {
  describeTagChange,
  type ParsedTags,
  parseTags,
  sanitizeTag,
  type TagChange,
} from "../../../src/core/requests/tags";

describe("sanitizeTag keeps only A-Z a-z 0-9 _ -", () => {
  it.each([
    ["production", "production"],
    ["team-eng", "team-eng"],
    ["customer_123", "customer_123"],
    ["ABC-xyz_09", "ABC-xyz_09"],
    ["team eng", "teameng"],
    ["customer.123", "customer123"],
    ["a/b\\c", "abc"],
    ["a:b;c", "abc"],
    ["café", "caf"],
    ["naïve-Ω", "nave-"],
    ["emoji🙂tag", "emojitag"],
    ["#hash@at!", "hashat"],
    ["tab\there", "tabhere"],
    ["'quoted'", "quoted"],
    ["!@#$%^&*()", ""],
    ["", ""],
  ])("%j -> %j", (typed, sent) => {
    expect(sanitizeTag(typed)).toBe(sent);
  });
});

describe("parseTags", () => {
  it.each<[string, ParsedTags]>([
    ["", { tags: [], changes: [] }],
    ["   ", { tags: [], changes: [] }],
    [",,,", { tags: [], changes: [] }],
    ["production", { tags: ["production"], changes: [] }],
    ["a,b,c", { tags: ["a", "b", "c"], changes: [] }],
    ["a\nb\nc", { tags: ["a", "b", "c"], changes: [] }],
    ["a\r\nb\rc", { tags: ["a", "b", "c"], changes: [] }],
    ["a,\nb, ,\n\nc,", { tags: ["a", "b", "c"], changes: [] }],
    ["  a  ,   b ", { tags: ["a", "b"], changes: [] }],
    ["production, team-eng, customer-123", { tags: ["production", "team-eng", "customer-123"], changes: [] }],
    ["b,a", { tags: ["b", "a"], changes: [] }],
    ["A,a", { tags: ["A", "a"], changes: [] }],
    [
      "team eng",
      { tags: ["teameng"], changes: [{ typed: "team eng", sent: "teameng", reason: "characters removed" }] },
    ],
    [
      "ok, cust.42 ,x",
      {
        tags: ["ok", "cust42", "x"],
        changes: [{ typed: "cust.42", sent: "cust42", reason: "characters removed" }],
      },
    ],
    ["!!!", { tags: [], changes: [{ typed: "!!!", reason: "empty after cleaning" }] }],
    ["a, ???", { tags: ["a"], changes: [{ typed: "???", reason: "empty after cleaning" }] }],
    ["a,a", { tags: ["a"], changes: [{ typed: "a", sent: "a", reason: "duplicate" }] }],
    [
      "a, b, a, c, b",
      {
        tags: ["a", "b", "c"],
        changes: [
          { typed: "a", sent: "a", reason: "duplicate" },
          { typed: "b", sent: "b", reason: "duplicate" },
        ],
      },
    ],
    [
      "a-b, a b, a.b",
      {
        tags: ["a-b", "ab"],
        changes: [
          { typed: "a b", sent: "ab", reason: "characters removed" },
          { typed: "a.b", sent: "ab", reason: "duplicate" },
        ],
      },
    ],
    [
      "x!, x",
      {
        tags: ["x"],
        changes: [
          { typed: "x!", sent: "x", reason: "characters removed" },
          { typed: "x", sent: "x", reason: "duplicate" },
        ],
      },
    ],
    [
      "ünï, prod\n@@, prod",
      {
        tags: ["n", "prod"],
        changes: [
          { typed: "ünï", sent: "n", reason: "characters removed" },
          { typed: "@@", reason: "empty after cleaning" },
          { typed: "prod", sent: "prod", reason: "duplicate" },
        ],
      },
    ],
  ])("%j", (text, expected) => {
    expect(parseTags(text)).toEqual(expected);
  });

  it("omits `sent` when a tag is dropped for having no allowed character", () => {
    const [change] = parseTags("&&").changes;
    expect(change).toBeDefined();
    expect(change && "sent" in change).toBe(false);
  });

  it("never sends a tag with a character the API would strip, nor an empty one, nor one twice", () => {
    const { tags } = parseTags("a b,c.d,\n,é,a_b, ab ,c-d!,c-d");
    expect(tags).toEqual(["ab", "cd", "a_b", "c-d"]);
    for (const tag of tags) expect(tag).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(new Set(tags).size).toBe(tags.length);
  });
});

describe("describeTagChange", () => {
  it.each<[TagChange, string]>([
    [{ typed: "team eng", sent: "teameng", reason: "characters removed" }, '"team eng" is sent as "teameng"'],
    [{ typed: "!!!", reason: "empty after cleaning" }, '"!!!" is dropped (no allowed characters)'],
    [{ typed: "a.b", sent: "ab", reason: "duplicate" }, '"a.b" is dropped (duplicate)'],
  ])("%j -> %j", (change, text) => {
    expect(describeTagChange(change)).toBe(text);
  });
});
