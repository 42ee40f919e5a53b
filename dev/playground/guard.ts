// Every check the playground makes before a request reaches the local Apps Script host, in one place. The host
// runs the built bundle in the playground's own Node process, so a request that got through could do anything
// the developer can: the Host and Origin must be local (dev/local-request.ts), every request must carry the
// token made at start (as notebook servers do: it is in the address the playground prints), bodies must be
// JSON, and google.script.run may call only the entry functions the bundle declares.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { foreignRequestReason, isJsonRequest } from "../local-request.js";

/** Pages send the token in this header; a page itself is opened with `?token=` in its address. */
export const TOKEN_HEADER = "x-playground-token";

export interface PlaygroundAccess {
  port: number;
  token: string;
  /** The top-level functions of dist/Code.js that google.script.run may call. */
  entryFunctions: ReadonlySet<string>;
}

export interface Refusal {
  status: number;
  error: string;
}

export const newToken = (): string => randomBytes(24).toString("base64url");

/**
 * The forwarders scripts/build.mjs generates, one per export of src/main.ts, at the start of a line of the
 * bundle's footer: `function name(...args) { return ExtendSheetsSync.name(...args); }`. Inside the bundle's
 * wrapper every line is indented, so nothing else can match.
 */
const FORWARDER =
  /^function ([A-Za-z_$][\w$]*)\(\.\.\.args\) \{ return ExtendSheetsSync\.\1\(\.\.\.args\); \}$/gm;

/** The entry functions of a built bundle; names ending in "_" stay private, as in Apps Script. */
export function entryFunctionsOf(bundle: string): string[] {
  return [...bundle.matchAll(FORWARDER)]
    .map((match) => match[1] ?? "")
    .filter((name) => name !== "" && !name.endsWith("_"));
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const NEEDS_TOKEN =
  "This playground address needs its access token: open the address `npm run playground` printed (it ends in ?token=…).";

/** Why a request must be refused before any route sees it, or null. */
export function refuseRequest(req: IncomingMessage, url: URL, access: PlaygroundAccess): Refusal | null {
  const foreign = foreignRequestReason(req, access.port);
  if (foreign) return { status: 403, error: `The playground refused this request: ${foreign}.` };
  const header = req.headers[TOKEN_HEADER];
  // In the address only for opening a page: a call that could be made by a plain link or form needs the header.
  const given =
    typeof header === "string" ? header : req.method === "GET" ? url.searchParams.get("token") : null;
  if (given === null || !sameToken(given, access.token)) return { status: 403, error: NEEDS_TOKEN };
  if (req.method !== "GET" && !isJsonRequest(req))
    return { status: 415, error: "The playground accepts only application/json bodies." };
  return null;
}

/** Why google.script.run may not call this function, or null. */
export function refuseCall(functionName: unknown, access: PlaygroundAccess): Refusal | null {
  if (typeof functionName !== "string") return { status: 400, error: "functionName and args are required" };
  if (!access.entryFunctions.has(functionName))
    return {
      status: 404,
      error: `google.script.run cannot call ${JSON.stringify(functionName.slice(0, 100))}: the add-on has no such entry function.`,
    };
  return null;
}
