// The playground's refusals over real HTTP (dev/playground/guard.ts): it runs the built bundle in its own Node
// process, so a request from anything but its own page could run code on the developer's machine. Each refusal
// is checked to reach no execution in the host (the playground's callsRun counter).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryFunctionsOf } from "../../dev/playground/guard.js";
import type { FromHost, HostSetup, ToHost } from "../../dev/playground/protocol.js";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import * as entry from "../../src/main";
import { type RawAnswer, rawRequest } from "../support/raw-http.js";

/** A raw HTTP request to the playground, so that Host and Origin can be anything a browser would send. */
function send(
  playground: Playground,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return rawRequest(new URL(playground.origin).port, method, path, headers, body);
}

/** What the playground's own page sends: local Host, the token header, JSON. */
function pageHeaders(playground: Playground, extra: Record<string, string> = {}): Record<string, string> {
  return {
    host: new URL(playground.origin).host,
    "x-playground-token": playground.token,
    "content-type": "application/json",
    ...extra,
  };
}

const callBody = (functionName: string, args: unknown[] = []) => JSON.stringify({ functionName, args });
/** Reaches Node's process from the emulated services, which are objects of the playground's own realm. */
const ESCAPE = "SpreadsheetApp.constructor.constructor('return process')().pid";

let playground: Playground;
beforeAll(async () => {
  playground = await startPlayground({});
});
afterAll(async () => {
  await playground?.close();
});

describe("the playground's own page", () => {
  it("may call an entry function, and the page loads with the token in its address", async () => {
    const before = playground.callsRun;
    const answer = await send(playground, "POST", "/run", pageHeaders(playground), callBody("sidebarState"));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).returned).toBeTypeOf("object");
    expect(playground.callsRun).toBe(before + 1);
    const page = await send(playground, "GET", `/?token=${playground.token}`, {
      host: new URL(playground.origin).host,
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain("<iframe");
    const sidebar = await send(playground, "GET", `/sidebar?token=${playground.token}`, {
      host: `localhost:${new URL(playground.origin).port}`,
      origin: `http://localhost:${new URL(playground.origin).port}`,
    });
    expect(sidebar.status).toBe(200);
  });
});

describe("google.script.run through the playground", () => {
  it.each([
    "eval",
    "Function",
    "constructor",
    "__proto__",
    "ExtendSheetsSync",
    "SpreadsheetApp",
    "onOpen.call",
    "globalThis",
  ])("refuses %s, which is not an entry function, before it reaches the host", async (name) => {
    const before = playground.callsRun;
    const answer = await send(playground, "POST", "/run", pageHeaders(playground), callBody(name, [ESCAPE]));
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body).error).toMatch(/has no such entry function/);
    expect(answer.body).not.toContain(String(process.pid));
    expect(playground.callsRun).toBe(before);
  });

  it("refuses a body that is not JSON or names no function", async () => {
    const before = playground.callsRun;
    expect((await send(playground, "POST", "/run", pageHeaders(playground), "{not json")).status).toBe(400);
    expect((await send(playground, "POST", "/run", pageHeaders(playground), '{"args":[]}')).status).toBe(400);
    expect(playground.callsRun).toBe(before);
  });
});

describe("requests that are not from the playground's page", () => {
  const port = () => new URL(playground.origin).port;
  const refusals: [string, number, () => Record<string, string>][] = [
    ["no token", 403, () => pageHeaders(playground, { "x-playground-token": "" })],
    [
      "a wrong token",
      403,
      () => pageHeaders(playground, { "x-playground-token": `${playground.token.slice(1)}x` }),
    ],
    ["a DNS-rebound Host", 403, () => pageHeaders(playground, { host: `attacker.example:${port()}` })],
    ["a Host with another port", 403, () => pageHeaders(playground, { host: "127.0.0.1:1" })],
    ["another page's Origin", 403, () => pageHeaders(playground, { origin: "http://127.0.0.1:1" })],
    [
      "a rebound page's Origin",
      403,
      () => pageHeaders(playground, { origin: `http://attacker.example:${port()}` }),
    ],
    ["a sandboxed page's Origin (null)", 403, () => pageHeaders(playground, { origin: "null" })],
    ["a text/plain body", 415, () => pageHeaders(playground, { "content-type": "text/plain" })],
    [
      "a form body",
      415,
      () => pageHeaders(playground, { "content-type": "application/x-www-form-urlencoded" }),
    ],
    [
      "a multipart form",
      415,
      () => pageHeaders(playground, { "content-type": "multipart/form-data; boundary=x" }),
    ],
  ];
  it.each(refusals)("refuses a call with %s (%i), running nothing", async (_, status, headers) => {
    const before = playground.callsRun;
    const answer = await send(playground, "POST", "/run", headers(), callBody("sidebarState"));
    expect(answer.status).toBe(status);
    expect(playground.callsRun).toBe(before);
  });

  it("takes the token from the address only to open a page, never for a call a plain form could post", async () => {
    const before = playground.callsRun;
    const headers = pageHeaders(playground);
    delete headers["x-playground-token"];
    const answer = await send(
      playground,
      "POST",
      `/run?token=${playground.token}`,
      headers,
      callBody("sidebarState"),
    );
    expect(answer.status).toBe(403);
    expect(playground.callsRun).toBe(before);
  });

  it.each(["/", "/sidebar", "/import-dialog", "/sheet?since=-1"])(
    "serves %s only with the token",
    async (path) => {
      const host = { host: new URL(playground.origin).host };
      const without = await send(playground, "GET", path, host);
      expect(without.status).toBe(403);
      expect(JSON.parse(without.body).error).toMatch(/open the address `npm run playground` printed/);
      const rebound = await send(
        playground,
        "GET",
        `${path}${path.includes("?") ? "&" : "?"}token=${playground.token}`,
        {
          host: `attacker.example:${new URL(playground.origin).port}`,
        },
      );
      expect(rebound.status).toBe(403);
    },
  );

  it("refuses a selection posted from elsewhere, leaving the sheet as it was", async () => {
    const selection = playground.snapshot().selection;
    const body = JSON.stringify({ sheetName: "Runs", firstRow: 5, lastRow: 9 });
    const answer = await send(
      playground,
      "POST",
      "/select",
      pageHeaders(playground, { origin: "http://127.0.0.1:1" }),
      body,
    );
    expect(answer.status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(playground.snapshot().selection).toEqual(selection);
  });
});

describe("edits of the sheet", () => {
  const edit = (text: string) =>
    JSON.stringify({ sheetName: "Runs", edit: { kind: "set", row: 2, column: 2, values: [[text]] } });
  const nameOfRow2 = () => playground.snapshot().rows[0]?.[1];

  it("are applied for the playground's own page", async () => {
    const answer = await send(
      playground,
      "POST",
      "/edit",
      pageHeaders(playground),
      edit("Typed by the page"),
    );
    expect(answer.status).toBe(200);
    expect(nameOfRow2()).toBe("Typed by the page");
  });

  it.each([
    ["no token", 403, () => pageHeaders(playground, { "x-playground-token": "" })],
    ["another page's Origin", 403, () => pageHeaders(playground, { origin: "http://127.0.0.1:1" })],
    [
      "a DNS-rebound Host",
      403,
      () => pageHeaders(playground, { host: `attacker.example:${new URL(playground.origin).port}` }),
    ],
    ["a text/plain body", 415, () => pageHeaders(playground, { "content-type": "text/plain" })],
  ])("are refused with %s (%i), leaving the sheet as it was", async (_, status, headers) => {
    const before = nameOfRow2();
    const answer = await send(playground, "POST", "/edit", headers(), edit("pwned"));
    expect(answer.status).toBe(status);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(nameOfRow2()).toBe(before);
  });

  it("refuse a body over 10 MB (413) and a malformed edit (400)", async () => {
    const huge = JSON.stringify({
      sheetName: "Runs",
      edit: { kind: "loadCsv", fileName: "big.csv", text: "x".repeat(11_000_000) },
    });
    const tooLarge = await send(playground, "POST", "/edit", pageHeaders(playground), huge);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body).error).toBe("The playground takes at most 10 MB at a time.");
    expect(playground.snapshot().sheets).not.toContain("big");
    const malformed = await send(
      playground,
      "POST",
      "/edit",
      pageHeaders(playground),
      '{"sheetName":"Runs","edit":{"kind":"set","row":-1}}',
    );
    expect(malformed.status).toBe(400);
  });
});

describe("the entry functions", () => {
  it("are read from the forwarders of dist/Code.js: exactly the exports of src/main.ts", () => {
    const bundle = readFileSync(join(import.meta.dirname, "../../dist/Code.js"), "utf8");
    expect(entryFunctionsOf(bundle).sort()).toEqual(Object.keys(entry).sort());
  });

  it("never include a name ending in _ or a line inside the bundle's wrapper", () => {
    const bundle = [
      "var ExtendSheetsSync = (() => {",
      "  function hidden(...args) { return ExtendSheetsSync.hidden(...args); }",
      "})();",
      "function shown(...args) { return ExtendSheetsSync.shown(...args); }",
      "function private_(...args) { return ExtendSheetsSync.private_(...args); }",
      "function eval(...args) { return ExtendSheetsSync.other(...args); }",
    ].join("\n");
    expect(entryFunctionsOf(bundle)).toEqual(["shown"]);
  });
});

describe("the playground's host thread", () => {
  it("runs only the entry functions it was given, even when a call gets past the server", async () => {
    const setup: HostSetup = { standInUrl: "http://127.0.0.1:9/", entryFunctions: ["sidebarState"] };
    const worker = new Worker(join(import.meta.dirname, "../../dev/playground/host-worker.mjs"), {
      workerData: setup,
    });
    try {
      const results = new Map<number, Extract<FromHost, { type: "result" }>>();
      const ready = new Promise<void>((resolve) => {
        worker.on("message", (message: FromHost) => {
          if (message.type === "ready") resolve();
          if (message.type === "result") results.set(message.id, message);
        });
      });
      await ready;
      const run = (id: number, functionName: string): ToHost => ({
        type: "run",
        id,
        functionName,
        args: [ESCAPE],
      });
      worker.postMessage(run(1, "eval"));
      worker.postMessage(run(2, "sidebarState"));
      await expect.poll(() => results.size).toBe(2);
      expect(results.get(1)).toMatchObject({ error: "not an entry function of the add-on" });
      expect(results.get(1)?.returned).toBeUndefined();
      expect(results.get(2)?.error).toBeUndefined();
    } finally {
      await worker.terminate();
    }
  });
});
