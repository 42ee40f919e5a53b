// The platform check (Help > Check this spreadsheet, and the sidebar's Settings): runs the probes on a
// temporary sheet of its own, within a time budget, and removes that sheet in a finally (a check killed before
// then leaves it marked, and the next check removes it). It never touches the user's sheets, sends only List
// GETs, and the key never reaches the report: the whole text is scrubbed of it once more at the end.
import { scrubberFor } from "../core/requests/secrets";
import {
  type Behaviour,
  type BehaviourId,
  type FetchAllObservation,
  type Finding,
  fetchAllAnswer,
  found,
  notChecked,
  QUESTIONS,
} from "../core/views/platform-check";
import { type CostSamples, measuredCosts } from "../core/views/platform-costs";
import type { PlatformCheckView } from "../core/views/platform-report";
import {
  type PlatformReport,
  platformReportText,
  type RequestProbe,
  renderPlatformReport,
} from "../core/views/platform-report";
import { checkTargets } from "../core/views/platform-requests";
import { RUN_LOG_HEADERS, RUN_LOG_SHEET } from "../core/views/run-log";
import type { Reply } from "../core/views/sidebar-api";
import { isoDateFormatter } from "../gas/clock";
import { freeSheetName } from "../gas/own-sheet";
import { firstLine, probeRequests } from "../gas/platform-fetch";
import {
  measureProperties,
  measureSheets,
  measureSleep,
  probeApostrophe,
  probeFormulaSeparator,
  probeLock,
  probeNameDuplicate,
  probeNameLookup,
  probeParsing,
  probeRefusedWrite,
  probeSession,
} from "../gas/platform-probes";
import { apiKeyStore, settingsStore } from "../gas/properties";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Set at build time from package.json (scripts/build.mjs). */
declare const ADDON_VERSION: string | undefined;

export const CHECK_SHEET = "Extend Sync Check";
/** Cell A1 of the temporary sheet: how a later check knows a leftover one from a sheet of the user's. */
export const CHECK_MARKER =
  "Temporary sheet of Extend Sync's platform check. The check removes it; if you see it, you may delete it.";
/** The whole check stays far below Apps Script's 6 minutes: a probe that would start later is not run. */
export const CHECK_BUDGET_MS = 60_000;

/**
 * Where the check reads the UrlFetch requests this user made today. The add-on counts them once the quota
 * count (issue 17, point 3) is in; until then nothing is counted and the report says so.
 */
export interface QuotaCounter {
  usedToday(): number | undefined;
}

export const NOT_COUNTED: QuotaCounter = { usedToday: () => undefined };

export interface PlatformCheckResult {
  report: PlatformReport;
  text: string;
}

/** The check's own sheets (any numbered name, any case) that carry its marker. */
function leftovers(spreadsheet: Spreadsheet): Sheet[] {
  const base = CHECK_SHEET.toLowerCase();
  return spreadsheet.getSheets().filter((sheet) => {
    const name = sheet.getName().toLowerCase();
    if (name !== base && !/^ \(\d+\)$/.test(name.slice(base.length))) return false;
    if (!name.startsWith(base)) return false;
    return sheet.getRange(1, 1).getValues()[0]?.[0] === CHECK_MARKER;
  });
}

/** A new temporary sheet, marked and committed before any probe; the user's sheet stays active. */
function temporarySheet(spreadsheet: Spreadsheet, userSheet: Sheet): Sheet {
  const sheet = spreadsheet.insertSheet(
    freeSheetName(spreadsheet, CHECK_SHEET),
    spreadsheet.getSheets().length,
  );
  spreadsheet.setActiveSheet(userSheet);
  sheet.getRange(1, 1).setValues([[CHECK_MARKER]]);
  SpreadsheetApp.flush();
  return sheet;
}

/** The run log's last row in words (who started it is left out: the report goes into tickets). */
function lastJob(spreadsheet: Spreadsheet, dateToIso: (date: Date) => string): string | undefined {
  const log = spreadsheet
    .getSheets()
    .find(
      (sheet) =>
        sheet.getName().toLowerCase() === RUN_LOG_SHEET.toLowerCase() &&
        sheet.getRange(1, 1).getValues()[0]?.[0] === RUN_LOG_HEADERS[0],
    );
  if (!log || log.getLastRow() < 2) return undefined;
  const width = Math.min(log.getLastColumn(), RUN_LOG_HEADERS.length);
  const [header = [], row = []] = [
    log.getRange(1, 1, 1, width).getValues()[0],
    log.getRange(log.getLastRow(), 1, 1, width).getValues()[0],
  ];
  return header
    .map((title, index) => {
      const value: unknown = row[index];
      if (title === "Started By" || value === "" || value === null || value === undefined) return "";
      const text = value instanceof Date ? dateToIso(value) : String(value);
      return `${String(title)}: ${text.slice(0, 200)}`;
    })
    .filter(Boolean)
    .join("; ");
}

export function runPlatformCheck(quota: QuotaCounter = NOT_COUNTED): PlatformCheckResult {
  const started = Date.now();
  const deadline = started + CHECK_BUDGET_MS;
  const apiKey = apiKeyStore.get();
  const scrub = scrubberFor([apiKey]);
  const settings = settingsStore.load();
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const timeZone = spreadsheet.getSpreadsheetTimeZone();
  const dateToIso = isoDateFormatter(timeZone);

  /** A probe's outcome, or why it could not run; one failing never stops the others. */
  const attempt = <T>(work: () => Finding<T>): Finding<T> => {
    if (Date.now() > deadline) return notChecked(`the check's ${CHECK_BUDGET_MS / 1000} s ran out first`);
    try {
      return work();
    } catch (error) {
      return notChecked(scrub(firstLine(error)).slice(0, 200));
    }
  };
  const answers = new Map<BehaviourId, Behaviour["answer"]>();
  const ask = (id: BehaviourId, work: () => Behaviour["answer"]) => answers.set(id, attempt(work));

  const stale = leftovers(spreadsheet);
  for (const sheet of stale) spreadsheet.deleteSheet(sheet);
  // Read after the leftovers are gone: the person may have been looking at one.
  const userSheet = spreadsheet.getActiveSheet();
  const made: Sheet[] = [];
  const samples: CostSamples = {};
  let requests: Finding<RequestProbe[]> = notChecked("not reached");
  let observations: FetchAllObservation[] = [];
  try {
    const sheet = temporarySheet(spreadsheet, userSheet);
    made.push(sheet);
    ask("plain-text-apostrophe", () => probeApostrophe(sheet));
    ask("refused-write", () => probeRefusedWrite(sheet));
    ask("sheet-name-lookup", () => probeNameLookup(sheet));
    ask("sheet-name-duplicate", () => probeNameDuplicate(sheet, (extra) => made.push(extra)));
    const groups = [
      ["TRUE", "FALSE"],
      ["2026-04-12", "12.04.2026", "04/12/2026"],
      ["1,5", "1.5"],
    ] as const;
    const parsing = attempt(() => found(probeParsing(sheet, groups, dateToIso)));
    (["true-false", "dates", "decimal-comma"] as const).forEach((id, index) => {
      answers.set(id, parsing.ok ? (parsing.value[index] ?? notChecked("nothing read")) : parsing);
    });
    ask("formula-separator", () => probeFormulaSeparator(sheet));
    ask("session-email", probeSession);
    ask("document-lock", () => probeLock(samples));
    attempt(() => found(measureSheets(sheet, samples)));
    attempt(() => found(measureProperties(samples)));
    attempt(() => found(measureSleep(samples)));
    requests = attempt(() => {
      const sent = probeRequests(checkTargets(settings, apiKey), samples, scrub);
      observations = sent.observations;
      return found(sent.probes);
    });
    answers.set(
      "fetch-all-failure",
      requests.ok || observations.length > 0 ? fetchAllAnswer(observations) : requests,
    );
  } finally {
    for (const sheet of made) spreadsheet.deleteSheet(sheet);
    spreadsheet.setActiveSheet(userSheet);
  }

  const behaviours = (Object.keys(QUESTIONS) as BehaviourId[]).map(
    (id): Behaviour => ({
      id,
      question: QUESTIONS[id],
      answer: answers.get(id) ?? notChecked("not reached"),
    }),
  );
  const report: PlatformReport = {
    checkedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    versions: {
      addOn: typeof ADDON_VERSION === "string" ? ADDON_VERSION : "unknown",
      // The bundle is ES2019 with classes and arrow functions: only the V8 runtime runs it.
      runtime: "V8",
      locale: spreadsheet.getSpreadsheetLocale(),
      spreadsheetTimeZone: timeZone,
      scriptTimeZone: Session.getScriptTimeZone(),
    },
    settings: {
      region: settings.region,
      workspaceSet: settings.workspaceId !== undefined,
      rate: settings.rate,
      keySaved: apiKey !== undefined,
      localBaseUrl: settings.baseUrlOverride !== undefined,
    },
    quotaUsedToday: quota.usedToday(),
    lastJob: attempt(() => found(lastJob(spreadsheet, dateToIso))),
    behaviours,
    requests,
    costs: measuredCosts(samples, `measured ${new Date(started).toISOString().slice(0, 10)}`),
    leftoverRemoved: stale.length > 0,
  };
  return { report, text: scrub(platformReportText(report)) };
}

/** Help > Check this spreadsheet: runs the check, then shows its report in a dialog. */
export function checkFromMenu(): void {
  const { text } = runPlatformCheck();
  const page = HtmlService.createHtmlOutput(renderPlatformReport(text)).setWidth(640).setHeight(560);
  SpreadsheetApp.getUi().showModalDialog(page, "Extend Sync: platform check");
}

/** The sidebar's Settings tab: the report's text and each answer's code, or why the check could not run. */
export function checkFromSidebar(): Reply<PlatformCheckView> {
  try {
    const { report, text } = runPlatformCheck();
    const answers: PlatformCheckView["answers"] = {};
    for (const behaviour of report.behaviours)
      answers[behaviour.id] = behaviour.answer.ok ? behaviour.answer.value.code : undefined;
    return { ok: true, value: { text, answers } };
  } catch (error) {
    const shown = scrubberFor([apiKeyStore.get()])(firstLine(error)).slice(0, 300);
    return {
      ok: false,
      message: `The check could not finish (${shown}). Try again in a moment; if it keeps failing, reload the spreadsheet.`,
    };
  }
}
