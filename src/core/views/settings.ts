// The add-on's settings as plain values, with the rules for reading what users typed. The API key is not here:
// it never leaves the user's own property store except inside the Authorization header.
import { BASE_URL_BY_REGION, isRegion, type Region } from "../../extend/api";
import { DEFAULT_RATE, MIN_RATE } from "../engine/pacing";

export interface Settings {
  region: Region;
  workspaceId?: string;
  rate: number;
  /** Seconds an execution works before it saves and pauses; Apps Script kills it at the limit. */
  executionBudgetSeconds: number;
  /** Apps Script's execution limit: 6 minutes. Settable only for local runs that kill sooner. */
  executionLimitSeconds: number;
  /** Overrides the region's URL for local runs; in Apps Script the manifest allowlist blocks other hosts. */
  baseUrlOverride?: string;
  /** Keep history: every update reads its run first and records it in the history sheet (on by default). */
  keepHistory: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  region: "US1",
  rate: DEFAULT_RATE,
  // Five minutes of work, one minute before Apps Script's limit: enough for a slow last batch to end in time,
  // and enough to send 20,000 rows at the Enterprise rate in one execution.
  executionBudgetSeconds: 300,
  executionLimitSeconds: 360,
  keepHistory: true,
};

export const MAX_RATE = 1000;

/** Extend answers within seconds; this margin covers one slow fetchAll after the budget is reached. */
export const EXECUTION_SAFETY_MARGIN_SECONDS = 60;
/** Short local limits get a proportional margin instead. */
const SAFETY_MARGIN_SHARE = 0.25;

export function baseUrlOf(settings: Settings): string {
  return settings.baseUrlOverride ?? BASE_URL_BY_REGION[settings.region];
}

export function parseRate(text: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) return undefined;
  const rate = Number(text.trim());
  return Number.isFinite(rate) && rate >= MIN_RATE && rate <= MAX_RATE ? rate : undefined;
}

export function parseRegion(text: string): Region | undefined {
  const region = text.trim().toUpperCase();
  return isRegion(region) ? region : undefined;
}

/** Workspace ids are opaque; only reject what could never be one (spaces, control characters). */
export function parseWorkspaceId(text: string): string | undefined {
  const id = text.trim();
  return /^[\x21-\x7e]{1,255}$/.test(id) ? id : undefined;
}

/** How long this execution may work, never closer to Apps Script's limit than the safety margin. */
export function executionBudgetMs(settings: Settings): number {
  const margin = Math.min(
    EXECUTION_SAFETY_MARGIN_SECONDS,
    settings.executionLimitSeconds * SAFETY_MARGIN_SHARE,
  );
  const ceiling = Math.max(1, settings.executionLimitSeconds - margin);
  return Math.min(settings.executionBudgetSeconds, ceiling) * 1000;
}

/** Reads settings saved as strings, ignoring anything malformed rather than failing the sync. */
export function settingsFromStrings(saved: Readonly<Record<string, string | undefined>>): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const region = saved.region ? parseRegion(saved.region) : undefined;
  if (region) settings.region = region;
  const workspaceId = saved.workspaceId ? parseWorkspaceId(saved.workspaceId) : undefined;
  if (workspaceId) settings.workspaceId = workspaceId;
  const rate = saved.rate ? parseRate(saved.rate) : undefined;
  if (rate) settings.rate = rate;
  const budget = Number(saved.executionBudgetSeconds);
  if (Number.isFinite(budget) && budget >= 1) settings.executionBudgetSeconds = budget;
  const limit = Number(saved.executionLimitSeconds);
  if (Number.isFinite(limit) && limit >= 2 && limit <= 360) settings.executionLimitSeconds = limit;
  if (saved.baseUrl && /^https?:\/\/[^\s]+$/.test(saved.baseUrl)) settings.baseUrlOverride = saved.baseUrl;
  // Only an explicit "off" turns history off: a missing or malformed value keeps the safe default.
  if (saved.keepHistory === "off") settings.keepHistory = false;
  return settings;
}
