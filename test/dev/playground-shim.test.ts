// The playground's google.script.run (dev/playground/script-run-shim.js), run in node:vm with a stand-in window,
// location and fetch: it refuses the arguments the local host refuses, with the host's message and before any
// request, since a posted Date would arrive as a string and never meet the host's check; and it carries the
// access token of its page's address on every call.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createContext, runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { GasHost } from "../../dev/gas-host/index.js";

interface Posted {
  url: string;
  headers: unknown;
  body: unknown;
}

/** The shim loaded into a fresh context; `posted` collects the requests it makes. */
function loadShim(storage: Record<string, string> = {}) {
  const posted: Posted[] = [];
  const window: Record<string, unknown> = {};
  const context = createContext({
    window,
    localStorage: { getItem: (key: string) => storage[key] ?? null },
    Promise,
    location: { search: "?token=playground-token-not-secret&user=a%40example.com" },
    URLSearchParams,
    Proxy,
    Set,
    Error,
    fetch: (url: string, init: { body: string; headers: unknown }) => {
      posted.push({ url, headers: init.headers, body: JSON.parse(init.body) });
      // Never settles: these tests look only at what is sent.
      return new Promise(() => undefined);
    },
  });
  runInContext(
    readFileSync(join(import.meta.dirname, "../../dev/playground/script-run-shim.js"), "utf8"),
    context,
  );
  const run = (window.google as { script: { run: Record<string, (...args: unknown[]) => void> } }).script.run;
  return { run, posted, context };
}

describe("the playground's google.script.run", () => {
  const host = new GasHost({ scriptCode: "function save() { return null; }" });
  /** The host's refusal of these arguments, for the shim to match word for word. */
  const hostRefusal = (args: unknown[]): string => {
    try {
      host.runFromClient("save", args);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("the host accepted these arguments");
  };

  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const illegal: [string, unknown[]][] = [
    ["a Date", [new Date(0)]],
    ["a Date inside an object", ["ok", { when: new Date(0) }]],
    ["a function", [() => 1]],
    ["a DOM-like node (a class instance)", [{ rows: [1, { node: new (class HTMLDivElement {})() }] }]],
    ["a circular object", [circular]],
    ["a symbol", [Symbol("s")]],
  ];
  it.each(illegal)("refuses %s with the host's message and sends nothing", (_, args) => {
    const { run, posted } = loadShim();
    expect(() => run.save?.(...args)).toThrow(new Error(hostRefusal(args)));
    expect(posted).toEqual([]);
  });

  it("sends legal arguments (plain objects from its own frame or another) as JSON, with the page's token", () => {
    const { run, posted, context } = loadShim();
    const ownFrame = runInContext('({ tags: ["a"], n: 1, none: null })', context);
    run.save?.(ownFrame, [1, undefined, "x"], Object.create(null));
    expect(posted).toEqual([
      {
        url: "/run",
        headers: { "content-type": "application/json", "x-playground-token": "playground-token-not-secret" },
        body: {
          functionName: "save",
          args: [{ tags: ["a"], n: 1, none: null }, [1, null, "x"], {}],
          user: "a@example.com",
        },
      },
    ]);
  });
});

describe("the playground's 'signed into several Google accounts' switch", () => {
  it("fails every call as Google does then, and sends nothing to the host", async () => {
    const storage: Record<string, string> = { "playground.signedInTwice": "1" };
    const { run, posted } = loadShim(storage);
    const failed = await new Promise<unknown>((resolve) => {
      const withHandler = run.withFailureHandler as unknown as (
        handler: (error: unknown) => void,
      ) => Record<string, () => void>;
      withHandler(resolve).continueSyncJob?.();
    });
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toBe(
      "We're sorry, a server error occurred while reading from storage. Error code PERMISSION_DENIED.",
    );
    expect(posted).toEqual([]);

    delete storage["playground.signedInTwice"];
    run.continueSyncJob?.();
    expect(posted).toHaveLength(1);
  });
});
