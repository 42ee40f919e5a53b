// Removes the API key, and any bearer token, from text that came from a server or from the transport, before it
// is stored, shown or logged. Servers and proxies are not trusted to keep a request's credentials to themselves.

export type Scrub = (text: string) => string;

export const REDACTED = "[redacted]";
const BEARER_TOKEN = /\b(bearer)(\s+)[^\s"'<>,;)]+/gi;
/** Shorter "keys" would scrub ordinary words; no real key is this short. */
const MIN_SECRET_LENGTH = 8;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function scrubberFor(secrets: readonly (string | undefined)[]): Scrub {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  const pattern =
    forms.size === 0
      ? undefined
      : new RegExp(
          [...forms]
            .sort((a, b) => b.length - a.length)
            .map(escapeRegExp)
            .join("|"),
          "g",
        );
  // Either replacement needs "bearer" or a form of a key in the text: one search without case (finding more,
  // never less) lets text with neither, nearly all of it, through untouched and far sooner.
  const mayHold = new RegExp(["bearer", ...[...forms].map(escapeRegExp)].join("|"), "i");
  return (text) => {
    if (typeof text === "string" && !mayHold.test(text)) return text;
    const withoutTokens = text.replace(BEARER_TOKEN, `$1$2${REDACTED}`);
    return pattern ? withoutTokens.replace(pattern, REDACTED) : withoutTokens;
  };
}

/** Cuts text to at most `length` characters, an ellipsis marking the cut. */
export function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * Server text, made safe to keep: at most `length` characters, without the key or any bearer token. A key
 * standing where the text is cut must be found whole, so the scrub sees 10,000 characters more than are kept
 * (at least 20,000), and never the rest of a runaway text.
 */
export function fromServer(text: string, length: number, scrub: Scrub): string {
  return shorten(scrub(text.slice(0, Math.max(length + 10_000, 20_000))), length);
}

/** What an exception says, safe to show: without the key, a bearer token or a stack, and at most `length` long. */
export function exceptionText(error: unknown, scrub: Scrub, length: number): string {
  const text = error instanceof Error ? error.message : String(error);
  return scrub(text).slice(0, length);
}
