// Unit tests for src/core/run-facts.ts: what the add-on keeps of a run Extend returned, scrubbed and cut for
// cells, exact for sending back.
import { describe, expect, it } from "vitest";
import { NOT_A_TAG_LIST, runFacts } from "../../src/core/run-facts";
import { scrubberFor } from "../../src/core/secrets";
import type { WorkflowRunResponse } from "../../src/extend/api";

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

  it.each<[unknown, number | null]>([
    [null, null],
    [undefined, null],
    [{}, null],
    [{ credits: "3" }, null],
    [{ credits: Number.NaN }, null],
    [{ credits: 0 }, 0],
  ])("usage %j gives credits %j", (usage, credits) => {
    expect(runFacts(run({ usage }), scrub).credits).toBe(credits);
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
