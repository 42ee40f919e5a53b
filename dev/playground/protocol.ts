// Messages between the playground's HTTP server (main thread) and the local Apps Script host (worker thread).
// The host blocks its thread for a whole execution, so it runs apart and pushes sheet snapshots as it works.
// The thread takes one message at a time, so a person's edit posted while the add-on runs is applied after that
// execution ends and before the next one starts, as Sheets applies a typed value between two script calls.
// Light calls (a running step's progress) run meanwhile in a second host thread (light-worker.ts), as Apps
// Script runs a page's google.script.run calls in parallel; the document cache they read is mirrored into it.

export interface HostSetup {
  standInUrl: string;
  /** The bundle's entry functions: the only names the host runs (the server refuses the others first). */
  entryFunctions: string[];
  /** Generated rows instead of the example sheet. */
  rows?: number;
  /** A CSV file to start with (default examples/runs.csv). */
  csvPath?: string;
  /** Apps Script's limit as the host enforces it and the add-on is told (default 360 s). */
  executionLimitSeconds?: number;
  /** Tests only: the n-th sync execution (1-based, start and continue calls) is killed once its first batch is answered. */
  killSyncExecutions?: number[];
  /**
   * Tests only: web requests this user already made today, as Google and the add-on's own count
   * (extendSync.urlFetchToday) both have them, to show the allowance running short.
   */
  requestsUsedToday?: number;
}

export interface SheetSnapshot {
  version: number;
  sheets: string[];
  sheetName: string;
  header: string[];
  rows: string[][];
  hiddenColumns: number[];
  /** The sheet's grid: a person can type into any cell of it, and no further. */
  grid: { rows: number; columns: number };
  /** 1-based rows selected on the shown sheet. */
  selection: { first: number; last: number } | null;
  /** 1-based columns of that selection. */
  selectionColumns: { first: number; last: number } | null;
  toasts: string[];
}

/**
 * A change a person makes to the sheet (never the add-on): typed text is read as Sheets reads typed input, ""
 * clears a cell, a paste is a block of tab-separated text as a spreadsheet copies it, and a CSV file becomes a
 * sheet named after the file (replacing one of that name), read as File > Import reads it.
 */
export type SheetEdit =
  | { kind: "set"; row: number; column: number; values: string[][] }
  | { kind: "paste"; row: number; column: number; text: string }
  | { kind: "insertRows"; after: number; count: number }
  | { kind: "deleteRows"; first: number; count: number }
  | { kind: "loadCsv"; fileName: string; text: string };

/** What became of an edit: a sentence for the page, and the sheet to show when the edit made one. */
export interface EditOutcome {
  message: string;
  sheetName?: string;
}

export interface Selection {
  sheetName: string;
  firstRow?: number;
  lastRow?: number;
  /** Without columns, whole rows are selected (from column A to the last column with data). */
  firstColumn?: number;
  lastColumn?: number;
}

export type ToHost =
  | { type: "run"; id: number; functionName: string; args: unknown[]; user?: string }
  | ({ type: "select"; id: number } & Selection)
  | { type: "edit"; id: number; sheetName: string; edit: SheetEdit };

/** A put (entry) or removal (none) of the document cache, made by an execution of the host thread. */
export interface CacheChange {
  type: "cache";
  key: string;
  entry?: { value: string; expiresAt: number };
}

/** The functions the light thread runs: they read the document cache only, so they need no sheet. */
export const LIGHT_FUNCTIONS: ReadonlySet<string> = new Set(["jobProgress"]);

export type ToLightHost =
  | CacheChange
  | { type: "run"; id: number; functionName: string; args: unknown[]; user?: string };

export type FromHost =
  | { type: "ready" }
  | CacheChange
  | { type: "sheet"; snapshot: Omit<SheetSnapshot, "version"> }
  | {
      type: "result";
      id: number;
      returned?: unknown;
      error?: string;
      killed: boolean;
    }
  | { type: "selected"; id: number }
  | ({ type: "edited"; id: number } & ({ outcome: EditOutcome } | { error: string }));

/** A google.script.run call's answer as the page gets it: the execution's result, or why the call was refused. */
export function clientResult(
  id: number,
  run: () => { returned?: unknown; killed: boolean; error?: Error | undefined },
): FromHost {
  try {
    const ran = run();
    return {
      type: "result",
      id,
      returned: ran.returned,
      killed: ran.killed,
      ...(ran.error ? { error: ran.error.message } : {}),
    };
  } catch (error) {
    // google.script.run refused the call itself (a private function, an illegal argument).
    return {
      type: "result",
      id,
      killed: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
