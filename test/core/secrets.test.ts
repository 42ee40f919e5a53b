// Unit tests for src/core/secrets.ts: the key and any bearer token never survive in server or transport text.
import { describe, expect, it } from "vitest";
import { REDACTED, scrubberFor } from "../../src/core/secrets";

const KEY = "sk_live_Abc+123/xyz=Q";
const scrub = scrubberFor([KEY]);

describe("scrubberFor", () => {
  it.each([
    [`bad key ${KEY}`, `bad key ${REDACTED}`],
    [`Authorization: Bearer ${KEY}`, `Authorization: Bearer ${REDACTED}`],
    [`authorization: bearer someOtherToken123, next`, `authorization: bearer ${REDACTED}, next`],
    [`{"key":"${JSON.stringify(KEY).slice(1, -1)}"}`, `{"key":"${REDACTED}"}`],
    [`url?key=${encodeURIComponent(KEY)}&x=1`, `url?key=${REDACTED}&x=1`],
    [`${KEY}${KEY}`, `${REDACTED}${REDACTED}`],
    ["nothing secret here", "nothing secret here"],
  ])("%j", (text, clean) => {
    expect(scrub(text)).toBe(clean);
    expect(scrub(text)).not.toContain(KEY);
  });

  it("treats the key as text, not as a pattern", () => {
    const dotted = scrubberFor(["a.b.c.d.e.f"]);
    expect(dotted("aXbXcXdXeXf a.b.c.d.e.f")).toBe(`aXbXcXdXeXf ${REDACTED}`);
  });

  it("ignores keys too short to be real, rather than scrubbing ordinary words", () => {
    expect(scrubberFor(["", undefined, "abc"])("abc def")).toBe("abc def");
  });
});
