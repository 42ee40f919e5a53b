// Unit tests for src/core/row-state.ts: the hidden Sync State cell, its round trip and garbage tolerance.
import { describe, expect, it } from "vitest";
import { decodeRowState, encodeRowState, type RowState } from "../../src/core/row-state";

describe("encodeRowState", () => {
  it.each<[RowState, string]>([
    [{}, ""],
    [{ lastSent: "" }, ""],
    [{ lastSent: "abc123" }, "v1 sent=abc123"],
    [{ pendingSync: "1a2b3c4d" }, "v1 pending=1a2b3c4d"],
    [{ lastSent: "abc123", pendingSync: "1a2b3c4d" }, "v1 sent=abc123 pending=1a2b3c4d"],
    [{ pendingSync: "j", pendingRun: "r" }, "v1 pending=j:r"],
    [{ pendingSync: "j", pendingRun: "r", pendingPlan: "p" }, "v1 pending=j:r:p"],
    [{ pendingSync: "j", pendingPlan: "p" }, "v1 pending=j::p"],
    [{ lastSent: "s", outputsRun: "o", doneSync: "d" }, "v1 sent=s of=o done=d"],
    [{ doneSync: "d", doneAs: "u" }, "v1 done=d:u"],
  ])("%j -> %j", (state, text) => {
    expect(encodeRowState(state)).toBe(text);
  });
});

describe("round trip", () => {
  it.each<RowState>([
    {},
    { lastSent: "1x9zq0k3" },
    { pendingSync: "deadbeef" },
    { lastSent: "1x9zq0k3", pendingSync: "deadbeef" },
    { outputsRun: "o1", pendingSync: "deadbeef", pendingRun: "r1", pendingPlan: "p1" },
    { lastSent: "s", outputsRun: "o", doneSync: "d" },
    { pendingSync: "j", pendingPlan: "p" },
    { lastSent: "s", outputsRun: "o", doneSync: "d", doneAs: "m" },
  ])("%j", (state) => {
    expect(decodeRowState(encodeRowState(state))).toEqual(state);
  });
});

describe("decodeRowState", () => {
  it.each<[unknown, RowState]>([
    ["v1 sent=abc", { lastSent: "abc" }],
    ["  v1   sent=abc \n pending=p1 ", { lastSent: "abc", pendingSync: "p1" }],
    ["v1 pending=p1 sent=abc", { lastSent: "abc", pendingSync: "p1" }],
    ["v1 sent=abc other=x", { lastSent: "abc" }],
    ["v1 sent= pending=p", { pendingSync: "p" }],
    ["v1 sent", {}],
    ["v1 pending=j:r", { pendingSync: "j", pendingRun: "r" }],
    ["v1 of=x done=y", { outputsRun: "x", doneSync: "y" }],
    // Marks written before a done mark named its outcome still read as done by that sync.
    ["v1 sent=s done=1a2b3c4d", { lastSent: "s", doneSync: "1a2b3c4d" }],
    ["v1 done=1a2b3c4d:r", { doneSync: "1a2b3c4d", doneAs: "r" }],
    ["v1 done=:r", { doneAs: "r" }],
    ["v1", {}],
  ])("%j -> %j", (cell, state) => {
    expect(decodeRowState(cell)).toEqual(state);
  });

  it.each<unknown>([
    "",
    "   ",
    "hello",
    "sent=abc",
    "v2 sent=abc",
    "V1 sent=abc",
    "v1sent=abc",
    "Updated",
    "=1+1",
    42,
    0,
    true,
    null,
    undefined,
    new Date(0),
    ["v1 sent=abc"],
    { lastSent: "abc" },
  ])("garbage %j -> empty state", (cell) => {
    expect(decodeRowState(cell)).toEqual({});
  });
});
