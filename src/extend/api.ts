// The Extend API's vocabulary for the workflow-run endpoints this add-on calls (API version 2026-02-09): update,
// get and list. Field names follow reference/extend-api.md; the response types list only what the add-on reads.

export const API_VERSION = "2026-02-09";

export type Region = "US1" | "US2" | "EU1";

export const BASE_URL_BY_REGION: Readonly<Record<Region, string>> = {
  US1: "https://api.extend.ai",
  US2: "https://api.us2.extend.app",
  EU1: "https://api.eu1.extend.ai",
};

export function isRegion(value: string): value is Region {
  return value in BASE_URL_BY_REGION;
}

/** Run kinds whose ids share the update path's shape but cannot be updated there. */
export const OTHER_RUN_KIND_PREFIXES = ["exr_", "pr_", "clr_", "splr_", "edr_"] as const;

export const MAX_RUN_ID_LENGTH = 255;
export const MAX_METADATA_BYTES = 10 * 1024;
export const USAGE_TAGS_KEY = "extend:usage_tags";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface UpdateWorkflowRunBody {
  name?: string;
  metadata?: Record<string, JsonValue>;
}

/** The statuses known today; the SDK types status as `... | string`, so others must pass through. */
export type WorkflowRunStatus =
  | "PENDING"
  | "PROCESSING"
  | "NEEDS_REVIEW"
  | "REJECTED"
  | "PROCESSED"
  | "FAILED"
  | "CANCELLED"
  | "CANCELLING"
  | (string & {});

export const RUN_STATUSES = [
  "PENDING",
  "PROCESSING",
  "NEEDS_REVIEW",
  "REJECTED",
  "PROCESSED",
  "FAILED",
  "CANCELLED",
  "CANCELLING",
] as const;

/** What Get and Update answer (the full WorkflowRun); every field is checked before use, none is trusted. */
export interface WorkflowRunResponse {
  object: "workflow_run";
  id: string;
  status: WorkflowRunStatus;
  dashboardUrl?: unknown;
  metadata?: unknown;
  failureReason?: unknown;
  failureMessage?: unknown;
  /** `{credits, totalCredits?, breakdown?}`, or null for runs before 2025-10-07 and legacy billing. */
  usage?: unknown;
}

/** List's filters (reference §2); unset ones are not sent. */
export interface ListRunsFilters {
  workflowId?: string;
  batchId?: string;
  status?: string;
  fileNameContains?: string;
  sortBy?: "createdAt" | "updatedAt";
  sortDir?: "asc" | "desc";
}

export interface ApiErrorBody {
  code?: string;
  message?: string;
  retryable?: boolean;
  requestId?: string;
  docUrl?: string;
}
