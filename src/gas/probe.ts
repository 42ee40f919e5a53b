// The connection test's HTTP: GET requests over the add-on's UrlFetch port, each answer or transport failure
// as data.
import type { AttemptResult } from "../core/requests/classify";
import type { ProbeRequest } from "../core/views/connection-test";
import { urlFetchHttp } from "./http";

function failure(error: unknown): AttemptResult {
  return { transportError: error instanceof Error ? error.message : String(error) };
}

export function fetchProbe(request: ProbeRequest): AttemptResult {
  try {
    return { response: urlFetchHttp.fetch(request) };
  } catch (error) {
    return failure(error);
  }
}

/**
 * All at once. A request fetchAll gave no answer for is unknown (undefined), as is every one when fetchAll
 * throws; the others' answers are kept.
 */
export function fetchProbes(requests: readonly ProbeRequest[]): (AttemptResult | undefined)[] {
  if (requests.length === 0) return [];
  try {
    return urlFetchHttp.fetchAll(requests).map((response) => (response ? { response } : undefined));
  } catch {
    return requests.map(() => undefined);
  }
}
