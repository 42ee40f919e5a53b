// `npm run listing`: the pictures of the Google Workspace Marketplace listing, made from the repository in
// headless Chromium (Debian's, driven by playwright-core as the browser tests do): the application icons
// (listing/icon.svg at 128 and 32 px), the application card banner (listing/card-banner.svg at 220 x 140) and
// five screenshots of the playground (dev/playground: the built add-on, the local Apps Script host and the Extend
// stand-in) at 1280 x 800, the sizes Google's store listing asks for
// (https://developers.google.com/workspace/marketplace/create-listing). npm run listing builds the add-on first.
// Each screenshot is taken only after axe-core finds no violation in the sidebar as shown. test/build/listing.test.ts
// checks the committed files; this script is not part of npm test (about a minute).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { startPlayground } from "../dev/playground/server.js";
import { expectNoAxeViolations, launchChromium, saveKey, sidebarFrame } from "../test/e2e/browser.js";

const listing = join(import.meta.dirname, "../listing");
const screenshots = join(listing, "screenshots");
const SCREEN = { width: 1280, height: 800 };
/** The stand-in takes any key; this one only fills the masked field. */
const KEY = "listing-key-not-secret";

/** An SVG drawn at exactly width x height, with its transparent parts kept transparent. */
async function renderSvg(browser: Browser, source: string, width: number, height: number, out: string) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
  const svg = Buffer.from(readFileSync(join(listing, source))).toString("base64");
  await page.setContent(
    `<!DOCTYPE html><html><head><style>html,body{margin:0;background:transparent}img{display:block}</style></head>` +
      `<body><img alt="" width="${width}" height="${height}" src="data:image/svg+xml;base64,${svg}"></body></html>`,
  );
  await page.locator("img").evaluate((img: HTMLImageElement) => img.decode());
  await page.screenshot({
    path: join(listing, out),
    omitBackground: true,
    clip: { x: 0, y: 0, width, height },
  });
  await page.close();
  console.log(`listing/${out} (${width} x ${height})`);
}

/** A screenshot of the page, taken only once axe-core finds nothing in the sidebar as shown (issue 16). */
async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600);
  await expectNoAxeViolations(sidebarFrame(page), `listing ${name}`);
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
  console.log(`listing/screenshots/${name}.png (${SCREEN.width} x ${SCREEN.height})`);
}

/**
 * The example sheet (examples/runs.csv) with its input columns narrowed to Run ID, Name, one metadata column and
 * Tags, so that the columns the add-on writes fit beside them in a 1280-pixel picture.
 */
function listingSheet(folder: string): string {
  const rows = parse(readFileSync(join(import.meta.dirname, "../examples/runs.csv"), "utf8")) as string[][];
  const header = rows[0] ?? [];
  const keep = ["Run ID", "Name", "metadata.customer", "Tags"].map((name) => header.indexOf(name));
  const path = join(folder, "runs.csv");
  writeFileSync(path, stringify(rows.map((row) => keep.map((index) => row[index] ?? ""))));
  return path;
}

async function takeScreenshots(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage({ viewport: SCREEN, deviceScaleFactor: 1 });
  await page.goto(url);
  // The playground's own bars (editor switch, local-only notice, sheet tools) are not part of the add-on.
  await page.addStyleTag({
    content:
      "body > header, .sheet-bar, .help { display: none !important; } #sheet th, #sheet td { max-width: 170px; }",
  });
  const sidebar: FrameLocator = page.frameLocator("#sidebar");
  await sidebar.getByRole("tab", { name: "Settings" }).waitFor();
  await saveKey(sidebar, KEY);
  await sidebar.getByRole("button", { name: "Test connection", exact: true }).click();
  await sidebar.getByText("Connected", { exact: true }).waitFor();

  await sidebar.getByRole("tab", { name: "Check rows" }).click();
  await sidebar.getByRole("button", { name: "Check rows", exact: true }).click();
  await sidebar.getByText(/^Rows with problems/).waitFor();
  await shoot(page, "2-check-rows");

  await sidebar.getByRole("tab", { name: "Sync" }).click();
  await sidebar.getByRole("button", { name: "Sync all rows", exact: true }).click();
  await sidebar.getByText("Extend will change some tags").waitFor();
  await shoot(page, "3-confirm-tag-changes");
  await sidebar.getByRole("button", { name: "Send", exact: true }).click();
  await sidebar.getByText("Sync finished").waitFor({ timeout: 60_000 });
  await page
    .locator("#sheet td", { hasText: /^Updated/ })
    .first()
    .waitFor();
  await shoot(page, "1-sync-finished");

  await sidebar.getByRole("button", { name: "Refresh all rows", exact: true }).click();
  await sidebar.getByText("Refresh finished").waitFor({ timeout: 60_000 });
  await page.locator("#sheet-tabs button", { hasText: "Extend Credits by Tag" }).click();
  await page.locator('#sheet[aria-label="Sheet Extend Credits by Tag"]').waitFor();
  await shoot(page, "4-credits-by-tag");

  await sidebar.getByRole("tab", { name: "Import" }).click();
  await sidebar.getByLabel("Status").selectOption("FAILED");
  await sidebar.getByLabel(/^At most this many runs/).fill("25");
  await sidebar.getByRole("button", { name: "Import runs", exact: true }).click();
  await sidebar.getByText("Import finished").waitFor({ timeout: 60_000 });
  await page.locator('#sheet[aria-label^="Sheet Extend runs"]').waitFor();
  await shoot(page, "5-import-runs");
  await page.close();
}

mkdirSync(screenshots, { recursive: true });
const browser = await launchChromium();
try {
  await renderSvg(browser, "icon.svg", 128, 128, "icon-128.png");
  await renderSvg(browser, "icon.svg", 32, 32, "icon-32.png");
  await renderSvg(browser, "card-banner.svg", 220, 140, "card-banner.png");
  const folder = mkdtempSync(join(tmpdir(), "listing-"));
  const playground = await startPlayground({ csvPath: listingSheet(folder) });
  try {
    await takeScreenshots(browser, playground.url);
  } finally {
    await playground.close();
    rmSync(folder, { recursive: true, force: true });
  }
} finally {
  await browser.close();
}
