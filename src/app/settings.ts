// Settings from the menu, one prompt each. The key is stored in the user's own properties and never shown
// back; region, workspace and rate are the document's, shared by everyone who syncs this spreadsheet.
import { PLAN_RATES } from "../core/engine/pacing";
import { MAX_RATE, parseRate, parseRegion, parseWorkspaceId } from "../core/views/settings";
import { parseApiKey } from "../core/views/sidebar-api";
import { apiKeyStore, type SettingName, settingsStore } from "../gas/properties";

function ask(title: string, question: string): string | undefined {
  const ui = SpreadsheetApp.getUi();
  const response = ui.prompt(title, question, ui.ButtonSet.OK_CANCEL);
  return response.getSelectedButton() === ui.Button.OK ? response.getResponseText() : undefined;
}

function tell(message: string): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert("Extend Sync settings", message, ui.ButtonSet.OK);
}

export function setApiKey(): void {
  const typed = ask(
    "Extend API key",
    "Paste your Extend API key (Extend dashboard > Developers). It is stored for you alone, never in the sheet, and other editors cannot read it.",
  );
  if (typed === undefined) return;
  // The sidebar's rule: not empty, no spaces, and no longer than any real key.
  const key = parseApiKey(typed);
  if (key === undefined) {
    tell("That is not an API key (it is empty, contains spaces or is far too long). Nothing was saved.");
    return;
  }
  apiKeyStore.set(key);
  tell("Your API key is saved.");
}

export function removeApiKey(): void {
  apiKeyStore.remove();
  tell("Your API key is removed from this add-on.");
}

function promptSetting<T>(
  name: SettingName,
  title: string,
  question: string,
  parse: (text: string) => T | undefined,
  invalid: string,
): void {
  const typed = ask(title, question);
  if (typed === undefined) return;
  if (typed.trim() === "" && name === "workspaceId") {
    settingsStore.set(name, undefined);
    tell("Workspace ID cleared: requests go to the API key's own workspace.");
    return;
  }
  const value = parse(typed);
  if (value === undefined) {
    tell(`${invalid} Nothing was changed.`);
    return;
  }
  settingsStore.set(name, String(value));
  tell(`${title} is now ${String(value)}.`);
}

export function chooseRegion(): void {
  const current = settingsStore.load().region;
  promptSetting(
    "region",
    "Region",
    `Type US1, US2 or EU1: the region of your Extend account (now ${current}).`,
    parseRegion,
    "The region must be US1, US2 or EU1.",
  );
}

export function setWorkspaceId(): void {
  const current = settingsStore.load().workspaceId ?? "none";
  promptSetting(
    "workspaceId",
    "Workspace ID",
    `Needed only with an organization-wide API key: the workspace to update runs in (now ${current}). Leave blank to clear.`,
    parseWorkspaceId,
    "A workspace id has no spaces.",
  );
}

export function setRateLimit(): void {
  const current = settingsStore.load().rate;
  promptSetting(
    "rate",
    "Rate limit",
    `Requests per second this add-on may send (now ${current}). Your plan's limit is shared with every other Extend integration: ${PLAN_RATES.payAsYouGo} on pay as you go, ${PLAN_RATES.scale} on Scale, ${PLAN_RATES.enterprise} on Enterprise.`,
    parseRate,
    `The rate must be a number from 0.5 to ${MAX_RATE}.`,
  );
}
