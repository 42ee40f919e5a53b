// Hostile answers: the real answer of Extend with a field a step needs left out or given in a form no step can
// use, nested 5,000 levels deep, or holding 60,000 characters. Chosen rows get theirs on every request for their
// run (so the checks know which rows must show it); List's pages get theirs at random.
import type { FaultMatch, FaultRule } from "../../dev/stand-in/faults.js";
import type { HostileAnswer, RowIntent } from "./sheet.js";

/** The List requests of an import. */
export const LIST: FaultMatch = { method: "GET", path: "/workflow_runs" };

const unlimited = "unlimited" as const;

/** Per-rule probability so that `rules` rules tried in turn fault about `rate` of the requests in all. */
export function perRule(rate: number, rules: number): number {
  return 1 - (1 - rate) ** (1 / rules);
}

/** List answers without what a page must hold, or with what no page should: each on `p` of the pages. */
export function listHostileRules(answers: readonly HostileAnswer[], p: number): FaultRule[] {
  const rewrites: Partial<Record<HostileAnswer, Pick<FaultRule, "omit" | "set">[]>> = {
    "no metadata": [{ omit: ["data"] }],
    "metadata not an object": [{ set: { data: '{"not":"a list"}' } }],
    "deep metadata": [{ set: { deep: DEEP_JSON } }],
    "huge metadata": [{ set: { note: JSON.stringify(HUGE_TEXT) } }],
  };
  const rules = answers.flatMap((answer) => rewrites[answer] ?? []);
  const q = perRule(p, Math.max(1, rules.length));
  return rules.map(
    (rewrite): FaultRule => ({ kind: "rewrite", probability: q, times: unlimited, match: LIST, ...rewrite }),
  );
}

/** The answers without a field a step needs, or with it in a form no step can use. */
export const MISSING_FIELDS: readonly HostileAnswer[] = [
  "no metadata",
  "metadata not an object",
  "tags not a list",
  "credits not a number",
];
export const DEEP_AND_HUGE: readonly HostileAnswer[] = ["deep metadata", "huge metadata"];

/** Every row's rule of a hostile answer: the real answer, rewritten, on every request for that run. */
export function hostileRules(intents: readonly RowIntent[], on: FaultMatch): FaultRule[] {
  return intents.flatMap((intent): FaultRule[] => {
    if (!intent.hostile) return [];
    const match = { ...on, runId: intent.runId };
    return [{ kind: "rewrite", times: unlimited, match, ...HOSTILE_REWRITES[intent.hostile] }];
  });
}

/** Nested 5,000 levels deep: 10 KB, within what Extend stores, past any recursive reader's stack. */
export const DEEP_JSON = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
/** More than a cell holds. */
export const HUGE_TEXT = "H".repeat(60_000);

const HOSTILE_REWRITES: Record<HostileAnswer, Pick<FaultRule, "omit" | "set">> = {
  "no metadata": { omit: ["metadata"] },
  "metadata not an object": { set: { metadata: '["not","an","object"]' } },
  "tags not a list": { set: { "metadata.extend:usage_tags": '"prod"' } },
  "credits not a number": { set: { "usage.credits": '"plenty"' } },
  "deep metadata": { set: { "metadata.deep": DEEP_JSON } },
  "huge metadata": { set: { "metadata.note": JSON.stringify(HUGE_TEXT) } },
};
