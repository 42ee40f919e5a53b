// Worker-thread entry of the playground's light host (light-worker.ts), through tsx like host-worker.mjs.
import { tsImport } from "tsx/esm/api";

await tsImport("./light-worker.ts", import.meta.url);
