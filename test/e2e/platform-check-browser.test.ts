// The Settings tab's "Check this spreadsheet" in headless Chromium, through the playground (the built sidebar,
// its calls run by the built bundle in the local host against the stand-in): the report shows, focus moves to
// it, Copy report puts its text on the clipboard, the key appears nowhere, and axe-core finds no violation.
import { join } from "node:path";
import type { Browser, Frame } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { CHROMIUM, launchChromium, saveKey, screenshot } from "./browser.js";

const SECRET = "sk_live_platform-check-key-4b1d";
const AXE = join(import.meta.dirname, "../../node_modules/axe-core/axe.min.js");
let browser: Browser;
let playground: Playground;

beforeAll(async () => {
  browser = await launchChromium();
  playground = await startPlayground({});
});
afterAll(async () => {
  await browser?.close();
  await playground?.close();
});

async function sidebarFrame(frames: () => Frame[]): Promise<Frame> {
  await expect
    .poll(() => frames().some((frame) => frame.name() === "sidebar" || /Sidebar/.test(frame.url())))
    .toBe(true);
  const frame = frames().find(
    (candidate) => candidate.name() === "sidebar" || /Sidebar/.test(candidate.url()),
  );
  if (!frame) throw new Error("no sidebar frame");
  return frame;
}

it(`runs the check from Settings, shows the report, copies it, and passes axe (${CHROMIUM})`, async () => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  await page.goto(playground.url);
  const sidebar = page.frameLocator("#sidebar");
  await sidebar.getByRole("tab", { name: "Settings" }).waitFor();
  await saveKey(sidebar, SECRET);
  // The snapshot's version counts every change, the temporary sheet's too; everything else must stay.
  const sheets = () => JSON.stringify({ ...playground.snapshot(), version: undefined });
  const sheetsBefore = sheets();

  await sidebar.getByRole("button", { name: "Check this spreadsheet", exact: true }).click();
  const heading = sidebar.getByRole("heading", { name: "Check finished" });
  await heading.waitFor({ timeout: 60_000 });
  await expect.poll(() => heading.evaluate((element) => element === document.activeElement)).toBe(true);
  const report = sidebar.getByLabel("Report", { exact: true });
  const text = await report.inputValue();
  expect(text).toContain("How this spreadsheet behaves");
  expect(text).toContain("API key: saved");
  expect(text).toContain('"roundTripMs"');
  expect(await report.getAttribute("readonly")).not.toBeNull();
  expect(sheets()).toBe(sheetsBefore);
  await screenshot(page, "settings-platform-check");

  await sidebar.getByRole("button", { name: "Copy report", exact: true }).click();
  await sidebar.getByText("Report copied.", { exact: false }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);

  for (const frame of page.frames()) expect(await frame.content()).not.toContain(SECRET);
  expect(text).not.toContain(SECRET);

  // The pointer left on Copy report gives it the hover colours, which are the whole sidebar's (not this
  // section's) and are scanned where they belong, by the sidebar's own accessibility tests.
  await page.mouse.move(0, 0);
  const frame = await sidebarFrame(() => page.frames());
  await frame.addScriptTag({ path: AXE });
  const violations = await frame.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run(document.getElementById("panel-settings"))).violations;
  });
  expect(violations).toEqual([]);
  await context.close();
}, 120_000);
