// The platform check's requests: the List of one run to every target at once in one fetchAll (does a failure
// throw or return?), then to each alone (its status and time), then the same request several times at once
// (fetchAll's overhead and how many requests run together). Only GETs; the answers' bodies are not read.

import type { Scrub } from "../core/requests/secrets";
import type { ProbeRequest } from "../core/views/connection-test";
import type { FetchAllObservation } from "../core/views/platform-check";
import type { CostSamples } from "../core/views/platform-costs";
import type { RequestProbe } from "../core/views/platform-report";
import type { CheckTarget } from "../core/views/platform-requests";
import { urlFetchHttp } from "./http";

/** Requests sent at once to see how many run together: few, as they count against the user's quota. */
export const AT_ONCE = 5;
const MAX_FAILURE_SHOWN = 160;

/**
 * An error's first line, at most 2,000 characters of it. Apps Script's errors may come from another realm, so
 * `instanceof Error` is not trusted to find their message.
 */
export function firstLine(error: unknown): string {
  const message =
    typeof error === "object" &&
    error !== null &&
    typeof (error as { message?: unknown }).message === "string"
      ? (error as { message: string }).message
      : String(error);
  return (message.split("\n")[0] ?? "").slice(0, 2000);
}

interface Sent {
  statuses: (number | undefined)[];
  ms: number;
  failure?: string;
}

function send(requests: readonly ProbeRequest[], observations: FetchAllObservation[], scrub: Scrub): Sent {
  const start = Date.now();
  try {
    const responses = urlFetchHttp.fetchAll(requests);
    const ms = Date.now() - start;
    observations.push({ emptySlots: responses.filter((response) => response === null).length });
    return { statuses: responses.map((response) => response?.status), ms };
  } catch (error) {
    const ms = Date.now() - start;
    const failure = scrub(firstLine(error)).slice(0, MAX_FAILURE_SHOWN);
    observations.push({ threw: failure, emptySlots: 0 });
    return { statuses: requests.map(() => undefined), ms, failure };
  }
}

export function probeRequests(
  targets: readonly CheckTarget[],
  samples: CostSamples,
  scrub: Scrub,
): { probes: RequestProbe[]; observations: FetchAllObservation[] } {
  const observations: FetchAllObservation[] = [];
  send(
    targets.map((target) => target.request),
    observations,
    scrub,
  );
  const probes = targets.map((target): RequestProbe => {
    const sent = send([target.request], observations, scrub);
    const status = sent.statuses[0];
    const probe: RequestProbe = { target: target.target, ms: sent.ms };
    if (status !== undefined) probe.status = status;
    else probe.failure = sent.failure ?? "the request failed and fetchAll left its place empty";
    return probe;
  });
  const first = targets[0];
  if (first && probes[0]?.status !== undefined) {
    samples.fetchOneMs = probes[0].ms;
    const many = send(Array(AT_ONCE).fill(first.request), observations, scrub);
    if (many.statuses.every((status) => status !== undefined))
      samples.fetchMany = { count: AT_ONCE, ms: many.ms };
  }
  return { probes, observations };
}
