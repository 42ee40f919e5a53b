// Builds the one HTTP request per row: always POST (DELETE on the same path deletes the run), JSON body,
// the headers the API requires, and errors returned rather than thrown so every response can be classified.
import { API_VERSION, type UpdateWorkflowRunBody } from "../extend/api";

export interface ConnectionSettings {
  baseUrl: string;
  apiKey: string;
  workspaceId?: string;
}

export interface HttpRequest {
  url: string;
  method: "post";
  contentType: "application/json";
  headers: Record<string, string>;
  payload: string;
  muteHttpExceptions: true;
  followRedirects: false;
}

export function updateRunUrl(baseUrl: string, runId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/workflow_runs/${encodeURIComponent(runId)}`;
}

export function buildUpdateRequest(
  runId: string,
  body: UpdateWorkflowRunBody,
  connection: ConnectionSettings,
): HttpRequest {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${connection.apiKey}`,
    "x-extend-api-version": API_VERSION,
  };
  if (connection.workspaceId) headers["x-extend-workspace-id"] = connection.workspaceId;
  return {
    url: updateRunUrl(connection.baseUrl, runId),
    method: "post",
    contentType: "application/json",
    headers,
    payload: JSON.stringify(body),
    muteHttpExceptions: true,
    followRedirects: false,
  };
}
