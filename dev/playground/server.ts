// The playground: on 127.0.0.1, the real built sidebar (dist/Sidebar.html) beside a live view of the local
// host's sheet, and the import dialog (dist/ImportDialog.html) alone at /import-dialog. Their google.script.run
// calls are posted here and run by the built bundle in the local Apps Script host (a worker thread, since each
// execution blocks its thread) against the Extend stand-in (a child process that accepts whatever key is typed).
// Light calls (a running step's progress) go to a second host thread instead (light-worker.ts), so they are
// answered while a long step runs, as Apps Script runs a page's calls in parallel.
// Every request passes guard.ts first: local Host and Origin, the start-up token, JSON bodies, entry functions only.
// The sheet view can be edited like a sheet (page.html, grid.js): each edit is posted here and applied by the
// host thread to its spreadsheet model, between executions (edits.ts).
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { type StandInClient, startStandInProcess } from "../stand-in/process.js";
import { MAX_EDIT_BYTES, parseEdit } from "./edits.js";
import {
  entryFunctionsOf,
  newToken,
  type PlaygroundAccess,
  type Refusal,
  refuseCall,
  refuseRequest,
} from "./guard.js";
import {
  type FromHost,
  type HostSetup,
  LIGHT_FUNCTIONS,
  type SheetSnapshot,
  type ToHost,
  type ToLightHost,
} from "./protocol.js";

const here = import.meta.dirname;
const repoRoot = join(here, "../..");
const SYNC_FUNCTIONS = new Set([
  "startSyncJob",
  "startRefreshJob",
  "startPreviewJob",
  "startImportJob",
  "continueSyncJob",
]);

export interface PlaygroundOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Generated rows instead of the example sheet. */
  rows?: number;
  csvPath?: string;
  executionLimitSeconds?: number;
  /** The stand-in's rate limit per second (Extend's is per organization); default 100. */
  standInRate?: number;
  /** Added to every stand-in answer; default 20 ms. */
  latencyMs?: number;
  killSyncExecutions?: number[];
  /** Tests only: web requests already made today (see HostSetup.requestsUsedToday). */
  requestsUsedToday?: number;
}

export interface Playground {
  /** The address to open: the main page, with the access token. */
  url: string;
  /** `http://127.0.0.1:<port>`, without the token. */
  origin: string;
  token: string;
  /** The address of one of the playground's pages (e.g. "/import-dialog"), with the token. */
  link(path: string): string;
  standIn: StandInClient;
  /** The sheet as the page sees it now. */
  snapshot(): SheetSnapshot;
  /** Most calls that start or continue a job ever in flight at once (the sidebar must keep it at 1). */
  readonly maxSyncCallsInFlight: number;
  /** Calls that start or continue a job answered so far. */
  readonly syncCallsAnswered: number;
  /** Light calls (LIGHT_FUNCTIONS) answered so far, each while whatever the host thread runs goes on. */
  readonly lightCallsAnswered: number;
  /** Executions the host killed at the execution limit. */
  readonly killedExecutions: number;
  /** google.script.run calls handed to the host (a refused request never gets there). */
  readonly callsRun: number;
  close(): Promise<void>;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Largest body of a google.script.run call or a selection. */
const MAX_CALL_BYTES = 1_000_000;

/** The JSON body; a body over maxBytes is refused (413) and the rest of it is read and dropped. */
function readJson(req: IncomingMessage, maxBytes = MAX_CALL_BYTES): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = "";
    let bytes = 0;
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      bytes += Buffer.byteLength(chunk);
      if (bytes > maxBytes) {
        text = "";
        reject(tooLarge(maxBytes));
      } else text += chunk;
    });
    req.on("end", () => {
      if (bytes > maxBytes) return;
      try {
        resolve(text === "" ? {} : JSON.parse(text));
      } catch {
        reject(new BadRequest("the body is not valid JSON"));
      }
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    // The token is in the page's address: never pass it on, and let no other site frame the pages.
    "referrer-policy": "no-referrer",
    "content-security-policy": "frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
  });
  res.end(body);
}

const tooLarge = (maxBytes: number) =>
  new BadRequest(`The playground takes at most ${Math.round(maxBytes / 1_000_000)} MB at a time.`, 413);

const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value));

const refuse = (res: ServerResponse, refusal: Refusal) => json(res, refusal.status, { error: refusal.error });

/** The entry functions of the built bundle, which the page may call and nothing else. */
function builtEntryFunctions(): Set<string> {
  const bundlePath = join(repoRoot, "dist", "Code.js");
  if (!existsSync(bundlePath)) throw new Error("dist/Code.js not found: build it first (npm run build)");
  const names = entryFunctionsOf(readFileSync(bundlePath, "utf8"));
  if (names.length === 0) throw new Error("dist/Code.js declares no entry function: build it again");
  return new Set(names);
}

/** The playground's own page, with its scripts (the sheet grid, then the page's own) placed inline. */
function playgroundPage(): string {
  const script = ["grid.js", "page.js"].map((file) => readFileSync(join(here, file), "utf8")).join("\n");
  return readFileSync(join(here, "page.html"), "utf8").replace("/* SCRIPTS */", () => script);
}

/** A built page (the sidebar, the import dialog) with the google.script.run stand-in placed before its own script. */
function builtPage(file: string): string {
  const page = readFileSync(join(repoRoot, "dist", file), "utf8");
  const shim = readFileSync(join(here, "script-run-shim.js"), "utf8");
  return page.replace("<head>", () => `<head>\n<script>${shim}</script>`);
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const entryFunctions = builtEntryFunctions();
  const standIn = await startStandInProcess({
    // Required by the stand-in, then ignored: it accepts any key typed into the sidebar.
    apiKey: randomUUID(),
    acceptAnyKey: true,
    runCount: Math.max(options.rows ?? 0, 1000),
    rate: options.standInRate ?? 100,
    latencyMs: options.latencyMs ?? 20,
  });
  const setup: HostSetup = {
    standInUrl: standIn.url,
    entryFunctions: [...entryFunctions],
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    ...(options.csvPath ? { csvPath: options.csvPath } : {}),
    ...(options.executionLimitSeconds ? { executionLimitSeconds: options.executionLimitSeconds } : {}),
    ...(options.killSyncExecutions ? { killSyncExecutions: options.killSyncExecutions } : {}),
    ...(options.requestsUsedToday ? { requestsUsedToday: options.requestsUsedToday } : {}),
  };
  const worker = new Worker(join(here, "host-worker.mjs"), { workerData: setup });
  const lightWorker = new Worker(join(here, "light-worker.mjs"), {
    workerData: { entryFunctions: setup.entryFunctions },
  });
  let snapshot: SheetSnapshot = {
    version: 0,
    sheets: [],
    sheetName: "",
    header: [],
    rows: [],
    hiddenColumns: [],
    grid: { rows: 0, columns: 0 },
    selection: null,
    selectionColumns: null,
    toasts: [],
  };
  const pending = new Map<number, (answer: FromHost) => void>();
  let nextId = 1;
  let syncCallsInFlight = 0;
  let maxSyncCallsInFlight = 0;
  let killedExecutions = 0;
  let callsRun = 0;
  let syncCallsAnswered = 0;
  let lightCallsAnswered = 0;
  const ready = new Promise<void>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (message: FromHost) => {
      if (message.type === "ready") resolve();
      else if (message.type === "sheet") snapshot = { ...message.snapshot, version: snapshot.version + 1 };
      else if (message.type === "cache") lightWorker.postMessage(message satisfies ToLightHost);
      else {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      }
    });
  });
  const lightPending = new Map<number, (answer: FromHost) => void>();
  const lightReady = new Promise<void>((resolve, reject) => {
    lightWorker.once("error", reject);
    lightWorker.on("message", (message: FromHost) => {
      if (message.type === "ready") resolve();
      else if (message.type === "result") {
        lightPending.get(message.id)?.(message);
        lightPending.delete(message.id);
      }
    });
  });
  /** Runs a light call in the light thread, whatever the host thread is doing. */
  const askLight = (message: (id: number) => ToLightHost): Promise<FromHost> => {
    const id = nextId++;
    return new Promise((resolve) => {
      lightPending.set(id, resolve);
      lightWorker.postMessage(message(id));
    });
  };
  /** Sends the host thread a message and waits for its answer (after every message before it). */
  const ask = (message: (id: number) => ToHost): Promise<FromHost> => {
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      worker.postMessage(message(id));
    });
  };
  try {
    await Promise.all([ready, lightReady]);
  } catch (error) {
    await Promise.all([worker.terminate(), lightWorker.terminate()]);
    await standIn.close();
    throw error;
  }

  const run = async (req: IncomingMessage, res: ServerResponse, access: PlaygroundAccess) => {
    const body = (await readJson(req)) as { functionName?: unknown; args?: unknown; user?: unknown };
    const refused = refuseCall(body.functionName, access);
    if (refused) return refuse(res, refused);
    if (typeof body.functionName !== "string" || !Array.isArray(body.args))
      return json(res, 400, { error: "functionName and args are required" });
    callsRun += 1;
    const isSync = SYNC_FUNCTIONS.has(body.functionName);
    if (isSync) maxSyncCallsInFlight = Math.max(maxSyncCallsInFlight, ++syncCallsInFlight);
    const call = (id: number) => ({
      type: "run" as const,
      id,
      functionName: body.functionName as string,
      args: body.args as unknown[],
      ...(typeof body.user === "string" && body.user !== "" ? { user: body.user } : {}),
    });
    const light = LIGHT_FUNCTIONS.has(body.functionName);
    const answer = light ? await askLight(call) : await ask(call);
    if (isSync) {
      syncCallsInFlight -= 1;
      syncCallsAnswered += 1;
    }
    if (light) lightCallsAnswered += 1;
    if (answer.type !== "result") throw new Error("the host thread answered a call with something else");
    const result = answer;
    if (result.killed) killedExecutions += 1;
    json(
      res,
      200,
      result.error === undefined ? { returned: result.returned ?? null } : { error: result.error },
    );
  };

  const token = newToken();
  let access: PlaygroundAccess | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      if (!access) return refuse(res, { status: 503, error: "the playground is still starting" });
      const refused = refuseRequest(req, url, access);
      if (refused) {
        req.resume();
        return refuse(res, refused);
      }
      if (route === "GET /") return send(res, 200, "text/html; charset=utf-8", playgroundPage());
      if (route === "GET /sidebar")
        return send(res, 200, "text/html; charset=utf-8", builtPage("Sidebar.html"));
      if (route === "GET /import-dialog")
        return send(res, 200, "text/html; charset=utf-8", builtPage("ImportDialog.html"));
      if (route === "POST /run") return run(req, res, access);
      if (route === "GET /sheet") {
        const since = Number(url.searchParams.get("since") ?? -1);
        if (since === snapshot.version) return send(res, 204, "text/plain", "");
        return json(res, 200, snapshot);
      }
      if (route === "POST /select") {
        const body = (await readJson(req)) as Record<string, unknown>;
        if (typeof body.sheetName !== "string") return json(res, 400, { error: "sheetName is required" });
        const whole = (name: string) => {
          const value = body[name];
          return typeof value === "number" && Number.isInteger(value) && value >= 1 ? { [name]: value } : {};
        };
        const sheetName = body.sheetName;
        await ask((id) => ({
          type: "select",
          id,
          sheetName,
          ...whole("firstRow"),
          ...whole("lastRow"),
          ...whole("firstColumn"),
          ...whole("lastColumn"),
        }));
        // The snapshot the host posted before answering shows this selection: the page goes by it from then on.
        return json(res, 200, { version: snapshot.version });
      }
      if (route === "POST /edit") {
        const parsed = parseEdit(await readJson(req, MAX_EDIT_BYTES));
        if ("error" in parsed) return json(res, 400, { error: parsed.error });
        const answer = await ask((id) => ({ type: "edit", id, ...parsed }));
        if (answer.type !== "edited") throw new Error("the host thread answered an edit with something else");
        if ("error" in answer) return json(res, 422, { error: answer.error });
        return json(res, 200, { ...answer.outcome, version: snapshot.version });
      }
      send(res, 404, "text/plain", "not found");
    };
    handle().catch((error: unknown) =>
      json(res, error instanceof BadRequest ? error.status : 500, {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  access = { port, token, entryFunctions };
  const origin = `http://127.0.0.1:${port}`;
  const link = (path: string) => `${origin}${path}?token=${token}`;

  return {
    url: link("/"),
    origin,
    token,
    link,
    standIn,
    snapshot: () => snapshot,
    get maxSyncCallsInFlight() {
      return maxSyncCallsInFlight;
    },
    get syncCallsAnswered() {
      return syncCallsAnswered;
    },
    get lightCallsAnswered() {
      return lightCallsAnswered;
    },
    get killedExecutions() {
      return killedExecutions;
    },
    get callsRun() {
      return callsRun;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all([worker.terminate(), lightWorker.terminate()]);
      await standIn.close();
    },
  };
}
