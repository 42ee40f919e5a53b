// The sidebar as a page for keyboard and screen-reader users, in headless Chromium at Apps Script's 300 px width
// and a 900 px tall window, through the playground (the built sidebar, the bundle in the local host, the Extend
// stand-in): the tabs follow the WAI-ARIA tabs pattern, focus moves to each result or next action and is
// scrolled into view, every state offers a next action (a sync reopened mid-way is offered, not refused), times
// are in the spreadsheet's zone (Europe/Berlin in the playground) named when the browser's differs, and the
// messages read plainly. axe-core scans each state.
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Playground } from "../../dev/playground/server.js";
import { expectNoAxeViolations, launchChromium, usePlayground } from "./browser.js";

const KEY = "e2e-key-not-secret";
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The sidebar page on its own, as Apps Script frames it: 300 px wide, in a browser whose zone is New York's. */
async function openSidebar(playground: Playground): Promise<{ page: Page; frame: Frame }> {
  const page = await browser.newPage({
    viewport: { width: 300, height: 900 },
    timezoneId: "America/New_York",
  });
  await page.goto(playground.link("/sidebar"));
  await page.getByRole("tab", { name: "Settings" }).waitFor();
  return { page, frame: page.mainFrame() };
}

/** The focused element's text, and whether it lies wholly inside the window. */
async function focused(page: Page): Promise<{ tag: string; text: string; inView: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const box = element?.getBoundingClientRect();
    return {
      tag: element?.tagName.toLowerCase() ?? "",
      text: (element?.textContent ?? "").replace(/\s+/g, " ").trim(),
      inView: box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0,
    };
  });
}

async function expectFocusOn(page: Page, text: RegExp): Promise<void> {
  await expect.poll(async () => (await focused(page)).text, { timeout: 30_000 }).toMatch(text);
  expect((await focused(page)).inView).toBe(true);
}

describe("the example sheet", () => {
  const playground = usePlayground({});

  it("makes the tab list one Tab stop, moved by the arrow keys, Home and End, with each label on one line", async () => {
    const { page, frame } = await openSidebar(playground());
    await page.getByText("No API key is saved yet.").waitFor();
    const tabStops = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('[role="tab"]')).map((tab) => (tab as HTMLElement).tabIndex),
      );
    // No key: the Settings tab is shown, and it alone is in the Tab order.
    expect(await tabStops()).toEqual([-1, -1, -1, 0, -1]);
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe("Settings");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).not.toBe("tab");

    await page.getByRole("tab", { name: "Settings" }).focus();
    await page.keyboard.press("Home");
    expect((await focused(page)).text).toBe("Sync");
    expect(await page.getByRole("tab", { name: "Sync" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.getByRole("tabpanel", { name: "Sync" }).isVisible()).toBe(true);
    await page.keyboard.press("End");
    expect((await focused(page)).text).toBe("History");
    await page.keyboard.press("ArrowRight");
    expect((await focused(page)).text).toBe("Sync");
    await page.keyboard.press("ArrowLeft");
    expect((await focused(page)).text).toBe("History");
    await page.keyboard.press("ArrowLeft");
    expect((await focused(page)).text).toBe("Settings");
    expect(await tabStops()).toEqual([-1, -1, -1, 0, -1]);
    // Five labels on one line within the 300 px sidebar: the tab bar does not overflow.
    const overflow = await page.evaluate(() => {
      const bar = document.querySelector<HTMLElement>('[role="tablist"]');
      return bar ? bar.scrollWidth - bar.clientWidth : Number.NaN;
    });
    expect(overflow).toBe(0);

    const heights = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[role="tab"]')).map((tab) => tab.getBoundingClientRect().height),
    );
    expect(new Set(heights).size).toBe(1);
    await expectNoAxeViolations(frame, "tabs");
    await page.close();
  });

  it("moves focus to each result and next action, in view, and words a missing or unchanged key plainly", async () => {
    const { page, frame } = await openSidebar(playground());
    await page.getByText("No API key is saved yet.").waitFor();

    // A sync asked for before any key: the way there is this sidebar's Settings tab, one button away.
    await page.getByRole("tab", { name: "Sync" }).click();
    await page.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await expectFocusOn(page, /^No API key saved/);
    const noKey = (await focused(page)).text;
    expect(noKey).toContain("Settings tab");
    expect(noKey).not.toMatch(/open (the )?sidebar/i);
    await expectNoAxeViolations(frame, "no key");
    await page.getByRole("button", { name: "Go to Settings", exact: true }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("api-key");

    await page.getByLabel("API key", { exact: true }).fill(KEY);
    await page.getByRole("button", { name: "Save key", exact: true }).click();
    await expectFocusOn(page, /^Key saved/);

    // Save key on an empty field keeps the saved key, and says so without alarm.
    await page.getByRole("button", { name: "Save key", exact: true }).click();
    await expectFocusOn(page, /^Your saved key is unchanged/);
    expect(await page.locator("#key-area .notice-error").count()).toBe(0);
    await page.getByText("An API key is saved for you.").waitFor();

    await page.getByRole("button", { name: "Test connection", exact: true }).click();
    await expectFocusOn(page, /^Connected/);
    await expectNoAxeViolations(frame, "connected");

    // The tag confirmation takes the focus on its Send button, scrolled into the 900 px window.
    await page.getByRole("tab", { name: "Sync" }).click();
    await page.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await expectFocusOn(page, /^Send$/);
    await expectNoAxeViolations(frame, "confirm");
    // Cancel takes its prompt away: focus goes back to Sync all rows, not to the page.
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    await expectFocusOn(page, /^Sync all rows$/);
    await page.keyboard.press("Enter");
    await expectFocusOn(page, /^Send$/);
    await page.keyboard.press("Enter");
    await expectFocusOn(page, /^Sync finished/);
    await page.getByText(/^Invalid rows \(\d+\)$/).waitFor();
    await expectNoAxeViolations(frame, "finished with rows to fix");

    await page.getByRole("tab", { name: "Check rows" }).click();
    await page.getByRole("button", { name: "Check rows", exact: true }).click();
    await expect.poll(async () => (await focused(page)).text, { timeout: 30_000 }).toMatch(/^Sheet "/);

    await page.getByRole("tab", { name: "Import" }).click();
    await page.getByLabel(/^At most this many runs/).fill("3");
    await page.getByRole("button", { name: "Import runs", exact: true }).click();
    await expectFocusOn(page, /^Import finished ?3 runs imported/);
    await expectNoAxeViolations(frame, "import finished");
    await page.close();
  });
});

describe("a sidebar whose opening state arrives late, as on a slow Apps Script day", () => {
  const playground = usePlayground({});

  it("keeps a key pasted and a region chosen before the state came, and saves that key", async () => {
    let release = () => {};
    const stateHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stateAsked = false;
    const page = await browser.newPage({ viewport: { width: 300, height: 900 } });
    await page.route("**/run", async (route) => {
      if ((route.request().postDataJSON() as { functionName?: string }).functionName === "sidebarState") {
        stateAsked = true;
        await stateHeld;
      }
      await route.continue();
    });
    await page.goto(playground().link("/sidebar"));
    await page.getByRole("tab", { name: "Settings" }).click();
    await expect.poll(() => stateAsked).toBe(true);
    await page.getByLabel("API key", { exact: true }).fill(KEY);
    await page.getByLabel("Region", { exact: true }).selectOption("EU1");
    release();
    await page.getByText("No API key is saved yet.").waitFor();
    expect(await page.getByLabel("API key", { exact: true }).inputValue()).toBe(KEY);
    expect(await page.getByLabel("Region", { exact: true }).inputValue()).toBe("EU1");

    await page.getByRole("button", { name: "Save key", exact: true }).click();
    await expectFocusOn(page, /^Key saved/);
    await page.getByText("An API key is saved for you.").waitFor();
    expect(await page.getByLabel("API key", { exact: true }).inputValue()).toBe("");
    // Chosen, not saved: the region stays as chosen until Save settings, and the server still holds US1.
    expect(await page.getByLabel("Region", { exact: true }).inputValue()).toBe("EU1");
    await page.getByRole("button", { name: "Save settings", exact: true }).click();
    await expectFocusOn(page, /^Settings saved/);
    await page.reload();
    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByText("An API key is saved for you.").waitFor();
    expect(await page.getByLabel("Region", { exact: true }).inputValue()).toBe("EU1");
    await page.close();
  });
});

describe("a sync paused, then the sidebar reopened", () => {
  // Slow enough to pause mid-way: 600 rows at 10 requests per second.
  const playground = usePlayground({ rows: 600, executionLimitSeconds: 6 });

  it("focuses Resume after Pause, says who paused it and when, and offers it again on Sync all rows", async () => {
    const first = await openSidebar(playground());
    const { page } = first;
    await page.getByLabel("API key", { exact: true }).fill(KEY);
    await page.getByRole("button", { name: "Save key", exact: true }).click();
    await page.getByText("Key saved").waitFor();
    await page.getByRole("tab", { name: "Sync" }).click();
    await page.getByRole("button", { name: "Sync all rows", exact: true }).click();
    const send = page.getByRole("button", { name: "Send", exact: true });
    const bar = page.getByRole("progressbar");
    await Promise.race([send.waitFor({ timeout: 60_000 }), bar.waitFor({ timeout: 60_000 })]);
    if (await send.isVisible()) await send.click();
    await bar.waitFor({ timeout: 60_000 });
    await expectFocusOn(page, /^Pause$/);

    await page.keyboard.press("Enter");
    await expectFocusOn(page, /^Resume$/);
    await page.getByText(/^Paused by you at \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Berlin\)\./).waitFor();
    await expectNoAxeViolations(first.frame, "paused");
    await page.keyboard.press("Enter");
    await expectFocusOn(page, /^Pause$/);
    await page.keyboard.press("Enter");
    await expectFocusOn(page, /^Resume$/);
    await page.close();

    // Reopened: the paused sync is offered with who paused it, in the spreadsheet's zone, named.
    const second = await openSidebar(playground());
    await second.page.getByText("A paused sync is waiting").waitFor({ timeout: 30_000 });
    await expectFocusOn(second.page, /^Resume$/);
    const offer = (await second.page.locator("#sync-area").textContent()) ?? "";
    expect(offer).toMatch(/Paused by you at \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Berlin\)\./);
    expect(offer).not.toMatch(/driven moments ago|under way/);
    await expectNoAxeViolations(second.frame, "offer");

    // Sync all rows instead of Resume: offered at once (Resume, or end it and start anew), never refused.
    await second.page.getByRole("button", { name: "Not now", exact: true }).click();
    const asked = Date.now();
    await second.page.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await second.page.getByRole("button", { name: "End it and start a new sync", exact: true }).waitFor();
    expect(Date.now() - asked).toBeLessThan(10_000);
    await expectFocusOn(second.page, /^Resume$/);
    expect(await second.page.getByText(/already running/).count()).toBe(0);
    await second.page.keyboard.press("Enter");
    await expectFocusOn(second.page, /^Pause$/);
    await second.page.getByRole("button", { name: "Pause", exact: true }).click();
    await second.page.getByText(/^Paused by you at/).waitFor({ timeout: 30_000 });

    // End this sync: nothing more is sent, the result says what was left and the way on, and focus is on it.
    await second.page.getByRole("button", { name: "End this sync", exact: true }).click();
    await expectFocusOn(
      second.page,
      /^Sync ended ?The sync was ended\. [\d,]+ rows it had not reached were not sent and keep their values\./,
    );
    await expectNoAxeViolations(second.frame, "ended");
    await second.page.close();

    // Reopened, nothing is offered: the job is gone.
    const third = await openSidebar(playground());
    await third.page
      .locator("#quota-used")
      .filter({ hasText: /Web requests/ })
      .waitFor({ state: "attached" });
    expect(await third.page.getByText("A paused sync is waiting").count()).toBe(0);
    await third.page.close();
  }, 180_000);
});
