// The live progress of the document's running job (src/core/engine/live.ts) in the document cache: shared by
// the document's editors, so every sidebar open on it sees the same figures, cheap to read (~3 ms a get), and
// allowed to lose an entry (the saved job is the truth). One entry: a document runs one job at a time.
import { type LiveProgress, parseLiveProgress } from "../core/engine/live";

const KEY = "extendSync.liveProgress";
/** Longer than any execution (6 min), so a step's last figures outlive it until the next step publishes. */
const EXPIRY_SECONDS = 900;

export const progressCache = {
  publish(view: LiveProgress): void {
    CacheService.getDocumentCache()?.put(KEY, JSON.stringify(view), EXPIRY_SECONDS);
  },
  /** The job's live progress; without an id, the document's running job's, whichever it is. */
  read(jobId?: string): LiveProgress | null {
    const view = parseLiveProgress(CacheService.getDocumentCache()?.get(KEY));
    if (!view || (jobId !== undefined && view.jobId !== jobId)) return null;
    return view;
  },
};
