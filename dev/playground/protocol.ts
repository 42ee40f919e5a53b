// Messages between the playground's HTTP server (main thread) and the local Apps Script host (worker thread).
// The host blocks its thread for a whole execution, so it runs apart and pushes sheet snapshots as it works.

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
}

export interface SheetSnapshot {
  version: number;
  sheets: string[];
  sheetName: string;
  header: string[];
  rows: string[][];
  hiddenColumns: number[];
  /** 1-based rows selected on the shown sheet. */
  selection: { first: number; last: number } | null;
  toasts: string[];
}

export type ToHost =
  | { type: "run"; id: number; functionName: string; args: unknown[]; user?: string }
  | { type: "select"; sheetName: string; firstRow?: number; lastRow?: number };

export type FromHost =
  | { type: "ready" }
  | { type: "sheet"; snapshot: Omit<SheetSnapshot, "version"> }
  | {
      type: "result";
      id: number;
      returned?: unknown;
      error?: string;
      killed: boolean;
    };
