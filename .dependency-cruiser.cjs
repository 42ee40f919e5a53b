// The import rules `npm run lint` (and so `npm test`) checks with dependency-cruiser: no import circle anywhere,
// the pure core's stages in data-flow order (sheet -> requests -> engine -> jobs -> views, src/core/README.md),
// and which of src's folders may use which (core is pure, gas adapts Apps Script, app wires, main delegates).
// Type-only imports count: a type circle is still a circle to a reader, and a stage is what its types need too.
const CORE_STAGES = ["sheet", "requests", "engine", "jobs", "views"];

/** One rule per stage: it may import its own stage and earlier ones, never a later one. */
const stageRules = CORE_STAGES.slice(0, -1).map((stage, index) => ({
  name: `core-${stage}-before-${CORE_STAGES.slice(index + 1).join("-")}`,
  comment: `src/core/${stage} comes before ${CORE_STAGES.slice(index + 1).join(", ")} in the data flow: it may not import them (a later stage's function comes in through a parameter or a port of the engine).`,
  severity: "error",
  from: { path: `^src/core/${stage}/` },
  to: { path: `^src/core/(${CORE_STAGES.slice(index + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "An import circle: move the piece both files need into a file of its own, or to the file that owns it.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...stageRules,
    {
      name: "core-file-in-a-stage",
      comment:
        "Every file of src/core lives in one of its stage folders (src/core/README.md), so the stage rules see it.",
      severity: "error",
      from: {},
      to: { path: "^src/core/[^/]+$" },
    },
    {
      name: "core-file-in-a-stage-imports",
      comment:
        "Every file of src/core lives in one of its stage folders (src/core/README.md), so the stage rules see it.",
      severity: "error",
      from: { path: "^src/core/[^/]+$" },
      to: {},
    },
    {
      name: "core-is-pure",
      comment:
        "src/core imports only src/core and src/extend: no adapter, entry, UI, Node module or package.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { pathNot: "^src/(core|extend)/" },
    },
    {
      name: "extend-is-vocabulary",
      comment: "src/extend is the API's vocabulary, below everything: it imports only itself.",
      severity: "error",
      from: { path: "^src/extend/" },
      to: { pathNot: "^src/extend/" },
    },
    {
      name: "gas-adapts-only",
      comment:
        "src/gas adapts Apps Script services for the core: it may use src/core and src/extend, not the app or the UI.",
      severity: "error",
      from: { path: "^src/gas/" },
      to: { path: "^src/(app|ui|main\\.ts)" },
    },
    {
      name: "ui-below-app",
      comment:
        "src/ui (the menu and the sidebar's browser code) may use the core's contract, not the adapters or the app.",
      severity: "error",
      from: { path: "^src/ui/" },
      to: { path: "^src/(gas|app|main\\.ts)" },
    },
    {
      name: "nothing-imports-main",
      comment: "Nothing in src imports the entry file: Apps Script calls it (tests may read its exports).",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/main\\.ts$" },
    },
    {
      name: "main-only-delegates",
      comment: "src/main.ts only delegates to src/app and src/ui: one line per entry function.",
      severity: "error",
      from: { path: "^src/main\\.ts$" },
      to: { pathNot: "^src/(app|ui)/" },
    },
    {
      name: "src-stands-alone",
      comment:
        "src/ is bundled into the add-on from its own files: no package, Node module, dev tool, test or script.",
      severity: "error",
      from: { path: "^src/" },
      to: { pathNot: "^src/" },
    },
    {
      name: "tools-do-not-import-tests",
      comment:
        "dev/ and bench/ do not depend on test code (scripts/listing-assets.ts drives Chromium as the browser tests do).",
      severity: "error",
      from: { path: "^(src|dev|bench)/" },
      to: { path: "^test/" },
    },
    {
      name: "no-orphans",
      comment:
        "A module nothing imports and that imports nothing is dead, or is loaded by path (listed here).",
      severity: "error",
      from: {
        orphan: true,
        pathNot: [
          "\\.d\\.ts$",
          // Loaded by path, not imported: synckit's worker, the playground page's scripts (inlined by its server),
          // the baseline the bench runs.
          "^dev/gas-host/fetch-worker\\.mjs$",
          "^dev/playground/host-worker\\.mjs$",
          "^dev/playground/[^/]+\\.js$",
          "^bench/naive-baseline\\.js$",
        ],
      },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that does not resolve to a file or an installed package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    // Resolves TypeScript the way tsc does for tests and tools: "./x.js" names ./x.ts.
    tsConfig: { fileName: "tsconfig.node.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|coverage|node_modules)/" },
    // Packages that export subpaths (csv-parse/sync) resolve through their "exports" like Node's resolver.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
