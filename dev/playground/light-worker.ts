// The playground's second Apps Script host, in its own worker thread: runs the light calls a page makes while a
// long step blocks the main host thread (LIGHT_FUNCTIONS), each as an execution of the same built bundle, as
// Apps Script runs a page's google.script.run calls in parallel. Its document cache mirrors the main host's,
// change by change as the main thread forwards them; it has no sheet of its own, and these calls read none.
import { parentPort, workerData } from "node:worker_threads";
import { GasHost } from "../gas-host/index.js";
import { clientResult, type FromHost, LIGHT_FUNCTIONS, type ToLightHost } from "./protocol.js";

const port = parentPort;
if (!port) throw new Error("light-worker runs only as a worker thread");
const { entryFunctions } = workerData as { entryFunctions: string[] };
const allowed = new Set(entryFunctions.filter((name) => LIGHT_FUNCTIONS.has(name)));

const host = new GasHost({ timeZone: "Europe/Berlin" });

port.on("message", (message: ToLightHost) => {
  if (message.type === "cache") {
    host.caches.document.mirror(message.key, message.entry);
    return;
  }
  let result: FromHost;
  if (!allowed.has(message.functionName)) {
    result = { type: "result", id: message.id, killed: false, error: "not a light entry function" };
  } else {
    result = clientResult(message.id, () =>
      host.runFromClient(message.functionName, message.args, {
        ...(message.user ? { userEmail: message.user } : {}),
      }),
    );
  }
  port.postMessage(result);
});

port.postMessage({ type: "ready" } satisfies FromHost);
