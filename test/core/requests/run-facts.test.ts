// Unit tests for src/core/requests/run-facts.ts: what the add-on keeps of a run Extend returned, scrubbed and
// cut for cells, exact for sending back.
import { describe, expect, it } from "vitest";
import { NOT_A_TAG_LIST, runFacts, unreadableField } from "../../../src/core/requests/run-facts";
import { scrubberFor } from "../../../src/core/requests/secrets";
import { MAX_CELL_CHARACTERS } from "../../../src/core/sheet/cell";
import type { WorkflowRunResponse } from "../../../src/extend/api";

const KEY = "sk_test_facts_key_0123456789";
const scrub = scrubberFor([KEY]);
const run = (extra: Partial<WorkflowRunResponse> = {}): WorkflowRunResponse => ({
  object: "workflow_run",
  id: "workflow_run_1",
  status: "PROCESSED",
  ...extra,
});

describe("runFacts", () => {
  it("takes tags, metadata, credits and the link", () => {
    const facts = runFacts(
      run({
        dashboardUrl: "https://dashboard.extend.ai/x",
        metadata: { customer: "ACME", "extend:usage_tags": ["prod", "acme"] },
        usage: { credits: 2.5, totalCredits: 2.5 },
      }),
      scrub,
    );
    expect(facts).toMatchObject({
      status: "PROCESSED",
      dashboardUrl: "https://dashboard.extend.ai/x",
      tags: ["prod", "acme"],
      tagsText: "prod, acme",
      metadataText: '{"customer":"ACME"}',
      credits: 2.5,
    });
    expect(facts.failure).toBeUndefined();
  });

  it.each<[unknown, number | null, boolean]>([
    [null, null, true],
    [undefined, null, true],
    [{ credits: 0 }, 0, true],
    [{ credits: 2.5, totalCredits: "x" }, 2.5, true],
    // A number written as text is read as that number.
    [{ credits: "3" }, 3, true],
    [{ credits: " -1.25 " }, -1.25, true],
    [{ credits: "3e-2" }, 0.03, true],
    // Anything else is unreadable, never "no usage figure".
    [{}, null, false],
    [{ credits: null }, null, false],
    [{ credits: Number.NaN }, null, false],
    [{ credits: "1,5" }, null, false],
    [{ credits: "0x10" }, null, false],
    [{ credits: "1e999" }, null, false],
    [{ credits: "" }, null, false],
    [{ credits: [1] }, null, false],
    ["1.5", null, false],
  ])("usage %j gives credits %j (readable: %s)", (usage, credits, readable) => {
    const facts = runFacts(run({ usage, metadata: {} }), scrub);
    expect(facts.credits).toBe(credits);
    expect(facts.unreadable).toEqual(readable ? [] : ["usage"]);
  });

  it.each<[unknown, string]>([
    [undefined, "a workflow run without its metadata"],
    [null, "a workflow run whose metadata is not an object"],
    [[], "a workflow run whose metadata is not an object"],
    ["{}", "a workflow run whose metadata is not an object"],
  ])("names metadata %j unreadable, never an empty one", (metadata, why) => {
    const answer = run({ metadata, usage: null });
    expect(unreadableField(answer, "metadata")).toBe(why);
    expect(runFacts(answer, scrub).unreadable).toEqual(["metadata"]);
  });

  it("shows metadata nested 10,000 levels deep, cut to what a cell holds, instead of throwing", () => {
    const deep = JSON.parse(`${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    const facts = runFacts(run({ metadata: { deep, "extend:usage_tags": deep }, usage: null }), scrub);
    expect(facts.metadataText).toBe(`{"deep":${"[".repeat(10_000)}${"]".repeat(10_000)}}`);
    expect(facts.tags).toBeUndefined();
    expect(facts.tagsText).toBe(`${NOT_A_TAG_LIST} ${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    const deeper = JSON.parse(`${'{"abcdefghij":'.repeat(6_000)}1${"}".repeat(6_000)}`);
    const cut = runFacts(run({ metadata: { deeper }, usage: null }), scrub).metadataText;
    expect(cut.length).toBe(MAX_CELL_CHARACTERS + 10_000);
    expect(cut.startsWith('{"deeper":{"abcdefghij":{"abcdefghij":')).toBe(true);
  });

  it("keeps a metadata key named __proto__ in Current Metadata", () => {
    const metadata = JSON.parse('{"__proto__":{"x":1},"a":2}');
    expect(runFacts(run({ metadata, usage: null }), scrub).metadataText).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it("names a failed run's reason and message", () => {
    const facts = runFacts(
      run({ status: "FAILED", failureReason: "CORRUPT_FILE", failureMessage: "Bad." }),
      scrub,
    );
    expect(facts.failure).toBe("CORRUPT_FILE: Bad.");
  });

  it("keeps tags exact for sending back but scrubs what cells show", () => {
    const facts = runFacts(
      run({
        metadata: { note: `key ${KEY}`, "extend:usage_tags": [`x${KEY}`] },
        failureMessage: `see ${KEY}`,
      }),
      scrub,
    );
    expect(facts.tags).toEqual([`x${KEY}`]);
    expect(`${facts.tagsText} ${facts.metadataText} ${facts.failure}`).not.toContain(KEY);
  });

  it("says when the tags are not a list, and keeps no list to send back", () => {
    const facts = runFacts(run({ metadata: { "extend:usage_tags": "a,b" } }), scrub);
    expect(facts.tags).toBeUndefined();
    expect(facts.tagsText).toBe(`${NOT_A_TAG_LIST} "a,b"`);
  });

  it("drops a link that is not a web address", () => {
    expect(runFacts(run({ dashboardUrl: "javascript:alert(1)" }), scrub).dashboardUrl).toBeUndefined();
    expect(runFacts(run({ dashboardUrl: 5 }), scrub).dashboardUrl).toBeUndefined();
  });

  it("treats metadata that is not an object as none", () => {
    const facts = runFacts(run({ metadata: ["a"] }), scrub);
    expect(facts.metadata).toEqual({});
    expect(facts.metadataText).toBe("");
    expect(facts.tags).toEqual([]);
  });
});
