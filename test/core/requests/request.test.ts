// Unit tests for src/core/requests/request.ts: the one POST per row, its URL, headers and JSON payload.
import { describe, expect, it } from "vitest";
import {
  buildUpdateRequest,
  type ConnectionSettings,
  updateRunUrl,
} from "../../../src/core/requests/request";
import type { UpdateWorkflowRunBody } from "../../../src/extend/api";

const ID = "workflow_run_xKm9pNv3qWsY_jL2tR5Dh";
const US1: ConnectionSettings = { baseUrl: "https://api.extend.ai", apiKey: "sk_test_123" };

describe("updateRunUrl", () => {
  it.each([
    ["https://api.extend.ai", ID, `https://api.extend.ai/workflow_runs/${ID}`],
    ["https://api.extend.ai/", ID, `https://api.extend.ai/workflow_runs/${ID}`],
    ["https://api.extend.ai///", ID, `https://api.extend.ai/workflow_runs/${ID}`],
    [
      "https://api.us2.extend.app",
      "workflow_run_1",
      "https://api.us2.extend.app/workflow_runs/workflow_run_1",
    ],
    ["http://127.0.0.1:8787/v", "workflow_run_1", "http://127.0.0.1:8787/v/workflow_runs/workflow_run_1"],
    ["https://api.extend.ai", "a/b", "https://api.extend.ai/workflow_runs/a%2Fb"],
    ["https://api.extend.ai", "../cancel", "https://api.extend.ai/workflow_runs/..%2Fcancel"],
    ["https://api.extend.ai", "a?b=c#d", "https://api.extend.ai/workflow_runs/a%3Fb%3Dc%23d"],
    ["https://api.extend.ai", "a b", "https://api.extend.ai/workflow_runs/a%20b"],
    ["https://api.extend.ai", "run%41", "https://api.extend.ai/workflow_runs/run%2541"],
    ["https://api.extend.ai", "é", "https://api.extend.ai/workflow_runs/%C3%A9"],
    ["https://api.extend.ai", "a-b_c.d~e", "https://api.extend.ai/workflow_runs/a-b_c.d~e"],
  ])("%s + %j -> %s", (baseUrl, runId, url) => {
    expect(updateRunUrl(baseUrl, runId)).toBe(url);
  });
});

describe("buildUpdateRequest", () => {
  it("builds the exact request UrlFetchApp is given", () => {
    expect(buildUpdateRequest(ID, { name: "Invoice 7" }, US1)).toEqual({
      url: `https://api.extend.ai/workflow_runs/${ID}`,
      method: "post",
      contentType: "application/json",
      headers: { Authorization: "Bearer sk_test_123", "x-extend-api-version": "2026-02-09" },
      payload: '{"name":"Invoice 7"}',
      muteHttpExceptions: true,
      followRedirects: false,
    });
  });

  it.each<[string, ConnectionSettings, Record<string, string>]>([
    ["no workspace id", US1, { Authorization: "Bearer sk_test_123", "x-extend-api-version": "2026-02-09" }],
    [
      "an empty workspace id",
      { ...US1, workspaceId: "" },
      { Authorization: "Bearer sk_test_123", "x-extend-api-version": "2026-02-09" },
    ],
    [
      "a workspace id",
      { ...US1, workspaceId: "ws_42" },
      {
        Authorization: "Bearer sk_test_123",
        "x-extend-api-version": "2026-02-09",
        "x-extend-workspace-id": "ws_42",
      },
    ],
  ])("headers with %s", (_label, connection, headers) => {
    expect(buildUpdateRequest(ID, { name: "x" }, connection).headers).toEqual(headers);
  });

  it.each<[UpdateWorkflowRunBody, string]>([
    [{}, "{}"],
    [{ name: "n" }, '{"name":"n"}'],
    [{ metadata: { a: 1, b: null } }, '{"metadata":{"a":1,"b":null}}'],
    [
      { name: 'Ünïcode "quoted"', metadata: { "extend:usage_tags": ["a", "b"], nested: { x: [true] } } },
      '{"name":"Ünïcode \\"quoted\\"","metadata":{"extend:usage_tags":["a","b"],"nested":{"x":[true]}}}',
    ],
  ])("payload of %j is its JSON", (body, payload) => {
    const request = buildUpdateRequest(ID, body, US1);
    expect(request.payload).toBe(payload);
    expect(JSON.parse(request.payload)).toEqual(body);
  });

  it.each(["a/b", "x y", "../../workflow_runs"])("URL-encodes the id %j in the path", (runId) => {
    const request = buildUpdateRequest(runId, {}, US1);
    expect(request.url).toBe(`https://api.extend.ai/workflow_runs/${encodeURIComponent(runId)}`);
    expect(request.url.slice("https://api.extend.ai/workflow_runs/".length)).not.toContain("/");
  });

  it.each([{}, { name: "x" }, { metadata: { k: null } }])(
    "is always a POST, never anything else (%j)",
    (body) => {
      const request = buildUpdateRequest(ID, body, { ...US1, workspaceId: "ws" });
      expect(request.method).toBe("post");
      expect(request.muteHttpExceptions).toBe(true);
      expect(request.followRedirects).toBe(false);
      expect(request.contentType).toBe("application/json");
    },
  );

  it("does not share header objects between requests", () => {
    const first = buildUpdateRequest("workflow_run_1", {}, US1);
    first.headers.Authorization = "changed";
    expect(buildUpdateRequest("workflow_run_2", {}, US1).headers.Authorization).toBe("Bearer sk_test_123");
  });
});
