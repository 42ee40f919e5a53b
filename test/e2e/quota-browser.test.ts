// The daily allowance of web requests in the sidebar, in headless Chromium against the playground: the Settings
// tab's count, the question before a sync that would not finish today (history kept: a read and an update a row) (Cancel sends nothing, Send goes until
// Google's quota stops it), the stop saying when the allowance resets, and the count after the step.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { launchChromium, openPlayground, saveKey, screenshot } from "./browser.js";

const ROWS = 60;
let browser: Browser;
let playground: Playground;

beforeAll(async () => {
  browser = await launchChromium();
  playground = await startPlayground({ rows: ROWS, latencyMs: 5, requestsUsedToday: 19_990 });
});
afterAll(async () => {
  await playground?.close();
  await browser?.close();
});

describe("the allowance of web requests in the sidebar", () => {
  it("shows today's count, asks before a sync that cannot finish today, and says when the allowance resets", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await saveKey(sidebar, "e2e-key-not-secret");
    await expect
      .poll(() => sidebar.locator("#quota-used").textContent())
      .toBe(
        "Web requests used by Extend Sync today: 19,990 of 20,000 (100,000 if your account is Google Workspace, as its address suggests).",
      );

    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    const question = sidebar.getByRole("group", { name: "Not enough web requests left today" });
    await question.waitFor({ timeout: 30_000 });
    expect(await question.textContent()).toContain(
      "This needs about 123 web requests; about 10 are left today of 20,000 (100,000 if your account is Google Workspace, as its address suggests): the sync would stop after about 4 rows.",
    );
    expect(await question.textContent()).toContain("Send anyway?");
    await screenshot(page, "sync-confirm-quota");
    await question.getByRole("button", { name: "Cancel", exact: true }).click();
    expect((await playground.standIn.stats()).updateRequests).toHaveLength(0);

    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await question.getByRole("button", { name: "Send", exact: true }).click();
    await sidebar
      .getByText(/URLFETCH_QUOTA: .*resets at \d\d:\d\d Europe\/Berlin/)
      .first()
      .waitFor({ timeout: 60_000 });
    // History is kept (the add-on's default): each row is read before it is updated, and a batch's reads go
    // first, so the 10 requests left update at most 5 rows (no row is sent without its record).
    expect((await playground.standIn.stats()).updateRequests.length).toBeLessThanOrEqual(5);
    await sidebar.getByRole("tab", { name: "Settings" }).click();
    expect(await sidebar.locator("#quota-used").textContent()).toMatch(/today: 20,000 of 20,000/);
    await page.close();
  }, 120_000);
});
