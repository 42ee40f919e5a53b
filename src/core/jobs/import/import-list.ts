// The import's data: List's filters as users type them (checked, as anything may arrive from a dialog), and a
// page of List's answer read defensively, its text scrubbed of the key and cut. Where each run goes in the new
// sheet is import-layout.ts.
import { type ListRunsFilters, RUN_STATUSES } from "../../../extend/api";
import { hasLoneSurrogate } from "../../requests/rows";
import { creditsOf } from "../../requests/run-facts";
import { fromServer, type Scrub } from "../../requests/secrets";

/** maxPageSize's limits are UNKNOWN (reference §2): ask for at most this many and accept fewer. */
export const MAX_PAGE_SIZE = 100;
/** More rows than this would not fit a spreadsheet's 10 million cells at the import's width anyway. */
export const MAX_IMPORT_COUNT = 400_000;
const MAX_FILTER_LENGTH = 255;

export interface ImportRequest {
  filters: ListRunsFilters;
  max?: number;
  withCurrent: boolean;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 32) return true;
  return false;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function filterText(
  fields: Record<string, unknown>,
  name: string,
  label: string,
): Parsed<string | undefined> {
  const value = fields[name];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== "string") return { ok: false, message: `${label} must be text.` };
  const text = value.trim();
  if (text === "") return { ok: true, value: undefined };
  if (text.length > MAX_FILTER_LENGTH || hasControlCharacter(text))
    return {
      ok: false,
      message: `${label} is not something Extend could match (too long, or a line break).`,
    };
  if (hasLoneSurrogate(text))
    return {
      ok: false,
      message: `${label} holds half of a character (a broken copy and paste): type it again.`,
    };
  return { ok: true, value: text };
}

/** The import's filters from a dialog or the sidebar: each checked, unknown fields ignored. */
export function parseImportRequest(input: unknown): Parsed<ImportRequest> {
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const filters: ListRunsFilters = {};
  const texts = [
    ["workflowId", "Workflow ID"],
    ["batchId", "Batch ID"],
    ["fileNameContains", "File name contains"],
  ] as const;
  for (const [name, label] of texts) {
    const parsed = filterText(fields, name, label);
    if (!parsed.ok) return parsed;
    if (parsed.value !== undefined) filters[name] = parsed.value;
  }
  const status = filterText(fields, "status", "Status");
  if (!status.ok) return status;
  if (status.value !== undefined) {
    const upper = status.value.toUpperCase();
    if (!(RUN_STATUSES as readonly string[]).includes(upper))
      return { ok: false, message: `Status must be one of ${RUN_STATUSES.join(", ")}, or empty for any.` };
    filters.status = upper;
  }
  if (fields.sortBy !== undefined && fields.sortBy !== "") {
    if (fields.sortBy !== "createdAt" && fields.sortBy !== "updatedAt")
      return { ok: false, message: "Sort by must be the creation or the update time." };
    filters.sortBy = fields.sortBy;
  }
  if (fields.sortDir !== undefined && fields.sortDir !== "") {
    if (fields.sortDir !== "asc" && fields.sortDir !== "desc")
      return { ok: false, message: "The sort direction must be oldest first or newest first." };
    filters.sortDir = fields.sortDir;
  }
  const request: ImportRequest = { filters, withCurrent: fields.withCurrent === true };
  const max = fields.max;
  if (max !== undefined && max !== null && max !== "") {
    const count = typeof max === "string" ? Number(max.trim()) : max;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > MAX_IMPORT_COUNT)
      return {
        ok: false,
        message: `The maximum number of runs must be a whole number from 1 to ${MAX_IMPORT_COUNT.toLocaleString("en-US")}, or empty for all.`,
      };
    request.max = count;
  }
  return { ok: true, value: request };
}

/** The filters in words, for the run log, progress and the sheet's name. */
export function describeFilters(request: Pick<ImportRequest, "filters" | "max">): string {
  const { filters } = request;
  const parts: string[] = [];
  if (filters.status) parts.push(`status ${filters.status}`);
  if (filters.workflowId) parts.push(`workflow ${filters.workflowId}`);
  if (filters.batchId) parts.push(`batch ${filters.batchId}`);
  if (filters.fileNameContains) parts.push(`file name contains "${filters.fileNameContains}"`);
  if (filters.sortBy || filters.sortDir)
    parts.push(
      `sorted by ${filters.sortBy === "updatedAt" ? "update" : "creation"} time, ${filters.sortDir === "asc" ? "oldest" : "newest"} first`,
    );
  if (request.max !== undefined) parts.push(`at most ${request.max.toLocaleString("en-US")}`);
  return parts.length === 0 ? "all runs" : parts.join(", ");
}

/** One run of a page, as far as the import uses it; every field checked. */
export interface ListedRun {
  id: string;
  status: string;
  dashboardUrl?: string;
  workflowName: string;
  workflowId: string;
  batchId: string;
  fileNames: string;
  createdAt?: Date;
  updatedAt?: Date;
  credits: number | null;
}

export interface ListPage {
  runs: ListedRun[];
  nextPageToken?: string;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const text = (value: unknown): string => (typeof value === "string" ? value : "");

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

function listedRun(value: unknown, scrub: Scrub): ListedRun | undefined {
  const run = record(value);
  if (typeof run.id !== "string" || run.id === "") return undefined;
  const workflow = record(run.workflow);
  const files = Array.isArray(run.files) ? run.files : [];
  const listed: ListedRun = {
    id: fromServer(run.id, 255, scrub),
    status: fromServer(text(run.status), 200, scrub),
    workflowName: fromServer(text(workflow.name), 500, scrub),
    workflowId: fromServer(text(workflow.id), 255, scrub),
    batchId: fromServer(text(run.batchId), 255, scrub),
    fileNames: fromServer(
      files
        .map((file) => text(record(file).name))
        .filter((name) => name !== "")
        .join(", "),
      5_000,
      scrub,
    ),
    // The same reading as a refresh's: numeric text counts; a figure that is not a number is left blank.
    credits: creditsOf(run.usage) ?? null,
  };
  if (typeof run.dashboardUrl === "string" && /^https:\/\//i.test(run.dashboardUrl))
    listed.dashboardUrl = fromServer(run.dashboardUrl, 2_000, scrub);
  const createdAt = dateOf(run.createdAt);
  if (createdAt) listed.createdAt = createdAt;
  const updatedAt = dateOf(run.updatedAt);
  if (updatedAt) listed.updatedAt = updatedAt;
  return listed;
}

/** Longest List cursor taken; real cursors are short opaque tokens (UNKNOWN how short: far below this). */
export const MAX_CURSOR_LENGTH = 1_000;

/** A List answer, or undefined when the body is not one (then the page is asked for again). */
export function parseListPage(body: string, scrub: Scrub): ListPage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const list = record(parsed);
  if (!Array.isArray(list.data)) return undefined;
  const page: ListPage = { runs: [] };
  for (const entry of list.data) {
    const run = listedRun(entry, scrub);
    if (run) page.runs.push(run);
  }
  // An empty cursor means no more pages, like an absent one. The cursor is saved in the job (one 9 KB property)
  // and sent back in a URL (2,082 characters at most), so one that could not fit, or that holds the key, is no
  // answer to go on from.
  if (typeof list.nextPageToken === "string" && list.nextPageToken !== "") {
    const cursor = list.nextPageToken;
    if (cursor.length > MAX_CURSOR_LENGTH || scrub(cursor) !== cursor) return undefined;
    page.nextPageToken = cursor;
  }
  return page;
}
