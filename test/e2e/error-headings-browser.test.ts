// Each kind of problem in the sidebar has its own heading (issue 16, point 8: "Every error has the same heading"),
// in headless Chromium through the playground: no key says so and leads to Settings, a sync Extend stopped says
// it stopped (and, for a refused key or workspace, leads to Settings), a check that could not read the sheet and
// a sync that never started say that. Each is an alert with the keyboard on it, and axe finds nothing in any.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { seededRunIds } from "../../dev/stand-in/runs.js";
import { expectNoAxeViolations, launchChromium, openPlayground, saveKey, sidebarFrame } from "./browser.js";

const KEY = "e2e-key-not-secret";
let browser: Browser;
let dir: string;
const playgrounds: Playground[] = [];

async function playgroundWith(csv: string): Promise<Playground> {
  const path = join(dir, `sheet-${playgrounds.length}.csv`);
  writeFileSync(path, csv);
  const playground = await startPlayground({ csvPath: path });
  playgrounds.push(playground);
  return playground;
}

/** The alert that appeared, its heading, and that it holds the keyboard and passes axe. */
async function alertShown(
  page: Page,
  sidebar: FrameLocator,
  state: string,
): Promise<{ heading: string; text: string }> {
  const alert = sidebar.getByRole("alert");
  await alert.waitFor({ timeout: 30_000 });
  const heading = (await alert.locator("strong").first().textContent()) ?? "";
  const text = (await alert.textContent()) ?? "";
  await expect
    .poll(() => alert.evaluate((element) => element.contains(element.ownerDocument.activeElement)))
    .toBe(true);
  await expectNoAxeViolations(sidebarFrame(page), state);
  return { heading, text };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "error-headings-"));
  browser = await launchChromium();
});
afterAll(async () => {
  for (const playground of playgrounds) await playground.close();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the heading of a problem says which problem it is", () => {
  it("no key, stopped by Extend, not checked and not started are four different headings", async () => {
    const ids = seededRunIds(3);
    const good = await playgroundWith(
      `Run ID,Name\n${ids.map((id, index) => `${id},Run ${index}`).join("\n")}\n`,
    );
    const headings: string[] = [];

    // No key yet: nothing is sent, and the next action is the Settings tab.
    {
      const { page, sidebar } = await openPlayground(browser, good.url);
      await sidebar.getByRole("tab", { name: "Sync" }).click();
      await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
      const shown = await alertShown(page, sidebar, "error-no-key");
      expect(shown.heading).toBe("No API key saved");
      expect(shown.text).not.toMatch(/open the sidebar/i);
      await sidebar.getByRole("button", { name: "Go to Settings" }).waitFor();
      headings.push(shown.heading);
      await page.close();
    }

    // Extend refuses the key part-way (this account needs a workspace): the sync stops, paused, and waits.
    await good.standIn.configure({ requiredWorkspaceId: "ws_needed" });
    {
      const { page, sidebar } = await openPlayground(browser, good.url);
      await saveKey(sidebar, KEY);
      await sidebar.getByRole("tab", { name: "Sync" }).click();
      await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
      const shown = await alertShown(page, sidebar, "error-paused");
      expect(shown.heading).toBe("Sync stopped");
      expect(shown.text).toMatch(/^Sync stopped.*UNAUTHORIZED: .*set the Workspace ID/s);
      expect(shown.text).toMatch(/Rows not sent yet were left as they were\./);
      // The next action: Settings, with the keyboard in the key field.
      await sidebar.getByRole("button", { name: "Go to Settings" }).click();
      await expect
        .poll(() =>
          sidebar.locator("#api-key").evaluate((input) => input === input.ownerDocument.activeElement),
        )
        .toBe(true);
      await expect(
        sidebar.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected"),
      ).resolves.toBe("true");
      headings.push(shown.heading);
      await page.close();
    }

    // A sheet with no Run ID column: Check rows cannot check it, and a sync of it never starts.
    const broken = await playgroundWith("Name,Tags\nA,x\n");
    {
      const { page, sidebar } = await openPlayground(browser, broken.url);
      await saveKey(sidebar, KEY);
      await sidebar.getByRole("tab", { name: "Check rows" }).click();
      await sidebar.getByRole("button", { name: "Check rows", exact: true }).click();
      const shown = await alertShown(page, sidebar, "error-not-checked");
      expect(shown.heading).toBe("The rows could not be checked");
      expect(shown.text).toMatch(/Run ID/);
      headings.push(shown.heading);
      await sidebar.getByRole("tab", { name: "Sync" }).click();
      await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
      const sync = await alertShown(page, sidebar, "error-not-started");
      expect(sync.heading).toBe("Sync not started");
      expect(sync.text).toMatch(/Run ID/);
      headings.push(sync.heading);
      await page.close();
    }

    expect(new Set(headings).size).toBe(headings.length);
    expect(headings).not.toContain("This needs attention");
  });
});
