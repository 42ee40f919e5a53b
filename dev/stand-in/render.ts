// Turns a stored run into what the 2026-02-09 API returns: the full WorkflowRun (get/update) or the
// WorkflowRunSummary (list). Neither carries `name`, which that version no longer returns.
import { RUN_ID_PREFIX } from "./runs.js";
import type { StepRun, StoredRun, WorkflowRun, WorkflowRunSummary } from "./types.js";

const DASHBOARD_BASE = "https://dashboard.extend.ai/workflows/";

type StepStatuses = readonly [parse: string, extract: string | null];

// What a two-step (parse, then extract) workflow has run so far, by run status.
const STEP_PROGRESS: Record<string, StepStatuses | undefined> = {
  PROCESSING: ["PROCESSED", "PROCESSING"],
  CANCELLING: ["PROCESSED", "PROCESSING"],
  CANCELLED: ["PROCESSED", "CANCELLED"],
  FAILED: ["FAILED", null],
  NEEDS_REVIEW: ["PROCESSED", "PROCESSED"],
  REJECTED: ["PROCESSED", "PROCESSED"],
  PROCESSED: ["PROCESSED", "PROCESSED"],
};

const STEP_KINDS = {
  parse: {
    type: "PARSE",
    idSuffix: "p",
    stepId: "step_parse_document",
    name: "Parse document",
    resultKey: "parseRun",
    resultObject: "parse_run",
    runPrefix: "pr_",
  },
  extract: {
    type: "EXTRACT",
    idSuffix: "e",
    stepId: "step_extract_fields",
    name: "Extract fields",
    resultKey: "extractRun",
    resultObject: "extract_run",
    runPrefix: "exr_",
  },
} as const;

/** Derived rather than stored: keeps 20,000 seeded runs small, and runs added by tests get steps for free. */
export function stepRunsFor(run: StoredRun): StepRun[] {
  const progress = STEP_PROGRESS[run.status];
  if (!progress) return [];
  const suffix = run.id.startsWith(RUN_ID_PREFIX) ? run.id.slice(RUN_ID_PREFIX.length) : run.id;
  const [parseStatus, extractStatus] = progress;
  const step = (kind: (typeof STEP_KINDS)[keyof typeof STEP_KINDS], status: string): StepRun => ({
    object: "workflow_step_run",
    id: `workflow_step_run_${suffix}_${kind.idSuffix}`,
    workflowRunId: run.id,
    status,
    stepType: kind.type,
    files: run.files,
    step: { object: "workflow_step", id: kind.stepId, name: kind.name, type: kind.type },
    result: { [kind.resultKey]: { object: kind.resultObject, id: `${kind.runPrefix}${suffix}`, status } },
  });
  const steps = [step(STEP_KINDS.parse, parseStatus)];
  if (extractStatus) steps.push(step(STEP_KINDS.extract, extractStatus));
  return steps;
}

export function toWorkflowRun(run: StoredRun): WorkflowRun {
  const failed = run.status === "FAILED";
  return {
    object: "workflow_run",
    id: run.id,
    workflow: run.workflow,
    workflowVersion: run.workflowVersion,
    dashboardUrl: DASHBOARD_BASE + run.id,
    status: run.status,
    metadata: run.metadata,
    batchId: run.batchId,
    files: run.files,
    failureReason: failed ? run.failureReason : null,
    failureMessage: failed ? run.failureMessage : null,
    initialRunAt: run.initialRunAt,
    reviewedByUser: run.reviewedByUser,
    reviewed: run.reviewed,
    rejectionNote: run.rejectionNote,
    reviewedAt: run.reviewedAt,
    startTime: run.startTime,
    endTime: run.endTime,
    stepRuns: stepRunsFor(run),
    usage: run.usage,
  };
}

export function toWorkflowRunSummary(run: StoredRun): WorkflowRunSummary {
  return {
    object: "workflow_run",
    id: run.id,
    status: run.status,
    workflow: run.workflow,
    workflowVersion: run.workflowVersion,
    dashboardUrl: DASHBOARD_BASE + run.id,
    reviewedByUser: run.reviewedByUser,
    reviewedAt: run.reviewedAt,
    initialRunAt: run.initialRunAt,
    startTime: run.startTime,
    endTime: run.endTime,
    batchId: run.batchId,
    rejectionNote: run.rejectionNote,
    files: run.files,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    usage: run.usage === null ? null : { credits: run.usage.credits, totalCredits: run.usage.totalCredits },
  };
}
