// HttpPort over UrlFetchApp. Requests already carry muteHttpExceptions, so only transport failures throw. Every
// request is counted for the daily allowance (quota-count.ts): each one inside fetchAll counts as one, the
// conservative reading (whether Google counts them so is not documented).

import type { HttpPort } from "../core/engine/ports";
import type { HttpResponse } from "../core/requests/classify";
import type { HttpRequest } from "../core/requests/request";
import { countRequests } from "./quota-count";

/** Apps Script's own quotas refuse a call whole, before anything is sent. */
const REFUSED_BY_QUOTA = /Service invoked too many times/i;

function toResponse(response: GoogleAppsScript.URL_Fetch.HTTPResponse): HttpResponse {
  return {
    status: response.getResponseCode(),
    headers: response.getAllHeaders() as Record<string, string | string[]>,
    body: response.getContentText(),
  };
}

/** Runs `call`, counting its requests unless a quota refused it whole (a transport failure may have sent some). */
function counted<T>(requests: number, call: () => T): T {
  try {
    const result = call();
    countRequests(requests);
    return result;
  } catch (error) {
    if (!REFUSED_BY_QUOTA.test(error instanceof Error ? error.message : String(error)))
      countRequests(requests);
    throw error;
  }
}

export const urlFetchHttp: HttpPort = {
  fetchAll(requests: readonly HttpRequest[]): (HttpResponse | null)[] {
    // The typings promise a response in every place; a transport failure may leave null there instead.
    const responses = counted(
      requests.length,
      () =>
        UrlFetchApp.fetchAll(
          requests.map((request) => ({ ...request })),
        ) as (GoogleAppsScript.URL_Fetch.HTTPResponse | null)[],
    );
    return responses.map((response) => (response ? toResponse(response) : null));
  },
  fetch(request: HttpRequest): HttpResponse {
    const { url, ...params } = request;
    return toResponse(counted(1, () => UrlFetchApp.fetch(url, params)));
  },
};
