// Two projects: the Worker and its pure core run inside workerd with a real local D1;
// the Node build scripts (content sync) run in Node against a real local D1 on disk.

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("migrations"),
                SITE_URL: "https://news.example.com",
                ADMIN_TOKEN: "test-admin-token-0123456789",
                SIGNING_SECRET: "test-signing-secret-0123456789-abcdefghijklmnop",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          // The CommonJS feed parser used in tests is pre-bundled, so its require()s resolve.
          deps: { optimizer: { ssr: { enabled: true, include: ["@rowanmanning/feed-parser"] } } },
          include: ["test/core/**/*.test.ts", "test/worker/**/*.test.{ts,tsx}"],
          setupFiles: ["test/worker/setup.ts"],
        },
      },
      {
        test: {
          name: "scripts",
          include: ["test/scripts/**/*.test.ts", "test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
