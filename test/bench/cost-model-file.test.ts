// `npm run bench -- --cost-model FILE.json` runs a scenario with a cost model measured by the platform check:
// the file must hold exactly the host's CostModel fields, each a number in its units, and anything else is
// refused naming the field; a valid file's figures are the ones charged.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCostModel } from "../../bench/cost-model-file.js";
import { COST_MODELS } from "../../dev/gas-host/index.js";

const ROOT = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "cost-model-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const measured = { ...COST_MODELS.on, name: "measured 2026-12-02" };
const text = (model: unknown) => JSON.stringify(model);

describe("parseCostModel", () => {
  it("takes a model with exactly the host's fields", () => {
    expect(parseCostModel(text(measured), "m.json")).toEqual(measured);
  });

  it.each([
    ["a missing field", { ...measured, lock: {} }, "m.json is not a cost model: lock.callMs is missing"],
    ["an unknown field", { ...measured, extra: 1 }, "extra is not a field of the cost model"],
    [
      "an unknown field in a group",
      { ...measured, sheets: { ...measured.sheets, cellsMs: 1 } },
      "sheets.cellsMs is not a field of the cost model",
    ],
    [
      "a negative time",
      { ...measured, properties: { getMs: -1, setMs: 62 } },
      "properties.getMs must be a number of milliseconds, 0 or more",
    ],
    [
      "a time as text",
      { ...measured, sleepOverheadMs: "10" },
      "sleepOverheadMs must be a number of milliseconds, 0 or more",
    ],
    [
      "no concurrency",
      { ...measured, urlFetch: { ...measured.urlFetch, concurrency: 0 } },
      "urlFetch.concurrency must be a whole number, 1 or more",
    ],
    ["a group that is not an object", { ...measured, sheets: 5 }, "sheets must be an object"],
    ["a list", [measured], "m.json must hold one JSON object, the cost model"],
  ])("refuses %s, naming it", (_, model, message) => {
    expect(() => parseCostModel(text(model), "m.json")).toThrow(message);
  });

  it("refuses text that is not JSON", () => {
    expect(() => parseCostModel("{ sheets:", "m.json")).toThrow(/^m\.json is not JSON/);
  });
});

function bench(...args: string[]) {
  return spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["bench/run.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("npm run bench -- --cost-model FILE.json (the built bundle)", () => {
  it("charges the file's figures and names its model in the JSON", () => {
    const slow = { ...measured, name: "measured slow", sheets: { ...measured.sheets, roundTripMs: 3000 } };
    const file = join(dir, "slow.json");
    writeFileSync(file, text(slow));
    const scenario = ["--rows", "20", "--rate", "50", "--latency", "10"];
    const out = join(dir, "slow.out.json");
    const withFile = bench(...scenario, "--cost-model", file, "--json", out);
    expect(withFile.status, withFile.stderr).toBe(0);
    const figures = JSON.parse(readFileSync(out, "utf8"));
    expect(figures.costModel).toBe("measured slow");
    const typicalOut = join(dir, "on.out.json");
    expect(bench(...scenario, "--cost-model", "on", "--json", typicalOut).status).toBe(0);
    const typical = JSON.parse(readFileSync(typicalOut, "utf8"));
    // Each Sheets round trip costs 3 s instead of 60 ms: the sync's few round trips alone add many seconds.
    expect(figures.wallSeconds).toBeGreaterThan(typical.wallSeconds + 10);
  });

  it("refuses an invalid file with the field that is wrong, before running anything", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, text({ ...measured, urlFetch: { callMs: 50, jitterMs: 20 } }));
    const result = bench("--rows", "20", "--cost-model", file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file} is not a cost model: urlFetch.concurrency is missing`);
  });

  it("refuses a file that cannot be read", () => {
    const result = bench("--rows", "20", "--cost-model", join(dir, "none.json"));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot be read (ENOENT)");
  });
});
