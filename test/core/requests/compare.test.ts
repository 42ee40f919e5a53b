// Unit tests for src/core/requests/compare.ts: a row's update against the run's current values, key by key,
// tags under the tag mode, and no promise about a Name the API cannot return.
import { describe, expect, it } from "vitest";
import { compareWithRun } from "../../../src/core/requests/compare";
import type { TagMode } from "../../../src/core/requests/tag-mode";
import type { JsonValue } from "../../../src/extend/api";

const TAGS = "extend:usage_tags";

describe("compareWithRun", () => {
  it.each<[string, Record<string, JsonValue>, TagMode, Record<string, JsonValue>, string]>([
    ["same key", { a: 1 }, "replace", { a: 1, other: 2 }, "matches"],
    ["changed key", { a: 1 }, "replace", { a: 2 }, "differs"],
    ["new key", { a: 1 }, "replace", {}, "differs"],
    ["nested object, key order", { a: { x: 1, y: 2 } }, "replace", { a: { y: 2, x: 1 } }, "matches"],
    ["cleared key the run lacks", { a: null }, "replace", {}, "matches"],
    ["cleared key the run has", { a: null }, "replace", { a: 1 }, "differs"],
    ["tags same set", { [TAGS]: ["a", "b"] }, "replace", { [TAGS]: ["b", "a"] }, "matches"],
    ["tags replaced", { [TAGS]: ["a"] }, "replace", { [TAGS]: ["a", "b"] }, "differs"],
    ["add tags present", { [TAGS]: ["a"] }, "add", { [TAGS]: ["a", "b"] }, "matches"],
    ["add a new tag", { [TAGS]: ["c"] }, "add", { [TAGS]: ["a", "b"] }, "differs"],
    ["remove absent tag", { [TAGS]: ["c"] }, "remove", { [TAGS]: ["a", "b"] }, "matches"],
    ["remove a present tag", { [TAGS]: ["a"] }, "remove", { [TAGS]: ["a", "b"] }, "differs"],
    ["add to unusable tags", { [TAGS]: ["a"] }, "add", { [TAGS]: "a" }, "differs"],
  ])("%s", (_label, metadata, mode, current, verdict) => {
    expect(compareWithRun({ metadata }, mode, current).verdict).toBe(verdict);
  });

  it("cannot call a row with a Name unchanged, but can call it changed", () => {
    expect(compareWithRun({ name: "x", metadata: { a: 1 } }, "replace", { a: 1 }).verdict).toBe("unknown");
    expect(compareWithRun({ name: "x", metadata: { a: 1 } }, "replace", { a: 2 }).verdict).toBe("differs");
  });

  it("lists the keys the row sets with their current values, and the tags as the mode would leave them", () => {
    const comparison = compareWithRun({ metadata: { a: 1, [TAGS]: ["b"] } }, "add", {
      a: 2,
      z: 0,
      [TAGS]: ["x"],
    });
    expect(comparison.metadata).toEqual([{ key: "a", current: 2, proposed: 1, same: false }]);
    expect(comparison.tags).toEqual({ current: ["x"], proposed: ["x", "b"], same: false });
  });

  it("compares against a run value nested 10,000 levels deep without overflowing the stack", () => {
    const deep = JSON.parse(`${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`);
    expect(compareWithRun({ metadata: { k: { a: 1 } } }, "replace", { k: deep }).verdict).toBe("differs");
    expect(compareWithRun({ metadata: { k: deep } }, "replace", { k: deep }).verdict).toBe("matches");
  });
});
