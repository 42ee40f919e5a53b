// Unit tests for src/core/requests/json-walk.ts: JSON written, compared and measured without recursion, so a
// value nested 10,000 levels deep (which JSON.parse reads and JSON.stringify cannot write) costs one row
// nothing.
import { describe, expect, it } from "vitest";
import { jsonText, nestingDepth, sameJson } from "../../../src/core/requests/json-walk";
import type { JsonValue } from "../../../src/extend/api";

const deepArray = (levels: number): JsonValue => JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`);
const deepObject = (levels: number): JsonValue =>
  JSON.parse(`${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`);

describe("jsonText", () => {
  it.each<unknown>([
    null,
    true,
    -0,
    1e21,
    'text with "quotes", \\, \n and \ud800',
    [],
    {},
    [1, "a", null, { b: [true, { c: "" }] }],
    { z: 1, a: { y: [], x: {} }, "": "empty key" },
    JSON.parse('{"__proto__":{"x":1},"a":2}'),
  ])("writes %j as JSON.stringify does", (value) => {
    const parsed = JSON.parse(JSON.stringify(value)) as unknown;
    expect(jsonText(parsed, 1_000)).toEqual({ text: JSON.stringify(parsed), cut: false });
  });

  it("leaves out what JSON leaves out", () => {
    const value = { a: undefined, b: () => 1, c: [undefined, Number.NaN], d: 1 };
    expect(jsonText(value, 1_000).text).toBe(JSON.stringify(value));
  });

  it("writes 10,000 levels of nesting, which JSON.stringify cannot", () => {
    const value = deepArray(10_000);
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    expect(jsonText(value, 100_000)).toEqual({
      text: `${"[".repeat(10_000)}${"]".repeat(10_000)}`,
      cut: false,
    });
    expect(jsonText(deepObject(10_000), 100).text).toBe('{"a":'.repeat(20));
  });

  it("stops at the limit, also inside a runaway text or key", () => {
    expect(jsonText({ a: "x".repeat(100_000) }, 50)).toEqual({ text: `{"a":"${"x".repeat(44)}`, cut: true });
    expect(jsonText({ ["k".repeat(100_000)]: 1 }, 20)).toEqual({ text: `{"${"k".repeat(18)}`, cut: true });
    expect(jsonText("y".repeat(100), 10)).toEqual({ text: `"${"y".repeat(9)}`, cut: true });
    expect(jsonText(Array(100_000).fill(1), 9)).toEqual({ text: "[1,1,1,1,", cut: true });
  });

  it("leaves one top-level key out, and only at the top", () => {
    expect(jsonText({ tags: [1], a: { tags: 2 } }, 100, "tags").text).toBe('{"a":{"tags":2}}');
    expect(jsonText({ tags: [1] }, 100, "tags").text).toBe("{}");
  });
});

describe("sameJson", () => {
  it.each<[JsonValue | undefined, JsonValue | undefined, boolean]>([
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: null }, false],
    [{ a: null }, {}, false],
    [{ toString: 1 }, { a: 1 }, false],
    [[1, 2], [2, 1], false],
    [[], {}, false],
    ["1", 1, false],
    [0, -0, true],
    [1.5, 1.5, true],
    [null, null, true],
    [undefined, null, true],
  ])("%j and %j: %s", (a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
    expect(sameJson(b, a)).toBe(same);
  });

  it("compares values nested 10,000 levels deep", () => {
    expect(sameJson(deepObject(10_000), deepObject(10_000))).toBe(true);
    expect(sameJson(deepObject(10_000), deepObject(9_999))).toBe(false);
    expect(sameJson(deepArray(10_000), "x")).toBe(false);
  });
});

describe("nestingDepth", () => {
  it("counts levels up to just past the limit", () => {
    expect(nestingDepth("x", 10)).toBe(0);
    expect(nestingDepth({ a: [1, [2]] }, 10)).toBe(3);
    expect(nestingDepth(deepArray(10_000), 100)).toBe(101);
  });
});
