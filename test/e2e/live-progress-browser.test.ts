// Live progress within a step, in headless Chromium through the playground: each kind of job runs a first step
// of tens of seconds (a slow rate, a long execution limit), and the sidebar's bar and counts must move within
// 5 s of the click, while the start call is still running. They can only come from the light call
// (jobProgress), which the playground answers in a second host thread, as Apps Script runs it in parallel.

import type { Browser, FrameLocator } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { launchChromium, openPlayground, saveKey } from "./browser.js";

const ROWS = 400;
/** Requests per second: 400 rows take 40 s, far longer than the 5 s the bar has to move. */
const RATE = "10";
const MOVES_WITHIN_MS = 5_000;
/** Each test starts its own playground and sidebar: a busy machine takes a while for that alone. */
const TEST_TIMEOUT_MS = 120_000;

let browser: Browser;
let playground: Playground | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  // Closed mid-step: the host thread is ended with it.
  await playground?.close();
  playground = undefined;
});

async function openWithSlowRate(): Promise<{ sidebar: FrameLocator; pg: Playground }> {
  const pg = await startPlayground({ rows: ROWS, executionLimitSeconds: 60, standInRate: 0, latencyMs: 50 });
  playground = pg;
  const { sidebar } = await openPlayground(browser, pg.url);
  await saveKey(sidebar, "e2e-key-not-secret");
  await sidebar.getByLabel("Rate limit").selectOption("custom");
  await sidebar.getByLabel("Requests per second").fill(RATE);
  await sidebar.getByRole("button", { name: "Save settings", exact: true }).click();
  await sidebar.getByText("Settings saved").waitFor();
  return { sidebar, pg };
}

/** A number shown in the job's area: the bar's value, or (while an import lists pages) the runs so far. */
function shownFigure(sidebar: FrameLocator): Promise<number> {
  // Read in one go: the view is redrawn as figures arrive, and a locator would wait for what just went away.
  return sidebar.locator("body").evaluate((body) => {
    const visible = Array.from(
      body.querySelectorAll<HTMLElement>("[role=progressbar], .progress-line"),
    ).filter((element) => element.offsetParent !== null);
    const bar = visible.find((element) => element.getAttribute("role") === "progressbar");
    if (bar) return Number(bar.getAttribute("aria-valuenow") ?? 0);
    const listing = visible.find((element) => /runs imported so far/.test(element.textContent ?? ""));
    return Number((listing?.textContent ?? "").replace(/[^0-9]/g, "").slice(0, 9) || 0);
  });
}

/** The job's figures as shown, in one line of text. */
function shownText(sidebar: FrameLocator): Promise<string> {
  return sidebar.locator("body").evaluate((body) =>
    Array.from(body.querySelectorAll<HTMLElement>(".progress-line, .stats"))
      .filter((element) => element.offsetParent !== null)
      .map((element) => element.textContent)
      .join(" "),
  );
}

/** Clicks `start`, then expects a figure above 0 within 5 s, before the start call (the first step) returned. */
async function expectLiveWithin5s(sidebar: FrameLocator, pg: Playground, start: () => Promise<void>) {
  // Timed from when the click is done (Playwright's own wait for the button to be clickable is not the add-on's).
  await start();
  await expect
    .poll(() => shownFigure(sidebar), { timeout: MOVES_WITHIN_MS, interval: 100 })
    .toBeGreaterThan(0);
  // The first step has not answered: what moved came from the light calls answered meanwhile.
  expect(pg.syncCallsAnswered).toBe(0);
  expect(pg.lightCallsAnswered).toBeGreaterThan(0);
  // And again with the next figures published (an import may go from its pages to the refresh's bar).
  const first = await shownText(sidebar);
  await expect.poll(() => shownText(sidebar), { timeout: 6_000, interval: 200 }).not.toBe(first);
  expect(pg.syncCallsAnswered).toBe(0);
  expect(pg.maxSyncCallsInFlight).toBe(1);
}

describe("the bar and counts move within 5 s of the click, during the first step", () => {
  it(
    "a sync",
    async () => {
      const { sidebar, pg } = await openWithSlowRate();
      await sidebar.getByRole("tab", { name: "Sync" }).click();
      await expectLiveWithin5s(sidebar, pg, () =>
        sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click(),
      );
      // The counts under the bar move with it: rows sent so far.
      const sent = sidebar.locator(".stat-value").first();
      expect(Number((await sent.textContent())?.replace(/[^0-9]/g, ""))).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a refresh",
    async () => {
      const { sidebar, pg } = await openWithSlowRate();
      await sidebar.getByRole("tab", { name: "Sync" }).click();
      await expectLiveWithin5s(sidebar, pg, () =>
        sidebar.getByRole("button", { name: "Refresh all rows", exact: true }).click(),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a preview",
    async () => {
      const { sidebar, pg } = await openWithSlowRate();
      await sidebar.getByRole("tab", { name: "Check rows" }).click();
      await expectLiveWithin5s(sidebar, pg, () =>
        sidebar.getByRole("button", { name: "Compare with Extend", exact: true }).click(),
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "an import with current values",
    async () => {
      const { sidebar, pg } = await openWithSlowRate();
      await sidebar.getByRole("tab", { name: "Import" }).click();
      await sidebar.getByLabel(/Also read each run's current tags/).check();
      await expectLiveWithin5s(sidebar, pg, () =>
        sidebar.getByRole("button", { name: "Import runs", exact: true }).click(),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
