// Error bodies as the API sends them: `{code, message, retryable, requestId}` (reference §1 "Error body shape"),
// optionally wrapped as `{"error": {...}}`, the other form Extend's own CLI accepts.

export type ErrorCode =
  | "INVALID_REQUEST"
  | "UNAUTHORIZED"
  | "NOT_FOUND"
  | "RATE_LIMIT_EXCEEDED"
  | "USAGE_BLOCKED"
  | "ENDPOINT_REMOVED"
  | "INTERNAL_ERROR"
  // Fault rules of kind "status" may carry any code at all.
  | (string & {});

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  requestId: string;
}

const RETRYABLE_CODES: ReadonlySet<string> = new Set(["RATE_LIMIT_EXCEEDED", "INTERNAL_ERROR"]);

/** An error answer decided by a handler; the server turns it into a response. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: ErrorCode, message: string, requestId: string, wrap: boolean): unknown {
  const body: ApiErrorBody = { code, message, retryable: RETRYABLE_CODES.has(code), requestId };
  return wrap ? { error: body } : body;
}

/** The code the API would most plausibly use for a bare status (reference §1 mapping from the CLI help). */
export function defaultCodeForStatus(status: number): ErrorCode {
  if (status === 401) return "UNAUTHORIZED";
  if (status === 402) return "USAGE_BLOCKED";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "RATE_LIMIT_EXCEEDED";
  if (status >= 500) return "INTERNAL_ERROR";
  return "INVALID_REQUEST";
}
