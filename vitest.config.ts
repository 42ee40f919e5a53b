// Test runner settings: every suite under test/, run against the built bundle (npm test builds first).
// Two groups run one after the other: test/dev/start.test.ts rebuilds dist/ (`npm start` builds), and the files
// that assert a refused `npm start` or `npm run playground` built nothing compare dist/Code.js's time before and
// after, which a rebuild in a parallel worker would change. Small files fill the first group beside it, so the
// wait between the groups stays short.
import { defineConfig } from "vitest/config";

const REBUILDS_DIST = ["test/dev/start.test.ts"];
const FIRST = [...REBUILDS_DIST, "test/core/**/*.test.ts", "test/build/**/*.test.ts", "test/ui/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one fewer than the CPUs: 1 on a 2-core machine. Most files wait on child processes,
    // sockets and Chromium, so 2 finish far sooner (measured: 148 s -> 91 s on four slow files; 3 gave 93 s).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "first", include: FIRST, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: { name: "then", include: ["test/**/*.test.ts"], exclude: FIRST, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
