// Bindings the test configuration adds to the Worker's own.

declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** An empty D1, for test/journeys/migrations/subscriber-identity.test.ts. */
    MIGRATION_TEST_DB: D1Database;
    ADMIN_TOKEN?: string;
    /** The local mail servers (test/global-setup.ts). */
    MAIL_TEST_HTTP: string;
    MAIL_TEST_HANG_UP_PORT: string;
    MAIL_TEST_DROP_PORT: string;
    MAIL_TEST_SILENT_PORT: string;
    MAIL_TEST_CLOSED_PORT: string;
    /** The local validators (test/validators-setup.ts). */
    VALIDATORS_TEST_HTTP: string;
  }
}
