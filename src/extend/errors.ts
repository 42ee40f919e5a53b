// Reads Extend error bodies defensively: flat `{code,...}`, wrapped `{error:{...}}`, or not JSON at all
// (an HTML page from a proxy), as the official CLI does.
import type { ApiErrorBody } from "./api";

function asErrorBody(value: unknown): ApiErrorBody | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const nested = record.error;
  const source =
    typeof nested === "object" && nested !== null && !Array.isArray(nested)
      ? (nested as Record<string, unknown>)
      : record;
  const body: ApiErrorBody = {};
  if (typeof source.code === "string") body.code = source.code;
  if (typeof source.message === "string") body.message = source.message;
  if (typeof source.retryable === "boolean") body.retryable = source.retryable;
  if (typeof source.requestId === "string") body.requestId = source.requestId;
  if (typeof source.docUrl === "string") body.docUrl = source.docUrl;
  return body;
}

export function parseErrorBody(text: string): ApiErrorBody {
  try {
    return asErrorBody(JSON.parse(text)) ?? {};
  } catch {
    return {};
  }
}

/** Header lookup that ignores case: Apps Script and proxies do not keep header-name casing. */
export function headerValue(
  headers: Readonly<Record<string, string | string[]>>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
