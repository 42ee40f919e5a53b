// The History tab and "Undo this sync…" (issue 18) in headless Chromium through the playground, on the built
// bundle: an empty History says what history is; a sync with Keep history on offers its undo on the finished
// view; the confirmation gets the keyboard, Cancel sends nothing, Send undoes the sync so the stand-in's runs hold
// their values from before it, except a run another client changed since, which is skipped, not overwritten.
// History then lists both jobs with "undone by", and the undo itself is undone from there.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import type { JsonValue } from "../../src/extend/api.js";
import {
  expectNoAxeViolations,
  launchChromium,
  openPlayground,
  saveKey,
  screenshot,
  sidebarFrame,
} from "./browser.js";

const KEY = "e2e-key-not-secret";
const IDS = Array.from({ length: 6 }, (_, index) => `workflow_run_undo_ui_${index}`);
const BEFORE = IDS.map((_, index) => ({ costCenter: `CC-before-${index}` }));
let browser: Browser;
let playground: Playground;
let dir: string;

type Metadata = Record<string, JsonValue>;

async function stored(): Promise<Metadata[]> {
  return (await playground.standIn.getRuns(IDS)).map((run) => (run?.metadata ?? {}) as Metadata);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "undo-browser-"));
  const csv = join(dir, "runs.csv");
  writeFileSync(
    csv,
    `Run ID,metadata.costCenter\n${IDS.map((id, index) => `${id},CC-new-${index}`).join("\n")}\n`,
  );
  browser = await launchChromium();
  playground = await startPlayground({ csvPath: csv });
  await playground.standIn.addRuns(IDS.map((id, index) => ({ id, metadata: { ...BEFORE[index] } })));
});
afterAll(async () => {
  await playground?.close();
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("History and Undo this sync", () => {
  it("lists nothing before a sync, undoes a sync from its finished view and the undo from History", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    const frame = sidebarFrame(page);
    await saveKey(sidebar, KEY);

    // Empty state: what history is, how to turn it on, and a way there.
    await sidebar.getByRole("tab", { name: "History" }).click();
    const empty = sidebar.getByRole("status").filter({ hasText: "No history yet" });
    await empty.waitFor({ timeout: 15_000 });
    await expect(empty.textContent()).resolves.toContain("Keep history");
    await sidebar.getByRole("button", { name: "Go to Settings" }).waitFor();
    await expectNoAxeViolations(frame, "empty History");

    // The sync, with Keep history on (the default).
    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await sidebar.getByRole("status").filter({ hasText: "Sync finished" }).waitFor({ timeout: 30_000 });
    expect((await stored()).map((metadata) => metadata.costCenter)).toEqual(IDS.map((_, i) => `CC-new-${i}`));

    // Another client changes run 2 after the sync: the undo must not overwrite it.
    await playground.standIn.addRuns([{ id: IDS[2] ?? "", metadata: { costCenter: "CC-someone-else" } }]);

    // Cancel sends nothing and gives the keyboard back to the button that asked.
    const offer = sidebar.getByRole("button", { name: "Undo this sync…", exact: true });
    await offer.click();
    const confirm = sidebar.locator(".undo-confirm .notice");
    await confirm.waitFor({ timeout: 15_000 });
    await expect(confirm.textContent()).resolves.toMatch(/6 runs are read/);
    await expect(confirm.textContent()).resolves.toMatch(
      /Metadata key: costCenter \(a key a run did not have before is emptied\)/,
    );
    await expect(confirm.textContent()).resolves.toMatch(/never overwritten/);
    await expect(confirm.textContent()).resolves.toMatch(/keeps its own history/);
    await expect(confirm.textContent()).resolves.toMatch(/about 13 web requests/);
    await expect
      .poll(() => frame.evaluate(() => document.activeElement?.closest(".undo-confirm") !== null))
      .toBe(true);
    await expect(sidebar.getByRole("tab", { name: "History" }).getAttribute("aria-selected")).resolves.toBe(
      "true",
    );
    const sentBefore = (await playground.standIn.stats()).totalRequests;
    await sidebar.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect((await playground.standIn.stats()).totalRequests).toBe(sentBefore);

    // Undo this sync from the History list this time, then Send.
    const firstUndo = sidebar
      .locator(".history-job")
      .first()
      .getByRole("button", { name: /^Undo this sync…/ });
    await firstUndo.click();
    await confirm.waitFor({ timeout: 15_000 });
    await expectNoAxeViolations(frame, "undo confirmation");
    await screenshot(page, "undo-confirm");
    await sidebar.getByRole("button", { name: "Send" }).click();
    const done = sidebar
      .getByRole("status")
      .or(sidebar.getByRole("alert"))
      .filter({ hasText: /^Undo finished/ });
    await done.first().waitFor({ timeout: 30_000 });
    const after = await stored();
    expect(after.map((metadata) => metadata.costCenter)).toEqual(
      IDS.map((_, i) => (i === 2 ? "CC-someone-else" : `CC-before-${i}`)),
    );
    await expect(done.first().textContent()).resolves.toMatch(
      /^Undo finished: 1 run not undone.*5 runs put back as they were before the sync, 0 already as they were, 1 not undone/s,
    );
    // The run changed since is listed with what Extend holds now and what the sync had set.
    await sidebar.getByRole("heading", { name: "Runs not undone (1)" }).waitFor({ timeout: 15_000 });
    const skipped = sidebar.locator("ul.rows li");
    await expect(skipped.allTextContents()).resolves.toEqual([
      expect.stringMatching(/changed since that sync.*CC-someone-else.*CC-new-2.*workflow_run_undo_ui_2/s),
    ]);
    await expectNoAxeViolations(frame, "undo finished");
    await screenshot(page, "undo-finished");

    // History: the undo newest, the sync "undone by" it.
    const jobs = sidebar.locator(".history-job");
    await expect.poll(() => jobs.count(), { timeout: 15_000 }).toBe(2);
    await expect(jobs.nth(0).textContent()).resolves.toMatch(
      /^Undo of \S+ · .*By you: 5 runs changed back\. Job \S+\./,
    );
    await expect(jobs.nth(0).textContent()).resolves.not.toContain("Extend Sync History");
    await expect(jobs.nth(1).textContent()).resolves.toMatch(/Undone by the undo \S+\./);
    await expectNoAxeViolations(frame, "History with a sync and its undo");
    await screenshot(page, "history-view");

    // The undo undone from History: the runs it put back get the sync's values again; run 2 is still skipped.
    await jobs
      .nth(0)
      .getByRole("button", { name: /^Undo this undo…/ })
      .click();
    await confirm.waitFor({ timeout: 15_000 });
    await sidebar.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(async () => (await stored()).map((metadata) => metadata.costCenter), { timeout: 30_000 })
      .toEqual(IDS.map((_, i) => (i === 2 ? "CC-someone-else" : `CC-new-${i}`)));
    await page.close();
  });
});

describe("an undo that would not finish today", () => {
  let short: Playground;
  beforeAll(async () => {
    // 20 requests left: the sync of 6 rows (a read and a write each) fits, its undo (as many again) does not.
    const csv = join(dir, "short.csv");
    writeFileSync(
      csv,
      `Run ID,metadata.costCenter\n${IDS.map((id, i) => `${id},CC-short-${i}`).join("\n")}\n`,
    );
    short = await startPlayground({ csvPath: csv, requestsUsedToday: 19_980 });
    await short.standIn.addRuns(IDS.map((id, index) => ({ id, metadata: { ...BEFORE[index] } })));
  });
  afterAll(async () => {
    await short?.close();
  });

  it("says so in the confirmation, before anything is sent", async () => {
    const { page, sidebar } = await openPlayground(browser, short.url);
    await saveKey(sidebar, KEY);
    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await sidebar.getByRole("status").filter({ hasText: "Sync finished" }).waitFor({ timeout: 30_000 });
    const sent = (await short.standIn.stats()).totalRequests;
    await sidebar.getByRole("button", { name: "Undo this sync…", exact: true }).click();
    const confirm = sidebar.locator(".undo-confirm .notice");
    await confirm.waitFor({ timeout: 15_000 });
    await expect(confirm.textContent()).resolves.toMatch(
      /This needs about 13 web requests; about \d+ are left today .*the undo would stop after about \d+ runs\..*Start the undo anyway\?/s,
    );
    expect((await short.standIn.stats()).totalRequests).toBe(sent);
    await sidebar.getByRole("button", { name: "Cancel" }).click();
    await page.close();
  });
});
