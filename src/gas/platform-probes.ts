// The platform check's probes of Sheets, Session, the lock, Properties and Utilities: each does one small thing
// on the check's own temporary sheet (or a scratch user property it deletes) and hands what it saw to the
// core (src/core/views/platform-check.ts), which says what it means. Nothing here reads a host option or a
// setting: the answer is what the spreadsheet did.
import {
  apostropheAnswer,
  type Behaviour,
  lockAnswer,
  nameDuplicateAnswer,
  nameLookupAnswer,
  type Parsed,
  parsingAnswer,
  refusedWriteAnswer,
  separatorAnswer,
  sessionAnswer,
} from "../core/views/platform-check";
import type { CostSamples } from "../core/views/platform-costs";

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Answer = Behaviour["answer"];

/** How long `work` took on the script's clock. */
export function timed(work: () => unknown): number {
  const start = Date.now();
  work();
  return Date.now() - start;
}

const repeat = <T = number>(times: number, work: (index: number) => T): T[] =>
  Array.from({ length: times }, (_, index) => work(index));

/** Where each probe writes on the temporary sheet (row 1 holds the marker). */
const CELLS = { apostrophe: "A2", refused: "A3", parsing: 4, formulas: 5, queued: 6, small: "A9" } as const;
/** The block the cost probes write and read: 50 rows of 20 columns. */
const BLOCK = { row: 10, rows: 50, columns: 20 } as const;

export function probeApostrophe(sheet: Sheet): Answer {
  const written = "'0012";
  const cell = sheet.getRange(CELLS.apostrophe);
  cell.setNumberFormat("@");
  cell.setValues([[written]]);
  SpreadsheetApp.flush();
  return apostropheAnswer(written, cell.getValues()[0]?.[0]);
}

export function probeRefusedWrite(sheet: Sheet): Answer {
  const written = "no";
  const cell = sheet.getRange(CELLS.refused);
  const rule = SpreadsheetApp.newDataValidation()
    .requireValueInList(["yes"], false)
    .setAllowInvalid(false)
    .build();
  cell.setDataValidation(rule);
  SpreadsheetApp.flush();
  let threwAtWrite = false;
  let threwAtFlush = false;
  try {
    cell.setValues([[written]]);
  } catch {
    threwAtWrite = true;
  }
  if (!threwAtWrite) {
    try {
      SpreadsheetApp.flush();
    } catch {
      threwAtFlush = true;
    }
  }
  return refusedWriteAnswer({ threwAtWrite, threwAtFlush, after: cell.getValues()[0]?.[0], written });
}

/** "Extend Sync Check" → "eXTEND sYNC cHECK": the same name in another case. */
const otherCase = (name: string) =>
  [...name].map((ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase())).join("");

export function probeNameLookup(sheet: Sheet): Answer {
  const other = sheet.getParent().getSheetByName(otherCase(sheet.getName()));
  return nameLookupAnswer(other !== null && other.getSheetId() === sheet.getSheetId());
}

/**
 * Tries to add a sheet named like the temporary one in another case. Should Sheets allow it, the new sheet is
 * handed to `made` at once, so the check removes it with its own.
 */
export function probeNameDuplicate(sheet: Sheet, made: (extra: Sheet) => void): Answer {
  const spreadsheet = sheet.getParent();
  const userSheet = spreadsheet.getActiveSheet();
  let refused = false;
  try {
    made(spreadsheet.insertSheet(otherCase(sheet.getName()), spreadsheet.getSheets().length));
  } catch {
    refused = true;
  }
  spreadsheet.setActiveSheet(userSheet);
  return nameDuplicateAnswer(refused);
}

/** What the texts of each group became when written into plain (Automatic) cells. */
export function probeParsing(
  sheet: Sheet,
  groups: readonly (readonly string[])[],
  dateToIso: (date: Date) => string,
): Answer[] {
  const texts = groups.flat();
  const range = sheet.getRange(CELLS.parsing, 1, 1, texts.length);
  range.setValues([texts]);
  const values = range.getValues()[0] ?? [];
  const parsed: Parsed[] = texts.map((written, index) => {
    const value: unknown = values[index];
    return { written, readBack: value instanceof Date ? { date: dateToIso(value) } : value };
  });
  let at = 0;
  return groups.map((group) => {
    const slice = parsed.slice(at, at + group.length);
    at += group.length;
    return parsingAnswer(slice);
  });
}

export function probeFormulaSeparator(sheet: Sheet): Answer {
  const label = "ok";
  const range = sheet.getRange(CELLS.formulas, 1, 1, 2);
  range.setFormulas([
    [`=HYPERLINK("https://www.extend.ai/","${label}")`, `=HYPERLINK("https://www.extend.ai/";"${label}")`],
  ]);
  const [comma, semicolon] = range.getValues()[0] ?? [];
  return separatorAnswer(comma, semicolon, label);
}

export function probeSession(): Answer {
  return sessionAnswer(Session.getActiveUser().getEmail() ?? "");
}

/** Takes and releases the document lock a few times; every call is timed. */
export function probeLock(samples: CostSamples): Answer {
  const lock = LockService.getDocumentLock();
  if (!lock) return lockAnswer("none", 0);
  const calls: number[] = [];
  for (let round = 0; round < 3; round++) {
    let taken = false;
    calls.push(timed(() => (taken = lock.tryLock(1000))));
    if (!taken) return lockAnswer("busy", 0);
    calls.push(timed(() => lock.releaseLock()));
  }
  samples.lockCalls = calls;
  return lockAnswer("acquired", calls.reduce((sum, ms) => sum + ms, 0) / calls.length);
}

const TIMES = 5;

/** Sheets' costs on the temporary sheet: round trips, queued writes, commits, a block written and read. */
export function measureSheets(sheet: Sheet, samples: CostSamples): void {
  SpreadsheetApp.flush();
  samples.roundTrips = repeat(TIMES, () => timed(() => sheet.getLastRow()));
  // A queued write takes well under the clock's millisecond: timed in tens.
  samples.queuedWrites = repeat(
    3,
    (batch) =>
      timed(() => {
        for (let column = 1; column <= 10; column++)
          sheet.getRange(CELLS.queued + batch, column).setValue(column);
      }) / 10,
  );
  SpreadsheetApp.flush();
  sheet.getRange(CELLS.small).setValue("x");
  samples.smallFlushMs = timed(() => SpreadsheetApp.flush());
  const block = sheet.getRange(BLOCK.row, 1, BLOCK.rows, BLOCK.columns);
  const cells = BLOCK.rows * BLOCK.columns;
  block.setValues(Array.from({ length: BLOCK.rows }, (_, row) => Array(BLOCK.columns).fill(row)));
  samples.bigFlush = { cells, ms: timed(() => SpreadsheetApp.flush()) };
  samples.bigRead = { cells, ms: timed(() => block.getValues()) };
}

/** A user property the check writes and reads a few times, then deletes. */
const SCRATCH = "extendSync.platformCheck.scratch";

export function measureProperties(samples: CostSamples): void {
  const properties = PropertiesService.getUserProperties();
  try {
    samples.propertySets = repeat(TIMES, (index) =>
      timed(() => properties.setProperty(SCRATCH, String(index))),
    );
    samples.propertyGets = repeat(TIMES, () => timed(() => properties.getProperty(SCRATCH)));
  } finally {
    properties.deleteProperty(SCRATCH);
  }
}

export function measureSleep(samples: CostSamples): void {
  const requestedMs = 20;
  samples.sleeps = repeat(3, () => ({ requestedMs, ms: timed(() => Utilities.sleep(requestedMs)) }));
}
