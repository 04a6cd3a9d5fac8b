// A real D1 for tests that run in Node (and so under StrykerJS, which cannot drive workerd): a
// local Miniflare's in-memory database with every migration applied, as test/worker/setup.ts
// applies them inside workerd. One per test file; tests clear the tables they use between them.

import { readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { Miniflare } from "miniflare";

export interface TestD1 {
  db: D1Database;
  /** Empties the delivery ledger, its counts, the renders, the subscribers and suppressions: one round trip. */
  clear(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openTestD1(): Promise<TestD1> {
  const mf = new Miniflare({ modules: true, script: "export default {}", d1Databases: { DB: "node-test" } });
  const db = (await mf.getD1Database("DB")) as unknown as D1Database;
  // readD1Migrations splits each file into statements the way wrangler does, triggers included.
  for (const migration of await readD1Migrations("migrations")) {
    await db.batch(migration.queries.map((query) => db.prepare(query)));
  }
  return {
    db,
    async clear() {
      await db.batch(
        [
          "DELETE FROM deliveries",
          "DELETE FROM delivery_editions",
          "DELETE FROM edition_renders",
          "DELETE FROM subscribers",
          "DELETE FROM suppressions",
          "DELETE FROM settings WHERE key = 'deliveries_pruned_before'",
        ].map((sql) => db.prepare(sql)),
      );
    },
    dispose: () => mf.dispose(),
  };
}
