// Landed migrations are immutable: D1 records a migration by name once it has run, so an edit to one
// that a database already applied never runs there. Each landed file's SHA-256 is recorded below.

import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIR = "migrations";

/** Every migration in main, with the SHA-256 of its bytes. Add a line when a new migration lands. */
const LANDED: Record<string, string> = {
  "0001_articles.sql": "7e51f38e8eb7b5dc1c8a88b8c26964c4e37f6b2cafa2b7032cc8f9ec8c7b42ac",
  "0002_article_json.sql": "11c77cf887bbf96af0e2670c13abce839ebefd5c68bc54569c5ebfaa59385594",
  "0003_drop_article_json.sql": "dfb29fbe36bd97028b3a83a627485e4fb3e5f9aac90964c1e4def9175c38e658",
  "0004_subscribers.sql": "ad1889171937cfbdc14171c3ebf2785a3e81a825e0eac3f9fad2cbab678b0c75",
  "0005_deliveries.sql": "4253ff611ea44e9ba26845df4eb5dd2e8d91e5e826d76ae3daf67120b490a0ee",
  "0006_delivery_runs.sql": "ef3155510225c6e9c80a0a5f948881c02d7595fbd1aa82724e531602da5ee429",
  "0007_derived_counts.sql": "c0ad9c5822c0c351301e9b65397fb2515318537e7c99eb24b5881679118821eb",
  "0008_content_hashes.sql": "0ac801e160d9596a2446466233e4d08fc5f70b71c181b269b424c21bbbb53943",
  "0009_search.sql": "d519f5459fb79df6e30b2003ffbd832fc7de42e9572048e7f48ae6fd29c7cb7d",
  "0010_indexes.sql": "4628014ca28101380c876b446e9cf7d11331492b2e63691299ccf018b4d1560d",
  "0011_sitemaps.sql": "1bd58687372c7d3b99ce516167a0b6b5848a007db8bb0c09d12290ec3906ecf9",
  "0012_subscriber_identity.sql": "42c30a6e3c72f5f9938c4f90e56558fd86105b74f031e16b13ef98f073ec694c",
  "0013_delivery_editions.sql": "55dc7a313d3214d6171fc046e2e56bf6b553432ae37b73b386dc04dcee3b8ad0",
  "0014_image_bytes.sql": "56e78b1b3bbbb3c9e7f21610695d6618773d4d4b3e59d1f4048043d6b2fecf2e",
  "0015_console_figures.sql": "e6ecfd289b7d7aa9017d17e77bba92c8c5c2d806b054fe634c03fa0480a7ef94",
  "0016_outbox.sql": "45d74352cf5b4d2e7e91810f851dfc35f9fffd9f02a4546abc6ec84018d91165",
  "0017_article_drafts.sql": "2fec74f91b632b5ae56acd776184d8c479448e3e481b544d7997d09451f3ab91",
  "0018_article_aliases.sql": "0fa77f572be671ce299409e3552ae7aa6416653f3ae822117d3760a03b0635f7",
};

async function migrationFiles(): Promise<string[]> {
  return (await readdir(DIR)).filter((name) => name.endsWith(".sql")).sort();
}

async function sha256(name: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(join(DIR, name)))
    .digest("hex");
}

describe("migrations/", () => {
  it("keeps every landed migration byte for byte", async () => {
    const files = new Set(await migrationFiles());
    const problems: string[] = [];
    for (const [name, recorded] of Object.entries(LANDED)) {
      if (!files.has(name)) {
        problems.push(`${DIR}/${name} landed and is gone: restore it; a later migration undoes what it did.`);
      } else if ((await sha256(name)) !== recorded) {
        problems.push(
          `${DIR}/${name} changed after it landed: a database that already ran it never runs it again. ` +
            "Restore it and add a new migration with the change instead.",
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("has every migration recorded in this test", async () => {
    const problems: string[] = [];
    for (const name of await migrationFiles()) {
      if (!(name in LANDED)) {
        problems.push(
          `${DIR}/${name} is not recorded: add "${name}": "${await sha256(name)}" to LANDED in ` +
            "test/scripts/migrations.test.ts; from then on it must not change.",
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it("numbers the migrations 0001, 0002, ... with no gap and no number used twice", async () => {
    const numbers = (await migrationFiles()).map((name) => name.match(/^(\d{4})_[a-z0-9_]+\.sql$/)?.[1] ?? name);
    expect(numbers, "a new migration takes the next free number, NNNN_snake_case.sql").toEqual(
      numbers.map((_, i) => String(i + 1).padStart(4, "0")),
    );
  });
});
