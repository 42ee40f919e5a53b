// The sidebar end to end in headless Chromium, through the playground: the real dist/Sidebar.html, its
// google.script.run calls run by the built bundle in the local Apps Script host against the Extend stand-in.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { MAX_UNCOMMITTED_ROWS } from "../../src/core/engine/outcome-writer.js";
import { launchChromium, openPlayground, saveKey, screenshot } from "./browser.js";

const SECRET = "sk_live_browser-test-key-7f3a9c";
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe("the example sheet", () => {
  let playground: Playground;
  beforeAll(async () => {
    playground = await startPlayground({});
  });
  afterAll(async () => {
    await playground?.close();
  });

  it("saves the key, never shows it again (also after a reload), and tests the connection", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    const answers: string[] = [];
    page.on("response", (response: Response) => {
      if (response.url().endsWith("/run")) answers.push("pending");
      response
        .text()
        .then((text) => answers.push(text))
        .catch(() => undefined);
    });
    await expect.poll(() => sidebar.getByText("No API key is saved yet.").isVisible()).toBe(true);
    await screenshot(page, "settings-no-key");

    await saveKey(sidebar, SECRET);
    expect(await sidebar.getByLabel("API key", { exact: true }).inputValue()).toBe("");
    await expect.poll(() => sidebar.getByText("An API key is saved for you.").isVisible()).toBe(true);
    await sidebar.getByRole("button", { name: "Test connection", exact: true }).click();
    await sidebar.getByText("Connected", { exact: true }).waitFor();
    await screenshot(page, "settings-key-saved");
    expect(await page.frames()[1]?.content()).not.toContain(SECRET);

    await page.reload();
    await sidebar.getByRole("tab", { name: "Settings" }).click();
    await sidebar.getByText("An API key is saved for you.").waitFor();
    expect(await sidebar.getByLabel("API key", { exact: true }).inputValue()).toBe("");
    for (const frame of page.frames()) expect(await frame.content()).not.toContain(SECRET);
    await page.waitForTimeout(200);
    expect(answers.join("\n")).not.toContain(SECRET);

    await sidebar.getByRole("button", { name: "Remove key", exact: true }).click();
    await sidebar.getByText("No API key is saved yet.").waitFor();
    await saveKey(sidebar, SECRET);
    await page.close();
  });

  it("Check rows shows invalid rows and changed tags, links select their row, and shows a row's body", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await sidebar.getByRole("tab", { name: "Check rows" }).click();
    await sidebar.getByRole("button", { name: "Check rows", exact: true }).click();
    await sidebar.getByText("Rows with problems (6)").waitFor();
    await sidebar.getByText('"customer 123" is sent as "customer123"').first().waitFor();
    await expect.poll(() => sidebar.getByText(/is not a workflow run/).count()).toBeGreaterThan(0);
    await screenshot(page, "check-rows");

    await sidebar.getByRole("button", { name: "Row 14", exact: true }).click();
    await expect.poll(() => playground.snapshot().selection).toEqual({ first: 14, last: 14 });
    await expect
      .poll(() => page.locator('#sheet tr[data-row="14"]').getAttribute("aria-selected"))
      .toBe("true");

    await sidebar.getByLabel("Row", { exact: true }).fill("2");
    await sidebar.getByRole("button", { name: "Show request body", exact: true }).click();
    const body = sidebar.getByLabel("Request body of row 2");
    await body.waitFor();
    expect(JSON.parse((await body.textContent()) ?? "")).toMatchObject({
      name: "ACME invoice 2026-04",
      metadata: { "extend:usage_tags": ["production", "team-eng", "customer123"] },
    });
    await screenshot(page, "request-body");
    await page.close();
  });

  it("confirms tag changes in the sidebar, sends nothing on Cancel, syncs on Send and lists the rows to fix", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    const before = (await playground.standIn.stats()).updateRequests.length;
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await sidebar.getByText("Extend will change some tags").waitFor();
    await screenshot(page, "sync-confirm-tags");
    await sidebar.getByRole("button", { name: "Cancel", exact: true }).click();
    expect((await playground.standIn.stats()).updateRequests.length).toBe(before);

    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await sidebar.getByRole("button", { name: "Send", exact: true }).click();
    await sidebar.getByText("Sync finished").waitFor({ timeout: 30_000 });
    await sidebar.getByText("Invalid rows (6)").waitFor();
    await screenshot(page, "sync-finished-with-rows-to-fix");
    await sidebar.getByRole("button", { name: "Row 11", exact: true }).click();
    await expect.poll(() => playground.snapshot().selection).toEqual({ first: 11, last: 11 });
    await page.close();
  });

  it("sets up the sheet: adds only the missing headers", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    const before = playground.snapshot();
    await sidebar.getByRole("tab", { name: "Check rows" }).click();
    await sidebar.getByRole("button", { name: "Set up a sheet", exact: true }).click();
    await sidebar.getByText(/No data changed/).waitFor();
    await screenshot(page, "set-up-a-sheet");
    const after = playground.snapshot();
    expect(after.rows.map((row) => row.slice(0, before.header.length))).toEqual(before.rows);
    await page.close();
  });
});

describe("hostile text", () => {
  let playground: Playground;
  let directory: string;
  const markup = '<img src=x onerror="window.__xss=1">';
  const [first = "", second = ""] = seededRunIds(2, 1);
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "sidebar-xss-"));
    const csv = [
      "Run ID,Name,Tags",
      `${first},"${markup.replace(/"/g, '""')}","<b>bold</b>, ok"`,
      '"exr_<script>window.__xss=2</script>",x,',
      `${second},Plain name,`,
    ].join("\n");
    writeFileSync(join(directory, "hostile.csv"), csv);
    playground = await startPlayground({ csvPath: join(directory, "hostile.csv") });
  });
  afterAll(async () => {
    await playground?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("shows a run name, a tag and an error text containing HTML as text, never as markup", async () => {
    await playground.standIn.setFaults([
      {
        kind: "status",
        status: 422,
        code: "INVALID_REQUEST",
        message: '<img src=x onerror="window.__xss=3">',
        match: { runId: second },
      },
    ]);
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await saveKey(sidebar, SECRET);
    await sidebar.getByRole("tab", { name: "Check rows" }).click();
    await sidebar.getByRole("button", { name: "Check rows", exact: true }).click();
    await sidebar.getByText('"<b>bold</b>" is sent as "bboldb"').waitFor();
    await sidebar
      .getByText(/exr_<script>window.__xss=2<\/script>/)
      .first()
      .waitFor();
    await sidebar.getByLabel("Row", { exact: true }).fill("2");
    await sidebar.getByRole("button", { name: "Show request body", exact: true }).click();
    expect(JSON.parse((await sidebar.getByLabel("Request body of row 2").textContent()) ?? "").name).toBe(
      markup,
    );

    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await sidebar.getByRole("button", { name: "Send", exact: true }).click();
    await sidebar.getByText("Failed rows (1)").waitFor({ timeout: 30_000 });
    await sidebar.getByText(/INVALID_REQUEST: <img src=x onerror="window.__xss=3">/).waitFor();

    const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname === "/sidebar");
    expect(await frame?.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await frame?.evaluate(() => document.querySelectorAll("img, main script").length)).toBe(0);
    await page.close();
  });
});

describe("a long sync", () => {
  const ROWS = 3000;
  let playground: Playground;
  beforeAll(async () => {
    playground = await startPlayground({
      rows: ROWS,
      executionLimitSeconds: 4,
      standInRate: 0,
      latencyMs: 5,
      // The third sync execution is cut off mid-way, as Apps Script does at its limit.
      killSyncExecutions: [3],
    });
  });
  afterAll(async () => {
    await playground?.close();
  });

  it("finishes 3,000 rows through the sidebar's loop, with pause, resume, and closing and reopening mid-sync", async () => {
    const ids = seededRunIds(ROWS, 1);
    const failing = [ids[100] ?? "", ids[2500] ?? ""];
    await playground.standIn.setFaults(
      failing.map((runId) => ({
        kind: "status" as const,
        status: 422,
        code: "INVALID_REQUEST",
        match: { runId },
      })),
    );
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await saveKey(sidebar, SECRET);
    await sidebar.getByLabel("Rate limit").selectOption("custom");
    await sidebar.getByLabel("Requests per second").fill("150");
    await sidebar.getByRole("button", { name: "Save settings", exact: true }).click();
    await sidebar.getByText("Settings saved").waitFor();

    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    const bar = sidebar.getByRole("progressbar");
    await bar.waitFor({ timeout: 30_000 });
    expect(await bar.getAttribute("aria-valuemax")).toBe(String(ROWS));
    const seen: number[] = [];
    for (let sample = 0; sample < 3; sample++) {
      await expect
        .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 30_000 })
        .toBeGreaterThan(seen.at(-1) ?? 0);
      seen.push(Number(await bar.getAttribute("aria-valuenow")));
    }
    await screenshot(page, "sync-running");

    await sidebar.getByRole("button", { name: "Pause", exact: true }).click();
    await sidebar.getByText("Sync paused").waitFor({ timeout: 30_000 });
    await screenshot(page, "sync-paused");
    const sentWhenPaused = (await playground.standIn.stats()).updateRequests.length;
    await page.waitForTimeout(1500);
    expect((await playground.standIn.stats()).updateRequests.length).toBe(sentWhenPaused);
    expect(playground.maxSyncCallsInFlight).toBe(1);

    await sidebar.getByRole("button", { name: "Resume", exact: true }).click();
    await expect
      .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 30_000 })
      .toBeGreaterThan(seen.at(-1) ?? 0);

    // Closing the sidebar mid-sync (here: reopening it) leaves the sync paused; the new sidebar offers it.
    await page.locator("#reopen").click();
    await sidebar.getByRole("button", { name: "Resume", exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(page, "sync-resume-offer");
    await sidebar.getByRole("button", { name: "Resume", exact: true }).click();
    await sidebar.getByText("Sync finished").waitFor({ timeout: 120_000 });
    await sidebar.getByText("Failed rows (2)").waitFor();
    await screenshot(page, "sync-finished");
    await sidebar.getByRole("button", { name: "Row 102", exact: true }).click();
    await expect.poll(() => playground.snapshot().selection).toEqual({ first: 102, last: 102 });

    const stats = await playground.standIn.stats();
    const counts = Object.values(stats.updatesByRunId);
    // Every row but the two refused ones was stored by Extend.
    expect(Object.keys(stats.updatesByRunId)).toHaveLength(ROWS - failing.length);
    expect(playground.killedExecutions).toBeGreaterThanOrEqual(1);
    // A killed execution may resend only the rows it had sent but not yet written: at most one batch's worth (100).
    expect(counts.filter((count) => count > 1).length).toBeLessThanOrEqual(
      playground.killedExecutions * MAX_UNCOMMITTED_ROWS,
    );
    const results = playground.snapshot();
    const resultColumn = results.header.indexOf("Sync Result");
    const outcomes = results.rows.map((row) => row[resultColumn]);
    expect(outcomes.filter((outcome) => outcome === "Updated")).toHaveLength(ROWS - 2);
    expect(outcomes.filter((outcome) => outcome === "Failed")).toHaveLength(2);
    await page.close();
  }, 240_000);
});
