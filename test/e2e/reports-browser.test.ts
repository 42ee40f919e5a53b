// True reports in the sidebar (issue 16, point 4), in headless Chromium through the playground: a refresh that
// could not read a few runs lists them with their errors in a colour that fits the good reads.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { launchChromium, openPlayground, saveKey } from "./browser.js";

const KEY = "e2e-key-not-secret";
const MISSING = ["workflow_run_missing_one", "workflow_run_missing_two"];
let browser: Browser;
let playground: Playground;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "reports-browser-"));
  const ids = seededRunIds(46);
  // 48 runs: rows 10 and 30 name runs Extend does not have.
  ids.splice(8, 0, MISSING[0] ?? "");
  ids.splice(28, 0, MISSING[1] ?? "");
  const csv = join(dir, "runs.csv");
  writeFileSync(csv, `Run ID,Name\n${ids.map((id, index) => `${id},Run ${index}`).join("\n")}\n`);
  browser = await launchChromium();
  playground = await startPlayground({ csvPath: csv });
});
afterAll(async () => {
  await playground?.close();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the end of a refresh", () => {
  it("lists the runs that could not be read with their errors, not in red when most were read", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await saveKey(sidebar, KEY);
    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Refresh all rows", exact: true }).click();
    const end = sidebar.getByRole("status").filter({ hasText: "Refresh finished: 2 runs could not be read" });
    await end.waitFor({ timeout: 30_000 });
    await expect(end.getAttribute("class")).resolves.toContain("notice-info");
    await sidebar.getByText("46 runs read, 2 could not be read", { exact: false }).waitFor();
    expect(await sidebar.locator(".notice-error").count()).toBe(0);

    await sidebar.getByRole("heading", { name: "Runs not read (2)" }).waitFor();
    const items = sidebar.locator("ul.rows li");
    await expect(items.allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Row 10.*NOT_FOUND.*workflow_run_missing_one/s),
      expect.stringMatching(/^Row 30.*NOT_FOUND.*workflow_run_missing_two/s),
    ]);
    await sidebar.getByRole("button", { name: "Row 30" }).click();
    await expect
      .poll(() => page.locator('#sheet tr[data-row="30"]').getAttribute("aria-selected"))
      .toBe("true");
    await page.close();
  });
});

describe("Test connection", () => {
  it("tests the settings on screen, says they are not saved, and clears its verdict when a field changes", async () => {
    await playground.standIn.configure({ requiredWorkspaceId: "ws_right" });
    try {
      const { page, sidebar } = await openPlayground(browser, playground.url);
      await saveKey(sidebar, KEY);
      // Saved: no workspace, which this key refuses. On screen: the right one, not saved.
      await sidebar.getByLabel(/^Workspace ID/).fill("ws_right");
      await sidebar.getByRole("button", { name: "Test connection", exact: true }).click();
      const verdict = sidebar
        .getByRole("status")
        .filter({ hasText: "Connected (settings on screen, not saved)" });
      await verdict.waitFor({ timeout: 15_000 });
      await expect(verdict.textContent()).resolves.toMatch(
        /This tested what is on screen, not saved yet: workspace ws_right\. Press Save settings to use them for syncs\./,
      );
      // A changed field makes the verdict stale: it goes.
      await sidebar.getByLabel(/^Workspace ID/).fill("ws_other");
      await expect.poll(() => verdict.count()).toBe(0);
      await sidebar.getByRole("button", { name: "Test connection", exact: true }).click();
      await sidebar
        .getByText(/workspace/i)
        .filter({ hasText: /ws_other/ })
        .first()
        .waitFor({ timeout: 15_000 });
      expect(await sidebar.getByText("Connected", { exact: false }).count()).toBe(0);
      await page.close();
    } finally {
      await playground.standIn.configure({ requiredWorkspaceId: null });
    }
  });
});
