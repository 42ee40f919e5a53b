// Headless Chromium (Debian's package, driven by playwright-core) for the browser tests, and the screenshots
// they take of each sidebar state: into .test-results/screenshots on every run, and into docs/screenshots (the
// user guide's pictures) when UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the repository unchanged.
import { join } from "node:path";
import { type Browser, chromium, type FrameLocator, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = join(
  import.meta.dirname,
  process.env.UPDATE_SCREENSHOTS === "1" ? "../../docs/screenshots" : "../../.test-results/screenshots",
);

/** `extraArgs`: more Chromium switches, e.g. `--host-resolver-rules` to point a made-up name at 127.0.0.1. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
}

export async function openPlayground(
  browser: Browser,
  url: string,
): Promise<{ page: Page; sidebar: FrameLocator }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url);
  const sidebar = page.frameLocator("#sidebar");
  await sidebar.getByRole("tab", { name: "Settings" }).waitFor();
  return { page, sidebar };
}

/** The sidebar as Apps Script shows it, 300 px wide, saved as <name>.png (see SCREENSHOTS). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.locator("aside").screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** A whole page (a dialog shown on its own), saved as <name>.png (see SCREENSHOTS). */
export async function pageScreenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export async function saveKey(sidebar: FrameLocator, key: string): Promise<void> {
  await sidebar.getByRole("tab", { name: "Settings" }).click();
  await sidebar.getByLabel("API key", { exact: true }).fill(key);
  await sidebar.getByRole("button", { name: "Save key", exact: true }).click();
  await sidebar.getByText("Key saved").waitFor();
}
