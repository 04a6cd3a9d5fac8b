// `npm run mutate` (not part of npm test): StrykerJS mutation testing of the pure core, src/core,
// against its tests, test/core, run in Node by vitest.mutate.config.ts. Reports go to
// coverage/mutation/ (git-ignored); concurrency 2 because the machines are shared.

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  mutate: ["src/core/**/*.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "coverage/mutation/index.html" },
  jsonReporter: { fileName: "coverage/mutation/mutation.json" },
  tempDirName: "coverage/.stryker-tmp",
  cleanTempDir: "always",
};
