// Two projects: the Worker and its pure core run inside workerd with a real local D1 and real
// local mail servers (test/global-setup.ts); the Node build scripts (content sync) run in Node
// against a real local D1 on disk.

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { POSTMARK_TOKEN, RESEND_API_KEY, SMTP_PASS, SMTP_USER } from "./test/global-setup.js";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(async ({ inject }) => {
            const mail = inject("mail");
            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations("migrations"),
                  SITE_URL: "https://news.example.com",
                  ADMIN_TOKEN: "test-admin-token-0123456789",
                  // The pool also reads .dev.vars, where `npm run dev` writes a random secret: tests
                  // pin their own, so they never depend on a developer's local file.
                  SIGNING_SECRET: "test-signing-secret-0123456789-abcdefghijklmnop",
                  // MAILER stays "log" (wrangler.toml): a test picks a real mailer with these.
                  SMTP_HOST: "127.0.0.1",
                  SMTP_PORT: String(mail.smtpPort),
                  SMTP_USER,
                  SMTP_PASS,
                  RESEND_API_KEY,
                  POSTMARK_TOKEN,
                  // Bounce and complaint webhooks: tests sign and authenticate with these.
                  RESEND_WEBHOOK_SECRET: "whsec_dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTAxMjM0NTY=",
                  POSTMARK_WEBHOOK_USER: "postmark-test",
                  POSTMARK_WEBHOOK_PASS: "postmark-test-password-0123456789",
                  MAIL_TEST_HTTP: mail.httpBase,
                  MAIL_TEST_HANG_UP_PORT: String(mail.hangUpPort),
                  MAIL_TEST_DROP_PORT: String(mail.dropPort),
                  MAIL_TEST_SILENT_PORT: String(mail.silentPort),
                  MAIL_TEST_CLOSED_PORT: String(mail.closedPort),
                },
              },
            };
          }),
        ],
        test: {
          name: "worker",
          // The CommonJS feed parser used in tests is pre-bundled, so its require()s resolve.
          deps: { optimizer: { ssr: { enabled: true, include: ["@rowanmanning/feed-parser"] } } },
          include: ["test/core/**/*.test.ts", "test/worker/**/*.test.{ts,tsx}"],
          setupFiles: ["test/worker/setup.ts"],
          globalSetup: ["test/global-setup.ts"],
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
