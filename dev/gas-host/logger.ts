// Logger and console. Everything goes to the host's log list tagged with the execution, so tests can assert
// on it (and check that secrets never reach it); echo mirrors it to the real console for debugging.
import { format } from "node:util";
import { type Execution, serviceObject } from "./execution.js";

export type LogLevel = "log" | "info" | "warn" | "error";

export interface LogEntry {
  executionId: string;
  source: "Logger" | "console";
  level: LogLevel;
  message: string;
  time: Date;
}

export interface LogSink {
  entries: LogEntry[];
  echo: boolean;
}

const write = (
  sink: LogSink,
  exec: Execution,
  source: LogEntry["source"],
  level: LogLevel,
  message: string,
) => {
  sink.entries.push({ executionId: exec.id, source, level, message, time: new Date() });
  if (sink.echo) console[level](`[${exec.id} ${source}] ${message}`);
};

/** Logger.log("x %s", y) uses Java's format; plain values print as JSON for objects, String() otherwise. */
const loggerText = (args: unknown[]): string => {
  const [first, ...rest] = args;
  if (typeof first === "string" && rest.length > 0) {
    let index = 0;
    return first.replace(/%[sdf%]/g, (token) => (token === "%%" ? "%" : String(rest[index++])));
  }
  if (typeof first === "object" && first !== null && !(first instanceof Error)) {
    try {
      return JSON.stringify(first);
    } catch {
      return String(first);
    }
  }
  return String(first);
};

export const makeLogger = (exec: Execution, sink: LogSink): GoogleAppsScript.Base.Logger => {
  let self: GoogleAppsScript.Base.Logger;
  const impl = {
    log: (...args: unknown[]) => {
      write(sink, exec, "Logger", "info", loggerText(args));
      return self;
    },
    getLog: () =>
      sink.entries
        .filter((entry) => entry.executionId === exec.id && entry.source === "Logger")
        .map((entry) => `${entry.message}\n`)
        .join(""),
    clear: () => {
      for (let i = sink.entries.length - 1; i >= 0; i -= 1) {
        const entry = sink.entries[i];
        if (entry?.executionId === exec.id && entry.source === "Logger") sink.entries.splice(i, 1);
      }
    },
  } satisfies GoogleAppsScript.Base.Logger;
  self = serviceObject(exec, "Logger", impl);
  return self;
};

export const makeConsole = (exec: Execution, sink: LogSink): Console => {
  const timers = new Map<string, number>();
  const at =
    (level: LogLevel) =>
    (...args: unknown[]) =>
      write(sink, exec, "console", level, format(...args));
  return serviceObject(exec, "console", {
    log: at("log"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    time: (label: string) => {
      timers.set(label, Date.now());
    },
    timeEnd: (label: string) => {
      const start = timers.get(label);
      if (start === undefined) return;
      timers.delete(label);
      write(sink, exec, "console", "info", `${label}: ${Date.now() - start}ms`);
    },
  } satisfies Partial<Console>) as Console;
};
