// Headless Chromium (Debian's package, driven by playwright-core) for the browser tests, and the screenshots
// they take of each sidebar state: into .test-results/screenshots on every run, and into docs/screenshots (the
// user guide's pictures) when UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the repository unchanged.
import { join } from "node:path";
import { type Browser, chromium, type Frame, type FrameLocator, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type Playground, type PlaygroundOptions, startPlayground } from "../../dev/playground/server.js";

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

/** A playground for the tests of the enclosing describe: started before them, closed after; call it for it. */
export function usePlayground(options: PlaygroundOptions = {}): () => Playground {
  let playground: Playground | undefined;
  beforeAll(async () => {
    playground = await startPlayground(options);
  });
  afterAll(async () => {
    await playground?.close();
  });
  return () => {
    if (!playground) throw new Error("the playground has not started");
    return playground;
  };
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

/** The sidebar as Apps Script shows it, 300 px wide, saved as <name>.png (see SCREENSHOTS), once axe finds nothing. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(150);
  await expectNoAxeViolations(sidebarFrame(page), name);
  await page.locator("aside").screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** A whole page (a dialog shown on its own), saved as <name>.png (see SCREENSHOTS), once axe finds nothing. */
export async function pageScreenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(150);
  await expectNoAxeViolations(page.mainFrame(), name);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The frame of the playground that holds the built sidebar. */
export function sidebarFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname === "/sidebar");
  if (!frame) throw new Error("the playground shows no sidebar frame");
  return frame;
}

const AXE = join(import.meta.dirname, "../../node_modules/axe-core/axe.min.js");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs every axe-core rule (no impact filter, best practices included) on the page as it is now, and throws
 * with each violation when there is one. axe sees only the current state, so hover and focus colours are
 * checked by test/ui/sidebar-contrast.test.ts.
 */
export async function expectNoAxeViolations(frame: Frame, state: string): Promise<void> {
  const loaded = await frame.evaluate(() => "axe" in window);
  if (!loaded) await frame.addScriptTag({ path: AXE });
  const violations = (await frame.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  })) as AxeViolation[];
  if (violations.length === 0) return;
  const lines = violations.flatMap((violation) => [
    `${violation.id} (${violation.impact ?? "no impact"}): ${violation.help}`,
    ...violation.nodes.map((node) =>
      `  ${JSON.stringify(node.target)} ${node.failureSummary ?? ""}`.replace(/\n/g, " "),
    ),
  ]);
  throw new Error(`axe-core finds ${violations.length} violation(s) in "${state}":\n${lines.join("\n")}`);
}

export async function saveKey(sidebar: FrameLocator, key: string): Promise<void> {
  await sidebar.getByRole("tab", { name: "Settings" }).click();
  await sidebar.getByLabel("API key", { exact: true }).fill(key);
  await sidebar.getByRole("button", { name: "Save key", exact: true }).click();
  await sidebar.getByText("Key saved").waitFor();
}
