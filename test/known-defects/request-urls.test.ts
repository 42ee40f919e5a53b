// Known defects in request building (see known-defects.test.ts for why this folder is left out of npm test):
// run ids the add-on accepts as valid whose request does not reach /workflow_runs/{that id}, or cannot be sent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planSync } from "../../src/core/plan";
import { buildUpdateRequest } from "../../src/core/request";
import { parseContext, runIdText } from "../core/arbitraries";

const CONNECTION = { baseUrl: "https://api.extend.ai", apiKey: "sk_property_key_0123" };
/** UrlFetchApp refuses longer URLs ("Limit Exceeded: URLFetch URL Length."), reference §1.4. */
const MAX_URL_LENGTH = 2082;

/** The request a sync sends for a one-row sheet with this run id and a name, or undefined when none. */
function requestFor(runId: string) {
  const plan = planSync(
    [
      ["Run ID", "Name"],
      [runId, "New name"],
    ],
    "all",
    false,
    parseContext,
  );
  if (!plan.ok) return undefined;
  const row = plan.plan.rows[0];
  return row && "send" in row.action ? buildUpdateRequest(row.runId, row.action.send, CONNECTION) : undefined;
}

describe("a run id the add-on sends is the path it reaches", () => {
  it('resolves to /workflow_runs/{id}: "." and ".." are dot segments, so "." posts to /workflow_runs/ (where a POST creates runs) and ".." to /', () => {
    for (const runId of [".", ".."]) {
      const request = requestFor(runId);
      // Today both pass validation and are sent.
      if (request) expect(new URL(request.url).pathname).toBe(`/workflow_runs/${encodeURIComponent(runId)}`);
    }
  });

  it("every accepted run id gives a URL UrlFetchApp can send (at most 2,082 characters)", () => {
    // Today a run id of 255 characters such as "€" is accepted and encodes to 2,295 characters.
    fc.assert(
      fc.property(
        fc.oneof(runIdText, fc.string({ unit: "binary", minLength: 200, maxLength: 255 })),
        (runId) => {
          const request = requestFor(runId);
          if (request) expect(request.url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
        },
      ),
      { numRuns: 300, examples: [["€".repeat(255)]], endOnFailure: true },
    );
  });
});
