// Control routes under /_stand-in/ for tests and tools in another process: read stats and stored runs, add
// runs, arm faults, change settings (even switch the key check off), reset. Never counted in stats. No key:
// they answer only requests addressed to this server by a local name and not sent by another web page, with
// JSON bodies (dev/local-request.ts), since any page in the developer's browser can post to a local port.
import type { IncomingMessage, ServerResponse } from "node:http";
import { foreignRequestReason, isJsonRequest } from "../local-request.js";
import { parseConfigPatch } from "./config.js";
import { parseFaultRules } from "./faults.js";
import { readBody, sendJson } from "./http.js";
import type { RunInput, StandIn } from "./stand-in.js";

export const CONTROL_PREFIX = "/_stand-in/";

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function handleControlRequest(
  standIn: StandIn,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  try {
    const method = req.method ?? "GET";
    const foreign = foreignRequestReason(req, standIn.port);
    if (foreign)
      throw new ControlError(403, `the stand-in's control routes refused this request: ${foreign}`);
    if (method !== "GET" && !isJsonRequest(req))
      throw new ControlError(415, "the stand-in's control routes accept only application/json bodies");
    const route = path.slice(CONTROL_PREFIX.length);
    const body = method === "POST" ? parseJsonObject(await readBody(req)) : {};
    sendJson(res, 200, answer(standIn, method, route, body));
  } catch (error) {
    const status = error instanceof ControlError ? error.status : 400;
    sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
  }
}

function answer(standIn: StandIn, method: string, route: string, body: Record<string, unknown>): unknown {
  if (route.startsWith("runs/") && method === "GET") {
    const id = decodeURIComponent(route.slice("runs/".length));
    const run = standIn.getRun(id);
    if (!run) throw new ControlError(404, `no stored run ${id}`);
    return run;
  }
  switch (`${method} ${route}`) {
    case "GET stats":
      return standIn.stats();
    case "GET config":
      return standIn.publicConfig();
    case "POST config":
      standIn.configure(parseConfigPatch(body));
      return standIn.publicConfig();
    case "GET faults":
      return { rules: standIn.faults.pending() };
    case "POST faults": {
      const mode = body.mode ?? "replace";
      if (mode !== "replace" && mode !== "append") throw new Error('mode must be "replace" or "append"');
      standIn.setFaults(parseFaultRules(body.rules), mode);
      return { rules: standIn.faults.pending() };
    }
    case "POST runs/lookup": {
      // Many runs in one call: a test of thousands of rows compares every stored run after every sync, so
      // only what an update can change (and the status) comes back, not files and step runs.
      const ids = body.ids;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string"))
        throw new Error("ids must be an array of strings");
      return {
        runs: ids.map((id) => {
          const run = standIn.runs.get(id);
          return run
            ? structuredClone({ id, name: run.name, status: run.status, metadata: run.metadata })
            : null;
        }),
      };
    }
    case "POST runs": {
      const ids = standIn.addRuns(parseRunInputs(body.runs), { replace: body.replace === true });
      return { ids, total: standIn.runs.size };
    }
    case "POST reset":
      standIn.reset({ runs: body.runs === true, config: body.config === true });
      return { ok: true };
    default:
      throw new ControlError(404, `no control route ${method} ${CONTROL_PREFIX}${route}`);
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function parseRunInputs(input: unknown): RunInput[] {
  if (!Array.isArray(input)) throw new Error("runs must be an array");
  return input.map((run, index) => {
    if (typeof run !== "object" || run === null || Array.isArray(run))
      throw new Error(`runs[${index}] must be an object`);
    const { id, metadata } = run as Record<string, unknown>;
    if (typeof id !== "string" || id === "") throw new Error(`runs[${index}].id must be a non-empty string`);
    if (
      metadata !== undefined &&
      (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
    ) {
      throw new Error(`runs[${index}].metadata must be an object`);
    }
    return run as RunInput;
  });
}
