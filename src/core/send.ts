// Sends one batch with fetchAll and reports, per request, how many attempts were made and the last answer.
// fetchAll loses every answer when one request fails in transport, so those requests are tried again one at a
// time, but only while that can help: not after Apps Script's own quota ran out (every call would fail the
// same way), not against a host that just failed again, and not past the execution's hard limit.
import type { AttemptResult } from "./classify";
import type { Clock, HttpPort } from "./ports";
import type { HttpRequest } from "./request";

export interface Answer {
  /** Attempts this batch made for the request: the fetchAll, plus one more when it was tried alone. */
  attempts: number;
  /** The last attempt's answer; a transport error when the request was not tried alone. */
  result: AttemptResult;
}

export interface BatchAnswers {
  answers: Answer[];
  /** Requests that left this script, for the UrlFetch quota and the run log. */
  requestsMade: number;
}

/** Apps Script's own refusals, raised before any request leaves: these texts are all it gives. */
const NOT_SENT = /Service invoked too many times|too many times in a short time/i;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function sendBatch(
  http: HttpPort,
  clock: Clock,
  requests: readonly HttpRequest[],
  options: { mustStopBy: number; estimateMs: number },
): BatchAnswers {
  let batchError: string;
  try {
    return {
      answers: http.fetchAll(requests).map((response) => ({ attempts: 1, result: { response } })),
      requestsMade: requests.length,
    };
  } catch (error) {
    batchError = messageOf(error);
  }
  if (NOT_SENT.test(batchError)) {
    return {
      answers: requests.map(() => ({ attempts: 1, result: { transportError: batchError } })),
      requestsMade: 0,
    };
  }
  let requestsMade = requests.length;
  let tryAlone = true;
  const answers = requests.map((request): Answer => {
    if (!tryAlone || clock.now() + options.estimateMs > options.mustStopBy) {
      return { attempts: 1, result: { transportError: batchError } };
    }
    requestsMade += 1;
    try {
      return { attempts: 2, result: { response: http.fetch(request) } };
    } catch (error) {
      // The host failed again, or a quota ran out: the rest wait for their backoff instead.
      tryAlone = false;
      const message = messageOf(error);
      if (NOT_SENT.test(message)) requestsMade -= 1;
      return { attempts: 2, result: { transportError: message } };
    }
  });
  return { answers, requestsMade };
}
