// UrlFetchApp over real loopback HTTP. The server runs in a child process: the host blocks its own thread
// while a request is in flight, so a server in this thread could never answer.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GasHost, type GasHostOptions, MAX_TIME_MESSAGE } from "../../dev/gas-host/index.js";

const serverSource = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://local");
  const [route, arg, tag] = url.pathname.split("/").filter(Boolean);
  let body = "";
  req.on("data", (chunk) => { body += chunk; });
  req.on("end", () => {
    if (route === "delay") {
      setTimeout(() => { res.setHeader("content-type", "application/json"); res.end(JSON.stringify({ tag })); }, Number(arg));
    } else if (route === "status") {
      res.statusCode = Number(arg);
      res.end(url.searchParams.get("body") ?? "x".repeat(300));
    } else if (route === "drop") {
      req.socket.destroy();
    } else if (route === "hang") {
      // never answers
    } else if (route === "echo") {
      res.setHeader("content-type", "application/json; charset=utf-8");
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    } else if (route === "headers") {
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.setHeader("Retry-After", "3");
      res.end("ok");
    } else if (route === "redirect") {
      res.statusCode = 302;
      res.setHeader("Location", "/echo");
      res.end("moved");
    } else if (route === "bytes") {
      res.end(Buffer.from([0, 127, 128, 255]));
    } else {
      res.statusCode = 404;
      res.end("not found");
    }
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
`;

let child: ChildProcess;
let base = "";
let refused = "";
const hosts: GasHost[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  child = spawn(process.execPath, ["-e", serverSource], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (data) => resolve(Number(String(data).trim())));
    child.once("exit", (code) => reject(new Error(`test server exited with ${code}`)));
  });
  base = `http://127.0.0.1:${port}`;
  refused = `http://127.0.0.1:${await freePort()}/nothing-listens`;
});

afterAll(() => {
  for (const host of hosts) host.dispose();
  child?.kill();
});

const script = `
  function fetchOne(url, params) {
    var r = UrlFetchApp.fetch(url, params);
    return { code: r.getResponseCode(), text: r.getContentText(), headers: r.getHeaders(), all: r.getAllHeaders() };
  }
  function fetchMany(requests) {
    var t = Date.now();
    var responses = UrlFetchApp.fetchAll(requests);
    return { ms: Date.now() - t, results: responses.map(function (r) {
      return r === null ? null : { code: r.getResponseCode(), text: r.getContentText() }; }) };
  }
  function bytes(url) { return UrlFetchApp.fetch(url).getContent(); }
  function request(url, params) { return UrlFetchApp.getRequest(url, params); }`;

const newHost = (options: GasHostOptions = {}) => {
  const host = new GasHost({ scriptCode: script, ...options });
  hosts.push(host);
  return host;
};

describe("fetch", () => {
  it("sends method, headers and payload as Apps Script builds them", () => {
    const host = newHost();
    const form = host.run("fetchOne", [`${base}/echo`, { method: "POST", payload: { q: "a b", n: 1 } }]);
    const echoed = JSON.parse((form.returned as { text: string }).text);
    expect(echoed).toMatchObject({ method: "POST", body: "q=a%20b&n=1" });
    expect(echoed.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(echoed.headers["user-agent"]).toMatch(/Google-Apps-Script/);

    const json = host.run("fetchOne", [
      `${base}/echo?x=1`,
      {
        method: "put",
        contentType: "application/json",
        payload: JSON.stringify({ id: 7 }),
        headers: { Authorization: "Bearer test-key-not-secret" },
      },
    ]);
    const sent = JSON.parse((json.returned as { text: string }).text);
    expect(sent).toMatchObject({ method: "PUT", url: "/echo?x=1", body: '{"id":7}' });
    expect(sent.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer test-key-not-secret",
    });
    expect(host.calls.urlFetchRequests).toBe(2);
  });

  it("throws for HTTP errors unless muted, with the truncated response in the message", () => {
    const host = newHost();
    const thrown = host.run("fetchOne", [`${base}/status/500`]);
    expect(thrown.error?.name).toBe("Exception");
    expect(thrown.error?.message).toBe(
      `Request failed for ${base} returned code 500. Truncated server response: ${"x".repeat(147)}... (use muteHttpExceptions option to examine full response)`,
    );
    expect(host.run("fetchOne", [`${base}/status/429?body=slow%20down`]).error?.message).toBe(
      `Request failed for ${base} returned code 429. Truncated server response: slow down (use muteHttpExceptions option to examine full response)`,
    );
    const muted = host.run("fetchOne", [`${base}/status/500`, { muteHttpExceptions: true }]);
    expect(muted.returned).toMatchObject({ code: 500, text: "x".repeat(300) });
  });

  it("always throws for transport failures, muted or not", () => {
    const host = newHost({ urlFetchTimeoutMs: 200 });
    for (const params of [{}, { muteHttpExceptions: true }]) {
      expect(host.run("fetchOne", [`${base}/drop`, params]).error?.message).toBe(
        `Address unavailable: ${base}/drop`,
      );
      expect(host.run("fetchOne", [refused, params]).error?.message).toBe(`Address unavailable: ${refused}`);
      expect(host.run("fetchOne", [`${base}/hang`, params]).error?.message).toBe(`Timeout: ${base}/hang`);
    }
  });

  it("returns headers single- and multi-valued, signed bytes, and redirects unless told not to follow", () => {
    const host = newHost();
    const headers = host.run("fetchOne", [`${base}/headers`]).returned as {
      headers: Record<string, string>;
      all: Record<string, unknown>;
    };
    expect(headers.headers["retry-after"]).toBe("3");
    expect(headers.all["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(host.run("bytes", [`${base}/bytes`]).returned).toEqual([0, 127, -128, -1]);
    expect(host.run("fetchOne", [`${base}/redirect`]).returned).toMatchObject({ code: 200 });
    expect(host.run("fetchOne", [`${base}/redirect`, { followRedirects: false }]).returned).toMatchObject({
      code: 302,
      text: "moved",
    });
  });

  it("getRequest shows the request without sending it", () => {
    const host = newHost();
    const request = host.run("request", [`${base}/echo`, { method: "post", payload: "a=1" }]).returned;
    expect(request).toMatchObject({
      url: `${base}/echo`,
      method: "post",
      contentType: "application/x-www-form-urlencoded",
      payload: "a=1",
      muteHttpExceptions: false,
      followRedirects: true,
    });
    expect(host.calls.urlFetchRequests).toBe(0);
    expect(host.run("request", ["not a url"]).error?.message).toBe("Invalid argument: not a url");
  });
});

describe("fetchAll", () => {
  it("runs requests in parallel and returns responses in request order", () => {
    const host = newHost();
    const delays = [400, 300, 200, 100, 0];
    const result = host.run("fetchMany", [delays.map((ms, i) => `${base}/delay/${ms}/r${i}`)]);
    const { ms, results } = result.returned as { ms: number; results: { code: number; text: string }[] };
    expect(results.map((r) => JSON.parse(r.text).tag)).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(900);
    expect(result.calls).toMatchObject({ "UrlFetchApp.fetchAll": 1, urlFetchRequests: 5 });
    expect(host.calls.count("UrlFetchApp.fetchAll")).toBe(1);
  });

  it("fails as a whole when one request has a transport failure, even when muted", () => {
    const host = newHost();
    const requests = [
      { url: `${base}/delay/0/a`, muteHttpExceptions: true },
      { url: `${base}/drop`, muteHttpExceptions: true },
      { url: `${base}/status/500`, muteHttpExceptions: true },
    ];
    expect(host.run("fetchMany", [requests]).error?.message).toBe(`Address unavailable: ${base}/drop`);
    const lenient = newHost({ fetchAllThrowsOnTransportError: false });
    const { results } = lenient.run("fetchMany", [requests]).returned as { results: unknown[] };
    expect(results).toEqual([{ code: 200, text: '{"tag":"a"}' }, null, { code: 500, text: "x".repeat(300) }]);
  });

  it("throws for the first unmuted HTTP error", () => {
    const host = newHost();
    const result = host.run("fetchMany", [
      [`${base}/delay/0/a`, `${base}/status/404?body=gone`, `${base}/status/500`],
    ]);
    expect(result.error?.message).toMatch(
      new RegExp(`^Request failed for ${base} returned code 404\\. .*gone`),
    );
  });

  it("enforces the daily URL Fetch quota, counting each request of a fetchAll", () => {
    const host = newHost({ urlFetchDailyQuota: 3 });
    expect(host.run("fetchMany", [[`${base}/delay/0/a`, `${base}/delay/0/b`]]).error).toBeUndefined();
    expect(host.run("fetchMany", [[`${base}/delay/0/c`, `${base}/delay/0/d`]]).error?.message).toBe(
      "Service invoked too many times for one day: urlfetch.",
    );
    expect(host.urlFetchQuota.used).toBe(2);
  });

  it("starts the day again as its reset option says: never, at Pacific midnight, or 24 h after the first request", () => {
    const fetchTwo = (host: GasHost, tag: string) =>
      host.run("fetchMany", [[`${base}/delay/0/${tag}1`, `${base}/delay/0/${tag}2`]]).error?.message;
    const REFUSED = "Service invoked too many times for one day: urlfetch.";
    // 23:00 Pacific standard time on 2 December 2026 (07:00 UTC on the 3rd).
    const start = Date.parse("2026-12-03T07:00:00Z");
    const hosts = {
      never: newHost({ urlFetchDailyQuota: 3, clock: "virtual", virtualStartMs: start }),
      midnight: newHost({
        urlFetchDailyQuota: 3,
        clock: "virtual",
        virtualStartMs: start,
        urlFetchQuotaReset: "pacific-midnight",
      }),
      rolling: newHost({
        urlFetchDailyQuota: 3,
        clock: "virtual",
        virtualStartMs: start,
        urlFetchQuotaReset: "24h-after-first-request",
      }),
    };
    for (const host of Object.values(hosts)) expect(fetchTwo(host, "a")).toBeUndefined();
    for (const host of Object.values(hosts)) host.clock.advance(61 * 60_000);
    // 00:01 Pacific: a new day for the Pacific reading only.
    expect(fetchTwo(hosts.never, "b")).toBe(REFUSED);
    expect(fetchTwo(hosts.midnight, "b")).toBeUndefined();
    expect(fetchTwo(hosts.rolling, "b")).toBe(REFUSED);
    for (const host of Object.values(hosts)) host.clock.advance(23 * 3_600_000);
    expect(fetchTwo(hosts.never, "c")).toBe(REFUSED);
    expect(fetchTwo(hosts.rolling, "c")).toBeUndefined();
    expect(hosts.rolling.urlFetchQuota.used).toBe(2);
  });
});

describe("executions around fetching", () => {
  it("kills an execution whose fetch outlasts the deadline", () => {
    const host = newHost();
    const started = Date.now();
    const result = host.run("fetchOne", [`${base}/delay/3000/slow`], { executionLimitMs: 300 });
    expect(result.killed).toBe(true);
    expect(result.error?.message).toBe(MAX_TIME_MESSAGE);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("lets a nested execution fetch while the outer one is about to", () => {
    const host = newHost();
    let inner: unknown;
    const outer = host.run("fetchMany", [[`${base}/delay/0/outer`]], {
      onServiceCall: (call) => {
        if (call.key === "UrlFetchApp.fetchAll")
          inner = host.run("fetchMany", [[`${base}/delay/0/inner`]]).returned;
      },
    });
    expect((outer.returned as { results: { text: string }[] }).results[0]?.text).toBe('{"tag":"outer"}');
    expect((inner as { results: { text: string }[] }).results[0]?.text).toBe('{"tag":"inner"}');
  });

  it("survives dispose: the next fetch starts a new worker", () => {
    const host = newHost();
    expect(host.run("fetchOne", [`${base}/delay/0/x`]).error).toBeUndefined();
    host.dispose();
    host.dispose();
    expect(host.run("fetchOne", [`${base}/delay/0/y`]).returned).toMatchObject({ code: 200 });
  });
});
