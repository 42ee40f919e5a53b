// The host's one clock. "real": wall time (plus whatever a test advanced it by), and every wait really blocks
// the thread, as Apps Script's waits do. "virtual": simulated time that moves only when something costs time:
// a wait, a cost-model charge, a fetch's reported latency, and the CPU time the script itself burns (measured
// while an execution runs and no host service is doing the work), so a long sync simulates in minutes while
// the add-on's own Date.now() and time budget still see every millisecond it would have spent.

export type ClockMode = "real" | "virtual";

/**
 * CPU time this process has used, in ms. Script CPU is measured as CPU time, not wall time, so a busy machine
 * (benchmarks run two simulations side by side) does not make the simulated script slower.
 */
export const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Blocks the thread, as every Apps Script wait does. */
export const blockFor = (ms: number): void => {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

interface ExecutionFrame {
  /** Service calls of this execution in progress (their host-side work is not the script's CPU). */
  paused: number;
  /** Receives the script CPU accrued while this execution is the innermost one running. */
  onCpu: (ms: number) => void;
}

export class HostClock {
  readonly mode: ClockMode;
  private offsetMs = 0;
  private virtualMs: number;
  private readonly frames: ExecutionFrame[] = [];
  /** CPU time when script CPU was last accounted; undefined while none accrues. */
  private cpuMark: number | undefined;

  constructor(mode: ClockMode = "real", virtualStartMs = Date.now()) {
    this.mode = mode;
    this.virtualMs = virtualStartMs;
  }

  now(): number {
    if (this.mode === "real") return Date.now() + this.offsetMs;
    this.accrueCpu();
    return this.virtualMs;
  }

  /** Moves host time forward without waiting (tests, cache expiry); in virtual mode everything sees it. */
  advance(ms: number): void {
    if (ms <= 0) return;
    if (this.mode === "real") this.offsetMs += ms;
    else {
      this.accrueCpu();
      this.virtualMs += ms;
    }
  }

  /** Lets `ms` pass: a real blocking wait, or a jump of virtual time. */
  wait(ms: number): void {
    if (ms <= 0) return;
    if (this.mode === "real") blockFor(ms);
    else this.advance(ms);
  }

  /** An execution starts: from now its script's CPU is accounted to `onCpu` (and, virtually, passes time). */
  enterExecution(onCpu: (ms: number) => void): void {
    this.change(() => this.frames.push({ paused: 0, onCpu }));
  }

  exitExecution(): void {
    this.change(() => this.frames.pop());
  }

  /** A host service call starts: the host's own work is not the script's CPU (the cost model charges it). */
  pauseCpu(): void {
    this.change(() => {
      const frame = this.frames.at(-1);
      if (frame) frame.paused += 1;
    });
  }

  resumeCpu(): void {
    this.change(() => {
      const frame = this.frames.at(-1);
      if (frame) frame.paused -= 1;
    });
  }

  private change(update: () => void): void {
    this.accrueCpu();
    update();
    const frame = this.frames.at(-1);
    this.cpuMark = frame && frame.paused === 0 ? cpuNow() : undefined;
  }

  private accrueCpu(): void {
    if (this.cpuMark === undefined) return;
    const now = cpuNow();
    const spent = now - this.cpuMark;
    this.cpuMark = now;
    if (this.mode === "virtual") this.virtualMs += spent;
    this.frames.at(-1)?.onCpu(spent);
  }
}
