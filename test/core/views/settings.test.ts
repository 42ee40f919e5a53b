// Unit tests for src/core/views/settings.ts: defaults, base URLs, and reading what users typed or saved.
import { describe, expect, it } from "vitest";
import {
  baseUrlOf,
  DEFAULT_SETTINGS,
  EXECUTION_SAFETY_MARGIN_SECONDS,
  executionBudgetMs,
  MAX_RATE,
  parseRate,
  parseRegion,
  parseWorkspaceId,
  type Settings,
  settingsFromStrings,
} from "../../../src/core/views/settings";

describe("defaults", () => {
  it("are US1, 10 requests/s, 300 s of work within Apps Script's 360 s, history kept", () => {
    expect(DEFAULT_SETTINGS).toEqual({
      region: "US1",
      rate: 10,
      executionBudgetSeconds: 300,
      executionLimitSeconds: 360,
      keepHistory: true,
    });
    expect(MAX_RATE).toBe(1000);
    expect(EXECUTION_SAFETY_MARGIN_SECONDS).toBe(60);
  });
});

describe("baseUrlOf", () => {
  it.each<[Settings, string]>([
    [DEFAULT_SETTINGS, "https://api.extend.ai"],
    [{ ...DEFAULT_SETTINGS, region: "US2" }, "https://api.us2.extend.app"],
    [{ ...DEFAULT_SETTINGS, region: "EU1" }, "https://api.eu1.extend.ai"],
    [
      { ...DEFAULT_SETTINGS, region: "EU1", baseUrlOverride: "http://127.0.0.1:8787" },
      "http://127.0.0.1:8787",
    ],
  ])("%j -> %s", (settings, url) => {
    expect(baseUrlOf(settings)).toBe(url);
  });
});

describe("parseRate", () => {
  it.each<[string, number | undefined]>([
    ["10", 10],
    [" 25 ", 25],
    ["75", 75],
    ["0.5", 0.5],
    ["2.5", 2.5],
    ["1000", 1000],
    ["1e2", undefined],
    ["0x10", undefined],
    ["0.49", undefined],
    ["0", undefined],
    ["-10", undefined],
    ["1000.5", undefined],
    ["", undefined],
    ["   ", undefined],
    ["ten", undefined],
    ["10/s", undefined],
    ["Infinity", undefined],
    ["NaN", undefined],
  ])("%j -> %j", (text, rate) => {
    expect(parseRate(text)).toBe(rate);
  });
});

describe("parseRegion", () => {
  it.each<[string, string | undefined]>([
    ["US1", "US1"],
    ["us1", "US1"],
    [" eu1 ", "EU1"],
    ["Us2", "US2"],
    ["US3", undefined],
    ["", undefined],
    ["EU", undefined],
    ["constructor", undefined],
    ["toString", undefined],
    ["__proto__", undefined],
  ])("%j -> %j", (text, region) => {
    expect(parseRegion(text)).toBe(region);
  });
});

describe("parseWorkspaceId", () => {
  it.each<[string, string | undefined]>([
    ["ws_42", "ws_42"],
    ["  ws_42  ", "ws_42"],
    ["ws-abc_DEF.123:x", "ws-abc_DEF.123:x"],
    ["w".repeat(255), "w".repeat(255)],
    ["w".repeat(256), undefined],
    ["", undefined],
    ["   ", undefined],
    ["ws 42", undefined],
    ["ws\t42", undefined],
    ["ws\u000042", undefined],
    ["wsé", undefined],
  ])("%j -> %j", (text, id) => {
    expect(parseWorkspaceId(text)).toBe(id);
  });
});

describe("executionBudgetMs", () => {
  it.each<[number, number, number]>([
    [270, 360, 270_000],
    [400, 360, 300_000],
    [300, 360, 300_000],
    [301, 360, 300_000],
    [30, 360, 30_000],
    [270, 240, 180_000],
    [270, 120, 90_000],
    [270, 90, 67_500],
    [270, 60, 45_000],
    [270, 30, 22_500],
    [10, 90, 10_000],
    [270, 2, 1_500],
    [1, 2, 1_000],
  ])("budget %d s, limit %d s -> %d ms", (executionBudgetSeconds, executionLimitSeconds, ms) => {
    expect(executionBudgetMs({ ...DEFAULT_SETTINGS, executionBudgetSeconds, executionLimitSeconds })).toBe(
      ms,
    );
  });
});

describe("settingsFromStrings", () => {
  it.each<[string, Record<string, string | undefined>, Settings]>([
    ["nothing saved", {}, DEFAULT_SETTINGS],
    [
      "everything saved",
      {
        region: "eu1",
        workspaceId: "ws_1",
        rate: "25",
        executionBudgetSeconds: "120",
        executionLimitSeconds: "300",
        baseUrl: "http://127.0.0.1:8787",
        keepHistory: "off",
      },
      {
        region: "EU1",
        workspaceId: "ws_1",
        rate: 25,
        executionBudgetSeconds: 120,
        executionLimitSeconds: 300,
        baseUrlOverride: "http://127.0.0.1:8787",
        keepHistory: false,
      },
    ],
    [
      "malformed values are ignored",
      {
        region: "mars",
        workspaceId: "",
        rate: "fast",
        executionBudgetSeconds: "soon",
        executionLimitSeconds: "forever",
        baseUrl: "ftp://x",
      },
      DEFAULT_SETTINGS,
    ],
    [
      "out-of-range numbers are ignored",
      { rate: "0.1", executionBudgetSeconds: "0.5", executionLimitSeconds: "361" },
      DEFAULT_SETTINGS,
    ],
    ["a rate above the maximum is ignored", { rate: "5000" }, DEFAULT_SETTINGS],
    [
      "the smallest accepted limits",
      { executionBudgetSeconds: "1", executionLimitSeconds: "2" },
      { ...DEFAULT_SETTINGS, executionBudgetSeconds: 1, executionLimitSeconds: 2 },
    ],
    ["a limit just under the smallest", { executionLimitSeconds: "1.9" }, DEFAULT_SETTINGS],
    ["a limit over Apps Script's 360 s", { executionLimitSeconds: "360.5" }, DEFAULT_SETTINGS],
    ["a base URL with a space is ignored", { baseUrl: "http://a b" }, DEFAULT_SETTINGS],
    [
      "https base URL",
      { baseUrl: "https://stand-in.local" },
      { ...DEFAULT_SETTINGS, baseUrlOverride: "https://stand-in.local" },
    ],
    [
      "empty strings",
      { region: "", rate: "", executionBudgetSeconds: "", executionLimitSeconds: "" },
      DEFAULT_SETTINGS,
    ],
  ])("%s", (_label, saved, expected) => {
    expect(settingsFromStrings(saved)).toEqual(expected);
  });

  it("never shares the defaults object", () => {
    const settings = settingsFromStrings({});
    settings.rate = 99;
    expect(DEFAULT_SETTINGS.rate).toBe(10);
  });
});
