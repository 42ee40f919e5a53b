// The last step of a job that records its changes: its records still "Sending" are settled, so none stays
// "Sending" once its job has ended. Such a record was left by an execution killed between the record and the
// answer (or between the outcome and its state), or written ahead for a batch a pause did not send. Each such
// run is read back (GET, paced like the job's reads): a record whose run holds what it sent, and that is its
// run's latest record in the job, is "Applied"; any other (the run holds something else, a later record of
// the same run says what the job sent last, the read failed, or no time is left to read it) is "Not confirmed",
// which means "unknown: check the run", and an undo reads the run and decides anyway. A kill during this step
// leaves the job running: the next execution ends it and settles what is still "Sending".
import { classifyAttempt } from "../requests/classify";
import { buildGetRunRequest, type ConnectionSettings } from "../requests/request";
import type { Scrub } from "../requests/secrets";
import type { HistoryPort, HistorySettle } from "./history";
import { batchSizeFor, type PacerState, recordBatch, waitBeforeBatch } from "./pacing";
import type { Clock, HttpPort } from "./ports";
import { sendBatch } from "./send";
import { holds } from "./undo";

/** Runs read back at most: more "Sending" records than this are settled "Not confirmed" unread. */
export const MAX_SETTLE_READS = 500;

export interface SettleDeps {
  http: HttpPort;
  clock: Clock;
  scrub: Scrub;
  connection: ConnectionSettings;
  history: HistoryPort;
  mustStopBy: number;
}

/** Settles the job's records still "Sending"; the GET pacer as it ends, and the requests made. */
export function settleLeftSending(
  deps: SettleDeps,
  jobId: string,
  pacer: PacerState,
  batchEstimateMs: number,
): { pacer: PacerState; requests: number } {
  const left = deps.history.leftSending(jobId);
  if (left.length === 0) return { pacer, requests: 0 };
  const states: HistorySettle[] = [];
  const settle = (record: (typeof left)[number], applied: boolean) =>
    states.push({
      row: record.row,
      jobId,
      runId: record.runId,
      state: applied ? "Applied" : "Not confirmed",
    });
  // Only a run's latest record can say what the run holds now because of this job.
  const toRead = left.filter((record) => record.latest).slice(0, MAX_SETTLE_READS);
  const reading = new Set(toRead);
  for (const record of left) if (!reading.has(record)) settle(record, false);
  let requests = 0;
  let paced = pacer;
  for (let start = 0; start < toRead.length; ) {
    const chunk = toRead.slice(start, start + batchSizeFor(paced));
    const now = deps.clock.now();
    const wait = waitBeforeBatch(paced, now, chunk.length);
    if (now + wait + batchEstimateMs > deps.mustStopBy) {
      for (const record of toRead.slice(start)) settle(record, false);
      break;
    }
    if (wait > 0) deps.clock.sleep(wait);
    const startedAt = deps.clock.now();
    const { answers, requestsMade } = sendBatch(
      deps.http,
      deps.clock,
      chunk.map((record) => buildGetRunRequest(record.runId, deps.connection)),
      { mustStopBy: deps.mustStopBy, estimateMs: batchEstimateMs },
    );
    requests += requestsMade;
    const answeredAt = deps.clock.now();
    let rateLimited = false;
    chunk.forEach((record, index) => {
      const answer = answers[index];
      const verdict = answer
        ? classifyAttempt(answer.result, answeredAt, deps.scrub, record.runId, ["metadata"])
        : undefined;
      if (verdict?.kind === "retry" && verdict.rateLimited) rateLimited = true;
      settle(record, verdict?.kind === "success" && holds(verdict.facts.metadata, record.sent));
    });
    paced = recordBatch(paced, startedAt, chunk.length, rateLimited);
    start += chunk.length;
  }
  deps.history.settle(states);
  return { pacer: paced, requests };
}
