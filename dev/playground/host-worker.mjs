// Worker-thread entry of the playground's local Apps Script host: loads the TypeScript worker through tsx,
// since a worker thread does not inherit the loader the main thread was started with.
import { tsImport } from "tsx/esm/api";

await tsImport("./host-worker.ts", import.meta.url);
