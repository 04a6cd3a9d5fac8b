// Vitest for mutation testing only (`npm run mutate`, StrykerJS), in Node: Stryker's vitest runner
// cannot drive the workerd pool of vitest.config.ts. The tests of the pure core (test/core, which
// imports no cloudflare:*), and the Node tests of the send step and the delivery store, which run
// on a real D1 in a local Miniflare and the local Resend server (test/node/d1.ts, send.test.ts).

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/core/**/*.test.ts", "test/node/send.test.ts", "test/node/deliveries-store.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
