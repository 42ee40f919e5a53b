// What publishing the add-on privately on the Google Workspace Marketplace asks of appsscript.json, and that the
// guide (docs/install.md) tells publishers to declare the same scopes and name everywhere. Google's pages:
// - Editor add-on manifests use the general manifest fields only, no add-on section of their own:
//   https://developers.google.com/workspace/add-ons/concepts/editor-manifests
// - V8 (Rhino is turned down): https://developers.google.com/apps-script/guides/v8-runtime/migration
// - urlFetchWhitelist: optional for a test deployment, required for a versioned deployment, https prefixes with
//   a path: https://developers.google.com/apps-script/manifest/allowlist-url
// - the same scopes on the OAuth consent screen, in the Marketplace SDK and in the manifest, the narrowest ones:
//   https://developers.google.com/workspace/marketplace/configure-oauth-consent-screen and
//   https://developers.google.com/workspace/marketplace/enable-configure-sdk
// - the listing's application name should match the consent screen's app name:
//   https://developers.google.com/workspace/marketplace/create-listing
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { claspCommandsInMarkdown } from "./clasp-help.js";

const root = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const manifest = JSON.parse(read("appsscript.json")) as Record<string, unknown> & {
  oauthScopes: string[];
  urlFetchWhitelist: string[];
};
const guide = read("docs/install.md");
const name = read("listing/name.txt").trim();

function guideScopes(): string[] {
  const block = /<!-- scopes:start -->([\s\S]*?)<!-- scopes:end -->/.exec(guide)?.[1] ?? "";
  return [...block.matchAll(/`(https:\/\/www\.googleapis\.com\/auth\/[^`]+)`/g)].map(
    (match) => match[1] as string,
  );
}

describe("appsscript.json, for a versioned deployment and the Marketplace", () => {
  it("holds only general manifest fields: no web app, API executable or Workspace add-on section", () => {
    const allowed = ["timeZone", "runtimeVersion", "exceptionLogging", "oauthScopes", "urlFetchWhitelist"];
    expect(Object.keys(manifest).filter((key) => !allowed.includes(key))).toEqual([]);
    expect(manifest.runtimeVersion).toBe("V8");
  });

  it("declares its scopes explicitly, each a Google OAuth scope, once", () => {
    expect(manifest.oauthScopes.length).toBeGreaterThan(0);
    for (const scope of manifest.oauthScopes)
      expect(scope).toMatch(/^https:\/\/www\.googleapis\.com\/auth\/[a-z._]+$/);
    expect(new Set(manifest.oauthScopes).size).toBe(manifest.oauthScopes.length);
  });

  it("has the URL allowlist a versioned deployment requires", () => {
    expect(manifest.urlFetchWhitelist.length).toBeGreaterThan(0);
    for (const prefix of manifest.urlFetchWhitelist)
      expect(prefix).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+\/\S*$/);
  });
});

describe("docs/install.md", () => {
  it("tells publishers to declare exactly the manifest's scopes, and explains each", () => {
    expect(guideScopes().sort()).toEqual([...manifest.oauthScopes].sort());
    for (const scope of manifest.oauthScopes) {
      expect(guide).toContain(`| \`${scope.replace("https://www.googleapis.com/auth/", "")}\``);
    }
  });

  it("uses the listing's name for the consent screen and the project titles (the menu's name)", () => {
    expect(guide).toContain(`**App name**: \`${name}\``);
    const titles = claspCommandsInMarkdown(guide)
      .filter((line) => line[0] === "create-script")
      .map((line) => line[line.indexOf("--title") + 1]);
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).toBe(name);
    for (const doc of ["README.md", "docs/user-guide.md"])
      expect(read(doc)).toContain(`Extensions > ${name} >`);
  });

  it("and the listing's files link only to Google's pages and Extend's API hosts: no address is made up", () => {
    const extend = manifest.urlFetchWhitelist.map((prefix) => new URL(prefix).hostname);
    const listingTexts = readdirSync(join(root, "listing"))
      .filter((file) => /\.(md|txt)$/.test(file))
      .map((file) => read(join("listing", file)));
    for (const text of [guide, ...listingTexts]) {
      for (const [url] of text.matchAll(/https?:\/\/[^\s)`>\]]+/g)) {
        const host = new URL(url.replace(/[.,;:]+$/, "")).hostname;
        const google = /(^|\.)google(apis)?\.com$/.test(host);
        expect(google || extend.includes(host), url).toBe(true);
      }
    }
  });
});
