// The sidebar in headless Chromium when Google refuses its calls because the browser is signed into several
// Google accounts (the playground's switch makes every google.script.run call fail as Google fails it then):
// the sidebar says what works instead, the sync stays paused, and Resume goes on once the switch is off.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { launchChromium, openPlayground, saveKey } from "./browser.js";

const ROWS = 600;
let browser: Browser;
let playground: Playground;

beforeAll(async () => {
  browser = await launchChromium();
  playground = await startPlayground({ rows: ROWS, executionLimitSeconds: 3, latencyMs: 5 });
});
afterAll(async () => {
  await playground?.close();
  await browser?.close();
});

describe("signed into several Google accounts", () => {
  it("says so during a sync, keeps it paused, and resumes once only one account is signed in", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await saveKey(sidebar, "e2e-key-not-secret");
    await sidebar.getByLabel("Rate limit").selectOption("custom");
    await sidebar.getByLabel("Requests per second").fill("60");
    await sidebar.getByRole("button", { name: "Save settings", exact: true }).click();
    await sidebar.getByText("Settings saved").waitFor();

    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    const bar = sidebar.getByRole("progressbar");
    await bar.waitFor({ timeout: 30_000 });

    await page.locator("#signed-in-twice").check();
    await sidebar.getByText(/signed into several Google accounts/).waitFor({ timeout: 30_000 });
    await sidebar
      .getByText(/browser profile \(or a private window\) where only the account that installed Extend Sync/)
      .waitFor();
    expect(await sidebar.getByText(/Check your connection|lost contact/).count()).toBe(0);
    const sentWhileRefused = (await playground.standIn.stats()).updateRequests.length;
    expect(sentWhileRefused).toBeLessThan(ROWS);

    await page.locator("#signed-in-twice").uncheck();
    await sidebar.getByRole("button", { name: "Resume", exact: true }).click();
    await sidebar.getByText("Sync finished").waitFor({ timeout: 120_000 });
    const stats = await playground.standIn.stats();
    expect(Object.keys(stats.updatesByRunId).length).toBeGreaterThan(ROWS / 2);
    expect(stats.updateRequests.length).toBeGreaterThan(sentWhileRefused);
    await page.close();
  }, 180_000);
});
