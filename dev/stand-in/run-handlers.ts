// The workflow-run handlers behind the API checks: get, update (validate, merge, store) and delete.
import type { IncomingMessage } from "node:http";
import { ApiFailure } from "./errors.js";
import { type Answer, singleHeader } from "./http.js";
import { toWorkflowRun } from "./render.js";
import type { StandInState } from "./state.js";
import type { StoredRun } from "./types.js";
import { mergeMetadata, parseUpdateBody } from "./update.js";

export function findRun(state: StandInState, runId: string): StoredRun {
  const run = state.runs.get(runId);
  if (!run) throw new ApiFailure(404, "NOT_FOUND", `Workflow run ${runId} not found.`);
  return run;
}

export function updateRun(state: StandInState, req: IncomingMessage, runId: string, body: string): Answer {
  const { config } = state;
  const contentType = singleHeader(req, "content-type") ?? "";
  if (config.requireJsonContentType && body.trim() !== "" && !/^application\/json\b/i.test(contentType)) {
    throw new ApiFailure(400, "INVALID_REQUEST", "Content-Type must be application/json.");
  }
  const parsed = parseUpdateBody(body);
  if (!parsed.ok) throw new ApiFailure(parsed.status, "INVALID_REQUEST", parsed.message);
  const run = findRun(state, runId);
  if (config.refusedStatuses.includes(run.status)) {
    throw new ApiFailure(
      422,
      "INVALID_REQUEST",
      `Workflow run ${runId} is ${run.status} and cannot be updated.`,
    );
  }
  const { name, metadata: incoming } = parsed.value;
  let metadata = run.metadata;
  if (incoming !== undefined) {
    const merged = mergeMetadata(run.metadata, incoming, config);
    if (!merged.ok) throw new ApiFailure(merged.status, "INVALID_REQUEST", merged.message);
    metadata = merged.value;
  }
  const updated: StoredRun = {
    ...run,
    metadata,
    name: name === undefined ? run.name : name,
    updatedAt: new Date().toISOString(),
  };
  state.runs.set(runId, updated);
  state.stats.updateApplied(runId);
  return { status: 200, body: toWorkflowRun(updated) };
}

export function deleteRun(state: StandInState, runId: string): Answer {
  findRun(state, runId);
  state.runs.delete(runId);
  state.stats.runDeleted(runId);
  return { status: 200, body: { id: runId } };
}
