// The server functions the sidebar calls, as promises over google.script.run (one call each; Apps Script runs
// at most 10 at once per page). In Apps Script google.script.run exists in the sidebar's page; the playground
// injects a copy that forwards to the local host.
import type {
  CheckRowsView,
  ConnectionVerdict,
  ContinueAnswer,
  ImportForm,
  JobStart,
  JobView,
  PreviewRequest,
  RefreshRequest,
  Reply,
  RowBody,
  SettingsInput,
  SetupResult,
  SidebarState,
  StartAnswer,
  StartRequest,
  SyncProblems,
  TagMode,
} from "../../core/sidebar-api";

interface ScriptRun {
  withSuccessHandler(handler: (value: unknown) => void): ScriptRun;
  withFailureHandler(handler: (error: Error) => void): ScriptRun;
  [functionName: string]: (...args: never[]) => unknown;
}

declare const google: { script: { run: ScriptRun } };

function call<T>(functionName: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((value) => resolve(value as T))
      .withFailureHandler((error) => reject(error));
    (runner[functionName] as unknown as (...values: unknown[]) => void)(...args);
  });
}

export const server = {
  sidebarState: () => call<Reply<SidebarState>>("sidebarState"),
  saveApiKey: (key: string) => call<Reply<SidebarState>>("saveApiKey", key),
  forgetApiKey: () => call<Reply<SidebarState>>("forgetApiKey"),
  saveSettings: (input: SettingsInput) => call<Reply<SidebarState>>("saveSettings", input),
  testConnection: () => call<Reply<ConnectionVerdict>>("testConnection"),
  checkRows: (tagMode: TagMode) => call<Reply<CheckRowsView>>("checkRows", tagMode),
  rowRequestBody: (row: number, tagMode: TagMode) => call<Reply<RowBody>>("rowRequestBody", row, tagMode),
  selectRow: (sheetName: string, row: number) =>
    call<Reply<{ sheetName: string; row: number }>>("selectRow", sheetName, row),
  rowsToFix: (sheetName: string) => call<Reply<SyncProblems>>("rowsToFix", sheetName),
  setUpSheet: () => call<Reply<SetupResult>>("setUpSheetFromSidebar"),
  startSyncJob: (request: StartRequest) => call<StartAnswer>("startSyncJob", request),
  startRefreshJob: (request: RefreshRequest) => call<StartAnswer>("startRefreshJob", request),
  startPreviewJob: (request: PreviewRequest) => call<StartAnswer>("startPreviewJob", request),
  startImportJob: (request: ImportForm) => call<StartAnswer>("startImportJob", request),
  continueSyncJob: (jobId: string) => call<ContinueAnswer>("continueSyncJob", jobId),
  currentSyncJob: () => call<JobView | null>("currentSyncJob"),
};

/** Starts any job with the server function its kind names; the fields besides `kind` are the request. */
export function startJob(start: JobStart): Promise<StartAnswer> {
  switch (start.kind) {
    case "update": {
      const { kind: _kind, ...request } = start;
      return server.startSyncJob(request);
    }
    case "refresh": {
      const { kind: _kind, ...request } = start;
      return server.startRefreshJob(request);
    }
    case "preview": {
      const { kind: _kind, ...request } = start;
      return server.startPreviewJob(request);
    }
    case "import": {
      const { kind: _kind, ...request } = start;
      return server.startImportJob(request);
    }
  }
}

/** A failed call (no answer from Google) in one short line, never a stack. */
export function callFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `Google did not answer (${(text.split("\n")[0] ?? "").slice(0, 200)}). Check your connection and try again.`;
}
