// Numbers and times as the sidebar shows them: progress of a sync in rows, the rate, and the time left.
import type { JobKind, JobView, LiveProgress, SyncProgress, TagMode } from "../../core/views/sidebar-api";

export { counted, formatCount } from "../../core/views/count-words";

/** Seconds between two executions the sidebar drives (the call's round trip and Apps Script's start-up). */
export const EXECUTION_GAP_SECONDS = 3;

/** A failed call's error in one short line (its first, at most 200 characters), never a stack. */
export function failureLine(error: unknown, otherwise?: string): string {
  const text =
    error instanceof Error ? error.message : typeof error === "string" ? error : (otherwise ?? String(error));
  return (text.split("\n")[0] ?? "").slice(0, 200);
}

// What google.script.run's failure handler gets when the browser is signed into several Google accounts and
// the add-on's account is not the default one: "We're sorry, a server error occurred while reading from storage.
// Error code PERMISSION_DENIED." (github.com/enuchi/React-Google-Apps-Script/issues/46) or "ScriptError:
// Authorization is required to perform that action." (github.com/alexwforsythe/code-blocks/issues/53). Google
// treats it as a known limit (developers.google.com/apps-script/guides/support/troubleshooting#issues-multiple).
const SIGNED_IN_TWICE = /permission_denied|authorization is required to perform that action/i;

/** Whether a failed call is Google refusing the page because several Google accounts are signed in. */
export function isSignedInTwice(error: unknown): boolean {
  return SIGNED_IN_TWICE.test(error instanceof Error ? error.message : String(error));
}

/** What to do about it, in words for the person at the sidebar. */
export const SIGNED_IN_TWICE_ADVICE =
  "Google refused the sidebar's request because this browser is signed into several Google accounts. Open the spreadsheet in a browser profile (or a private window) where only the account that installed Extend Sync is signed in.";

/** "1 row/s", "7.3 rows/s", "75 rows/s" (or runs, for an undo, whose items are runs). */
export function formatRate(rate: number, noun: "row" | "run" = "row"): string {
  const shown = rate >= 10 ? Math.round(rate) : Math.round(rate * 10) / 10;
  return `${shown} ${shown === 1 ? noun : `${noun}s`}/s`;
}

/** "about 40 s", "about 3 min", "about 1 h 20 min": estimates, so rounded the way a person would say them. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "unknown";
  if (seconds < 5) return "a few seconds";
  if (seconds < 60) return `about ${Math.ceil(seconds / 5) * 5} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest > 0 ? ` ${rest} min` : ""}`;
}

export interface Estimate {
  rowsLeft: number;
  /** Requests per second in force now. */
  rate: number;
  /** Seconds an execution works before it pauses. */
  budgetSeconds: number;
  /** Rows per second seen so far in this sidebar, gaps between executions included; better than the rate. */
  observedRowsPerSecond?: number;
}

/** Time left: from what was seen when there is enough of it, else the rate plus a gap per execution. */
export function secondsLeft(estimate: Estimate): number {
  const { rowsLeft, rate, budgetSeconds, observedRowsPerSecond } = estimate;
  if (rowsLeft <= 0) return 0;
  if (observedRowsPerSecond !== undefined && observedRowsPerSecond > 0)
    return rowsLeft / observedRowsPerSecond;
  if (rate <= 0) return Number.POSITIVE_INFINITY;
  const sending = rowsLeft / rate;
  const executions = Math.ceil(sending / Math.max(1, budgetSeconds));
  return sending + executions * EXECUTION_GAP_SECONDS;
}

/** One job's progress as the sidebar needs it, from a SyncProgress or a saved job. */
export interface ProgressFigures {
  jobId: string;
  kind: JobKind;
  /** An import still reading pages: its total is not known yet. */
  listing: boolean;
  /** Runs an import has written so far. */
  imported: number;
  /** How a sync or preview treats tags, when not replace. */
  tagMode?: TagMode;
  /** Rows marked to be sent at the start: the progress bar's maximum. */
  rowsToSend: number;
  rowsLeft: number;
  /** Rows whose result is written: the progress bar's value. */
  rowsDone: number;
  sent: number;
  updated: number;
  failed: number;
  rate: number;
  /** "Web requests used by Extend Sync today: …", after a step. */
  quota?: string;
}

export function figuresOf(progress: SyncProgress | JobView | LiveProgress): ProgressFigures {
  const rowsLeft = Math.max(0, progress.rowsLeft);
  const rowsToSend = Math.max(0, progress.rowsToSend);
  const jobId = "jobId" in progress ? progress.jobId : progress.id;
  return {
    jobId,
    ...(progress.tagMode && progress.tagMode !== "replace" ? { tagMode: progress.tagMode } : {}),
    kind: progress.kind,
    listing: progress.listing === true,
    imported: progress.counts.imported,
    rowsToSend,
    rowsLeft,
    rowsDone: Math.min(rowsToSend, Math.max(0, rowsToSend - rowsLeft)),
    sent:
      progress.kind === "update"
        ? progress.counts.updated + progress.counts.failed
        : progress.counts.read + progress.counts.readFailed,
    updated: progress.counts.updated,
    failed: progress.kind === "update" ? progress.counts.failed : progress.counts.readFailed,
    rate: progress.rate,
    ...("quota" in progress && progress.quota ? { quota: progress.quota.line } : {}),
  };
}

export function percent(figures: ProgressFigures): number {
  return figures.rowsToSend === 0 ? 100 : Math.floor((figures.rowsDone / figures.rowsToSend) * 100);
}

/** The browser's own time zone, or undefined when it cannot tell. */
function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * A time as the run log and the server's messages show it: "2026-04-02 12:31" in the spreadsheet's time zone,
 * with the zone named when the browser's differs ("12:31 (Europe/Berlin)"), so two times never disagree unseen.
 * Without a valid zone, the browser's.
 */
export function formatTime(ms: number, timeZone?: string, browserZone = browserTimeZone()): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      ...(timeZone ? { timeZone } : {}),
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(new Date(ms));
  } catch {
    // An unknown zone name: the browser's zone, said as such.
    return timeZone ? formatTime(ms, undefined, browserZone) : new Date(ms).toISOString().slice(0, 16);
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? "";
  const text = `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
  return timeZone && timeZone !== browserZone ? `${text} (${timeZone})` : text;
}
