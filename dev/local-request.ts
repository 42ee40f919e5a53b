// Whether a request to one of our local dev servers (the playground, the stand-in's control routes) really
// comes from this machine's own tools. Listening on 127.0.0.1 is not enough: any web page open in the
// developer's browser can post to a local port, and a DNS-rebound name can even read the answers. So the Host
// must name this server (127.0.0.1 or localhost, with its port), and an Origin, when a browser sends one, must
// be the server's own.
import type { IncomingMessage } from "node:http";

const LOCAL_NAMES = ["127.0.0.1", "localhost"];

/** The Host values that name a server on this port (a browser leaves out port 80). */
function localHosts(port: number): string[] {
  return LOCAL_NAMES.flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]));
}

/** The origins of pages this server itself serves. */
export function localOrigins(port: number): string[] {
  return LOCAL_NAMES.map((name) => (port === 80 ? `http://${name}` : `http://${name}:${port}`));
}

/**
 * Why a request must be refused (never echoing what it sent), or null when it names this server and, if it
 * says where it comes from, comes from this server's own pages. Tools such as Node's fetch send no Origin.
 */
export function foreignRequestReason(req: IncomingMessage, port: number): string | null {
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !localHosts(port).includes(host))
    return `only requests addressed to 127.0.0.1:${port} or localhost:${port} are accepted`;
  const origin = req.headers.origin;
  if (origin !== undefined && !localOrigins(port).includes(origin.toLowerCase()))
    return "requests from other web pages are not accepted";
  return null;
}

/** application/json, with or without parameters such as charset. */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers["content-type"] ?? "";
  return type.split(";")[0]?.trim().toLowerCase() === "application/json";
}
