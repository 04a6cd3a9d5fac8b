// Projects: the pure core's tests run inside workerd; the Worker's run there too, each file in a
// workerd of its own with a fresh local D1, real queues and real local mail servers
// (test/global-setup.ts); the delivery tests run the same way once per
// mailer (the queue consumer reads MAILER from its bindings, so each mailer needs its own Worker),
// and the WebSub tests once with WEBSUB_HUB set to the local hub;
// the Node build scripts (content sync) run in Node against a real local D1 on disk.

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig, type Plugin, type TestProjectInlineConfiguration } from "vitest/config";
import { POSTMARK_TOKEN, RESEND_API_KEY, SMTP_PASS, SMTP_USER } from "./test/global-setup.js";
import type {} from "./test/validators-setup.js";

type Mailer = "log" | "smtp" | "resend" | "postmark";

// What the tools print about things tests do on purpose is dropped, so a green run stays quiet;
// anything else they say still shows:
// - wrangler reads the .dev.vars that `npm run dev` writes and says so once per test file (the
//   tests pin their own secrets, the bindings below);
// - Miniflare warns as a delivery goes to the dead-letter queue (the journey that exhausts its
//   retries, once per mailer);
// - workerd reports every outbound connection refused, even one the code catches (the test that
//   calls a provider on a closed port).
const EXPECTED_LOG = [
  /^Using secrets defined in \.dev\.vars$/,
  /\[mf:warn\S*\s+Moving message "\w+" on queue "edge-feeds-deliveries" to dead letter queue "edge-feeds-deliveries-dead"/,
];
const EXPECTED_RUNTIME_LOG = [
  /^exception = kj\/async-io-unix\.c\+\+:\d+: disconnected: connect\(\): Connection refused\n/,
  /^uncaught exception; (source = Uncaught \(in promise\); stack = Error|exception = \S+ disconnected: jsg\.Error): Network connection lost\.\n/,
];
const log = console.log;
console.log = (...args: unknown[]) => {
  if (args.length !== 1 || typeof args[0] !== "string" || !EXPECTED_LOG.some((line) => line.test(args[0] as string))) {
    log(...args);
  }
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: unknown, ...rest: never[]) =>
  typeof chunk === "string" && EXPECTED_RUNTIME_LOG.some((line) => line.test(chunk))
    ? true
    : write(chunk as string, ...rest)) as typeof process.stdout.write;

/**
 * Some dependencies (feed) end in a `//# sourceMappingURL=` naming a .map they do not ship, and Vite
 * prints an ENOENT stack trace for each; this drops such a comment, so a green run stays quiet.
 */
function skipMissingSourceMaps(): Plugin {
  return {
    name: "skip-missing-source-maps",
    enforce: "pre",
    async load(id) {
      // Vite's own version query (?v=hash) is the only one taken; ?raw and the like mean other loaders.
      const [file = "", query] = id.split("?", 2);
      if (!file.includes("/node_modules/") || !/\.[cm]?js$/.test(file) || (query && !/^v=\w+$/.test(query))) {
        return null;
      }
      const code = await readFile(file, "utf8");
      const comment = /\/\/# sourceMappingURL=(?!data:)(\S+)\s*$/.exec(code);
      if (!comment?.[1] || existsSync(resolve(dirname(file), comment[1]))) return null;
      return code.slice(0, comment.index);
    },
  };
}

/**
 * `import bytes from "…/file.csv?bytes"`: a fixture's exact bytes as a Uint8Array, for the core
 * tests in workerd, which have no file system (Vite's ?raw would decode them as UTF-8 first).
 */
function fixtureBytes(): Plugin {
  return {
    name: "fixture-bytes",
    enforce: "pre",
    async load(id) {
      const [file = "", query] = id.split("?", 2);
      if (query !== "bytes") return null;
      const base64 = (await readFile(file)).toString("base64");
      return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`;
    },
  };
}

/**
 * Dependencies pre-bundled for workerd: the CommonJS feed parser used in tests, so its require()s
 * resolve, and the Worker's many-module packages, which each test file's fresh workerd would
 * otherwise load module by module (about half of a file's start-up). Hono's JSX runtime stays
 * unbundled: the compiled .tsx imports it by a path the optimizer does not rewrite, and one copy of
 * it must serve both.
 */
const PREBUNDLED = [
  "@rowanmanning/feed-parser",
  "hono",
  "hono/http-exception",
  "hono/cors",
  "hono/validator",
  "hono/utils/http-status",
  "hono/router/pattern-router",
  "hono/factory",
  "yaml",
  "markdown-it",
  "htmlparser2",
  "valibot",
  "worker-mailer",
];

/**
 * A project whose tests run in workerd against the Worker with MAILER = `mailer`; `websub` sets
 * WEBSUB_HUB to the local hub (a project of its own, so other projects' feeds stay without it).
 */
function workerProject(
  name: string,
  mailer: Mailer,
  include: string[],
  websub = false,
): TestProjectInlineConfiguration {
  return {
    plugins: [
      skipMissingSourceMaps(),
      cloudflareTest(async ({ inject }) => {
        const mail = inject("mail");
        const apiBase = mailer === "resend" || mailer === "postmark" ? `${mail.httpBase}/${mailer}` : undefined;
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
              // What the queue consumer sends digests and confirmations with: "smtp" in the worker
              // project; a test that calls a mailer itself picks one with the settings below.
              MAILER: mailer,
              ...(apiBase ? { EMAIL_API_BASE: apiBase } : {}),
              SMTP_HOST: "127.0.0.1",
              SMTP_PORT: String(mail.smtpPort),
              SMTP_USER,
              SMTP_PASS,
              RESEND_API_KEY,
              POSTMARK_TOKEN,
              // Retries a second apart (then 2, 4 ...), not half a minute: the tests wait for them.
              MAIL_RETRY_DELAY: "1",
              MAIL_RATE: "1000",
              // Bounce and complaint webhooks: tests sign and authenticate with these.
              RESEND_WEBHOOK_SECRET: "whsec_dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTAxMjM0NTY=",
              POSTMARK_WEBHOOK_USER: "postmark-test",
              POSTMARK_WEBHOOK_PASS: "postmark-test-password-0123456789",
              MAIL_TEST_HTTP: mail.httpBase,
              ...(websub ? { WEBSUB_HUB: `${mail.httpBase}/hub` } : {}),
              VALIDATORS_TEST_HTTP: inject("validators"),
              MAIL_TEST_HANG_UP_PORT: String(mail.hangUpPort),
              MAIL_TEST_DROP_PORT: String(mail.dropPort),
              MAIL_TEST_SILENT_PORT: String(mail.silentPort),
              MAIL_TEST_CLOSED_PORT: String(mail.closedPort),
            },
            // A database of its own for the test that applies the migrations one by one.
            d1Databases: { MIGRATION_TEST_DB: "migration-test" },
            // wrangler.toml's consumers, with a shorter wait for a batch to fill and three
            // retries before the dead-letter queue.
            queueConsumers: {
              "edge-feeds-deliveries": {
                maxBatchSize: 10,
                maxBatchTimeout: 1,
                maxRetries: 3,
                deadLetterQueue: "edge-feeds-deliveries-dead",
              },
              "edge-feeds-deliveries-dead": { maxBatchSize: 10, maxBatchTimeout: 1 },
            },
          },
        };
      }),
    ],
    test: {
      name,
      deps: { optimizer: { ssr: { enabled: true, include: PREBUNDLED } } },
      include,
      setupFiles: ["test/worker/setup.ts"],
      globalSetup: ["test/global-setup.ts", "test/validators-setup.ts"],
      testTimeout: 60_000,
    },
  };
}

export default defineConfig({
  test: {
    // A passing test's logs (the Worker's JSON events) are dropped; a failing test's are shown.
    silent: "passed-only",
    // One file more than there are cores: the journeys spend seconds waiting on real retry and
    // batch timers, which another file's start-up fills (measured on 2 cores: 1 worker 574 s,
    // 3 workers 291 s, 4 workers 315 s).
    maxWorkers: availableParallelism() + 1,
    projects: [
      // The pure core's tests touch no storage and no binding, so the files share one workerd per
      // worker slot instead of starting one each (most of a small file's time).
      {
        plugins: [
          skipMissingSourceMaps(),
          fixtureBytes(),
          cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } }),
        ],
        test: {
          name: "core",
          deps: { optimizer: { ssr: { enabled: true, include: PREBUNDLED } } },
          include: ["test/core/**/*.test.ts"],
          isolate: false,
        },
      },
      workerProject("worker", "smtp", [
        "test/worker/**/*.test.{ts,tsx}",
        "test/journeys/**/*.test.ts",
        "!test/journeys/*/each-mailer/**",
        "!test/journeys/*/with-hub/**",
      ]),
      workerProject("websub", "log", ["test/journeys/*/with-hub/**/*.test.ts"], true),
      ...(["smtp", "resend", "postmark"] as const).map((mailer) =>
        workerProject(`delivery-${mailer}`, mailer, ["test/journeys/*/each-mailer/**/*.test.ts"]),
      ),
      {
        test: {
          name: "scripts",
          include: ["test/scripts/**/*.test.ts", "test/node/**/*.test.ts", "test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
