// The stand-in on a client's virtual clock. The local Apps Script host simulates time: it stamps every request
// with the virtual time it was sent, and takes from each answer how long the server would have taken. The
// stand-in then answers at once (so hours of traffic simulate in minutes), rate-limits by the stamped times,
// and reports its configured latency plus any `delay` fault instead of sleeping through them.
import type { IncomingMessage } from "node:http";
import { singleHeader } from "./http.js";

/** Request header set by the host: virtual ms since the epoch at which the request left. */
export const VIRTUAL_NOW_HEADER = "x-gas-host-virtual-now";
/** Response header read by the host: the latency, in ms, this answer stands for. */
export const SIMULATED_LATENCY_HEADER = "x-simulated-latency-ms";

/** The latest virtual time seen, for requests that come without a stamp (they must not turn time back). */
export class VirtualTimeline {
  private latest = 0;

  /** The request's virtual send time. */
  timeOf(req: IncomingMessage): number {
    const stamped = Number(singleHeader(req, VIRTUAL_NOW_HEADER));
    if (Number.isFinite(stamped) && stamped > 0) this.latest = Math.max(this.latest, stamped);
    return Number.isFinite(stamped) && stamped > 0 ? stamped : this.latest;
  }

  reset(): void {
    this.latest = 0;
  }
}
