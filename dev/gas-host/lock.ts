// LockService across executions of one host. Executions run on one thread, so a lock held by an execution
// suspended further up the stack can never be released while another waits, so a busy lock's attempt fails once
// its timeout has passed. On a virtual clock that timeout passes in virtual time, as Google makes the caller wait
// for it; on a real clock it is answered at once (a test would only sit idle) unless realLockWaits asks for the
// real wait. A wait that would outlast the deadline kills the waiter on either clock.
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";

export const LOCK_TIMEOUT_MESSAGE = "Lock timeout: another process was holding the lock for too long.";

export type LockKind = "document" | "script" | "user";

/** Who holds which lock: an execution id, or any other owner name a test chooses. */
export class LockTable {
  private readonly holders = new Map<string, string>();

  static key(kind: LockKind, userEmail: string): string {
    return kind === "user" ? `user:${userEmail}` : kind;
  }

  holder(kind: LockKind, userEmail = ""): string | undefined {
    return this.holders.get(LockTable.key(kind, userEmail));
  }

  /** Makes the lock busy on behalf of something outside the host, e.g. another user's long execution. */
  hold(kind: LockKind, owner = "external", userEmail = ""): void {
    this.holders.set(LockTable.key(kind, userEmail), owner);
  }

  release(kind: LockKind, userEmail = ""): void {
    this.holders.delete(LockTable.key(kind, userEmail));
  }

  acquire(key: string, owner: string): boolean {
    const holder = this.holders.get(key);
    if (holder !== undefined && holder !== owner) return false;
    this.holders.set(key, owner);
    return true;
  }

  heldBy(key: string, owner: string): boolean {
    return this.holders.get(key) === owner;
  }

  releaseKey(key: string, owner: string): void {
    if (this.holders.get(key) === owner) this.holders.delete(key);
  }

  /** What Apps Script does when an execution ends, however it ends. */
  releaseAll(owner: string): void {
    for (const [key, holder] of this.holders) if (holder === owner) this.holders.delete(key);
  }
}

export interface LockOptions {
  realLockWaits: boolean;
}

const makeLock = (
  exec: Execution,
  table: LockTable,
  key: string,
  options: LockOptions,
): GoogleAppsScript.Lock.Lock => {
  const attempt = (method: string, timeoutInMillis: number): boolean => {
    if (typeof timeoutInMillis !== "number" || !Number.isFinite(timeoutInMillis)) {
      throw signatureError(`LockService.Lock.${method}`, [timeoutInMillis]);
    }
    if (table.acquire(key, exec.id)) return true;
    const wait = Math.max(0, timeoutInMillis);
    const waits = options.realLockWaits || exec.clock.mode === "virtual" || wait >= exec.remainingMs();
    // Past the deadline the execution dies while waiting (spend kills it).
    if (waits) exec.spend(wait, "lock");
    return table.acquire(key, exec.id);
  };
  return serviceObject(exec, "Lock", {
    tryLock: (timeoutInMillis: number) => attempt("tryLock", timeoutInMillis),
    waitLock: (timeoutInMillis: number) => {
      if (!attempt("waitLock", timeoutInMillis)) throw new GasException(LOCK_TIMEOUT_MESSAGE);
    },
    hasLock: () => table.heldBy(key, exec.id),
    releaseLock: () => table.releaseKey(key, exec.id),
  } satisfies GoogleAppsScript.Lock.Lock);
};

export const makeLockService = (
  exec: Execution,
  table: LockTable,
  options: LockOptions,
): GoogleAppsScript.Lock.LockService =>
  serviceObject(exec, "LockService", {
    getDocumentLock: () => makeLock(exec, table, LockTable.key("document", exec.userEmail), options),
    getScriptLock: () => makeLock(exec, table, LockTable.key("script", exec.userEmail), options),
    getUserLock: () => makeLock(exec, table, LockTable.key("user", exec.userEmail), options),
  } satisfies GoogleAppsScript.Lock.LockService);
