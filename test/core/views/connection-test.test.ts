// Unit tests for src/core/views/connection-test.ts: which probes follow a refusal, and the verdict chosen
// from HTTP statuses and Extend codes only (messages in the bodies are deliberately misleading).
import { describe, expect, it } from "vitest";
import type { AttemptResult } from "../../../src/core/requests/classify";
import { scrubberFor } from "../../../src/core/requests/secrets";
import {
  connectionVerdict,
  firstProbe,
  followUpProbes,
  type Probe,
} from "../../../src/core/views/connection-test";
import { DEFAULT_SETTINGS, type Settings } from "../../../src/core/views/settings";

const KEY = "sk_test_probe";
const answer = (status: number, body: object = {}): AttemptResult => ({
  response: { status, headers: { "x-extend-request-id": "req_header" }, body: JSON.stringify(body) },
});
const refused = answer(401, { code: "UNAUTHORIZED", message: "wrong region, probably" });
const ok = answer(200, { object: "list", data: [] });
const settings = (extra: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...extra });

function followUps(chosen: Settings, answers: (probe: Probe) => AttemptResult | undefined) {
  return followUpProbes(chosen, KEY, refused).map((probe) => ({ probe, answer: answers(probe) }));
}

describe("probes", () => {
  it("asks one cheap page of runs with the key, the version and the workspace", () => {
    const probe = firstProbe(settings({ region: "EU1", workspaceId: "ws_1" }), KEY);
    expect(probe.request).toMatchObject({
      url: "https://api.eu1.extend.ai/workflow_runs?maxPageSize=1",
      method: "get",
      muteHttpExceptions: true,
      headers: {
        Authorization: `Bearer ${KEY}`,
        "x-extend-api-version": "2026-02-09",
        "x-extend-workspace-id": "ws_1",
      },
    });
  });

  it("follows a refusal with the other regions and, when a workspace is set, the same region without it", () => {
    const probes = followUpProbes(settings({ workspaceId: "ws_1" }), KEY, refused);
    expect(probes.map((probe) => [probe.region, probe.withWorkspace])).toEqual([
      ["US2", true],
      ["EU1", true],
      ["US1", false],
    ]);
    expect(followUpProbes(settings(), KEY, ok)).toEqual([]);
    expect(followUpProbes(settings(), KEY, answer(429))).toEqual([]);
  });

  it("asks no other region when a local base URL replaces the region's", () => {
    expect(followUpProbes(settings({ baseUrlOverride: "http://127.0.0.1:1" }), KEY, refused)).toEqual([]);
  });
});

describe("connectionVerdict", () => {
  it("reports success with the region", () => {
    expect(connectionVerdict(settings(), ok)).toMatchObject({ ok: true, kind: "connected" });
  });

  it("names the region where the key works", () => {
    const verdict = connectionVerdict(
      settings(),
      refused,
      followUps(settings(), (probe) => (probe.region === "EU1" ? ok : refused)),
    );
    expect(verdict).toMatchObject({ ok: false, kind: "wrong-region" });
    expect(verdict.message).toContain("EU1");
  });

  it("blames the workspace id when the key works without it", () => {
    const chosen = settings({ workspaceId: "ws_wrong" });
    const verdict = connectionVerdict(
      chosen,
      refused,
      followUps(chosen, (probe) => (probe.withWorkspace ? refused : ok)),
    );
    expect(verdict.kind).toBe("workspace-wrong");
  });

  it("asks for a workspace id on a 403 without one, and blames the id on a 403 with one", () => {
    expect(connectionVerdict(settings(), answer(403, { code: "FORBIDDEN" })).kind).toBe("workspace-needed");
    expect(connectionVerdict(settings({ workspaceId: "ws_1" }), answer(403)).kind).toBe("workspace-wrong");
  });

  it("calls the key bad when every region refuses it", () => {
    const verdict = connectionVerdict(
      settings(),
      refused,
      followUps(settings(), () => refused),
    );
    expect(verdict).toMatchObject({ kind: "bad-key", requestId: "req_header" });
  });

  it("decides by code first, then status, never by message", () => {
    expect(connectionVerdict(settings(), answer(429, { message: "invalid api key" })).kind).toBe(
      "rate-limited",
    );
    expect(connectionVerdict(settings(), answer(400, { code: "RATE_LIMIT_EXCEEDED" })).kind).toBe(
      "rate-limited",
    );
    expect(connectionVerdict(settings(), answer(402)).kind).toBe("usage-blocked");
    expect(connectionVerdict(settings(), answer(503, { message: "Unauthorized" })).kind).toBe("extend-error");
    expect(connectionVerdict(settings(), answer(418)).kind).toBe("unexpected");
  });

  it("tells a network failure from Apps Script's daily quota", () => {
    expect(connectionVerdict(settings(), { transportError: "DNS error: https://api.extend.ai" }).kind).toBe(
      "network",
    );
    expect(
      connectionVerdict(settings(), {
        transportError: "Service invoked too many times for one day: urlfetch.",
      }).kind,
    ).toBe("quota");
  });

  it("says what to do in every verdict and never repeats the key", () => {
    for (const status of [200, 401, 402, 403, 404, 429, 500]) {
      const verdict = connectionVerdict(settings(), answer(status, { message: KEY }));
      expect(verdict.message.length).toBeGreaterThan(20);
      expect(JSON.stringify(verdict)).not.toContain(KEY);
    }
  });
});

describe("server text in the verdict", () => {
  const LONG_KEY = "sk_live_echoed-by-a-proxy-4b1e";
  const scrub = scrubberFor([LONG_KEY]);
  const echoing = (status: number, body: object, headerId = `req_${LONG_KEY}`): AttemptResult => ({
    response: { status, headers: { "x-extend-request-id": headerId }, body: JSON.stringify(body) },
  });

  it("never carries the key a proxy echoes in the request id header, the body's requestId or the code", () => {
    const verdicts = [
      connectionVerdict(settings(), echoing(200, { object: "list", data: [] }), [], scrub),
      connectionVerdict(settings(), echoing(401, { code: "UNAUTHORIZED" }), [], scrub),
      connectionVerdict(
        settings(),
        echoing(418, { code: `PROXY_${LONG_KEY}`, requestId: LONG_KEY }),
        [],
        scrub,
      ),
      connectionVerdict(settings(), echoing(418, { code: `Bearer ${LONG_KEY}` }), [], scrub),
    ];
    expect(verdicts.map((verdict) => verdict.kind)).toEqual([
      "connected",
      "bad-key",
      "unexpected",
      "unexpected",
    ]);
    for (const verdict of verdicts) expect(JSON.stringify(verdict)).not.toContain(LONG_KEY);
    expect(verdicts[0]?.requestId).toBe("req_[redacted]");
    expect(verdicts[2]?.requestId).toBe("[redacted]");
    expect(verdicts[2]?.title).toBe("Unexpected answer (HTTP 418)");
    expect(verdicts[2]?.message).toContain("(PROXY_[redacted])");
  });

  it("cuts a long request id and code, and reads at most 20,000 characters of a body", () => {
    const long = echoing(418, { code: "X".repeat(500), requestId: "r".repeat(5_000) });
    const verdict = connectionVerdict(settings(), long, [], scrub);
    expect(verdict.requestId).toBe("r".repeat(100));
    expect(verdict.message).toContain(`(${"X".repeat(60)})`);
    const huge = echoing(418, { code: "HUGE", padding: "p".repeat(30_000) }, "req_1");
    expect(connectionVerdict(settings(), huge, [], scrub).message).toContain("(HTTP_418)");
  });
});
