// Unit tests for src/core/requests/fingerprint.ts: stable under key order, different whenever anything sent
// differs.
import { describe, expect, it } from "vitest";
import { fingerprint } from "../../../src/core/requests/fingerprint";
import type { UpdateWorkflowRunBody } from "../../../src/extend/api";

const ID = "workflow_run_1";
const BASE: UpdateWorkflowRunBody = {
  name: "Invoice 7",
  metadata: { customer: "ACME", amount: 12.5, paid: true, note: null, "extend:usage_tags": ["a", "b"] },
};

describe("fingerprint", () => {
  it("is a short base-36 string", () => {
    expect(fingerprint(ID, BASE)).toMatch(/^[0-9a-z]{1,11}$/);
  });

  it("is the same for the same input, every time", () => {
    expect(fingerprint(ID, BASE)).toBe(fingerprint(ID, structuredClone(BASE)));
  });

  it.each<[string, UpdateWorkflowRunBody]>([
    [
      "metadata keys in another order",
      {
        name: "Invoice 7",
        metadata: { "extend:usage_tags": ["a", "b"], note: null, paid: true, amount: 12.5, customer: "ACME" },
      },
    ],
    ["body keys in another order", { metadata: BASE.metadata as Record<string, never>, name: "Invoice 7" }],
  ])("does not change with %s", (_label, body) => {
    expect(fingerprint(ID, body)).toBe(fingerprint(ID, BASE));
  });

  it("does not change with the key order of nested objects", () => {
    expect(fingerprint(ID, { metadata: { o: { x: 1, y: { p: 1, q: 2 } } } })).toBe(
      fingerprint(ID, { metadata: { o: { y: { q: 2, p: 1 }, x: 1 } } }),
    );
  });

  const variants: [string, UpdateWorkflowRunBody][] = [
    ["another name", { ...BASE, name: "Invoice 8" }],
    ["no name", { metadata: BASE.metadata as Record<string, never> }],
    ["no metadata", { name: "Invoice 7" }],
    ["empty metadata", { name: "Invoice 7", metadata: {} }],
    ["another text value", { ...BASE, metadata: { ...BASE.metadata, customer: "ACME " } }],
    ["a number instead of text", { ...BASE, metadata: { ...BASE.metadata, amount: "12.5" } }],
    ["another number", { ...BASE, metadata: { ...BASE.metadata, amount: 12.51 } }],
    ["another boolean", { ...BASE, metadata: { ...BASE.metadata, paid: false } }],
    ["null replaced by a value", { ...BASE, metadata: { ...BASE.metadata, note: "" } }],
    ["a key renamed", { ...BASE, metadata: { ...BASE.metadata, Customer: "ACME", customer: null } }],
    ["a key added", { ...BASE, metadata: { ...BASE.metadata, extra: 1 } }],
    ["tags in another order", { ...BASE, metadata: { ...BASE.metadata, "extend:usage_tags": ["b", "a"] } }],
    ["a tag removed", { ...BASE, metadata: { ...BASE.metadata, "extend:usage_tags": ["a"] } }],
    ["tags cleared", { ...BASE, metadata: { ...BASE.metadata, "extend:usage_tags": [] } }],
  ];

  it.each(variants)("changes with %s", (_label, body) => {
    expect(fingerprint(ID, body)).not.toBe(fingerprint(ID, BASE));
  });

  it("gives every variant its own fingerprint", () => {
    const prints = [BASE, ...variants.map(([, body]) => body)].map((body) => fingerprint(ID, body));
    expect(new Set(prints).size).toBe(prints.length);
  });

  it.each(["workflow_run_2", "workflow_run_10", "Workflow_run_1", `${ID} `])(
    "differs for run id %j",
    (other) => {
      expect(fingerprint(other, BASE)).not.toBe(fingerprint(ID, BASE));
    },
  );

  it("is distinct across many run ids with the same body", () => {
    const prints = Array.from({ length: 2000 }, (_, i) => fingerprint(`workflow_run_${i}`, { name: "same" }));
    expect(new Set(prints).size).toBe(2000);
  });
});
