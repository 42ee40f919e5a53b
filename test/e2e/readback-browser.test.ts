// Reading back through the sidebar and the import dialog in headless Chromium, through the playground: the tag
// mode chosen in the Sync tab and confirmed before sending, Refresh with the credits summary, Compare with
// Extend in Check rows, and an import from the Import tab and from the dialog, each into a new sheet.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Playground, startPlayground } from "../../dev/playground/server.js";
import { launchChromium, openPlayground, pageScreenshot, saveKey, screenshot } from "./browser.js";

const SECRET = "sk_live_readback-browser-key-2c8e";
let browser: Browser;
let playground: Playground;

beforeAll(async () => {
  browser = await launchChromium();
  playground = await startPlayground({});
});
afterAll(async () => {
  await playground?.close();
  await browser?.close();
});

describe("reading back in the sidebar", () => {
  it("syncs in the add tag mode, confirming the mode first, then refreshes and compares", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await saveKey(sidebar, SECRET);
    await sidebar.getByRole("tab", { name: "Sync" }).click();
    await sidebar.getByRole("radio", { name: "Add to the run's tags" }).check();
    await sidebar.getByText(/added to the run's current tags, read just before the update/).waitFor();
    await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
    await sidebar.getByText(/^Tag mode: add\. .* rows name tags\.$/).waitFor();
    await screenshot(page, "sync-confirm-tag-mode");
    await sidebar.getByRole("button", { name: "Send", exact: true }).click();
    await sidebar.getByText("Sync finished").waitFor({ timeout: 30_000 });
    const methods = await playground.standIn.stats();
    expect(methods.byRoute["GET /workflow_runs/{id}"]).toBeGreaterThan(0);

    await sidebar.getByRole("button", { name: "Refresh all rows", exact: true }).click();
    await sidebar.getByText("Refresh finished").waitFor({ timeout: 30_000 });
    await sidebar.getByText('Credits by usage tag are in the sheet "Extend Credits by Tag".').waitFor();
    await screenshot(page, "refresh-finished");
    expect(playground.snapshot().sheets).toContain("Extend Credits by Tag");
    expect(playground.snapshot().header).toContain("Current Tags");

    await sidebar.getByRole("tab", { name: "Check rows" }).click();
    await sidebar.getByRole("button", { name: "Compare with Extend", exact: true }).click();
    await sidebar.getByText("Comparison finished").waitFor({ timeout: 30_000 });
    // Just synced in add mode: every row the sync updated holds its metadata and tags; its name cannot be read,
    // so those rows are compared on the rest and grouped, and none is called "cannot be compared".
    await sidebar.getByText(/^Only the Name may differ \(\d+\)$/).waitFor();
    await sidebar
      .getByText(/^Rows [\d–, ]+ \(\d+ rows\), each the same:$/)
      .first()
      .waitFor();
    await sidebar.getByText(/^Compared all rows of the sheet "Runs"\./).waitFor();
    expect(await sidebar.getByText(/cannot be compared\)/).count()).toBe(0);
    // The report below the fold: its groups are what the screenshot shows.
    await sidebar.getByRole("heading", { name: /^Only the Name may differ/ }).scrollIntoViewIfNeeded();
    await screenshot(page, "preview-finished");
    const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname === "/sidebar");
    expect(await frame?.content()).not.toContain(SECRET);

    // Markup typed into a cell is shown as text; only the selected rows 3 to 4 are compared.
    const customer = playground.snapshot().header.indexOf("metadata.customer") + 1;
    await page.locator(`#sheet td[data-row="3"][data-column="${customer}"]`).click();
    await page.keyboard.type('<img src=x onerror="document.title=1">');
    await page.keyboard.press("Enter");
    await page.locator('#sheet th[data-row="3"]').click();
    await page.locator('#sheet th[data-row="4"]').click({ modifiers: ["Shift"] });
    await expect.poll(() => playground.snapshot().selection).toEqual({ first: 3, last: 4 });
    const reads = async () => (await playground.standIn.stats()).byRoute["GET /workflow_runs/{id}"] ?? 0;
    const before = await reads();
    await sidebar.getByRole("button", { name: "Compare selected rows", exact: true }).click();
    await sidebar.getByText("Comparison finished").waitFor({ timeout: 30_000 });
    await sidebar.getByText(/^Compared rows 3-4 of the sheet "Runs"\./).waitFor();
    expect(await reads()).toBe(before + 2);
    const table = sidebar.getByRole("table", { name: "Row 3: now in Extend and asked for" });
    await table.getByText('"<img src=x onerror=\\"document.title=1\\">"').waitFor();
    expect(await sidebar.locator("img").count()).toBe(0);
    expect(await page.title()).not.toBe("1");
    await sidebar
      .getByRole("heading", { name: /^Would change/ })
      .evaluate((heading) => heading.scrollIntoView({ block: "start" }));
    await screenshot(page, "preview-selected");
    await page.close();
  });

  it("imports runs from the Import tab into a new sheet", async () => {
    const { page, sidebar } = await openPlayground(browser, playground.url);
    await sidebar.getByRole("tab", { name: "Import" }).click();
    await sidebar.getByLabel("Status").selectOption("FAILED");
    await sidebar.getByLabel(/^At most this many runs/).fill("12");
    await sidebar.getByLabel(/Also read each run's current tags and metadata/).check();
    await screenshot(page, "import-form");
    await sidebar.getByRole("button", { name: "Import runs", exact: true }).click();
    await sidebar.getByText("Import finished").waitFor({ timeout: 30_000 });
    await sidebar.getByText(/^12 runs imported into the sheet "Extend runs /).waitFor();
    await screenshot(page, "import-finished");
    const imported = playground.snapshot().sheets.find((name) => name.startsWith("Extend runs"));
    expect(imported).toBeDefined();
    await page.close();
  });
});

describe("the import dialog", () => {
  it("imports with its own form and loop, and refuses a bad maximum with a message", async () => {
    const page = await browser.newPage({ viewport: { width: 460, height: 760 } });
    await page.goto(playground.link("/import-dialog"));
    await page.getByLabel(/^At most this many runs/).fill("0");
    await page.getByRole("button", { name: "Import runs", exact: true }).click();
    await page.getByText(/^The maximum number of runs must be a whole number/).waitFor();
    await page.getByLabel(/^At most this many runs/).fill("7");
    await page.getByLabel("Sort by").selectOption("updatedAt");
    await page.getByLabel("Order").selectOption("asc");
    await page.getByRole("button", { name: "Import runs", exact: true }).click();
    await page.getByText("Import finished").waitFor({ timeout: 30_000 });
    await page.getByText(/^7 runs imported into the sheet "Extend runs /).waitFor();
    await pageScreenshot(page, "import-dialog");
    const queries = (await playground.standIn.stats()).listQueries;
    expect(new URLSearchParams(queries.at(-1)).get("sortBy")).toBe("updatedAt");
    await page.close();
  });
});
