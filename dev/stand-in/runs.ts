// Seeded, deterministic workflow runs: the same (count, seed) always gives the same runs, and the first N runs
// of a bigger set equal a smaller set of N, so examples and tests can name runs by id.
import { intBetween, mixSeed, pick, type Random, randomString, seededRandom } from "./random.js";
import { LazyRunMap } from "./run-store.js";
import {
  type FileSummary,
  type KnownWorkflowRunStatus,
  type Metadata,
  type RunUsage,
  type StoredRun,
  WORKFLOW_RUN_STATUSES,
  type WorkflowSummary,
  type WorkflowVersionSummary,
} from "./types.js";

export const RUN_ID_PREFIX = "workflow_run_";
const RUN_ID_SUFFIX_LENGTH = 21;
// Ids come from one stream and every other field from a per-run stream, so ids never depend on field choices.
const ID_STREAM = 0x1d;
const BATCH_STREAM_BASE = 1_000_000;
const RUNS_PER_BATCH = 20;
// From the day runs started reporting usage (reference §1 `usage`), so every seeded run has a usage field.
const FIRST_CREATED_AT = Date.parse("2025-10-07T08:00:00.000Z");
const MINUTES_BETWEEN_RUNS = 23;

interface SeedWorkflow {
  summary: WorkflowSummary;
  versions: WorkflowVersionSummary[];
  fileName: (random: Random, createdAt: Date) => string;
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));
const monthDay = (d: Date) => `${twoDigits(d.getUTCMonth() + 1)}${twoDigits(d.getUTCDate())}`;

function defineWorkflow(
  id: string,
  name: string,
  createdAt: string,
  versionIds: string[],
  fileName: SeedWorkflow["fileName"],
): SeedWorkflow {
  // The newest version of a workflow with several is its unpublished draft, as in the dashboard.
  const versions = versionIds.map((versionId, index): WorkflowVersionSummary => {
    const isDraft = index > 0 && index === versionIds.length - 1;
    return {
      object: "workflow_version",
      id: versionId,
      version: isDraft ? "draft" : String(index + 1),
      name: isDraft ? null : `Production v${index + 1}`,
      createdAt: new Date(Date.parse(createdAt) + index * 9 * 86_400_000).toISOString(),
    };
  });
  return {
    summary: { object: "workflow", id, name, createdAt, updatedAt: "2025-09-30T10:15:00.000Z" },
    versions,
    fileName,
  };
}

export const SEED_WORKFLOWS: readonly SeedWorkflow[] = [
  defineWorkflow(
    "workflow_BMdfq_yWM3sT-ZzvCnA3f",
    "Invoice Processing",
    "2025-06-03T14:02:11.000Z",
    ["workflow_version_Zk9mNP12Qw4-yTv8BdR3H", "workflow_version_Qm3xW8vLp2_nR5tYc7KdA"],
    (r, d) =>
      pick(r, [
        `invoice_${d.getUTCFullYear()}_${monthDay(d)}.pdf`,
        `INV-${intBetween(r, 10000, 99999)}.pdf`,
        `acme_invoice_${intBetween(r, 100, 999)}.pdf`,
        `Globex Invoice ${monthDay(d)}.pdf`,
      ]),
  ),
  defineWorkflow(
    "workflow_Rc7tLq2Vn9XpK4sWb8HdE",
    "Receipt Extraction",
    "2025-07-08T09:30:00.000Z",
    ["workflow_version_Hs4bN7qTz1-kW9mVx3LcP"],
    (r, d) =>
      pick(r, [
        `receipt_${monthDay(d)}_${intBetween(r, 1, 40)}.jpg`,
        `scan_${intBetween(r, 1000, 9999)}.png`,
      ]),
  ),
  defineWorkflow(
    "workflow_Lb3Nq8ZxT5mVr2YcK6pJa",
    "Bill of Lading Intake",
    "2025-08-12T16:45:00.000Z",
    [
      "workflow_version_Tp6cR2wXn8_jL4sDq9FbM",
      "workflow_version_Vy1kM5pZr7-qH3nWt8GsJ",
      "workflow_version_Bx9dF4hLs2_mP6vKq1NzR",
    ],
    (r) =>
      pick(r, [`BOL-${intBetween(r, 100000, 999999)}.pdf`, `bill_of_lading_${intBetween(r, 1, 500)}.pdf`]),
  ),
  defineWorkflow(
    "workflow_Po4Wk9JtR2nXs7LdQ3vBm",
    "Purchase Order Matching",
    "2025-09-02T11:20:00.000Z",
    ["workflow_version_Jc8sK3nQw5-tR1xLm7VdH"],
    (r) =>
      pick(r, [
        `PO_${intBetween(r, 10000, 99999)}.xlsx`,
        `purchase_order_${intBetween(r, 1, 900)}.csv`,
        `po_${intBetween(r, 1, 900)}.docx`,
      ]),
  ),
];

const FILE_TYPES: Record<string, string> = {
  pdf: "PDF",
  jpg: "IMG",
  png: "IMG",
  xlsx: "EXCEL",
  csv: "CSV",
  docx: "DOCX",
};

// Weighted towards what a real account holds: mostly finished runs.
const STATUS_WEIGHTS: ReadonlyArray<[KnownWorkflowRunStatus, number]> = [
  ["PROCESSED", 45],
  ["NEEDS_REVIEW", 12],
  ["PROCESSING", 10],
  ["PENDING", 8],
  ["FAILED", 8],
  ["REJECTED", 7],
  ["CANCELLED", 6],
  ["CANCELLING", 4],
];
const TOTAL_STATUS_WEIGHT = STATUS_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

const REVIEWERS = [
  "jane.doe@example.com",
  "omar.haddad@example.com",
  "li.wei@example.com",
  "ap-team@example.com",
];
const REJECTION_NOTES = [
  "Invalid invoice format",
  "Duplicate submission",
  "Totals do not match the PO",
  "Unreadable scan",
];
const FAILURES: ReadonlyArray<[string, string]> = [
  ["FILE_TYPE_NOT_SUPPORTED", "File type not supported for parsing."],
  ["PASSWORD_PROTECTED_FILE", "The file is password protected and could not be opened."],
  ["CORRUPT_FILE", "The file appears to be corrupt or truncated."],
  ["INTERNAL_ERROR", "An unexpected error occurred while processing the workflow."],
];
const EXISTING_METADATA: readonly Metadata[] = [
  { source: "email-intake" },
  { source: "sftp", customer: "Globex" },
  { customer: "Initech", "extend:usage_tags": ["production", "team-ops"] },
  { erpId: "ERP-2231", priority: "high" },
  { "extend:usage_tags": ["staging"] },
  { customer: "ACME Corp", invoiceTotal: 1250.5, approved: false },
];

function pickStatus(random: Random): KnownWorkflowRunStatus {
  let roll = random() * TOTAL_STATUS_WEIGHT;
  for (const [status, weight] of STATUS_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return "PROCESSED";
}

/** The ids `generateSeededRuns(count, seed)` uses, in the same order, without building the runs. */
export function seededRunIds(count: number, seed = 1): string[] {
  const random = seededRandom(mixSeed(seed, ID_STREAM));
  const ids = new Set<string>();
  while (ids.size < count) ids.add(RUN_ID_PREFIX + randomString(random, RUN_ID_SUFFIX_LENGTH));
  return [...ids];
}

function seededBatchId(seed: number, batchIndex: number): string {
  return `batch_${randomString(seededRandom(mixSeed(seed, BATCH_STREAM_BASE + batchIndex)), 8)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

function seededFile(runId: string, random: Random, wf: SeedWorkflow, createdAtMs: number): FileSummary {
  const name = wf.fileName(random, new Date(createdAtMs));
  const extension = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  const type = FILE_TYPES[extension] ?? null;
  const pageCount =
    type === "PDF" || type === "DOCX" ? intBetween(random, 1, 30) : type === "IMG" ? 1 : undefined;
  const uploadedAt = iso(createdAtMs - intBetween(random, 1, 60) * 1000);
  return {
    object: "file",
    id: `file_${runId.slice(RUN_ID_PREFIX.length, RUN_ID_PREFIX.length + 18)}${randomString(random, 4)}`,
    name,
    type,
    parentFileId: null,
    metadata: pageCount === undefined ? {} : { pageCount },
    createdAt: uploadedAt,
    updatedAt: uploadedAt,
  };
}

function seededUsage(runId: string, status: string, pages: number): RunUsage | null {
  if (status === "PENDING") return null;
  const suffix = runId.slice(RUN_ID_PREFIX.length);
  const breakdown = [{ object: "parse_run", id: `pr_${suffix}`, credits: pages }];
  if (!["PROCESSING", "CANCELLING", "CANCELLED", "FAILED"].includes(status)) {
    breakdown.push({ object: "extract_run", id: `exr_${suffix}`, credits: pages * 2 });
  }
  const credits = breakdown.reduce((sum, entry) => sum + entry.credits, 0);
  return { credits, totalCredits: credits, breakdown };
}

function seededRun(id: string, index: number, seed: number): StoredRun {
  const random = seededRandom(mixSeed(seed, index + 1));
  // The first eight runs walk the whole enum, so even a tiny seeded set shows every status.
  const status: KnownWorkflowRunStatus = WORKFLOW_RUN_STATUSES[index] ?? pickStatus(random);
  const wf = pick(random, SEED_WORKFLOWS);
  const workflowVersion = pick(random, wf.versions);
  const createdAtMs =
    FIRST_CREATED_AT + index * MINUTES_BETWEEN_RUNS * 60_000 + intBetween(random, 0, 300) * 1000;
  const files = [seededFile(id, random, wf, createdAtMs)];
  if (random() < 0.1) files.push(seededFile(id, random, wf, createdAtMs));
  const pages = files.reduce((sum, f) => sum + (f.metadata.pageCount ?? 1), 0);

  const started = status !== "PENDING";
  const finished = ["PROCESSED", "FAILED", "CANCELLED", "REJECTED"].includes(status);
  const initialRunAtMs = started ? createdAtMs : null;
  const startMs = started ? createdAtMs + intBetween(random, 1, 20) * 1000 : null;
  const endMs = finished && startMs !== null ? startMs + intBetween(random, 8, 240) * 1000 : null;
  const reviewed = status === "REJECTED" || (status === "PROCESSED" && random() < 0.4);
  const reviewedAtMs = reviewed && endMs !== null ? endMs + intBetween(random, 5, 600) * 60_000 : null;
  const failure = status === "FAILED" ? pick(random, FAILURES) : null;
  const batchIndex = Math.floor(index / RUNS_PER_BATCH);
  const batchId = random() < 0.3 ? null : seededBatchId(seed, batchIndex);
  const metadata = random() < 0.4 ? structuredClone(pick(random, EXISTING_METADATA)) : {};
  const updatedAtMs = Math.max(createdAtMs, startMs ?? 0, endMs ?? 0, reviewedAtMs ?? 0);

  return {
    id,
    name: null,
    status,
    workflow: wf.summary,
    workflowVersion,
    batchId,
    files,
    metadata,
    failureReason: failure?.[0] ?? null,
    failureMessage: failure?.[1] ?? null,
    initialRunAt: initialRunAtMs === null ? null : iso(initialRunAtMs),
    reviewedByUser: reviewed ? pick(random, REVIEWERS) : null,
    reviewed,
    rejectionNote: status === "REJECTED" ? pick(random, REJECTION_NOTES) : null,
    reviewedAt: reviewedAtMs === null ? null : iso(reviewedAtMs),
    startTime: startMs === null ? null : iso(startMs),
    endTime: endMs === null ? null : iso(endMs),
    usage: seededUsage(id, status, pages),
    createdAt: iso(createdAtMs),
    updatedAt: iso(updatedAtMs),
  };
}

/** `count` seeded runs keyed by id, in seeded order; each is built when first read, so 20,000 cost little. */
export function generateSeededRuns(count: number, seed = 1): LazyRunMap {
  return new LazyRunMap(seededRunIds(count, seed), (id, index) => seededRun(id, index, seed));
}

function firstOf<T>(items: readonly T[]): T {
  const [item] = items;
  if (item === undefined) throw new Error("empty list");
  return item;
}

/**
 * Completes a partial run given by a test (control route `POST /_stand-in/runs`): anything not given is taken
 * from a plain PROCESSED invoice run, so `{id, metadata}` is enough.
 */
export function completeRun(partial: Partial<StoredRun> & { id: string }, now = new Date()): StoredRun {
  const at = now.toISOString();
  const wf = firstOf(SEED_WORKFLOWS);
  const base: StoredRun = {
    id: partial.id,
    name: null,
    status: "PROCESSED",
    workflow: wf.summary,
    workflowVersion: firstOf(wf.versions),
    batchId: null,
    files: [seededFile(partial.id, seededRandom(mixSeed(0, 7)), wf, now.getTime())],
    metadata: {},
    failureReason: null,
    failureMessage: null,
    initialRunAt: at,
    reviewedByUser: null,
    reviewed: false,
    rejectionNote: null,
    reviewedAt: null,
    startTime: at,
    endTime: at,
    usage: { credits: 3, totalCredits: 3 },
    createdAt: at,
    updatedAt: at,
  };
  return { ...base, ...partial };
}
