// `npm run mutate` (not part of npm test): StrykerJS mutation testing of the pure core, src/core,
// against test/core, and of the send step and the delivery store (jobs/send.ts, store/deliveries.ts)
// against their Node tests on a real D1 (test/node/send.test.ts, deliveries-store.test.ts), all run
// in Node by vitest.mutate.config.ts. Reports go to coverage/mutation/ (git-ignored); concurrency 2
// because the machines are shared.

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  mutate: ["src/core/**/*.ts", "src/worker/jobs/send.ts", "src/worker/store/deliveries.ts"],
  coverageAnalysis: "perTest",
  concurrency: 2,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "coverage/mutation/index.html" },
  jsonReporter: { fileName: "coverage/mutation/mutation.json" },
  tempDirName: "coverage/.stryker-tmp",
  cleanTempDir: "always",
};
