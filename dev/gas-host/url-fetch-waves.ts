// How long UrlFetchApp's requests take. Requests go out in waves of the cost model's concurrency, one wave
// after another, always over real sockets. With a real clock each wave takes the time it really takes. With a
// virtual clock each wave is stamped with its virtual send time (a header the stand-in's rate limiter reads)
// and takes, in virtual time, the longest latency its servers report (the stand-in reports its configured
// latency and delays in a header instead of sleeping); a server that reports nothing costs its real time.
// Latency past the per-request timeout is a timeout, in virtual time as in real time.
import type { Execution } from "./execution.js";
import type { Transport, WireRequest, WireResult } from "./wire.js";

/** Request header: the virtual time (ms since the epoch) at which the wave left. */
export const VIRTUAL_NOW_HEADER = "x-gas-host-virtual-now";
/** Response header: how long the server would have taken, in ms, had it not answered at once. */
export const SIMULATED_LATENCY_HEADER = "x-simulated-latency-ms";

export interface WaveOptions {
  transport: () => Transport;
  timeoutMs: number;
  /** Requests in flight at once; Infinity sends everything in one wave. */
  concurrency: number;
  /** Virtual clock only: the most a request arrives after its wave left (cost model). */
  jitterMs: number;
  /** Uniform in [0, 1), seeded, for the jitter. */
  random: () => number;
}

type Answer = Extract<WireResult, { ok: true }>;

const reportedLatency = (answer: Answer): number | undefined => {
  const header = answer.headers.find(([name]) => name.toLowerCase() === SIMULATED_LATENCY_HEADER);
  const ms = header ? Number(header[1]) : Number.NaN;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
};

const withoutLatencyHeader = (answer: Answer): Answer => ({
  ...answer,
  headers: answer.headers.filter(([name]) => name.toLowerCase() !== SIMULATED_LATENCY_HEADER),
});

/** Sends `requests` wave by wave, letting each wave's time pass on the execution's clock. */
export function sendInWaves(exec: Execution, requests: WireRequest[], options: WaveOptions): WireResult[] {
  const virtual = exec.clock.mode === "virtual";
  const size =
    Number.isFinite(options.concurrency) && options.concurrency >= 1
      ? Math.floor(options.concurrency)
      : Math.max(1, requests.length);
  const results: WireResult[] = [];
  for (let start = 0; start < requests.length; start += size) {
    const remaining = exec.remainingMs();
    if (remaining <= 0) exec.kill();
    const wave = requests.slice(start, start + size);
    const sentAt = exec.clock.now();
    exec.ledger.count("urlFetch.waves");
    const jitter = wave.map(() =>
      virtual && options.jitterMs > 0 ? options.random() * options.jitterMs : 0,
    );
    const realStart = performance.now();
    const answers = options.transport()({
      type: "batch",
      requests: virtual
        ? wave.map((request, index) => ({
            ...request,
            headers: [
              ...request.headers,
              [VIRTUAL_NOW_HEADER, String(sentAt + (jitter[index] ?? 0))] as [string, string],
            ],
          }))
        : wave,
      timeoutMs: options.timeoutMs,
      // In virtual time the deadline is decided below; the real one only stops a request that really hangs.
      deadlineMs: virtual ? options.timeoutMs + 1000 : remaining,
    });
    const realMs = performance.now() - realStart;
    for (const answer of answers) {
      if (answer.ok && answer.status === 429) exec.ledger.count("urlFetch.answered429");
    }
    if (!virtual) {
      exec.ledger.time("urlFetch", realMs);
      results.push(...answers);
      if (answers.some((answer) => !answer.ok && answer.kind === "deadline") || exec.remainingMs() <= 0)
        exec.kill();
      continue;
    }
    let waveMs = 0;
    for (const [index, answer] of answers.entries()) {
      const latency = ((answer.ok ? reportedLatency(answer) : undefined) ?? realMs) + (jitter[index] ?? 0);
      if (latency > options.timeoutMs) {
        waveMs = Math.max(waveMs, options.timeoutMs);
        results.push({ ok: false, kind: "timeout", message: "timed out (virtual time)" });
      } else {
        waveMs = Math.max(waveMs, latency);
        results.push(answer.ok ? withoutLatencyHeader(answer) : answer);
      }
    }
    exec.spend(waveMs, "urlFetch");
  }
  return results;
}
