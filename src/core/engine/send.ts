// Sends one batch with fetchAll and reports, per request, how many attempts were made and the last answer.
// fetchAll loses every answer when one request fails in transport, so those requests are tried again one at a
// time, but only while that can help: not after Apps Script's own quota ran out (every call would fail the
// same way), not after a request failed slowly (a host that times out costs up to a minute a request), and not
// past the execution's hard limit. A request that fails fast (a dropped connection) does not stop the others.
import type { AttemptResult } from "../requests/classify";
import type { HttpRequest } from "../requests/request";
import type { Clock, HttpPort } from "./ports";

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
/** fetchAll's word for a request it gave no answer for while it kept the others'. */
const NO_ANSWER = "The request got no answer";
/** A failure slower than this looks like a host that does not answer; trying the rest would only wait more. */
const SLOW_FAILURE_MS = 10_000;

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
      answers: http.fetchAll(requests).map((response) => ({
        attempts: 1,
        result: response ? { response } : { transportError: NO_ANSWER },
      })),
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
    const began = clock.now();
    try {
      return { attempts: 2, result: { response: http.fetch(request) } };
    } catch (error) {
      const message = messageOf(error);
      const refused = NOT_SENT.test(message);
      if (refused) requestsMade -= 1;
      // A quota ran out, or the host takes its time to fail: the rest wait for their backoff instead.
      if (refused || clock.now() - began > SLOW_FAILURE_MS) tryAlone = false;
      return { attempts: 2, result: { transportError: message } };
    }
  });
  return { answers, requestsMade };
}
