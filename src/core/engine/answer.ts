// What one answer means for its row: its outcome, its next step (or a retry) later, or the job's stop. The
// engine hands each answer of a batch here, then queues, buffers or stops on what comes back.
import { classifyAttempt, type SyncError } from "../requests/classify";
import { type RetryPolicy, retryDelayMs } from "../requests/retry";
import { exceptionText, type Scrub } from "../requests/secrets";
import type { Finished, QueueItem } from "./prepare";
import type { Answer } from "./send";
import { isStep } from "./steps";

/** What handling an answer needs of the engine's dependencies. */
export interface AnswerDeps {
  scrub: Scrub;
  retryPolicy: RetryPolicy;
  random: () => number;
}

type Handled = { outcome: Finished["outcome"] } | "later" | "stop";

/**
 * What one answer means for its row: an outcome, another step (or a retry) later, or stop the job. Whatever
 * the answer holds, it decides this row alone: should reading it throw after all, the row fails with that.
 */
export function handleAnswer(
  deps: AnswerDeps,
  item: QueueItem,
  answer: Answer,
  answeredAt: number,
): { handled: Handled; rateLimited: boolean; stopError?: SyncError } {
  try {
    return readAnswer(deps, item, answer, answeredAt);
  } catch (error) {
    const message = `Extend's answer could not be handled (${exceptionText(error, deps.scrub, 200)}).`;
    return { handled: { outcome: item.step.fail({ code: "BAD_RESPONSE", message }) }, rateLimited: false };
  }
}

function readAnswer(
  deps: AnswerDeps,
  item: QueueItem,
  answer: Answer,
  answeredAt: number,
): { handled: Handled; rateLimited: boolean; stopError?: SyncError } {
  const verdict = classifyAttempt(answer.result, answeredAt, deps.scrub, item.runId, item.step.needs);
  switch (verdict.kind) {
    case "success": {
      // A request that failed inside fetchAll and answered when tried alone made one failed attempt.
      item.attempts += answer.attempts - 1;
      const next = item.step.next(verdict.facts, new Date(answeredAt));
      if (!isStep(next)) return { handled: { outcome: next }, rateLimited: false };
      item.step = next;
      item.notBefore = answeredAt;
      return { handled: "later", rateLimited: false };
    }
    case "failed":
      item.attempts += answer.attempts;
      return { handled: { outcome: item.step.fail(verdict.error) }, rateLimited: false };
    case "stop":
      return { handled: "stop", rateLimited: false, stopError: verdict.error };
    case "retry": {
      item.attempts += answer.attempts;
      const delay = retryDelayMs(deps.retryPolicy, item.attempts, verdict.retryAfterMs, deps.random);
      if (delay === undefined)
        return { handled: { outcome: item.step.fail(verdict.error) }, rateLimited: verdict.rateLimited };
      item.step = item.step.retryFrom();
      item.notBefore = answeredAt + delay;
      return { handled: "later", rateLimited: verdict.rateLimited };
    }
  }
}
