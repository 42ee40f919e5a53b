// Before a job starts: about how many web requests it will make, by kind, and, when that is more than is left of
// today's allowance, the question the sidebar and the menu ask first (with how far the job would get). A new
// kind of job, or a new request per row (history's GET), is one more line in ESTIMATORS.

import type { JobKind } from "../engine/job";
import type { SendConfirmation, SyncPlan } from "../engine/plan";
import { MAX_PAGE_SIZE } from "../jobs/import/import-list";
import { fingerprint } from "../requests/fingerprint";
import { namesTags, type TagMode } from "../requests/tag-mode";
import { allowanceWords, type QuotaView } from "./quota";

/** What a job is about to do, as far as its requests go. */
export interface JobWork {
  kind: JobKind;
  /** Rows it sends or reads (for an import: the runs it will list, when a maximum says). */
  rows: number;
  /** Of them, rows whose run is read before it is written (the add and remove tag modes, rows naming tags). */
  rowsReadFirst: number;
  /** An import: whether it reads each run's current values after listing. */
  withCurrent?: boolean;
}

/** Requests of each kind of job before retries; undefined when it cannot be known (an import without a maximum). */
export const ESTIMATORS: Readonly<Record<JobKind, (work: JobWork) => number | undefined>> = {
  // A POST per row; in the add and remove modes a GET first for rows naming tags.
  update: (work) => work.rows + work.rowsReadFirst,
  refresh: (work) => work.rows,
  preview: (work) => work.rows,
  // List's pages, then with current values one GET per run.
  import: (work) =>
    work.rows === 0 ? undefined : Math.ceil(work.rows / MAX_PAGE_SIZE) + (work.withCurrent ? work.rows : 0),
  // Each run recorded by the sync: a GET to see it still holds what the sync set, then a POST of what it had.
  undo: (work) => work.rows * 2,
};

/** Answers of 429, 5xx or the network are sent again; a share of the requests is kept for them. */
export const RETRY_ALLOWANCE = 0.02;

export interface Estimate {
  kind: JobKind;
  requests: number;
  rows: number;
}

export function estimateRequests(work: JobWork): Estimate | undefined {
  const base = ESTIMATORS[work.kind](work);
  if (base === undefined) return undefined;
  return { kind: work.kind, requests: base + Math.ceil(base * RETRY_ALLOWANCE), rows: work.rows };
}

/**
 * A sync's or a preview's work from its plan: the rows it will send (or compare). A sync that keeps history reads
 * every run before it writes it, in every tag mode.
 */
export function planWork(kind: JobKind, plan: SyncPlan, tagMode: TagMode, keepsHistory = false): JobWork {
  let rows = 0;
  let rowsReadFirst = 0;
  for (const row of plan.rows) {
    if (!("send" in row.action)) continue;
    rows += 1;
    if (kind === "update" && (keepsHistory || (tagMode !== "replace" && namesTags(row.action.send))))
      rowsReadFirst += 1;
  }
  return { kind, rows, rowsReadFirst };
}

/** A refresh's work from its plan: the runs it will read. */
export function readWork(plan: SyncPlan): JobWork {
  return { kind: "refresh", rows: plan.rows.filter((row) => "read" in row.action).length, rowsReadFirst: 0 };
}

/** More requests are needed than are left today: what to tell the person before the job starts. */
export interface QuotaShortfall {
  needed: number;
  left: number;
  /** Rows (runs, for an import) the job would get through before the allowance runs out. */
  rowsBeforeStop: number;
  /** "This needs about N web requests; about M are left today …" */
  text: string;
  /** "Send anyway?" or "Start anyway?" */
  question: string;
}

const NOUNS: Readonly<Record<JobKind, { job: string; rows: string; question: string }>> = {
  update: { job: "sync", rows: "rows", question: "Send anyway?" },
  refresh: { job: "refresh", rows: "rows", question: "Start the refresh anyway?" },
  preview: { job: "preview", rows: "rows", question: "Start the preview anyway?" },
  import: { job: "import", rows: "runs", question: "Start the import anyway?" },
  undo: { job: "undo", rows: "runs", question: "Start the undo anyway?" },
};

/** The shortfall, or undefined when the job fits into what is left today (or its size is not known). */
export function quotaShortfall(estimate: Estimate | undefined, quota: QuotaView): QuotaShortfall | undefined {
  if (!estimate || estimate.requests <= quota.left) return undefined;
  const rowsBeforeStop = Math.floor((quota.left * estimate.rows) / estimate.requests);
  const nouns = NOUNS[estimate.kind];
  const count = (value: number) => value.toLocaleString("en-US");
  return {
    needed: estimate.requests,
    left: quota.left,
    rowsBeforeStop,
    text: `This needs about ${count(estimate.requests)} web requests; about ${count(quota.left)} are left today of ${allowanceWords(quota.account)}: the ${nouns.job} would stop after about ${count(rowsBeforeStop)} ${nouns.rows}. Other scripts of your Google account share the same allowance.`,
    question: nouns.question,
  };
}

/** What a job asks before it starts: tag changes and the tag mode (a sync), and a shortfall of requests. */
export interface JobConfirmation extends SendConfirmation {
  quota?: QuotaShortfall;
}

/**
 * The confirmation to ask, or undefined when nothing needs asking: the sync's own (tag changes, tag mode) with
 * the shortfall added. The token names the estimate too, so a Yes is not taken for a larger job.
 */
export function withShortfall(
  asked: SendConfirmation | undefined,
  shortfall: QuotaShortfall | undefined,
  tagMode: TagMode,
): JobConfirmation | undefined {
  if (!shortfall) return asked;
  const base: SendConfirmation = asked ?? {
    warnings: [],
    rowsWithTagChanges: 0,
    token: "",
    tagMode,
    rowsNamingTags: 0,
  };
  return {
    ...base,
    token: fingerprint(`quota:${shortfall.needed}`, { name: base.token }),
    quota: shortfall,
  };
}

/** The title and the question of a confirmation, the same in the sidebar and the menu. */
export function confirmationWords(
  confirmation: Pick<JobConfirmation, "rowsWithTagChanges" | "tagMode" | "rowsNamingTags" | "quota">,
): { title: string; question: string } {
  if (confirmation.rowsWithTagChanges > 0)
    return { title: "Extend will change some tags", question: "Send the rows with the cleaned tags?" };
  if (confirmation.tagMode !== "replace" && confirmation.rowsNamingTags > 0)
    return { title: `Sync with tag mode ${confirmation.tagMode}?`, question: "Send the rows?" };
  return {
    title: "Not enough web requests left today",
    question: confirmation.quota?.question ?? "Send the rows?",
  };
}
