// Wire shapes of Extend API 2026-02-09 workflow runs, and the stand-in's stored form of a run.
// Field lists follow docs/platform/extend-api.md (§1 WorkflowRun, §2 WorkflowRunSummary).

export const WORKFLOW_RUN_STATUSES = [
  "PENDING",
  "PROCESSING",
  "NEEDS_REVIEW",
  "REJECTED",
  "PROCESSED",
  "FAILED",
  "CANCELLED",
  "CANCELLING",
] as const;

export type KnownWorkflowRunStatus = (typeof WORKFLOW_RUN_STATUSES)[number];
// The SDK types status as `... | string`: tests may store a status the add-on has never seen.
export type WorkflowRunStatus = KnownWorkflowRunStatus | (string & {});

export type Metadata = Record<string, unknown>;

export interface WorkflowSummary {
  object: "workflow";
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersionSummary {
  object: "workflow_version";
  id: string;
  version: string;
  name: string | null;
  createdAt: string;
}

export interface FileSummary {
  object: "file";
  id: string;
  name: string;
  type: string | null;
  parentFileId: string | null;
  metadata: { pageCount?: number } & Metadata;
  createdAt: string;
  updatedAt: string;
}

export interface RunUsage {
  credits: number;
  totalCredits?: number;
  breakdown?: Array<{ object: string; id: string; credits: number }>;
}

/** The fields a stored run and the full WorkflowRun answer share. */
interface RunFields {
  id: string;
  status: WorkflowRunStatus;
  workflow: WorkflowSummary;
  workflowVersion: WorkflowVersionSummary;
  batchId: string | null;
  files: FileSummary[];
  metadata: Metadata;
  failureReason: string | null;
  failureMessage: string | null;
  initialRunAt: string | null;
  reviewedByUser: string | null;
  reviewed: boolean;
  rejectionNote: string | null;
  reviewedAt: string | null;
  startTime: string | null;
  endTime: string | null;
  usage: RunUsage | null;
}

/** What the stand-in keeps per run: the API fields plus `name`, `createdAt` and `updatedAt`, which 2026-02-09 hides. */
export interface StoredRun extends RunFields {
  name: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StepRun {
  object: "workflow_step_run";
  id: string;
  workflowRunId: string;
  status: string;
  stepType: string;
  files: FileSummary[];
  step: { object: "workflow_step"; id: string; name: string; type: string };
  result: Record<string, unknown> | null;
}

export interface WorkflowRun extends RunFields {
  object: "workflow_run";
  dashboardUrl: string;
  stepRuns: StepRun[];
}

export interface WorkflowRunSummary {
  object: "workflow_run";
  id: string;
  status: WorkflowRunStatus;
  workflow: WorkflowSummary;
  workflowVersion: WorkflowVersionSummary;
  dashboardUrl: string;
  reviewedByUser: string | null;
  reviewedAt: string | null;
  initialRunAt: string | null;
  startTime: string | null;
  endTime: string | null;
  batchId: string | null;
  rejectionNote: string | null;
  files: FileSummary[];
  createdAt: string;
  updatedAt: string;
  usage: { credits: number; totalCredits?: number } | null;
}

export interface WorkflowRunList {
  object: "list";
  data: WorkflowRunSummary[];
  nextPageToken?: string;
}
