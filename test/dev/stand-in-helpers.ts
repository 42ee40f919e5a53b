// Shared helpers for the stand-in tests: real HTTP calls with Node's fetch, with the headers the real API needs.
import type { StandIn } from "../../dev/stand-in/server.js";

export const API_KEY = "test-key-not-secret";
export const API_VERSION = "2026-02-09";

export function apiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Bearer ${API_KEY}`,
    "x-extend-api-version": API_VERSION,
    "content-type": "application/json",
    ...extra,
  };
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests reach into API bodies of many shapes and assert on the values.
  json: any;
}

export async function call(
  target: Pick<StandIn, "url">,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const response = await fetch(target.url + path, {
    method,
    headers: options.headers ?? apiHeaders(),
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const updateRun = (target: Pick<StandIn, "url">, id: string, body: unknown) =>
  call(target, "POST", `/workflow_runs/${encodeURIComponent(id)}`, { body });
