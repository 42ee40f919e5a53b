// Unit tests for the Settings tab (src/ui/sidebar/settings-panel.ts): saving or removing the key redraws only the
// key's status, never the region, workspace and rate the person may be typing; Save settings sends the plan's
// rate (PLAN_RATES) and redraws the fields from what the server saved.
import { beforeEach, describe, expect, it } from "vitest";
import { PLAN_RATES } from "../../../src/core/engine/pacing";
import type { SettingsInput, SidebarState } from "../../../src/core/views/sidebar-api";
import { renderSettings, wireSettingsPanel } from "../../../src/ui/sidebar/settings-panel";
import { addElement, type FakeDocument, type FakeElement, installFakeDocument } from "./fake-dom";
import { installScriptRun, type ScriptRunCall } from "./fake-script-run";

const saved: SidebarState = {
  keySet: false,
  settings: { region: "US1", workspaceId: "", rate: 10, ratePlan: "payAsYouGo", keepHistory: true },
  job: null,
  executionBudgetSeconds: 300,
  quota: {
    used: 12,
    left: 19_988,
    account: "unknown",
    line: "Web requests used by Extend Sync today: 12 of …",
  },
} as SidebarState;

let doc: FakeDocument;
let server: SidebarState;
let calls: ScriptRunCall[] = [];

function fakeScriptRun(): void {
  const answer = (name: string, args: unknown[]): unknown => {
    if (name === "saveApiKey") server = { ...server, keySet: true };
    if (name === "forgetApiKey") server = { ...server, keySet: false };
    if (name === "saveSettings") {
      const input = args[0] as SettingsInput;
      server = {
        ...server,
        settings: {
          ...server.settings,
          region: input.region,
          workspaceId: input.workspaceId.trim(),
          rate: input.rate,
          keepHistory: input.keepHistory ?? server.settings.keepHistory,
        },
      };
    }
    return { ok: true, value: server };
  };
  calls = installScriptRun(["saveApiKey", "forgetApiKey", "saveSettings"], answer);
}

const field = (id: string) => doc.getElementById(id) as FakeElement;

beforeEach(() => {
  doc = installFakeDocument();
  server = saved;
  fakeScriptRun();
  for (const [tag, id] of [
    ["div", "key-status"],
    ["input", "api-key"],
    ["button", "save-key"],
    ["button", "remove-key"],
    ["div", "key-area"],
    ["select", "region"],
    ["input", "workspace"],
    ["select", "rate-plan"],
    ["div", "custom-rate-row"],
    ["input", "custom-rate"],
    ["input", "keep-history"],
    ["button", "save-settings"],
    ["button", "test-connection"],
    ["div", "settings-area"],
    ["p", "quota-used"],
  ] as const)
    addElement(doc, tag, id);
  renderSettings(server);
});

describe("the Settings tab", () => {
  it("shows the web requests used today as the server counts them", () => {
    expect(field("quota-used").textContent).toBe("Web requests used by Extend Sync today: 12 of …");
  });

  it("keeps typed region, workspace and rate when the key is saved or removed", async () => {
    const states: SidebarState[] = [];
    wireSettingsPanel((state) => states.push(state));
    field("region").value = "EU1";
    field("workspace").value = "ws_typed";
    field("rate-plan").value = "custom";
    field("custom-rate").value = "4";
    field("api-key").value = "sk_live_typed-key-123";
    await field("save-key").dispatch("click");
    expect(calls.map((call) => call.name)).toEqual(["saveApiKey"]);
    expect(field("key-status").textContent).toContain("An API key is saved for you.");
    expect(field("api-key").value).toBe("");
    expect(field("remove-key").hidden).toBe(false);
    expect([field("region").value, field("workspace").value, field("rate-plan").value]).toEqual([
      "EU1",
      "ws_typed",
      "custom",
    ]);
    expect(field("custom-rate").value).toBe("4");
    await field("remove-key").dispatch("click");
    expect(field("key-status").textContent).toContain("No API key is saved yet.");
    expect(field("workspace").value).toBe("ws_typed");
    expect(states.map((state) => state.keySet)).toEqual([true, false]);
  });

  it("Save settings sends the plan's rate and shows the fields as saved", async () => {
    wireSettingsPanel(() => undefined);
    field("region").value = "EU1";
    field("workspace").value = "  ws_1 ";
    field("rate-plan").value = "scale";
    await field("save-settings").dispatch("click");
    expect(calls[0]?.args[0]).toEqual({
      region: "EU1",
      workspaceId: "  ws_1 ",
      rate: PLAN_RATES.scale,
      keepHistory: true,
    });
    expect(field("workspace").value).toBe("ws_1");
    expect(field("custom-rate").value).toBe(String(PLAN_RATES.scale));
  });
});
