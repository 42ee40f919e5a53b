// The sidebar's side of a long job (a sync, refresh, preview or import), as a state machine with its server
// calls and its clock injected, so it is tested without a browser. It starts a job, asks the person to confirm
// tag changes, the tag mode and a shortfall of today's web requests, then calls continueSyncJob again and again (one call in flight at most) until
// the job is done, pausing when asked, waiting out a lease another execution holds and retrying calls that
// failed on the way, with backoff. A call Google refuses because several Google accounts are signed in is not
// retried: it stops the loop at once, paused, with what to do. A step may run for minutes, so while its call is
// in flight the loop asks every LIVE_POLL_MS for the progress that step has published (a separate, light call;
// one at a time) and shows it; an answer that comes after the step's own, or is older than the one shown, is
// dropped.
import type {
  ContinueAnswer,
  EndedJob,
  JobView,
  LiveProgress,
  QuotaShortfall,
  Reply,
  StartAnswer,
  StartRequest,
  SyncProgress,
  TagMode,
  TagWarning,
} from "../../core/views/sidebar-api";
import {
  failureLine,
  figuresOf,
  isSignedInTwice,
  type ProgressFigures,
  SIGNED_IN_TWICE_ADVICE,
} from "./format";

/** What any start request carries for the loop: the token of a confirmation, and "replace the paused job". */
export interface Restartable {
  confirmToken?: string;
  replacePaused?: boolean;
}

export interface SyncRunner<R extends Restartable = StartRequest> {
  start(request: R): Promise<StartAnswer>;
  continue(jobId: string): Promise<ContinueAnswer>;
  /** Ends a paused job (logged as ended by the person); absent where the page offers no End. */
  end?(jobId: string): Promise<Reply<EndedJob>>;
  /**
   * The progress a running step has published so far: the job's with an id, else a job that started at most
   * `startedWithinMs` ago (while the start call, which names the job, has not answered yet).
   */
  progress?(jobId: string | null, startedWithinMs: number): Promise<LiveProgress | null>;
}

export interface LoopClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type SyncView =
  | { kind: "idle" }
  | { kind: "starting" }
  | {
      kind: "confirm";
      warnings: TagWarning[];
      rowsWithTagChanges: number;
      tagMode: TagMode;
      rowsNamingTags: number;
      quota?: QuotaShortfall;
    }
  | { kind: "paused-exists"; job: JobView }
  /** A sync this document has, found when the sidebar opened: offered to resume. */
  | { kind: "offer"; job: JobView }
  | {
      kind: "running";
      figures: ProgressFigures;
      pausing: boolean;
      note?: string;
      observedRowsPerSecond?: number;
    }
  | { kind: "paused"; figures: ProgressFigures }
  | { kind: "done"; progress: SyncProgress }
  /** The sync is no longer there: finished or replaced elsewhere (another editor, the menu). */
  | { kind: "gone" }
  /** A paused job the person ended with End. */
  | { kind: "ended"; ended: EndedJob }
  | { kind: "error"; message: string; jobId?: string; figures?: ProgressFigures };

/** Backoff for busy answers and failed calls: 2 s doubling to 15 s. */
export const FIRST_RETRY_MS = 2_000;
export const MAX_RETRY_MS = 15_000;
/** Failed calls in a row (a killed execution, a lost connection) before the sidebar stops and says so. */
export const MAX_FAILED_CALLS = 6;

/** How often the loop asks for a running step's progress (google.script.run allows 10 calls in flight). */
export const LIVE_POLL_MS = 2_000;

export function retryDelay(attempt: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt));
}

const isProgress = (answer: StartAnswer | ContinueAnswer): answer is SyncProgress => "jobId" in answer;

const failureText = (error: unknown): string => failureLine(error, "no answer");

export class SyncLoop<R extends Restartable = StartRequest> {
  private view: SyncView = { kind: "idle" };
  private request: R | undefined;
  private pauseRequested = false;
  private driving = false;
  /** A start call is in flight (its view may already show the job's first figures). */
  private launching = false;
  /** When the newest live progress shown was published (the server's clock), so an older one is dropped. */
  private livePublishedAt = Number.NEGATIVE_INFINITY;
  /** First figures and time seen by this sidebar, for the observed speed. */
  private baseline: { at: number; rowsDone: number } | undefined;

  /**
   * Shows an undo's confirmation (the History tab's), when a start without a token answers with one: an undo
   * asked for while a paused job existed, once the person chose to end that job. True when it was shown; the
   * sidebar replaces this (a method, so a loop of any request type takes it).
   */
  onUndoConfirmation(_answer: Extract<StartAnswer, { state: "confirm-undo" }>, _request: R): boolean {
    return false;
  }

  constructor(
    private readonly runner: SyncRunner<R>,
    private readonly clock: LoopClock,
    private readonly onChange: (view: SyncView) => void,
  ) {}

  get current(): SyncView {
    return this.view;
  }

  /** The start request the loop holds (the job the person last asked for), if any. */
  get requested(): R | undefined {
    return this.request;
  }

  get busy(): boolean {
    return this.driving || this.launching || this.view.kind === "starting";
  }

  private show(view: SyncView): void {
    this.view = view;
    this.onChange(view);
  }

  /**
   * A job was asked for (an undo, whose confirmation comes first) while another is unfinished: the other is
   * shown as "paused-exists" for `request`, so Resume, "End it and start…" and Cancel act as after a start.
   */
  unfinished(request: R, job: JobView): void {
    if (this.busy) return;
    this.request = request;
    this.pauseRequested = false;
    this.show({ kind: "paused-exists", job });
  }

  /** When the sidebar opens with an unfinished sync: offer it (a running one too, driven by someone else). */
  offer(job: JobView | null): void {
    if (job && !this.busy) this.show({ kind: "offer", job });
  }

  async start(request: R): Promise<void> {
    if (this.busy) return;
    this.request = request;
    this.pauseRequested = false;
    this.show({ kind: "starting" });
    let answer: StartAnswer;
    try {
      answer = await this.launch(request);
    } catch (error) {
      this.show({
        kind: "error",
        message: isSignedInTwice(error)
          ? `The sync could not start. ${SIGNED_IN_TWICE_ADVICE} Nothing was sent; start the sync there.`
          : `The sync could not start: Google did not answer (${failureText(error)}). Nothing was sent unless the Sync tab shows progress after you reopen the sidebar; try again.`,
      });
      return;
    }
    await this.handleStart(answer);
  }

  private async handleStart(answer: StartAnswer): Promise<void> {
    if (isProgress(answer)) return this.afterProgress(answer);
    switch (answer.state) {
      case "confirm":
        if (this.request) this.request = { ...this.request, confirmToken: answer.token };
        return this.show({
          kind: "confirm",
          warnings: answer.warnings,
          rowsWithTagChanges: answer.rowsWithTagChanges,
          tagMode: answer.tagMode,
          rowsNamingTags: answer.rowsNamingTags,
          ...(answer.quota ? { quota: answer.quota } : {}),
        });
      case "paused-exists":
        return this.show({ kind: "paused-exists", job: answer.job });
      case "confirm-undo":
        // Asked without a token (an undo started after ending a paused job): its confirmation comes first.
        if (this.request && this.request.confirmToken === undefined) {
          const request = this.request;
          this.show({ kind: "idle" });
          if (this.onUndoConfirmation(answer, request)) return;
        }
        // The token sent no longer names the records: the history changed after the confirmation was shown.
        return this.show({
          kind: "error",
          message:
            "The history changed after the confirmation was shown. Nothing was sent: open History and start the undo again.",
        });
      case "busy":
      case "error":
        return this.show({ kind: "error", message: answer.message });
    }
  }

  /** "Send" on the tag changes: start again with the token of exactly the changes shown. */
  async confirm(): Promise<void> {
    if (this.view.kind !== "confirm" || !this.request) return;
    const request = this.request;
    this.pauseRequested = false;
    this.show({ kind: "starting" });
    try {
      await this.handleStart(await this.launch(request));
    } catch (error) {
      this.show({
        kind: "error",
        message: isSignedInTwice(error)
          ? `The sync could not start. ${SIGNED_IN_TWICE_ADVICE} Nothing was sent; start the sync there.`
          : `The sync could not start (${failureText(error)}). Try again.`,
      });
    }
  }

  cancel(): void {
    if (this.view.kind === "confirm" || this.view.kind === "paused-exists" || this.view.kind === "offer")
      this.show({ kind: "idle" });
  }

  /** Start anew although a paused sync exists (the paused one is ended and logged as replaced). */
  async replace(): Promise<void> {
    if (this.view.kind !== "paused-exists" || !this.request) return;
    const { confirmToken: _token, ...request } = this.request;
    await this.start({ ...request, replacePaused: true } as R);
  }

  /** The start call, with the new job's progress shown while it runs (its id is not known until it answers). */
  private async launch(request: R): Promise<StartAnswer> {
    this.launching = true;
    const clickedAt = this.clock.now();
    try {
      return await this.watched(this.runner.start(request), () => [null, this.clock.now() - clickedAt]);
    } finally {
      this.launching = false;
    }
  }

  /**
   * Resolves as `step` does; until then asks for the progress it publishes, every LIVE_POLL_MS, one call at a
   * time, and shows each answer newer than what is shown, unless the step has answered meanwhile.
   */
  private watched<T>(step: Promise<T>, query: () => [string | null, number]): Promise<T> {
    const progress = this.runner.progress?.bind(this.runner);
    if (!progress) return step;
    let settled = false;
    const ended = step.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const poll = async () => {
      while (!settled) {
        await Promise.race([this.clock.sleep(LIVE_POLL_MS), ended]);
        if (settled) return;
        let live: LiveProgress | null;
        try {
          live = await progress(...query());
        } catch {
          // A failed light call changes nothing: the step's own answer is what counts.
          continue;
        }
        if (!settled && live) this.showLive(live);
      }
    };
    void poll();
    return step;
  }

  private showLive(live: LiveProgress): void {
    if (live.publishedAt <= this.livePublishedAt) return;
    const view = this.view;
    const shownJob = view.kind === "running" ? view.figures.jobId : undefined;
    if (view.kind !== "starting" && !(view.kind === "running" && shownJob === live.jobId)) return;
    this.livePublishedAt = live.publishedAt;
    this.running(figuresOf(live));
  }

  pause(): void {
    if (this.view.kind !== "running") return;
    this.pauseRequested = true;
    this.show({ ...this.view, pausing: true });
  }

  /** Resume the sync shown (paused here, offered on opening, or left after an error). */
  async resume(): Promise<void> {
    const { jobId, figures } = this.jobShown(true) ?? {};
    if (!jobId || this.driving) return;
    this.baseline = undefined;
    this.pauseRequested = false;
    await this.drive(jobId, figures);
  }

  /**
   * The unfinished job the view shows, paused here, offered on opening, or left after an error; with
   * `askedAnother`, also one found when another job was asked for (whose own choice is "end it and start").
   */
  private jobShown(askedAnother: boolean): { jobId: string; figures?: ProgressFigures } | undefined {
    const view = this.view;
    if (view.kind === "paused") return { jobId: view.figures.jobId, figures: view.figures };
    if (view.kind === "offer" || (askedAnother && view.kind === "paused-exists"))
      return { jobId: view.job.id, figures: figuresOf(view.job) };
    if (view.kind === "error" && view.jobId)
      return { jobId: view.jobId, ...(view.figures ? { figures: view.figures } : {}) };
    return undefined;
  }

  /** Whether this page can end a paused job (the sidebar can; the import dialog leaves it to the sidebar). */
  get canEnd(): boolean {
    return this.runner.end !== undefined;
  }

  /**
   * End the paused job shown (paused here, offered on opening, or left after an error): nothing more is sent.
   * A refusal (a step runs now elsewhere) or a failed call leaves the job as it was, shown with its message.
   */
  async end(): Promise<void> {
    const { jobId, figures } = this.jobShown(false) ?? {};
    if (!jobId || this.driving || !this.runner.end) return;
    let answer: Reply<EndedJob>;
    try {
      answer = await this.runner.end(jobId);
    } catch (error) {
      answer = { ok: false, message: `It could not be ended (${failureText(error)}), and is still paused.` };
    }
    if (answer.ok) this.show({ kind: "ended", ended: answer.value });
    else this.show({ kind: "error", message: answer.message, jobId, ...(figures ? { figures } : {}) });
  }

  /** A job paused until the person fixes something (a refused key): shown with its reason, offered to resume. */
  private held(progress: SyncProgress): void {
    this.show({
      kind: "error",
      message: progress.message ?? "",
      jobId: progress.jobId,
      figures: figuresOf(progress),
    });
  }

  private async afterProgress(progress: SyncProgress): Promise<void> {
    if (progress.held) return this.held(progress);
    if (progress.state !== "paused") return this.show({ kind: "done", progress });
    this.baseline = undefined;
    await this.drive(progress.jobId, figuresOf(progress));
  }

  private observe(figures: ProgressFigures): number | undefined {
    const now = this.clock.now();
    if (!this.baseline) {
      this.baseline = { at: now, rowsDone: figures.rowsDone };
      return undefined;
    }
    const seconds = (now - this.baseline.at) / 1000;
    const rows = figures.rowsDone - this.baseline.rowsDone;
    return seconds > 0 && rows > 0 ? rows / seconds : undefined;
  }

  private running(figures: ProgressFigures, note?: string): void {
    const observed = this.observe(figures);
    this.show({
      kind: "running",
      figures,
      pausing: this.pauseRequested,
      ...(note ? { note } : {}),
      ...(observed !== undefined ? { observedRowsPerSecond: observed } : {}),
    });
  }

  /** The loop: one continueSyncJob at a time until the sync ends, the person pauses, or calls keep failing. */
  private async drive(jobId: string, start: ProgressFigures | undefined): Promise<void> {
    this.driving = true;
    let figures: ProgressFigures = start ?? {
      jobId,
      kind: "update",
      listing: false,
      imported: 0,
      rowsToSend: 0,
      rowsLeft: 0,
      rowsDone: 0,
      sent: 0,
      updated: 0,
      failed: 0,
      rate: 0,
    };
    let busyAnswers = 0;
    let failedCalls = 0;
    this.running(figures);
    try {
      while (!this.pauseRequested) {
        let answer: ContinueAnswer;
        try {
          answer = await this.watched(this.runner.continue(jobId), () => [jobId, 0]);
        } catch (error) {
          if (isSignedInTwice(error)) {
            this.show({
              kind: "error",
              jobId,
              figures,
              message: `${SIGNED_IN_TWICE_ADVICE} The sync is paused safely: press Resume there (or here, once only that account is signed in).`,
            });
            return;
          }
          failedCalls += 1;
          if (failedCalls >= MAX_FAILED_CALLS) {
            this.show({
              kind: "error",
              jobId,
              figures,
              message: `The sidebar lost contact with the sync (${failureText(error)}). The sync is paused safely: press Resume to go on, or reopen the sidebar later.`,
            });
            return;
          }
          const wait = retryDelay(failedCalls - 1);
          this.running(
            figures,
            `A step did not answer (${failureText(error)}). Trying again in ${Math.round(wait / 1000)} s.`,
          );
          await this.clock.sleep(wait);
          continue;
        }
        failedCalls = 0;
        if (isProgress(answer)) {
          busyAnswers = 0;
          figures = figuresOf(answer);
          if (answer.held) {
            this.held(answer);
            return;
          }
          if (answer.state !== "paused") {
            this.show({ kind: "done", progress: answer });
            return;
          }
          this.running(figures);
          continue;
        }
        if (answer.state === "busy") {
          const wait = retryDelay(busyAnswers);
          busyAnswers += 1;
          this.running(
            figures,
            `Another execution is working on this sync (another editor, or a step Google stopped). Waiting ${Math.round(wait / 1000)} s for its turn.`,
          );
          await this.clock.sleep(wait);
          continue;
        }
        if (answer.state === "none") {
          this.show({ kind: "gone" });
          return;
        }
        this.show({ kind: "error", message: answer.message, jobId, figures });
        return;
      }
      this.show({ kind: "paused", figures });
    } finally {
      this.driving = false;
      this.pauseRequested = false;
    }
  }
}
