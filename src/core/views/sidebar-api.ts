// The contract between the sidebar (browser code in src/ui/sidebar) and the functions it calls through
// google.script.run: plain data both ways, no Apps Script type, so the browser code can import these types.
// Everything arriving from the browser is validated here before use: any top-level function is callable.
import type { Region } from "../../extend/api";
import type { ExecutionProgress } from "../engine/engine";
import type { JobKind, JobView } from "../engine/job";
import type { LiveProgress } from "../engine/live";
import { PLAN_RATES } from "../engine/pacing";
import type { TagWarning } from "../engine/plan";
import type { UndoSummary } from "../jobs/history-jobs";
import type { PreviewLine, PreviewList, PreviewReport, PreviewRow } from "../jobs/preview-report";
import type { TagMode } from "../requests/tag-mode";
import type { CheckRowsView, RowBody, SyncProblems } from "./check-view";
import type { ConnectionVerdict } from "./connection-test";
import type { QuotaView } from "./quota";
import type { JobConfirmation, QuotaShortfall } from "./quota-estimate";
import { MAX_RATE, parseRate, parseRegion, parseWorkspaceId } from "./settings";

export type {
  CheckRowsView,
  ConnectionVerdict,
  JobKind,
  JobView,
  LiveProgress,
  PreviewLine,
  PreviewList,
  PreviewReport,
  PreviewRow,
  QuotaShortfall,
  QuotaView,
  RowBody,
  SyncProblems,
  TagMode,
  TagWarning,
};

/**
 * A job's progress as the sidebar and the menu get it: what the engine reports after an execution, and, once a
 * preview has finished, its report (added by src/app/execute.ts after the engine is done).
 */
export interface SyncProgress extends ExecutionProgress {
  preview?: PreviewReport;
  /** Web requests used today after this execution (src/app/execute.ts adds it). */
  quota?: QuotaView;
}

/** Every sidebar call answers either its value or a message for the person at the sidebar. */
export type Reply<T> = { ok: true; value: T } | { ok: false; message: string };

/** A paused job ended with the sidebar's End button (src/app/end-job.ts). */
export interface EndedJob {
  kind: JobKind;
  /** Said to the person: what was left undone, and the way on. */
  message: string;
}

export type RatePlan = keyof typeof PLAN_RATES | "custom";

export interface SettingsView {
  region: Region;
  workspaceId: string;
  rate: number;
  ratePlan: RatePlan;
  /** Keep history: each update reads its run first and is recorded in the history sheet (issue 18). */
  keepHistory: boolean;
}

export interface SidebarState {
  /** Whether this user has a key saved. The key itself never leaves the server. */
  keySet: boolean;
  settings: SettingsView;
  /**
   * The unfinished job of this document, to offer resuming it; null when there is none. Only in the answer to
   * sidebarState (when the sidebar opens), not in the answers to saving settings or the key.
   */
  job?: JobView | null;
  /** Seconds one execution works before it pauses, for the time-left estimate. */
  executionBudgetSeconds: number;
  /** The spreadsheet's time zone (IANA name): the sidebar shows every time in it, as the run log does. */
  timeZone: string;
  /** The person using the sidebar, as Google names them, to say "paused by you". */
  you: string;
  /** Web requests used by Extend Sync today, for the Settings tab. */
  quota: QuotaView;
}

export interface SettingsInput {
  region: Region;
  /** Empty clears it. */
  workspaceId: string;
  rate: number;
  /** Absent (a page without the checkbox) leaves the setting as it is. */
  keepHistory?: boolean;
}

export interface StartRequest {
  selectedRowsOnly: boolean;
  force: boolean;
  tagMode?: TagMode;
  confirmToken?: string;
  replacePaused?: boolean;
}

export interface RefreshRequest {
  selectedRowsOnly: boolean;
  confirmToken?: string;
  replacePaused?: boolean;
}

export interface PreviewRequest {
  tagMode: TagMode;
  /** Compare only the selected rows; their Run IDs are still checked against the whole sheet. */
  selectedRowsOnly?: boolean;
  confirmToken?: string;
  replacePaused?: boolean;
}

/**
 * The import's form as the browser sends it; the server checks every field
 * (src/core/jobs/import/import-list.ts).
 */
export interface ImportForm {
  workflowId: string;
  batchId: string;
  status: string;
  fileNameContains: string;
  sortBy: "" | "createdAt" | "updatedAt";
  sortDir: "" | "asc" | "desc";
  /** Empty for all. */
  max: string;
  withCurrent: boolean;
  confirmToken?: string;
  replacePaused?: boolean;
}

/** Any job the browser can start, with the server function that starts it chosen by `kind`. */
export type JobStart =
  | ({ kind: "update" } & StartRequest)
  | ({ kind: "refresh" } & RefreshRequest)
  | ({ kind: "preview" } & PreviewRequest)
  | ({ kind: "import" } & ImportForm)
  | ({ kind: "undo" } & UndoStart);

/** An undo of the job `jobId`, from the History view or a finished sync; the token is the confirmation's. */
export interface UndoStart {
  jobId: string;
  confirmToken?: string;
  replacePaused?: boolean;
}

/** What startSyncJob, startRefreshJob, startPreviewJob and startImportJob answer (src/app/start*.ts). */
export type StartAnswer =
  | SyncProgress
  | ({ state: "confirm" } & JobConfirmation)
  /** An undo's confirmation (startUndoJob): what it will change back, and the token to send when confirmed. */
  | { state: "confirm-undo"; token: string; summary: UndoSummary; quota?: QuotaShortfall }
  | { state: "paused-exists"; job: JobView }
  | { state: "busy"; message: string }
  | { state: "error"; message: string };

/** What continueSyncJob answers (src/app/continue.ts). */
export type ContinueAnswer =
  | SyncProgress
  | { state: "none" }
  | { state: "busy"; message: string }
  | { state: "error"; message: string };

export interface SetupResult {
  sheetName: string;
  /** Headers added, left to right; empty when the sheet had them all. */
  added: string[];
  createdSheet: boolean;
  message: string;
}

export function ratePlanOf(rate: number): RatePlan {
  const plan = (Object.keys(PLAN_RATES) as (keyof typeof PLAN_RATES)[]).find(
    (name) => PLAN_RATES[name] === rate,
  );
  return plan ?? "custom";
}

export function parseSettingsInput(
  input: unknown,
): { ok: true; value: SettingsInput } | { ok: false; message: string } {
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const region = typeof fields.region === "string" ? parseRegion(fields.region) : undefined;
  if (region === undefined)
    return { ok: false, message: "Choose a region: US1, US2 or EU1. Nothing was saved." };
  const typedWorkspace = typeof fields.workspaceId === "string" ? fields.workspaceId.trim() : "";
  const workspaceId = typedWorkspace === "" ? "" : parseWorkspaceId(typedWorkspace);
  if (workspaceId === undefined)
    return {
      ok: false,
      message: "A workspace id has no spaces (copy it from the Extend dashboard). Nothing was saved.",
    };
  const rate = parseRate(String(fields.rate ?? ""));
  if (rate === undefined)
    return {
      ok: false,
      message: `The rate must be a number of requests per second from 0.5 to ${MAX_RATE}. Nothing was saved.`,
    };
  const value: SettingsInput = { region, workspaceId, rate };
  if (typeof fields.keepHistory === "boolean") value.keepHistory = fields.keepHistory;
  return { ok: true, value };
}

/** A key as typed: one token without spaces, at most 500 characters. */
export function parseApiKey(input: unknown): string | undefined {
  if (typeof input !== "string") return undefined;
  const key = input.trim();
  return key !== "" && key.length <= 500 && !/\s/.test(key) ? key : undefined;
}

/** A sheet row number from the browser: a whole number from 2 (below the header) to the sheet's last row. */
export function parseRowNumber(input: unknown, lastRow: number): number | undefined {
  return typeof input === "number" && Number.isInteger(input) && input >= 2 && input <= lastRow
    ? input
    : undefined;
}

/** A job id from the browser, used only to compare with the ids in Sync State cells. */
export function parseJobId(input: unknown): string | undefined {
  return typeof input === "string" && /^[\w-]{1,64}$/.test(input) ? input : undefined;
}

/** A sheet name from the browser, used only to look a sheet up. */
export function parseSheetName(input: unknown): string | undefined {
  return typeof input === "string" && input.length > 0 && input.length <= 200 ? input : undefined;
}

/** What Test connection sends: the Settings tab's fields as they are on screen, saved or not. */
export interface ConnectionTestInput {
  region: string;
  workspaceId: string;
  /** The key field: empty means the saved key. Sent to the server only, never back. */
  apiKey: string;
}

/** The settings a connection test uses, and what on screen differs from what is saved, in words. */
export type TestedSettings =
  | { ok: true; region: Region; workspaceId?: string; typedKey?: string; unsaved: string[] }
  | { ok: false; message: string };

/**
 * Test connection tests what the person sees: the region and workspace on screen, and the key typed in the
 * field (or else the saved one). Anything not yet saved is named, so "Connected" never vouches for settings a
 * sync would not use. No input (an older sidebar) means the saved settings.
 */
export function testedSettings(
  saved: { region: Region; workspaceId?: string },
  input: unknown,
): TestedSettings {
  if (typeof input !== "object" || input === null) return { ok: true, ...saved, unsaved: [] };
  const fields = input as Record<string, unknown>;
  const region = typeof fields.region === "string" ? parseRegion(fields.region) : undefined;
  if (region === undefined)
    return { ok: false, message: "Choose a region: US1, US2 or EU1. Nothing was tested." };
  const typedWorkspace = typeof fields.workspaceId === "string" ? fields.workspaceId.trim() : "";
  const workspaceId = typedWorkspace === "" ? undefined : parseWorkspaceId(typedWorkspace);
  if (typedWorkspace !== "" && workspaceId === undefined)
    return {
      ok: false,
      message: "A workspace id has no spaces (copy it from the Extend dashboard). Nothing was tested.",
    };
  const typedKey =
    typeof fields.apiKey === "string" && fields.apiKey.trim() !== "" ? fields.apiKey : undefined;
  const key = typedKey === undefined ? undefined : parseApiKey(typedKey);
  if (typedKey !== undefined && key === undefined)
    return {
      ok: false,
      message:
        "The key typed is not an API key: it is empty or contains spaces. Copy it again from the Extend dashboard (Developers). Nothing was tested.",
    };
  const unsaved: string[] = [];
  if (key !== undefined) unsaved.push("the key typed");
  if (region !== saved.region) unsaved.push(`region ${region}`);
  if ((workspaceId ?? "") !== (saved.workspaceId ?? ""))
    unsaved.push(workspaceId === undefined ? "no workspace" : `workspace ${workspaceId}`);
  return {
    ok: true,
    region,
    ...(workspaceId === undefined ? {} : { workspaceId }),
    ...(key === undefined ? {} : { typedKey: key }),
    unsaved,
  };
}

/** The verdict, with what it tested that is not saved yet and what to do about it. */
export function withUnsavedNote(verdict: ConnectionVerdict, unsaved: readonly string[]): ConnectionVerdict {
  if (unsaved.length === 0) return verdict;
  const list =
    unsaved.length === 1
      ? unsaved[0]
      : `${unsaved.slice(0, -1).join(", ")} and ${unsaved[unsaved.length - 1]}`;
  const save = unsaved.includes("the key typed")
    ? "Press Save key and Save settings to use them for syncs."
    : "Press Save settings to use them for syncs.";
  return {
    ...verdict,
    title: `${verdict.title} (settings on screen, not saved)`,
    message: `${verdict.message} This tested what is on screen, not saved yet: ${list}. ${save}`,
  };
}
