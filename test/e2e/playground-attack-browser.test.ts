// A web page of another origin, open in the developer's browser (headless Chromium) while the playground runs,
// tries what the audit did: post an eval to /run as a plain form, as no-cors fetches (no token, or the token in
// the address as if it had leaked) and as a fetch with the token header, and post to the stand-in's control
// routes. Nothing may run: the host's call counter, the sheet and the stand-in's settings stay as they were. A
// rebound name (rebind.test pointed at 127.0.0.1, as DNS rebinding would) gets no page either.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { launchChromium } from "./browser.js";

const REBOUND_NAME = "rebind.test";
/** What the attacker wants run: a cell written through the emulated services, which also reach Node. */
const PAYLOAD_CODE =
  "SpreadsheetApp.getActiveSpreadsheet().getActiveSheet().getRange('A1').setValue('pwned')";

/** The attacking page: every request it makes, then `window.attackSettled` once all have ended. */
function attackPage(playground: Playground): string {
  const run = `${playground.origin}/run`;
  const control = `${playground.standIn.url}/_stand-in/`;
  const payload = JSON.stringify({ functionName: "eval", args: [PAYLOAD_CODE] });
  // A text/plain form whose field name and value join into JSON: `{…,"pad":"=" + "\r\n"`.
  const formName = `${payload.slice(0, -1)},"pad":"`;
  const script = `
    const payload = ${JSON.stringify(payload)};
    const simple = (url, body, type) =>
      fetch(url, { method: "POST", mode: "no-cors", headers: { "content-type": type }, body });
    const attempts = [
      simple(${JSON.stringify(run)}, payload, "text/plain"),
      simple(${JSON.stringify(`${run}?token=${playground.token}`)}, payload, "text/plain"),
      simple(${JSON.stringify(run)}, payload, "application/x-www-form-urlencoded"),
      fetch(${JSON.stringify(run)}, {
        method: "POST",
        headers: { "content-type": "application/json", "x-playground-token": ${JSON.stringify(playground.token)} },
        body: payload,
      }),
      simple(${JSON.stringify(`${control}config`)}, JSON.stringify({ latencyMs: 4321 }), "text/plain"),
      simple(${JSON.stringify(`${control}faults`)}, JSON.stringify({ rules: [{ kind: "503", times: "unlimited" }] }), "text/plain"),
    ];
    const form = new Promise((resolve) => {
      document.getElementById("sink").addEventListener("load", resolve, { once: true });
      document.getElementById("form").submit();
    });
    Promise.allSettled([...attempts, form]).then(() => { window.attackSettled = true; });`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Not the playground</title></head><body>
<form id="form" method="POST" enctype="text/plain" target="sink" action="${run}?token=${playground.token}">
<input type="hidden" name='${formName.replace(/'/g, "&#39;")}' value='"}'></form>
<iframe name="sink" id="sink"></iframe>
<script>${script}</script></body></html>`;
}

let browser: Browser;
let playground: Playground;
let attacker: Server;
let attackerUrl: string;

beforeAll(async () => {
  browser = await launchChromium([`--host-resolver-rules=MAP ${REBOUND_NAME} 127.0.0.1`]);
  playground = await startPlayground({});
  attacker = createServer((_, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(attackPage(playground));
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  await playground?.close();
});

describe("a page of another origin while the playground runs", () => {
  it("runs nothing in the host and changes nothing in the stand-in", async () => {
    const settingsBefore = await playground.standIn.configure({});
    const headerBefore = playground.snapshot().header;
    const page = await browser.newPage();
    const posted: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posted.push(request.url());
    });
    await page.goto(attackerUrl);
    await page.waitForFunction(() => (window as { attackSettled?: boolean }).attackSettled === true);
    // The attempts really left the browser (the cross-origin ones that need no preflight, and the form).
    expect(posted.filter((url) => url.startsWith(`${playground.origin}/run`)).length).toBeGreaterThanOrEqual(
      4,
    );
    expect(posted.filter((url) => url.startsWith(`${playground.standIn.url}/_stand-in/`))).toHaveLength(2);
    await page.waitForTimeout(300);
    expect(playground.callsRun).toBe(0);
    expect(playground.snapshot().header).toEqual(headerBefore);
    expect(await playground.standIn.configure({})).toEqual(settingsBefore);
    const faults = await fetch(`${playground.standIn.url}/_stand-in/faults`);
    expect(await faults.json()).toEqual({ rules: [] });
    await page.close();
  });

  it("gets no page under a rebound name, even with the token", async () => {
    const page = await browser.newPage();
    const response = await page.goto(
      `http://${REBOUND_NAME}:${new URL(playground.origin).port}/?token=${playground.token}`,
    );
    expect(response?.status()).toBe(403);
    expect(await page.locator("iframe").count()).toBe(0);
    await page.close();
  });

  it("still serves its own page, whose sidebar calls the host", async () => {
    const page = await browser.newPage();
    await page.goto(playground.url);
    await page.frameLocator("#sidebar").getByRole("tab", { name: "Settings" }).waitFor();
    await expect.poll(() => playground.callsRun).toBeGreaterThan(0);
    await page.close();
  });
});
