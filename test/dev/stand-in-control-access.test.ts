// Who may use the stand-in's control routes (/_stand-in/…, which can switch the key check off): only requests
// addressed to it by a local name, not sent by another web page, with JSON bodies. Its API routes keep
// answering as Extend's do, whatever the Host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandIn, startStandIn } from "../../dev/stand-in/server.js";
import { rawRequest } from "../support/raw-http.js";
import { API_KEY, apiHeaders } from "./stand-in-helpers.js";

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn({ apiKey: API_KEY, runCount: 3, rate: 0 });
});
afterAll(async () => {
  await standIn?.close();
});

/** A raw HTTP request, so that Host and Origin can be anything a browser or a rebound name would send. */
const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
  rawRequest(standIn.port, method, path, headers, body);

const local = (extra: Record<string, string> = {}) => ({
  host: `127.0.0.1:${standIn.port}`,
  "content-type": "application/json",
  ...extra,
});
const SWITCH_OFF_KEY_CHECK = JSON.stringify({ acceptAnyKey: true });

describe("the stand-in's control routes", () => {
  it("accept a local tool's JSON request (no Origin, Host 127.0.0.1 or localhost)", async () => {
    const read = await send("GET", "/_stand-in/config", { host: `localhost:${standIn.port}` });
    expect(read.status).toBe(200);
    const write = await send("POST", "/_stand-in/config", local(), JSON.stringify({ latencyMs: 0 }));
    expect(write.status).toBe(200);
  });

  const refusals: [string, number, () => Record<string, string>][] = [
    ["a DNS-rebound Host", 403, () => local({ host: `attacker.example:${standIn.port}` })],
    ["a Host with another port", 403, () => local({ host: "127.0.0.1:1" })],
    ["another page's Origin", 403, () => local({ origin: "http://127.0.0.1:1" })],
    ["a sandboxed page's Origin (null)", 403, () => local({ origin: "null" })],
    ["a text/plain body (a form or a no-cors fetch)", 415, () => local({ "content-type": "text/plain" })],
    ["no Content-Type", 415, () => ({ host: `127.0.0.1:${standIn.port}` })],
  ];
  it.each(refusals)("refuse %s (%i) and leave the key check on", async (_, status, headers) => {
    const answer = await send("POST", "/_stand-in/config", headers(), SWITCH_OFF_KEY_CHECK);
    expect(answer.status).toBe(status);
    expect(standIn.config.acceptAnyKey).toBe(false);
    const unauthorised = await fetch(`${standIn.url}/workflow_runs`, {
      headers: apiHeaders({ authorization: "Bearer not-the-key" }),
    });
    expect(unauthorised.status).toBe(401);
  });

  it("refuse to show stats, settings or faults to a rebound name", async () => {
    for (const path of ["/_stand-in/stats", "/_stand-in/config", "/_stand-in/faults"]) {
      const answer = await send("GET", path, { host: `attacker.example:${standIn.port}` });
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain("totalRequests");
    }
  });
});

describe("the stand-in's API routes", () => {
  it("answer by the key alone, as Extend's do, whatever the Host", async () => {
    const answer = await send("GET", "/workflow_runs", {
      ...apiHeaders(),
      host: "api.extend.ai",
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).object).toBe("list");
  });
});
