// Ending a paused job from the sidebar (its End button), so that a job nobody wants to finish is not left for the
// next start to replace. Under the document lock, like every change of the job: it is logged as stopped, with who
// ended it, then removed. A job a step is driving now is not ended here (that step's end would bring it back):
// the person is told to pause it or wait. Rows it had not reached keep their values and their mark, which names a
// job that no longer exists; the next job plans them anew, as after a job replaced by another.
import { JOB_NOUN, type JobKind, jobIsActive, jobKind, jobView, leaseIsHeld } from "../core/engine/job";
import { counted } from "../core/views/count-words";
import type { EndedJob } from "../core/views/sidebar-api";
import { jobStore } from "../gas/properties";
import { writeRunLog } from "../gas/run-log";
import { activeUser, UserFacingError, withDocumentLock } from "./context";

/** What was not done of a job ended part-way, by kind. */
const NOT_DONE: Readonly<Record<JobKind, string>> = {
  update: "not sent",
  undo: "not put back",
  refresh: "not read",
  preview: "not compared",
  import: "not read",
};

/** Ends the paused job `jobId`; throws a UserFacingError when it is gone or a step is driving it now. */
export function endPausedJob(jobId: unknown, now = Date.now()): EndedJob {
  return withDocumentLock(() => {
    const job = jobStore.load();
    if (job?.status !== "running" || typeof jobId !== "string" || job.id !== jobId)
      throw new UserFacingError(
        "This job has already ended (it finished, or another editor ended or replaced it).",
      );
    const kind = jobKind(job);
    const noun = JOB_NOUN[kind];
    const by = activeUser();
    // A step holding the lease, or another person's window driving it between steps (moments ago): theirs to
    // pause. One's own job, driven last from here, is not running once its step has answered.
    const drivenElsewhere = jobIsActive(job, now) && (job.lastDrivenBy ?? job.startedBy) !== by;
    if (leaseIsHeld(job, now) || drivenElsewhere)
      throw new UserFacingError(
        `A step of this ${noun} is running now (in another window or for another editor), so it was not ended. Pause it there, or wait a minute, then end it.`,
      );
    writeRunLog(
      SpreadsheetApp.getActive(),
      { ...job, status: "stopped", stopReason: `ended by ${by} before it finished` },
      "stopped",
      now,
    );
    jobStore.remove();
    const view = jobView(job, now);
    const left =
      kind === "import"
        ? `Nothing more is imported; the ${counted(job.counts.imported, "run", "runs")} imported so far stay in the sheet "${job.sheetName}".`
        : `${counted(view.rowsLeft, kind === "undo" ? "run" : "row", kind === "undo" ? "runs" : "rows")} it had not reached ${view.rowsLeft === 1 ? "was" : "were"} ${NOT_DONE[kind]} and keep their values.`;
    return {
      kind,
      message: `The ${noun} was ended. ${left} The run log records who ended it and how far it got. Start it again whenever you like: every row is checked anew.`,
    };
  });
}
