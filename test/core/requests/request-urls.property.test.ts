// Properties of run ids at the edge (fast-check): any run id the add-on sends reaches /workflow_runs/{that id}
// once the URL is resolved (no dot segments), and fits in a URL UrlFetchApp sends. (Defects the property tests
// exposed: "." and ".." were sent, and 255-character non-ASCII ids made URLs too long.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_URL_LENGTH } from "../../../dev/gas-host/url-fetch-limits";
import { planSync } from "../../../src/core/engine/plan";
import { buildUpdateRequest } from "../../../src/core/requests/request";
import { parseContext, runIdText } from "../arbitraries";

const CONNECTION = { baseUrl: "https://api.extend.ai", apiKey: "sk_property_key_0123" };

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
      if (request) expect(new URL(request.url).pathname).toBe(`/workflow_runs/${encodeURIComponent(runId)}`);
    }
  });

  it("every accepted run id gives a URL UrlFetchApp can send (at most 2,082 characters)", () => {
    // A run id of 255 characters such as "€" encodes to 2,295 characters.
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
