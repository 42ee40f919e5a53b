// The Marketplace listing's files (listing/, made by npm run listing) against Google's store listing
// requirements (https://developers.google.com/workspace/marketplace/create-listing): application name of 50
// characters or fewer without "Google" or a Google product name, short description of 200 characters at most,
// detailed description under 16,000, icons of 128 x 128 and 32 x 32, a card banner of 220 x 140, one to five
// screenshots of 1280 x 800 (640 x 400 and 2560 x 1600 accepted) with square corners and no padding, and the
// privacy policy and terms pages, of which the repository holds templates.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const listing = join(import.meta.dirname, "../../listing");
const read = (file: string) => readFileSync(join(listing, file), "utf8");
const characters = (text: string) => [...text].length;
const manifest = JSON.parse(readFileSync(join(listing, "../appsscript.json"), "utf8")) as {
  urlFetchWhitelist: string[];
};

/** Width, height and colour type from a PNG's signature and IHDR chunk. */
function pngHeader(file: string): { width: number; height: number; colourType: number } {
  const bytes = readFileSync(join(listing, file));
  expect(bytes.subarray(0, 8).toString("hex"), `${file} is a PNG`).toBe("89504e470d0a1a0a");
  expect(bytes.subarray(12, 16).toString("latin1"), `${file} starts with IHDR`).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes.readUInt8(25) };
}
/** PNG colour types 2 (RGB) and 0 (grey) have no alpha channel: every pixel is opaque. */
const OPAQUE = [0, 2];

describe("graphic assets", () => {
  it.each([
    ["icon-128.png", 128, 128, "icon.svg"],
    ["icon-32.png", 32, 32, "icon.svg"],
    ["card-banner.png", 220, 140, "card-banner.svg"],
  ])("%s is %i x %i, drawn from %s", (file, width, height, source) => {
    expect(pngHeader(file)).toMatchObject({ width, height });
    expect(existsSync(join(listing, source))).toBe(true);
  });

  it("the card banner fills its whole area", () => {
    expect(OPAQUE).toContain(pngHeader("card-banner.png").colourType);
  });

  it("has one to five screenshots at a size the listing takes, full bleed", () => {
    const screenshots = readdirSync(join(listing, "screenshots")).filter((file) => file.endsWith(".png"));
    expect(screenshots.length).toBeGreaterThanOrEqual(1);
    expect(screenshots.length).toBeLessThanOrEqual(5);
    for (const file of screenshots) {
      const { width, height, colourType } = pngHeader(join("screenshots", file));
      expect([`${width}x${height}`]).toContain("1280x800");
      expect(OPAQUE, `${file} has no transparent corners`).toContain(colourType);
    }
  });
});

describe("app details", () => {
  it("names the app in 50 characters or fewer, without Google or a Google product's name", () => {
    const name = read("name.txt");
    expect(name).toMatch(/^[^\n]+\n?$/);
    expect(characters(name.trim())).toBeGreaterThan(0);
    expect(characters(name.trim())).toBeLessThanOrEqual(50);
    expect(name).not.toMatch(/\b(google|sheets?|docs|slides|forms|drive|gmail|workspace|chrome)\b/i);
  });

  it("keeps the short description within 200 characters and the detailed one under 16,000", () => {
    const short = read("short-description.txt").trim();
    const detailed = read("detailed-description.txt").trim();
    expect(characters(short)).toBeGreaterThan(0);
    expect(characters(short)).toBeLessThanOrEqual(200);
    expect(short).not.toContain("\n");
    expect(characters(detailed)).toBeGreaterThan(characters(short));
    expect(characters(detailed)).toBeLessThan(16_000);
  });

  it("leaves nothing to fill in in the descriptions", () => {
    for (const file of ["name.txt", "short-description.txt", "detailed-description.txt"]) {
      expect(read(file)).not.toMatch(/\{\{|TODO|TBD|lorem/i);
    }
  });
});

describe("privacy policy and terms of service templates", () => {
  it.each(["privacy-policy.md", "terms-of-service.md"])(
    "%s marks what the publisher must fill in",
    (file) => {
      const text = read(file);
      expect(text).toMatch(/\{\{PUBLISHER_NAME\}\}/);
      expect(text).toMatch(/\{\{EFFECTIVE_DATE\}\}/);
      expect(text).toMatch(/\{\{CONTACT_EMAIL_OR_PAGE\}\}/);
    },
  );

  it("the privacy policy names every address the add-on may send data to", () => {
    const policy = read("privacy-policy.md");
    for (const prefix of manifest.urlFetchWhitelist) expect(policy).toContain(prefix);
  });
});
