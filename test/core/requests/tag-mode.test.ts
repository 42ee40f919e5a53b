// Unit tests for src/core/requests/tag-mode.ts: the union and difference of tags, and which current values
// can be used.
import { describe, expect, it } from "vitest";
import { combineTags, currentTagList, parseTagMode } from "../../../src/core/requests/tag-mode";

describe("combineTags", () => {
  it.each<["add" | "remove", string[], string[], string[]]>([
    ["add", ["a", "b"], ["c"], ["a", "b", "c"]],
    ["add", ["a", "b"], ["b", "c", "c"], ["a", "b", "c"]],
    ["add", [], ["x"], ["x"]],
    ["add", ["a"], [], ["a"]],
    ["add", ["A"], ["a"], ["A", "a"]],
    ["remove", ["a", "b", "c"], ["b"], ["a", "c"]],
    ["remove", ["a", "b"], ["x"], ["a", "b"]],
    ["remove", ["a", "a", "b"], ["a"], ["b"]],
    ["remove", ["a"], ["A"], ["a"]],
    ["remove", [], ["a"], []],
  ])("%s %j with %j -> %j", (mode, current, named, expected) => {
    expect(combineTags(mode, current, named)).toEqual(expected);
  });

  it("never drops a tag the user did not name", () => {
    const current = ["keep-1", "drop", "keep_2"];
    for (const mode of ["add", "remove"] as const)
      for (const tag of ["keep-1", "keep_2"])
        expect(combineTags(mode, current, ["drop", "new"])).toContain(tag);
  });
});

describe("currentTagList", () => {
  it.each<[unknown, string[] | undefined]>([
    [undefined, []],
    [null, []],
    [[], []],
    [
      ["a", "b"],
      ["a", "b"],
    ],
    ["a,b", undefined],
    [["a", 1], undefined],
    [{ a: 1 }, undefined],
  ])("%j -> %j", (value, expected) => {
    expect(currentTagList(value)).toEqual(expected);
  });
});

describe("parseTagMode", () => {
  it.each([
    ["replace", "replace"],
    ["add", "add"],
    ["remove", "remove"],
    ["ADD", undefined],
    ["", undefined],
    [1, undefined],
    [null, undefined],
  ])("%j -> %j", (input, expected) => {
    expect(parseTagMode(input)).toBe(expected);
  });
});
