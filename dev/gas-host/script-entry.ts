// The little script every execution runs in its vm context: it calls the entry function by name ("fn" or
// "obj.method") and leaves the outcome in a box the host reads, awaiting a returned Promise the way the
// microtask queue allows. With a virtual clock the context's Date is replaced so that new Date() and
// Date.now() read host time, while every Date stays a real Date (instanceof and the Date methods work).
import vm from "node:vm";

export const ENTRY_SCRIPT = new vm.Script(
  `(function () {
  var e = globalThis.__gasHostEntry;
  delete globalThis.__gasHostEntry;
  var parts = e.name.split("."), target = globalThis, owner = globalThis;
  for (var i = 0; i < parts.length; i++) {
    owner = target;
    target = target === null || target === undefined ? undefined : target[parts[i]];
  }
  if (typeof target !== "function") { e.box.notFound = true; return; }
  var result = target.apply(owner, e.args);
  if (result !== null && typeof result === "object" && typeof result.then === "function") {
    e.box.promise = true;
    result.then(
      function (value) { e.box.settled = true; e.box.value = value; },
      function (error) { e.box.settled = true; e.box.rejected = true; e.box.error = error; }
    );
  } else {
    e.box.value = result;
  }
})();`,
  { filename: "gas-host-entry.js" },
);

export interface EntryBox {
  notFound?: boolean;
  promise?: boolean;
  settled?: boolean;
  rejected?: boolean;
  value?: unknown;
  error?: unknown;
}

export const errorInfo = (error: unknown): { message: string; name: string; stack?: string } => {
  if (typeof error === "object" && error !== null && "message" in error) {
    const e = error as { message: unknown; name?: unknown; stack?: unknown };
    return {
      message: String(e.message),
      name: String(e.name ?? "Error"),
      ...(typeof e.stack === "string" ? { stack: e.stack } : {}),
    };
  }
  return { message: String(error), name: "Error" };
};

const VIRTUAL_DATE = new vm.Script(
  `(function (hostNow) {
  var RealDate = globalThis.Date;
  function VirtualDate() {
    if (new.target === undefined) return new RealDate(hostNow()).toString();
    var args = arguments.length === 0 ? [hostNow()] : Array.prototype.slice.call(arguments);
    return Reflect.construct(RealDate, args, new.target);
  }
  Object.defineProperty(VirtualDate, "name", { value: "Date" });
  VirtualDate.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, "constructor", { value: VirtualDate, writable: true, configurable: true });
  VirtualDate.now = function now() { return Math.floor(hostNow()); };
  VirtualDate.parse = RealDate.parse;
  VirtualDate.UTC = RealDate.UTC;
  Object.defineProperty(globalThis, "Date", { value: VirtualDate, writable: true, configurable: true });
})`,
  { filename: "gas-host-virtual-date.js" },
);

/** Makes the context's Date read `now` (call before anything captures the context's Date). */
export function installVirtualDate(context: vm.Context, now: () => number): void {
  (VIRTUAL_DATE.runInContext(context) as (hostNow: () => number) => void)(now);
}
