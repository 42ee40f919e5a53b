// Unit tests for src/core/views/sidebar-api.ts: everything the browser sends is checked before use.
import { describe, expect, it } from "vitest";
import {
  parseApiKey,
  parseRowNumber,
  parseSettingsInput,
  ratePlanOf,
  testedSettings,
  withUnsavedNote,
} from "../../../src/core/views/sidebar-api";

describe("parseSettingsInput", () => {
  it("accepts a region, an optional workspace id and a rate", () => {
    expect(parseSettingsInput({ region: "eu1", workspaceId: " ws_1 ", rate: 25 })).toEqual({
      ok: true,
      value: { region: "EU1", workspaceId: "ws_1", rate: 25 },
    });
    expect(parseSettingsInput({ region: "US1", workspaceId: "", rate: "7.5" })).toMatchObject({ ok: true });
  });

  it.each([
    [{ region: "Mars", rate: 10 }, /region/],
    [{ region: "US1", workspaceId: "two words", rate: 10 }, /workspace/],
    [{ region: "US1", rate: 0 }, /rate/],
    [{ region: "US1", rate: "fast" }, /rate/],
    [null, /region/],
  ])("refuses %j", (input, reason) => {
    const parsed = parseSettingsInput(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(reason);
  });
});

describe("small checks", () => {
  it("takes a key without spaces, and rejects anything else", () => {
    expect(parseApiKey("  sk_abc  ")).toBe("sk_abc");
    for (const bad of ["", "two words", 42, null, "x".repeat(501)]) expect(parseApiKey(bad)).toBeUndefined();
  });

  it("takes a whole row number below the header and within the sheet", () => {
    expect(parseRowNumber(5, 10)).toBe(5);
    for (const bad of [1, 11, 2.5, "5", -3]) expect(parseRowNumber(bad, 10)).toBeUndefined();
  });

  it("names the plan of a rate", () => {
    expect([10, 25, 75, 30].map(ratePlanOf)).toEqual(["payAsYouGo", "scale", "enterprise", "custom"]);
  });
});

describe("testedSettings: Test connection tests what is on screen", () => {
  const saved = { region: "US1" as const };
  it("names what differs from the saved settings, and the typed key", () => {
    expect(
      testedSettings(saved, { region: "eu1", workspaceId: " ws_1 ", apiKey: "typed-not-secret" }),
    ).toEqual({
      ok: true,
      region: "EU1",
      workspaceId: "ws_1",
      typedKey: "typed-not-secret",
      unsaved: ["the key typed", "region EU1", "workspace ws_1"],
    });
    expect(testedSettings(saved, { region: "US1", workspaceId: "", apiKey: "" })).toEqual({
      ok: true,
      region: "US1",
      unsaved: [],
    });
    expect(
      testedSettings({ region: "US1", workspaceId: "ws_1" }, { region: "US1", workspaceId: "", apiKey: "" }),
    ).toMatchObject({ unsaved: ["no workspace"] });
  });

  it("refuses what could not be tested, and uses the saved settings without input", () => {
    expect(testedSettings(saved, { region: "XX", workspaceId: "", apiKey: "" })).toMatchObject({ ok: false });
    expect(testedSettings(saved, { region: "US1", workspaceId: "a b", apiKey: "" })).toMatchObject({
      ok: false,
    });
    expect(testedSettings(saved, { region: "US1", workspaceId: "", apiKey: "two words" })).toMatchObject({
      ok: false,
    });
    expect(testedSettings(saved, undefined)).toEqual({ ok: true, region: "US1", unsaved: [] });
  });

  it("adds the unsaved settings to the verdict", () => {
    const verdict = {
      ok: true,
      kind: "connected" as const,
      title: "Connected",
      message: "Extend accepted your API key.",
    };
    expect(withUnsavedNote(verdict, [])).toBe(verdict);
    expect(withUnsavedNote(verdict, ["region EU1", "workspace ws_1"])).toMatchObject({
      title: "Connected (settings on screen, not saved)",
      message:
        "Extend accepted your API key. This tested what is on screen, not saved yet: region EU1 and workspace ws_1. Press Save settings to use them for syncs.",
    });
  });
});
