// The connection test's HTTP: GET requests over UrlFetchApp, each answer or transport failure as data.
import type { AttemptResult, HttpResponse } from "../core/classify";
import type { ProbeRequest } from "../core/connection-test";

function toResponse(response: GoogleAppsScript.URL_Fetch.HTTPResponse): HttpResponse {
  return {
    status: response.getResponseCode(),
    headers: response.getAllHeaders() as Record<string, string | string[]>,
    body: response.getContentText(),
  };
}

function failure(error: unknown): AttemptResult {
  return { transportError: error instanceof Error ? error.message : String(error) };
}

export function fetchProbe(request: ProbeRequest): AttemptResult {
  const { url, ...params } = request;
  try {
    return { response: toResponse(UrlFetchApp.fetch(url, params)) };
  } catch (error) {
    return failure(error);
  }
}

/** All at once; when one request's transport fails, fetchAll throws and every answer is lost (undefined). */
export function fetchProbes(requests: readonly ProbeRequest[]): (AttemptResult | undefined)[] {
  if (requests.length === 0) return [];
  try {
    return UrlFetchApp.fetchAll(requests.map((request) => ({ ...request }))).map((response) => ({
      response: toResponse(response),
    }));
  } catch {
    return requests.map(() => undefined);
  }
}
