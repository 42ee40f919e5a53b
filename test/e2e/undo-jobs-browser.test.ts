// An undo as a job in headless Chromium through the playground, on the built bundle (issue 18): paused from the
// sidebar and resumed, it ends with every run as it was before the sync (the stand-in's stored runs compared);
// a sidebar reopened while it is paused offers it ("A paused undo is waiting", who paused it and when); Undo
// asked while this sidebar drives a job, or while an undo is paused, names that job and the next action, with
// the keyboard on it (and a way to this sidebar's job). axe-core scans each state.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Frame, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import type { JsonValue } from "../../src/extend/api.js";
import { expectNoAxeViolations, launchChromium, openPlayground, saveKey, sidebarFrame } from "./browser.js";

const KEY = "e2e-key-not-secret";
const ROWS = 40;
const IDS = Array.from({ length: ROWS }, (_, index) => `workflow_run_undo_jobs_${index}`);
const valueBefore = (index: number) => `CC-before-${index}`;
let browser: Browser;
let playground: Playground;
let dir: string;

async function costCenters(): Promise<JsonValue[]> {
  return (await playground.standIn.getRuns(IDS)).map(
    (run) => ((run?.metadata ?? {}) as Record<string, JsonValue>).costCenter ?? null,
  );
}

/** Sets the rate in Settings (shared by the document): fast for the sync, slow so the undo can be paused. */
async function setRate(sidebar: FrameLocator, perSecond: number): Promise<void> {
  await sidebar.getByRole("tab", { name: "Settings" }).click();
  await sidebar.getByLabel("Rate limit").selectOption("custom");
  await sidebar.getByLabel("Requests per second").fill(String(perSecond));
  await sidebar.getByRole("button", { name: "Save settings", exact: true }).click();
  await sidebar.getByText("Settings saved").waitFor({ timeout: 15_000 });
}

/** The focused element's text in the sidebar. */
const focusedText = (frame: Frame) =>
  frame.evaluate(() => (document.activeElement?.textContent ?? "").replace(/\s+/g, " ").trim());

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "undo-jobs-browser-"));
  const csv = join(dir, "runs.csv");
  writeFileSync(csv, `Run ID,metadata.costCenter\n${IDS.map((id, i) => `${id},CC-new-${i}`).join("\n")}\n`);
  browser = await launchChromium();
  playground = await startPlayground({
    csvPath: csv,
    standInRate: 1000,
    latencyMs: 5,
    executionLimitSeconds: 6,
  });
  await playground.standIn.addRuns(IDS.map((id, i) => ({ id, metadata: { costCenter: valueBefore(i) } })));
});
afterAll(async () => {
  await playground?.close();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<{ page: Page; sidebar: FrameLocator; frame: Frame }> {
  const { page, sidebar } = await openPlayground(browser, playground.url);
  return { page, sidebar, frame: sidebarFrame(page) };
}

describe("an undo paused and resumed from the sidebar", () => {
  it("names a job already running or paused when Undo is asked, offers a paused undo on reopening, and restores every run", async () => {
    const first = await open();
    await saveKey(first.sidebar, KEY);
    await setRate(first.sidebar, 200);
    await first.sidebar.getByRole("tab", { name: "Sync" }).click();
    await first.sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await first.sidebar.getByRole("status").filter({ hasText: "Sync finished" }).waitFor({ timeout: 60_000 });
    expect(await costCenters()).toEqual(IDS.map((_, i) => `CC-new-${i}`));

    // Slow, so the undo is still under way when Undo is asked again and when Pause is pressed.
    await setRate(first.sidebar, 1);
    await first.sidebar.getByRole("tab", { name: "History" }).click();
    const syncItem = first.sidebar.locator(".history-job").filter({ hasText: /^Sync · / });
    await syncItem.getByRole("button", { name: /^Undo this sync…/ }).click();
    await first.sidebar.locator(".undo-confirm .notice").waitFor({ timeout: 15_000 });
    await first.sidebar.getByRole("button", { name: "Send", exact: true }).click();
    const pause = first.sidebar.getByRole("button", { name: "Pause", exact: true });
    await pause.waitFor({ timeout: 60_000 });

    // Undo again while this sidebar drives the undo: not silent, it says which job runs and what to do.
    await syncItem.getByRole("button", { name: /^Undo this sync…/ }).click();
    const busy = first.sidebar.locator("#history-note .notice");
    await busy.waitFor({ timeout: 15_000 });
    await expect(busy.textContent()).resolves.toMatch(
      /^The undo cannot start: an undo is running.*An undo is running in this sidebar \(above\).*Nothing was sent\. Wait for the undo to finish, or pause it, then choose Undo again\./s,
    );
    await expect.poll(() => focusedText(first.frame)).toMatch(/^The undo cannot start/);
    await expectNoAxeViolations(first.frame, "Undo asked while this sidebar runs an undo");

    await pause.click();
    await first.sidebar.getByText(/^Paused by you at \d{4}-\d\d-\d\d \d\d:\d\d/).waitFor({ timeout: 60_000 });
    await expect.poll(() => focusedText(first.frame)).toBe("Resume");
    await first.sidebar.getByText(/^\d+ of 40 runs$/).waitFor();
    await first.sidebar
      .locator(".stat-label")
      .filter({ hasText: /^not undone$/ })
      .waitFor();
    // The note that the undo is running goes once it no longer runs.
    await expect.poll(() => busy.count()).toBe(0);
    await expectNoAxeViolations(first.frame, "undo paused");
    const paused = await costCenters();
    const putBack = paused.filter((value, i) => value === valueBefore(i)).length;
    expect(putBack).toBeLessThan(ROWS);
    await first.page.close();

    // Reopened: the paused undo is offered in History, with who paused it and when.
    const second = await open();
    const offer = second.sidebar.locator("#history-area .notice");
    await offer.filter({ hasText: "A paused undo is waiting" }).waitFor({ timeout: 30_000 });
    await expect(
      second.sidebar.getByRole("tab", { name: "History" }).getAttribute("aria-selected"),
    ).resolves.toBe("true");
    const offered = (await offer.textContent()) ?? "";
    expect(offered).toMatch(
      /Undo of the sync \w+, started by you on \d{4}-\d\d-\d\d \d\d:\d\d.*\d+ of 40 runs left\./s,
    );
    expect(offered).toMatch(/Paused by you at \d{4}-\d\d-\d\d \d\d:\d\d.*Nothing is being sent\./s);
    await expect.poll(() => focusedText(second.frame)).toBe("Resume");
    await second.sidebar.getByRole("button", { name: "Not now", exact: true }).waitFor();
    await expectNoAxeViolations(second.frame, "paused undo offered on opening");
    await second.sidebar.getByRole("button", { name: "Not now", exact: true }).click();

    // Undo asked while the undo is paused: the paused undo is named, with Resume, end it, or Cancel.
    const refreshed = second.sidebar.locator(".history-job").filter({ hasText: /^Sync · / });
    await refreshed.getByRole("button", { name: /^Undo this sync…/ }).click();
    const waiting = offer.filter({ hasText: "The undo you asked for cannot start" });
    await waiting.waitFor({ timeout: 15_000 });
    await expect(waiting.textContent()).resolves.toMatch(
      /^A paused undo is waiting.*Paused by you at .*The undo you asked for cannot start while this undo is unfinished \(one job at a time\)\. Nothing was sent\. Resume finishes this undo first; or end it and start the undo\./s,
    );
    await second.sidebar.getByRole("button", { name: "End it and start a new undo", exact: true }).waitFor();
    await second.sidebar.getByRole("button", { name: "Cancel", exact: true }).waitFor();
    await expect.poll(() => focusedText(second.frame)).toBe("Resume");
    await expectNoAxeViolations(second.frame, "Undo asked while an undo is paused");
    expect(await costCenters()).toEqual(paused);

    // Resume, fast again: the undo finishes and every run holds its value from before the sync.
    await setRate(second.sidebar, 200);
    await second.sidebar.getByRole("tab", { name: "History" }).click();
    await second.sidebar.getByRole("button", { name: "Resume", exact: true }).click();
    const done = second.sidebar
      .getByRole("status")
      .or(second.sidebar.getByRole("alert"))
      .filter({ hasText: /^Undo finished/ });
    await done.first().waitFor({ timeout: 90_000 });
    await expect(done.first().textContent()).resolves.toMatch(
      new RegExp(`^Undo finished.*${ROWS} runs put back as they were before the sync`, "s"),
    );
    expect(await costCenters()).toEqual(IDS.map((_, i) => valueBefore(i)));
    await expectNoAxeViolations(second.frame, "undo resumed and finished");
    await second.page.close();
  }, 300_000);

  it("names a refresh this sidebar runs; ends a paused undo when asked to, then confirms and runs the new undo", async () => {
    // After the first test every run holds its value from before the sync; the undo of that undo is paused.
    const { page, sidebar, frame } = await open();
    await setRate(sidebar, 1);

    // Undo asked while this sidebar runs a refresh: the note names it, with a way to it.
    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Refresh all rows", exact: true }).click();
    await sidebar.getByRole("button", { name: "Pause", exact: true }).waitFor({ timeout: 60_000 });
    await sidebar.getByRole("tab", { name: "History" }).click();
    await sidebar
      .locator(".history-job")
      .filter({ hasText: /^Sync · / })
      .getByRole("button", { name: /^Undo this sync…/ })
      .click();
    const note = sidebar.locator("#history-note .notice");
    await expect(note.textContent()).resolves.toMatch(
      /^The undo cannot start: a refresh is running.*A refresh is running in this sidebar, and one job runs at a time\. Nothing was sent\. Wait for the refresh to finish, or pause it, then choose Undo again\./s,
    );
    await expect.poll(() => focusedText(frame)).toMatch(/^The undo cannot start/);
    await expectNoAxeViolations(frame, "Undo asked while this sidebar runs a refresh");
    await sidebar.getByRole("button", { name: "Go to the refresh", exact: true }).click();
    await expect(sidebar.getByRole("tab", { name: "Sync" }).getAttribute("aria-selected")).resolves.toBe(
      "true",
    );
    await setRate(sidebar, 200);
    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("status").filter({ hasText: "Refresh finished" }).waitFor({ timeout: 60_000 });
    await expect.poll(() => note.count()).toBe(0);

    await setRate(sidebar, 1);
    await sidebar.getByRole("tab", { name: "History" }).click();
    const undoItem = sidebar.locator(".history-job").filter({ hasText: /^Undo of / });
    await undoItem.getByRole("button", { name: /^Undo this undo…/ }).click();
    await sidebar.locator(".undo-confirm .notice").waitFor({ timeout: 15_000 });
    await sidebar.getByRole("button", { name: "Send", exact: true }).click();
    await sidebar.getByRole("button", { name: "Pause", exact: true }).click({ timeout: 60_000 });
    await sidebar.getByText(/^Paused by you at/).waitFor({ timeout: 60_000 });
    const redone = (await costCenters()).filter((value, i) => value === `CC-new-${i}`).length;
    expect(redone).toBeGreaterThan(0);
    expect(redone).toBeLessThan(ROWS);

    await setRate(sidebar, 200);
    await sidebar.getByRole("tab", { name: "History" }).click();
    const syncItem = sidebar.locator(".history-job").filter({ hasText: /^Sync · / });
    await syncItem.getByRole("button", { name: /^Undo this sync…/ }).click();
    await sidebar.getByRole("button", { name: "End it and start a new undo", exact: true }).click();
    // The confirmation comes first, with the keyboard on it; nothing is sent before Send.
    const confirm = sidebar.locator(".undo-confirm .notice");
    await confirm.waitFor({ timeout: 15_000 });
    await expect(confirm.textContent()).resolves.toMatch(
      /^Undo this sync\?.*40 runs are read.*It was undone before/s,
    );
    await expect
      .poll(() => frame.evaluate(() => document.activeElement?.closest(".undo-confirm") !== null))
      .toBe(true);
    await expectNoAxeViolations(frame, "undo confirmation after ending a paused undo");
    await sidebar.getByRole("button", { name: "Send", exact: true }).click();
    const done = sidebar
      .getByRole("status")
      .or(sidebar.getByRole("alert"))
      .filter({ hasText: /^Undo finished/ });
    await done.first().waitFor({ timeout: 90_000 });
    await expect(done.first().textContent()).resolves.toMatch(
      new RegExp(
        `^Undo finished${"\\s*"}${redone} runs? put back as they were before the sync, ${ROWS - redone} already as they were, 0 not undone`,
      ),
    );
    expect(await costCenters()).toEqual(IDS.map((_, i) => valueBefore(i)));
    await page.close();
  }, 300_000);
});
