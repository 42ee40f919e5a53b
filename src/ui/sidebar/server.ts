// The server functions the sidebar calls, as promises over google.script.run (one call each; Apps Script runs
// at most 10 at once per page). In Apps Script google.script.run exists in the sidebar's page; the playground
// injects a copy that forwards to the local host.

import type { HistoryJob } from "../../core/jobs/history-jobs";
import type { PlatformCheckView } from "../../core/views/platform-report";
import type {
  CheckRowsView,
  ConnectionTestInput,
  ConnectionVerdict,
  ContinueAnswer,
  EndedJob,
  ImportForm,
  JobKind,
  JobStart,
  JobView,
  LiveProgress,
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
} from "../../core/views/sidebar-api";
import { failureLine, isSignedInTwice, SIGNED_IN_TWICE_ADVICE } from "./format";

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
  testConnection: (input: ConnectionTestInput) => call<Reply<ConnectionVerdict>>("testConnection", input),
  platformCheck: () => call<Reply<PlatformCheckView>>("platformCheck"),
  checkRows: (tagMode: TagMode) => call<Reply<CheckRowsView>>("checkRows", tagMode),
  rowRequestBody: (row: number, tagMode: TagMode) => call<Reply<RowBody>>("rowRequestBody", row, tagMode),
  selectRow: (sheetName: string, row: number) =>
    call<Reply<{ sheetName: string; row: number }>>("selectRow", sheetName, row),
  rowsToFix: (sheetName: string, jobId: string) => call<Reply<SyncProblems>>("rowsToFix", sheetName, jobId),
  pauseSyncJob: (jobId: string) => call<Reply<{ paused: boolean }>>("pauseSyncJob", jobId),
  endPausedSyncJob: (jobId: string) => call<Reply<EndedJob>>("endPausedSyncJob", jobId),
  setUpSheet: () => call<Reply<SetupResult>>("setUpSheetFromSidebar"),
  startSyncJob: (request: StartRequest) => call<StartAnswer>("startSyncJob", request),
  startRefreshJob: (request: RefreshRequest) => call<StartAnswer>("startRefreshJob", request),
  startPreviewJob: (request: PreviewRequest) => call<StartAnswer>("startPreviewJob", request),
  startImportJob: (request: ImportForm) => call<StartAnswer>("startImportJob", request),
  historyJobs: () => call<HistoryJob[]>("historyJobs"),
  /** Without a token: the undo's confirmation ("confirm-undo"); nothing is sent. */
  askUndo: (jobId: string) => call<StartAnswer>("startUndoJob", { jobId }),
  continueSyncJob: (jobId: string) => call<ContinueAnswer>("continueSyncJob", jobId),
  currentSyncJob: () => call<JobView | null>("currentSyncJob"),
  /** A running step's progress so far: the job's by id, or (id null) a job started at most that long ago. */
  jobProgress: (jobId: string | null, startedWithinMs: number) =>
    call<LiveProgress | null>("jobProgress", jobId, startedWithinMs),
};

/** The server function that starts each kind of job. */
const START_FUNCTION: Readonly<Record<JobKind, string>> = {
  update: "startSyncJob",
  refresh: "startRefreshJob",
  preview: "startPreviewJob",
  import: "startImportJob",
  undo: "startUndoJob",
};

/** Starts any job with the server function its kind names; the fields besides `kind` are the request. */
export function startJob(start: JobStart): Promise<StartAnswer> {
  const { kind, ...request } = start;
  return call<StartAnswer>(START_FUNCTION[kind], request);
}

/** A failed call (no answer from Google) in one short line, never a stack. */
export function callFailure(error: unknown): string {
  if (isSignedInTwice(error)) return `${SIGNED_IN_TWICE_ADVICE} Then try again.`;
  return `Google did not answer (${failureLine(error)}). Check your connection and try again.`;
}
