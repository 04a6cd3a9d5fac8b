// Vitest for mutation testing only (`npm run mutate`, StrykerJS): the tests of the pure core, in
// Node. Stryker's vitest runner cannot drive the workerd pool of vitest.config.ts, and src/core
// needs neither workerd nor D1, so none of test/core imports cloudflare:*.

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/core/**/*.test.ts"],
    environment: "node",
  },
});
