// Builds the HTTP requests: POST to update a run (never DELETE, which on the same path deletes it) with a JSON
// body, GET to read a run or a page of the list, the headers the API requires, and errors returned rather than
// thrown so every response can be classified.
import { API_VERSION, type ListRunsFilters, type UpdateWorkflowRunBody } from "../../extend/api";

export interface ConnectionSettings {
  baseUrl: string;
  apiKey: string;
  workspaceId?: string;
}

export type HttpRequest =
  | {
      url: string;
      method: "post";
      contentType: "application/json";
      headers: Record<string, string>;
      payload: string;
      muteHttpExceptions: true;
      followRedirects: false;
    }
  | {
      url: string;
      method: "get";
      headers: Record<string, string>;
      muteHttpExceptions: true;
      followRedirects: false;
    };

export type PostRequest = Extract<HttpRequest, { method: "post" }>;

function apiHeaders(connection: ConnectionSettings): Record<string, string> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${connection.apiKey}`,
    "x-extend-api-version": API_VERSION,
  };
  if (connection.workspaceId) headers["x-extend-workspace-id"] = connection.workspaceId;
  return headers;
}

let lastBaseUrl: string | undefined;
let lastRunsUrl = "";

/** Remembered for the last base: a job sends every request to the same one. */
function runsUrl(baseUrl: string): string {
  if (lastBaseUrl === undefined || baseUrl !== lastBaseUrl) {
    lastRunsUrl = `${baseUrl.replace(/\/+$/, "")}/workflow_runs`;
    lastBaseUrl = baseUrl;
  }
  return lastRunsUrl;
}

export function updateRunUrl(baseUrl: string, runId: string): string {
  return `${runsUrl(baseUrl)}/${encodeURIComponent(runId)}`;
}

export function buildUpdateRequest(
  runId: string,
  body: UpdateWorkflowRunBody,
  connection: ConnectionSettings,
): PostRequest {
  return {
    url: updateRunUrl(connection.baseUrl, runId),
    method: "post",
    contentType: "application/json",
    headers: apiHeaders(connection),
    payload: JSON.stringify(body),
    muteHttpExceptions: true,
    followRedirects: false,
  };
}

/** GET /workflow_runs/{id}: the run as Extend holds it now. */
export function buildGetRunRequest(runId: string, connection: ConnectionSettings): HttpRequest {
  return {
    url: updateRunUrl(connection.baseUrl, runId),
    method: "get",
    headers: apiHeaders(connection),
    muteHttpExceptions: true,
    followRedirects: false,
  };
}

/** GET /workflow_runs with the filters set, a page size and the cursor of the page wanted. */
export function buildListRequest(
  filters: ListRunsFilters,
  pageSize: number,
  nextPageToken: string | undefined,
  connection: ConnectionSettings,
): HttpRequest {
  const query: [string, string][] = [];
  for (const key of ["workflowId", "batchId", "status", "fileNameContains", "sortBy", "sortDir"] as const) {
    const value = filters[key];
    if (value !== undefined && value !== "") query.push([key, value]);
  }
  query.push(["maxPageSize", String(pageSize)]);
  if (nextPageToken !== undefined) query.push(["nextPageToken", nextPageToken]);
  const search = query.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
  return {
    url: `${runsUrl(connection.baseUrl)}?${search}`,
    method: "get",
    headers: apiHeaders(connection),
    muteHttpExceptions: true,
    followRedirects: false,
  };
}
