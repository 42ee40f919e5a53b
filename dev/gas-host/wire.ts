// What passes between the host's UrlFetchApp (url-fetch.ts, which sends in waves with url-fetch-waves.ts) and
// its synckit worker (fetch-worker.mjs): requests as plain data, and each result as data too, since an Error
// thrown across the worker boundary loses its cause. Tests give the host their own Transport to answer without
// a server.
export interface WireRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body?: string | Uint8Array;
  redirect: "follow" | "manual";
}

export type WireResult =
  | { ok: true; status: number; headers: [string, string][]; setCookies: string[]; body: Uint8Array }
  | { ok: false; kind: "dns" | "refused" | "reset" | "timeout" | "deadline"; message: string };

export interface WireCommand {
  type: "batch";
  requests: WireRequest[];
  timeoutMs: number;
  deadlineMs: number;
}

export type Transport = (command: WireCommand | { type: "exit" }) => WireResult[];
