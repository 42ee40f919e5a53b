// Unit tests for src/core/requests/secrets.ts: the key and any bearer token never survive in server or
// transport text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, scrubberFor } from "../../../src/core/requests/secrets";

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

  it("scrubs exactly as replacing every time did, for any text", () => {
    // The scrubber as it was before text without "bearer" or a key skipped the replacements.
    const reference = (secret: string) => {
      const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
      const pattern = new RegExp(
        [...new Set(forms)]
          .sort((a, b) => b.length - a.length)
          .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join("|"),
        "g",
      );
      return (text: string) =>
        text.replace(/\b(bearer)(\s+)[^\s"'<>,;)]+/gi, `$1$2${REDACTED}`).replace(pattern, REDACTED);
    };
    const secrets = fc.oneof(
      fc.constantFrom(KEY, "a.b.c.d.e.f", "Ünïcödé-kéy-😀", 'quote"back\\slash', "BEARER-key-1"),
      fc.string({ unit: "binary", minLength: 8, maxLength: 20 }),
    );
    fc.assert(
      fc.property(
        secrets,
        fc.array(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 12 }),
            fc.constantFrom("bearer ", "Bearer\t", "BEARER  x", "bEaReR", " bearer", "\n", '"', ","),
          ),
          { maxLength: 8 },
        ),
        fc.nat(7),
        (secret, pieces, at) => {
          const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
          const text = [...pieces.slice(0, at), forms[at % 3] ?? "", ...pieces.slice(at)].join("");
          expect(scrubberFor([secret])(text)).toBe(reference(secret)(text));
          expect(scrubberFor([secret])(pieces.join(""))).toBe(reference(secret)(pieces.join("")));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
