// Unit tests for dev/gas-host/interleave.ts: drivers whose executions run at the same time, one preempting
// another before a service call; a systematic exploration of single preemptions finds a lost update that a
// read-modify-write outside a lock allows, and none under the lock; seeded schedules repeat themselves.
import { describe, expect, it } from "vitest";
import {
  countingCalls,
  type Driver,
  type ExecutionResult,
  GasHost,
  interleave,
  NO_PREEMPTION,
  preemptAt,
  seededPreemptions,
} from "../../dev/gas-host/index.js";

const script = `
  function bump() {
    var props = PropertiesService.getScriptProperties();
    var n = Number(props.getProperty("n") || 0);
    props.setProperty("n", String(n + 1));
    return n + 1;
  }
  function bumpLocked() {
    var lock = LockService.getScriptLock();
    if (!lock.tryLock(1000)) return "busy";
    try { return bump(); } finally { lock.releaseLock(); }
  }
  function who() { return Session.getActiveUser().getEmail(); }`;

/** A driver that runs `name` `times` times, `gapMs` apart, and keeps what each returned. */
function repeating(host: GasHost, name: string, times: number, seen: unknown[], gapMs = 0): Driver {
  return (function* () {
    for (let i = 0; i < times; i++) {
      const result: ExecutionResult | undefined = yield { run: () => host.run(name) };
      seen.push(result?.returned);
      if (gapMs > 0) yield { waitMs: gapMs };
    }
  })();
}

describe("interleave", () => {
  it("runs every driver's executions to their end, each alone, without preemption", () => {
    const host = new GasHost({ scriptCode: script });
    const seen: unknown[] = [];
    const record = interleave(
      host,
      { a: repeating(host, "bump", 2, seen), b: repeating(host, "bump", 2, seen) },
      NO_PREEMPTION,
    );
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(record).toMatchObject({ preemptions: 0, maxDepth: 1 });
    expect(record.executions.map((execution) => execution.driver)).toEqual(["a", "a", "b", "b"]);
  });

  it("finds the lost update of a read-modify-write outside a lock by preempting at each call in turn", () => {
    const baseline = countingCalls(NO_PREEMPTION);
    const first = new GasHost({ scriptCode: script });
    interleave(first, { a: repeating(first, "bump", 1, []), b: repeating(first, "bump", 1, []) }, baseline);
    // a's calls, then b's: preempting at one of a's calls nests b inside a.
    const totals: string[] = [];
    for (let k = 1; k <= baseline.calls.length; k++) {
      const host = new GasHost({ scriptCode: script });
      const record = interleave(
        host,
        { a: repeating(host, "bump", 1, []), b: repeating(host, "bump", 1, []) },
        preemptAt(k),
      );
      totals.push(`${k}:${host.scriptProperties.get("n")}:${record.maxDepth}`);
    }
    // b nested before a's setProperty (call 3), after a read n: a's write then undoes b's.
    expect(totals).toEqual(["1:2:2", "2:2:2", "3:1:2", "4:2:1", "5:2:1", "6:2:1"]);
  });

  it("loses no update under the lock: the nested execution is refused the lock its preempted holder keeps", () => {
    const baseline = countingCalls(NO_PREEMPTION);
    const first = new GasHost({ scriptCode: script });
    interleave(
      first,
      { a: repeating(first, "bumpLocked", 1, []), b: repeating(first, "bumpLocked", 1, []) },
      baseline,
    );
    for (let k = 1; k <= baseline.calls.length; k++) {
      const host = new GasHost({ scriptCode: script, clock: "virtual" });
      const seen: unknown[] = [];
      interleave(
        host,
        { a: repeating(host, "bumpLocked", 1, seen), b: repeating(host, "bumpLocked", 1, seen) },
        preemptAt(k),
      );
      const n = Number(host.scriptProperties.get("n"));
      // Each bump either happened or said "busy"; none is lost.
      expect(n, `preempted at call ${k}`).toBe(seen.filter((value) => value !== "busy").length);
      expect(n, `preempted at call ${k}`).toBeGreaterThan(0);
    }
  });

  it("lets a nested execution be preempted by a third, and stops nesting at the depth asked", () => {
    const host = new GasHost({ scriptCode: script });
    const drivers = {
      a: repeating(host, "bump", 3, []),
      b: repeating(host, "bump", 3, []),
      c: repeating(host, "bump", 3, []),
    };
    const record = interleave(host, drivers, seededPreemptions(7, 1, 3));
    expect(record.maxDepth).toBe(3);
    expect(record.executions).toHaveLength(9);
    expect(record.executions.every((execution) => execution.depth <= 3)).toBe(true);
    expect(record.preemptions).toBeGreaterThan(0);
  });

  it("repeats a seeded schedule exactly", () => {
    const run = () => {
      const host = new GasHost({ scriptCode: script });
      const record = interleave(
        host,
        { a: repeating(host, "bump", 4, []), b: repeating(host, "bump", 4, []) },
        seededPreemptions(42, 0.3),
      );
      return [
        host.scriptProperties.get("n"),
        record.executions.map((e) => `${e.driver}${e.depth}`).join(","),
      ];
    };
    expect(run()).toEqual(run());
  });

  it("moves host time on to the first waiting driver's turn, and runs each driver as its own user", () => {
    const host = new GasHost({ scriptCode: script, clock: "virtual", virtualStartMs: 0 });
    const users: unknown[] = [];
    const asUser = (email: string): Driver =>
      (function* () {
        yield { waitMs: email === "late@example.com" ? 60_000 : 0 };
        const result = yield { run: () => host.run("who", [], { userEmail: email }) };
        users.push(result?.returned);
      })();
    interleave(host, { early: asUser("early@example.com"), late: asUser("late@example.com") }, NO_PREEMPTION);
    expect(users).toEqual(["early@example.com", "late@example.com"]);
    expect(host.clock.now()).toBeGreaterThanOrEqual(60_000);
  });

  it("holds an execution up before a call: its clock jumps, and past its deadline it is killed there", () => {
    const host = new GasHost({ scriptCode: script, clock: "virtual", virtualStartMs: 0 });
    const seen: unknown[] = [];
    const holdUpBeforeWrite = (ms: number) => ({
      ...NO_PREEMPTION,
      holdUpMs: (call: { key: string }) => (call.key === "Properties.setProperty" ? ms : 0),
    });
    interleave(host, { a: repeating(host, "bump", 1, seen) }, holdUpBeforeWrite(5_000));
    expect(seen).toEqual([1]);
    expect(host.clock.now()).toBeGreaterThanOrEqual(5_000);
    const killed = interleave(
      host,
      {
        a: (function* () {
          const result = yield { run: () => host.run("bump", [], { executionLimitMs: 1_000 }) };
          seen.push(result?.killed);
        })(),
      },
      holdUpBeforeWrite(5_000),
    );
    expect(seen).toEqual([1, true]);
    expect(killed.executions[0]?.result.killed).toBe(true);
    expect(host.scriptProperties.get("n")).toBe("1");
  });
});
