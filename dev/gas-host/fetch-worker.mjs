// synckit worker behind the blocking UrlFetchApp: runs one batch of requests with Node's fetch, all at once,
// and reports each outcome as data, because an Error thrown across the worker boundary loses its cause.
import { runAsWorker } from "synckit";

const kindOf = (error) => {
  const code = error?.cause?.code ?? error?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
  if (code === "ECONNREFUSED" || code === "EADDRNOTAVAIL" || code === "EHOSTUNREACH") return "refused";
  return "reset";
};

const one = async (request, timeoutMs, deadlineMs) => {
  const perRequest = AbortSignal.timeout(Math.max(1, timeoutMs));
  const deadline = AbortSignal.timeout(Math.max(1, deadlineMs));
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: request.redirect,
      signal: AbortSignal.any([perRequest, deadline]),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    return {
      ok: true,
      status: response.status,
      headers: [...response.headers.entries()].filter(([name]) => name !== "set-cookie"),
      setCookies: response.headers.getSetCookie(),
      body,
    };
  } catch (error) {
    if (deadline.aborted) return { ok: false, kind: "deadline", message: String(error?.message) };
    if (perRequest.aborted) return { ok: false, kind: "timeout", message: String(error?.message) };
    const cause = error?.cause ? `${error.cause.code ?? ""} ${error.cause.message ?? ""}` : "";
    return { ok: false, kind: kindOf(error), message: `${error?.message ?? error} ${cause}`.trim() };
  }
};

runAsWorker(async (command) => {
  if (command.type === "exit") {
    setImmediate(() => process.exit(0));
    return [];
  }
  return Promise.all(command.requests.map((request) => one(request, command.timeoutMs, command.deadlineMs)));
});
