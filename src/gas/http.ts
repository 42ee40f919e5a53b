// HttpPort over UrlFetchApp. Requests already carry muteHttpExceptions, so only transport failures throw.

import type { HttpPort } from "../core/engine/ports";
import type { HttpResponse } from "../core/requests/classify";
import type { HttpRequest } from "../core/requests/request";

function toResponse(response: GoogleAppsScript.URL_Fetch.HTTPResponse): HttpResponse {
  return {
    status: response.getResponseCode(),
    headers: response.getAllHeaders() as Record<string, string | string[]>,
    body: response.getContentText(),
  };
}

export const urlFetchHttp: HttpPort = {
  fetchAll(requests: readonly HttpRequest[]): (HttpResponse | null)[] {
    // The typings promise a response in every place; a transport failure may leave null there instead.
    const responses = UrlFetchApp.fetchAll(
      requests.map((request) => ({ ...request })),
    ) as (GoogleAppsScript.URL_Fetch.HTTPResponse | null)[];
    return responses.map((response) => (response ? toResponse(response) : null));
  },
  fetch(request: HttpRequest): HttpResponse {
    const { url, ...params } = request;
    return toResponse(UrlFetchApp.fetch(url, params));
  },
};
