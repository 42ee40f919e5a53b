// What the sidebar calls through google.script.run (besides startSyncJob and continueSyncJob): its state,
// settings, the connection test, Check rows, a row's request body, selecting a row, the rows left to fix and
// setting up a sheet. Every argument is checked here, every answer is plain data, and the API key never leaves
// the user's properties: the sidebar only learns whether one is set.

import { planSync, type SyncPlan } from "../core/engine/plan";
import { scrubberFor } from "../core/requests/secrets";
import { parseTagMode, type TagMode } from "../core/requests/tag-mode";
import type { CellValue } from "../core/sheet/cell";
import {
  type CheckRowsView,
  checkRowsView,
  type RowBody,
  rowBody,
  type SyncProblems,
  syncProblems,
} from "../core/views/check-view";
import {
  type ConnectionVerdict,
  connectionVerdict,
  firstProbe,
  followUpProbes,
  NO_KEY_VERDICT,
} from "../core/views/connection-test";
import { localeWarnings } from "../core/views/locale-warnings";
import { executionBudgetMs, type Settings } from "../core/views/settings";
import {
  type ContinueAnswer,
  type EndedJob,
  parseApiKey,
  parseJobId,
  parseRowNumber,
  parseSettingsInput,
  parseSheetName,
  type Reply,
  ratePlanOf,
  type SetupResult,
  type SidebarState,
  type StartAnswer,
  testedSettings,
  withUnsavedNote,
} from "../core/views/sidebar-api";
import { isoDateFormatter } from "../gas/clock";
import { fetchProbe, fetchProbes } from "../gas/probe";
import { apiKeyStore, jobStore, settingsStore } from "../gas/properties";
import { quotaNow, quotaResetSentence, saveRequestCount } from "../gas/quota-count";
import { SpreadsheetSheet } from "../gas/sheet";
import {
  activeUser,
  NO_KEY_MESSAGE,
  spreadsheetTimeZone,
  UserFacingError,
  withDocumentLock,
} from "./context";
import { type ContinueResult, currentSync } from "./continue";
import { endPausedJob } from "./end-job";
import { setUpSheet } from "./setup-sheet";
import type { StartResult } from "./start";

export const SIDEBAR_FILE = "Sidebar";
export const SIDEBAR_TITLE = "Extend Sync";

export function showSidebar(): void {
  const page = HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle(SIDEBAR_TITLE);
  SpreadsheetApp.getUi().showSidebar(page);
}

/** Never shows a stack or the key: a user-facing error as it is, anything else as one short line. */
function reply<T>(work: () => T): Reply<T> {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    if (error instanceof UserFacingError) return { ok: false, message: error.message };
    const text = error instanceof Error ? error.message : String(error);
    const firstLine = (text.split("\n")[0] ?? "").slice(0, 300);
    const shown = scrubberFor([apiKeyStore.get()])(firstLine);
    return {
      ok: false,
      message: `Google Sheets could not finish this (${shown}). Try again in a moment; if it keeps failing, reload the spreadsheet.`,
    };
  }
}

/** Key and settings as the sidebar shows them; the unfinished job only when the sidebar opens (it asks once). */
function state(withJob = false): SidebarState {
  const settings = settingsStore.load();
  const view: SidebarState = {
    keySet: apiKeyStore.get() !== undefined,
    settings: {
      region: settings.region,
      workspaceId: settings.workspaceId ?? "",
      rate: settings.rate,
      ratePlan: ratePlanOf(settings.rate),
      keepHistory: settings.keepHistory,
    },
    executionBudgetSeconds: executionBudgetMs(settings) / 1000,
    timeZone: SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone(),
    you: activeUser(),
    quota: quotaNow(),
  };
  if (withJob) view.job = currentSync();
  return view;
}

export function sidebarState(): Reply<SidebarState> {
  return reply(() => state(true));
}

export function saveApiKey(input: unknown): Reply<SidebarState> {
  return reply(() => {
    const key = parseApiKey(input);
    if (
      key === undefined &&
      apiKeyStore.get() !== undefined &&
      (typeof input !== "string" || input.trim() === "")
    )
      throw new UserFacingError(
        "The key field is empty, so nothing was saved: your saved key is unchanged. To replace it, paste the new key first.",
      );
    if (key === undefined)
      throw new UserFacingError(
        "That is not an API key: it is empty or contains spaces. Copy it again from the Extend dashboard (Developers). Nothing was saved.",
      );
    apiKeyStore.set(key);
    return state();
  });
}

/** Said in the sidebar when no key is saved: the way there is its own Settings tab, not the menu. */
export const SIDEBAR_NO_KEY_MESSAGE =
  "No Extend API key is saved for you. Nothing was sent. Save your key in the Settings tab, then try again.";

/** A start's answer as the sidebar shows it: the menu's way to the key is replaced by the Settings tab. */
export function inSidebarWords(result: StartResult): StartResult {
  return "state" in result && result.state === "error" && result.message === NO_KEY_MESSAGE
    ? { ...result, message: SIDEBAR_NO_KEY_MESSAGE }
    : result;
}

/**
 * The sidebar's Pause, once the step under way has ended: the job records who paused it and when, so a sidebar
 * opened later says "paused by you" rather than "driven elsewhere", and a new sync offers it at once.
 */
export function pauseSyncJob(jobId: unknown): Reply<{ paused: boolean }> {
  return reply(() =>
    withDocumentLock(() => {
      const job = jobStore.load();
      if (job?.status !== "running" || typeof jobId !== "string" || job.id !== jobId)
        return { paused: false };
      jobStore.save({ ...job, paused: { by: activeUser(), at: Date.now() } });
      return { paused: true };
    }),
  );
}

/** The sidebar's End button on a paused job (see end-job.ts). */
export function endPausedSyncJob(jobId: unknown): Reply<EndedJob> {
  return reply(() => endPausedJob(jobId));
}

export function removeApiKey(): Reply<SidebarState> {
  return reply(() => {
    apiKeyStore.remove();
    return state();
  });
}

export function saveSettings(input: unknown): Reply<SidebarState> {
  return reply(() => {
    const parsed = parseSettingsInput(input);
    if (!parsed.ok) throw new UserFacingError(parsed.message);
    // One write: a failure part-way cannot leave the settings half saved.
    settingsStore.setAll({
      region: parsed.value.region,
      workspaceId: parsed.value.workspaceId || undefined,
      rate: String(parsed.value.rate),
      ...(parsed.value.keepHistory === undefined
        ? {}
        : { keepHistory: parsed.value.keepHistory ? "on" : "off" }),
    });
    return state();
  });
}

/** Tests the settings on screen (`input`, the Settings tab's fields), saying which of them are not saved yet. */
export function testConnection(input?: unknown): Reply<ConnectionVerdict> {
  return reply(() => {
    const saved = settingsStore.load();
    const tested = testedSettings(saved, input);
    if (!tested.ok) throw new UserFacingError(tested.message);
    const apiKey = tested.typedKey ?? apiKeyStore.get();
    if (!apiKey) return NO_KEY_VERDICT;
    const settings: Settings = { ...saved, region: tested.region };
    if (tested.workspaceId === undefined) delete settings.workspaceId;
    else settings.workspaceId = tested.workspaceId;
    const first = fetchProbe(firstProbe(settings, apiKey).request);
    const probes = followUpProbes(settings, apiKey, first);
    const answers = fetchProbes(probes.map((probe) => probe.request));
    saveRequestCount();
    const verdict = connectionVerdict(
      settings,
      first,
      probes.map((probe, index) => ({ probe, answer: answers[index] })),
      scrubberFor([apiKey]),
    );
    // The zone is asked only when the verdict needs it: otherwise a Sheets round trip on every test for nothing.
    const said =
      verdict.kind === "quota"
        ? { ...verdict, message: `${verdict.message} ${quotaResetSentence(spreadsheetTimeZone())}` }
        : verdict;
    return withUnsavedNote(said, tested.unsaved);
  });
}

interface ActivePlan {
  plan: SyncPlan;
  sheetName: string;
  values: CellValue[][];
}

function planActiveSheet(tagMode: TagMode): ActivePlan {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const sheet = spreadsheet.getActiveSheet();
  const dateToIso = isoDateFormatter(spreadsheet.getSpreadsheetTimeZone());
  const values = new SpreadsheetSheet(sheet).readAll();
  const result = planSync(values, "all", false, { dateToIso }, tagMode);
  if (!result.ok)
    throw new UserFacingError(
      `The sheet "${sheet.getName()}" cannot be synced: ${result.problems.join(" ")}`,
    );
  return { plan: result.plan, sheetName: sheet.getName(), values };
}

/** Check rows: the counts of a sync of all rows under the tag mode chosen in the Sync tab (replace if none). */
export function checkRows(tagMode?: unknown): Reply<CheckRowsView> {
  return reply(() => {
    const mode = parseTagMode(tagMode) ?? "replace";
    const { plan, sheetName, values } = planActiveSheet(mode);
    const locale = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetLocale();
    return checkRowsView(plan, sheetName, mode, localeWarnings(values, plan, locale));
  });
}

export function rowRequestBody(row: unknown, tagMode?: unknown): Reply<RowBody> {
  return reply(() => {
    const { plan, sheetName } = planActiveSheet(parseTagMode(tagMode) ?? "replace");
    const last = SpreadsheetApp.getActiveSpreadsheet().getActiveSheet().getLastRow();
    const number = parseRowNumber(row, last);
    if (number === undefined)
      throw new UserFacingError(`Type a row number from 2 to ${last} of the sheet "${sheetName}".`);
    const body = rowBody(plan, number, false);
    if (!body)
      throw new UserFacingError(`Row ${number} of "${sheetName}" has no Run ID, so a sync skips it.`);
    return body;
  });
}

function sheetNamed(name: unknown): GoogleAppsScript.Spreadsheet.Sheet {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const wanted = parseSheetName(name);
  const sheet = wanted === undefined ? spreadsheet.getActiveSheet() : spreadsheet.getSheetByName(wanted);
  if (!sheet)
    throw new UserFacingError(`There is no sheet named "${wanted}" any more: it was renamed or deleted.`);
  return sheet;
}

/** Selects a whole row of a sheet, so the person sees which row a message is about. */
export function selectRow(sheetName: unknown, row: unknown): Reply<{ sheetName: string; row: number }> {
  return reply(() => {
    const sheet = sheetNamed(sheetName);
    const number = parseRowNumber(row, Math.max(sheet.getLastRow(), 2));
    if (number === undefined) throw new UserFacingError("That row is no longer in the sheet.");
    sheet.getParent().setActiveSheet(sheet);
    sheet.setActiveRange(sheet.getRange(number, 1, 1, Math.max(1, sheet.getLastColumn())));
    return { sheetName: sheet.getName(), row: number };
  });
}

/**
 * The Failed and Invalid rows of a sheet after a job, read from its Sync Result and Sync Error columns: only the
 * rows job `jobId` wrote, when it is given (an older sidebar sends none and gets every such row).
 */
export function rowsToFix(sheetName: unknown, jobId?: unknown): Reply<SyncProblems> {
  return reply(() => {
    const sheet = sheetNamed(sheetName);
    const dateToIso = isoDateFormatter(sheet.getParent().getSpreadsheetTimeZone());
    const job = parseJobId(jobId);
    return syncProblems(new SpreadsheetSheet(sheet).readAll(), sheet.getName(), dateToIso, job);
  });
}

export function setUpSheetFromSidebar(): Reply<SetupResult> {
  return reply(setUpSheet);
}

/** Menu: sets up the sheet and says what it did in a toast. */
export function setUpSheetFromMenu(): void {
  const result = setUpSheet();
  SpreadsheetApp.getActiveSpreadsheet().toast(result.message, "Extend Sync", 8);
}

/** Fails to compile when the app layer's answers drift from the copies the browser code is typed against. */
export type AnswersMatch = [
  StartResult extends StartAnswer ? true : never,
  ContinueResult extends ContinueAnswer ? true : never,
];
