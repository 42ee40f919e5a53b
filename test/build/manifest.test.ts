// appsscript.json: V8, logging, time zone, the narrowest scopes (each extra one explained in the engineering
// guide) and an allowlist with exactly the three regional API hosts, in the form publishing requires.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_URL_BY_REGION } from "../../src/extend/api";

const root = join(import.meta.dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "appsscript.json"), "utf8"));
const engineering = readFileSync(join(root, "docs/engineering.md"), "utf8");
const NARROW_SCOPES = [
  "https://www.googleapis.com/auth/spreadsheets.currentonly",
  "https://www.googleapis.com/auth/script.container.ui",
  "https://www.googleapis.com/auth/script.external_request",
];

describe("appsscript.json", () => {
  it("runs on V8 with exception logging and a time zone", () => {
    expect(manifest.runtimeVersion).toBe("V8");
    expect(manifest.exceptionLogging).toBe("STACKDRIVER");
    expect(manifest.timeZone).toMatch(/^[A-Za-z]+\/[A-Za-z_]+$/);
  });

  it("asks for the narrow scopes, and any other only with its reason in the engineering guide", () => {
    for (const scope of NARROW_SCOPES) expect(manifest.oauthScopes).toContain(scope);
    const extra = manifest.oauthScopes.filter((scope: string) => !NARROW_SCOPES.includes(scope));
    for (const scope of extra)
      expect(engineering).toMatch(new RegExp(`${scope.replace(/[./]/g, "\\$&")}\`?: `));
    expect(manifest.oauthScopes.some((scope: string) => /auth\/spreadsheets$|drive/.test(scope))).toBe(false);
  });

  it("allows exactly the three regional API hosts, as https URLs with a path", () => {
    const allowed: string[] = manifest.urlFetchWhitelist;
    expect(allowed).toHaveLength(3);
    for (const prefix of allowed) expect(prefix).toMatch(/^https:\/\/[a-z0-9.-]+\/$/);
    for (const base of Object.values(BASE_URL_BY_REGION)) {
      expect(allowed.filter((prefix) => `${base}/workflow_runs/x`.startsWith(prefix))).toHaveLength(1);
    }
  });

  it("is copied into dist/ unchanged", () => {
    expect(JSON.parse(readFileSync(join(root, "dist/appsscript.json"), "utf8"))).toEqual(manifest);
  });
});
