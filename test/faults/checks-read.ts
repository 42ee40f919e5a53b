// What must hold after every refresh or preview of a fault scenario: each row it read shows exactly what Extend
// holds for that row's own run (status, tags, metadata, credits, failure, link), or says in Refresh Error why it
// could not be read; a hostile answer shows on its own row only; the columns of the last update are never
// touched; a preview marks a row as already in Extend only when Extend really holds what the row asks; and
// nothing in Extend changes. Each check returns violations as text, like checks.ts.
import { isDeepStrictEqual } from "node:util";
import type { ReceivedUpdate } from "../../dev/stand-in/stats.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { runIdTag } from "../../src/core/fingerprint.js";
import { DASHBOARD_BASE, type SheetView, type Stored, type Violations } from "./checks.js";
import { previewMatches, TAGS_KEY, tagsOf } from "./extend-state.js";
import { DEEP_JSON } from "./hostile.js";
import type { TagMode } from "./kinds.js";
import type { RowIntent } from "./sheet.js";

const ERROR_TEXT = /^[A-Z][A-Z0-9_]*: .+ What to do: .+/s;
const CUT_MARK = "[cut to fit a cell]";

export interface ReadCheckContext {
  job: "refresh" | "preview";
  mode: TagMode;
  intents: ReadonlyMap<string, RowIntent>;
  /** Extend's runs as the job found them (a read changes nothing), by id. */
  runs: ReadonlyMap<string, StoredRun>;
  /** The job ended stopped (401, 402): rows it never reached are untouched. */
  stopped: boolean;
  /** Faults were on: a row may end with the error of its last attempt. */
  faults: boolean;
  /** The hostile rows' answers were rewritten during this job. */
  hostile: boolean;
}

/** A row a refresh reads (any Run ID that may be a workflow run's) or a preview compares (a row a sync sends). */
function isRead(intent: RowIntent, job: ReadCheckContext["job"]): boolean {
  if (job === "preview")
    return intent.kind === "update" || intent.kind === "notFound" || intent.kind === "refused";
  return !intent.invalidBecause?.match(/is not a workflow run|contains a space/);
}

/**
 * The code a row's read must fail with whatever else happens, if it must fail ("*": with any code). A missing
 * run's 404 comes from Extend itself, behind the scenario's faults: its last attempt may meet one of those.
 */
function certainFailure(
  intent: RowIntent,
  job: ReadCheckContext["job"],
  hostile: boolean,
  faults: boolean,
): string | undefined {
  if (job === "refresh" && intent.kind === "invalid" && !isRead(intent, job)) return "INVALID_RUN_ID";
  if (intent.kind === "notFound") return faults ? "*" : "NOT_FOUND";
  if (intent.kind === "refused") return "INVALID_REQUEST";
  if (!hostile) return undefined;
  if (
    intent.hostile === "no metadata" ||
    intent.hostile === "metadata not an object" ||
    intent.hostile === "credits not a number"
  )
    return "BAD_RESPONSE";
  return undefined;
}

/** The read-only cells of a run read without fault, as the row must show them. */
function expectedCells(run: StoredRun, intent: RowIntent): Record<string, unknown> {
  const tags = run.metadata[TAGS_KEY];
  const failure = [run.failureReason ?? "", run.failureMessage ?? ""]
    .filter((part) => part !== "")
    .join(": ");
  return {
    "Run Status": run.status,
    "Current Tags":
      intent.hostile === "tags not a list"
        ? '(not a list of tags) "prod"'
        : tags === undefined
          ? ""
          : tagsOf(run.metadata).join(", "),
    Credits: run.usage?.credits ?? "",
    "Failure Reason": failure,
    "Dashboard Link": DASHBOARD_BASE + run.id,
  };
}

/** The Current Metadata cell against the run's metadata without its tags (plus what a hostile answer added). */
function metadataProblem(cell: string, run: StoredRun, intent: RowIntent): string | undefined {
  const rest: Record<string, unknown> = { ...run.metadata };
  delete rest[TAGS_KEY];
  if (intent.hostile === "huge metadata")
    return cell.length <= 50_000 &&
      cell.endsWith(CUT_MARK) &&
      cell.startsWith(JSON.stringify(rest).slice(0, -1))
      ? undefined
      : `Current Metadata is not the run's metadata cut to a cell (${cell.length} characters)`;
  if (cell === "" && Object.keys(rest).length === 0 && intent.hostile !== "deep metadata") return undefined;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(cell) as Record<string, unknown>;
  } catch {
    return `Current Metadata is not JSON: ${cell.slice(0, 200)}`;
  }
  if (intent.hostile === "deep metadata") {
    if (!cell.includes(`"deep":${DEEP_JSON}`)) return "Current Metadata lost the deep value";
    delete parsed.deep;
  }
  return isDeepStrictEqual(parsed, rest)
    ? undefined
    : `Current Metadata ${cell.slice(0, 200)} is not the run's ${JSON.stringify(rest).slice(0, 200)}`;
}

/** Every row of a refresh or preview in a correct, explained state, showing its own run as Extend holds it. */
export function checkReadRows(view: SheetView, context: ReadCheckContext, found: Violations): void {
  for (const row of view.rows) {
    const intent = context.intents.get(row.key);
    if (!intent) {
      found.add(`row ${row.row}: no Row Key the scenario knows (${row.key})`);
      continue;
    }
    const where = `${row.key} (row ${row.row}, ${intent.kind}${intent.hostile ? `, ${intent.hostile}` : ""})`;
    const out = row.outputs;
    for (const name of ["Sync Result", "Sync Error", "Synced At"])
      if (out[name] !== "") found.add(`${where}: a ${context.job} wrote ${name}`);
    for (const [name, value] of Object.entries(out))
      if (String(value).length > 50_000) found.add(`${where}: ${name} is over the cell limit`);
    if (row.outputFormulas.some((formula) => formula !== ""))
      found.add(`${where}: an output cell became a formula`);
    const error = String(out["Refresh Error"] ?? "");
    const readAt = out["Refreshed At"];
    const state = String(out["Sync State"] ?? "");
    const run = context.runs.get(intent.runId);

    if (!isRead(intent, context.job)) {
      if (readAt !== "" || (context.job === "preview" && error !== ""))
        found.add(`${where}: a ${context.job} wrote a row it does not read`);
      if (context.job === "refresh" && !error.startsWith("INVALID_RUN_ID: "))
        found.add(`${where}: a Run ID that cannot be read has no INVALID_RUN_ID error: ${error}`);
      continue;
    }
    const mustFail = certainFailure(intent, context.job, context.hostile, context.faults);
    const shown = context.hostile ? intent : { ...intent, hostile: undefined };
    if (error !== "") {
      if (!ERROR_TEXT.test(error)) found.add(`${where}: Refresh Error without code and what to do: ${error}`);
      if (mustFail && mustFail !== "*" && !error.startsWith(`${mustFail}: `))
        found.add(`${where}: should fail with ${mustFail}, but: ${error.slice(0, 300)}`);
      if (!mustFail && !context.faults) found.add(`${where}: could not be read without any fault: ${error}`);
      // A read that fails learns nothing new: the row keeps what an earlier read (or sync) found Extend held.
      const matches = run !== undefined && previewMatches(shown, run, context.mode);
      if (/\bsent=/.test(state) && context.job === "preview" && !matches)
        found.add(
          `${where}: a preview that could not read the run left it marked as in Extend, which it is not`,
        );
      continue;
    }
    if (mustFail) {
      if (readAt !== "" || !context.stopped)
        found.add(`${where}: should fail with ${mustFail}, but has no Refresh Error`);
      continue;
    }
    if (!(readAt instanceof Date)) {
      if (!context.stopped) found.add(`${where}: neither read nor failed after a ${context.job} that ended`);
      if (out["Current Tags"] !== "" || out["Current Metadata"] !== "")
        found.add(`${where}: untouched row shows current values`);
      continue;
    }
    if (!run) {
      found.add(`${where}: read, but Extend has no such run`);
      continue;
    }
    for (const [name, expected] of Object.entries(expectedCells(run, shown)))
      if (out[name] !== expected)
        found.add(
          `${where}: ${name} ${JSON.stringify(out[name]).slice(0, 200)} is not the run's ${JSON.stringify(expected).slice(0, 200)}`,
        );
    const metadata = metadataProblem(String(out["Current Metadata"] ?? ""), run, shown);
    if (metadata) found.add(`${where}: ${metadata}`);
    if (!state.includes(`of=${runIdTag(intent.runId)}`))
      found.add(`${where}: Sync State does not name its run`);
    if (context.job === "preview") {
      const marked = /\bsent=/.test(state);
      const matches = previewMatches(shown, run, context.mode);
      if (marked && !matches)
        found.add(`${where}: the preview marked it as in Extend, but Extend does not hold it`);
      if (!marked && matches)
        found.add(`${where}: Extend holds what the row asks, but the preview did not mark it`);
    }
  }
}

/** A refresh or preview sends no update, and every run in Extend is as the job found it. */
export function checkNothingChanged(
  requests: readonly ReceivedUpdate[],
  runs: ReadonlyMap<string, StoredRun>,
  stored: ReadonlyMap<string, Stored | null>,
  found: Violations,
): void {
  if (requests.length > 0) found.add(`${requests.length} update requests from a job that only reads`);
  for (const [id, run] of runs) {
    const now = stored.get(id);
    if (
      !now ||
      now.name !== run.name ||
      now.status !== run.status ||
      !isDeepStrictEqual(now.metadata, run.metadata)
    )
      found.add(`${id}: a job that only reads changed the run in Extend`);
  }
}
