// The sample readers `npm run dev` writes (scripts/sample-readers.ts), on a real D1 in Node: what
// the console shows of them, that they are written once and only into an audience that never had
// anyone, and that none of them is due at the hour the README's tour runs.

import { readFileSync } from "node:fs";
import { parse as parseToml } from "smol-toml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedSampleReaders } from "../../scripts/sample-readers.js";
import { articleFromJson } from "../../src/core/article.js";
import { dueHoursIn } from "../../src/core/digest/schedule.js";
import { ArchiveDays } from "../../src/worker/store/archive.js";
import { ArticleStore } from "../../src/worker/store/articles.js";
import { DashboardStore } from "../../src/worker/store/dashboard.js";
import { EditionStore } from "../../src/worker/store/editions.js";
import { SuppressionStore } from "../../src/worker/store/suppressions.js";
import { ContentVersion } from "../../src/worker/store/version.js";
import { openTestD1, type TestD1 } from "./d1.js";

const NOW = Date.UTC(2026, 11, 6, 9, 0, 0);
const SITE_URL = "http://127.0.0.1:8787";
// The [vars] `npm run dev` runs with, and its local address.
const VARS = (parseToml(readFileSync("wrangler.toml", "utf8")) as { vars: Record<string, unknown> }).vars;
const ENV = { ...VARS, SITE_URL, DIGEST_TZ: "Asia/Almaty" };

let d1: TestD1;

async function rows<T>(sql: string): Promise<T[]> {
  return (await d1.db.prepare(sql).all<T>()).results;
}

beforeAll(async () => {
  d1 = await openTestD1();
  const archive = new ArchiveDays(d1.db, () => ENV.DIGEST_TZ);
  const articles = new ArticleStore(d1.db, new ContentVersion(d1.db, () => NOW, ""), () => SITE_URL, archive);
  // Four days with articles in Almaty, Transit on each, and a Monday-to-Sunday week around the last.
  const days = ["2022-04-11", "2022-04-12", "2022-04-15", "2022-04-28"];
  await articles.sync(
    days.map((day, i) => ({
      article: articleFromJson(
        {
          title: `Story ${i + 1}`,
          slug: `story-${i + 1}`,
          date: `${day}T10:00:00+05:00`,
          tags: [{ name: "Transit" }, ...(i % 2 ? [{ name: "Culture" }] : [])],
          markdown: `Body of story ${i + 1}.`,
        },
        { siteUrl: SITE_URL },
      ),
      path: `content/story-${i + 1}.md`,
      hash: `h${i}`,
    })),
    [],
  );
});
afterAll(async () => {
  await d1.dispose();
});

describe("the sample readers", () => {
  beforeEach(async () => {
    await d1.clear();
  });

  it("give the console a list in every status and the newest editions as sent", async () => {
    const result = await seedSampleReaders(d1.db, ENV, NOW);
    expect(result).toEqual({
      subscribers: 12,
      editions: ["daily/2022-04-12", "daily/2022-04-15", "daily/2022-04-28", "weekly/2022-W17"],
    });
    const figures = await new DashboardStore(d1.db).figures(NOW);
    expect(figures.subscribers).toEqual({
      active: { daily: 6, weekly: 2 },
      pending: { daily: 1, weekly: 0 },
      unsubscribed: { daily: 1, weekly: 0 },
      suppressed: { daily: 2, weekly: 0 },
    });
    expect(figures.confirmed).toEqual({ days7: 2, days30: 9 });
    expect(figures.suppressed30).toEqual({ bounce: 1, complaint: 1 });
    // Every address is at a reserved example domain.
    const emails = await rows<{ email: string }>("SELECT email FROM subscribers");
    expect(emails.map((r) => r.email.split("@")[1]).every((d) => /^example\.(com|org|net)$/.test(d ?? ""))).toBe(true);
    const editions = await rows<Record<string, unknown>>(
      "SELECT edition, sent, failed, dead, queued, sending FROM delivery_editions ORDER BY starts_on",
    );
    expect(editions).toEqual([
      { edition: "daily/2022-04-12", sent: 7, failed: 1, dead: 0, queued: 0, sending: 0 },
      { edition: "daily/2022-04-15", sent: 6, failed: 0, dead: 0, queued: 0, sending: 0 },
      { edition: "weekly/2022-W17", sent: 2, failed: 0, dead: 0, queued: 0, sending: 0 },
      { edition: "daily/2022-04-28", sent: 5, failed: 0, dead: 1, queued: 0, sending: 0 },
    ]);
  });

  it("leave the dead send with a render, so the console's retry can send it", async () => {
    await seedSampleReaders(d1.db, ENV, NOW);
    const [dead] = await rows<{ edition: string; tags_key: string; last_error: string; email: string }>(
      `SELECT d.edition, d.tags_key, d.last_error, s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.status = 'dead'`,
    );
    expect(dead?.email).toBe("ivan.orlov@example.org");
    expect(dead?.last_error).toMatch(/^retries ran out/);
    const render = (await new EditionStore(d1.db, () => NOW).get(dead?.edition ?? "", [dead?.tags_key ?? ""])).get(
      dead?.tags_key ?? "",
    );
    expect(render?.articles).toBeGreaterThan(0);
    expect(render?.html).toContain("Story 4");
  });

  it("are written once: a second start changes nothing", async () => {
    await seedSampleReaders(d1.db, ENV, NOW);
    const before = await rows("SELECT id, status, updated_at FROM subscribers ORDER BY id");
    expect(await seedSampleReaders(d1.db, ENV, NOW + 60_000)).toBeNull();
    expect(await rows("SELECT id, status, updated_at FROM subscribers ORDER BY id")).toEqual(before);
  });

  it("are never written into a list that has had anyone, even one erased to a suppression", async () => {
    await new SuppressionStore(d1.db, () => NOW).suppress("gone@example.com", "bounce");
    expect(await seedSampleReaders(d1.db, ENV, NOW)).toBeNull();
    expect(await rows("SELECT id FROM subscribers")).toEqual([]);
    await d1.clear();
    await d1.db
      .prepare(
        `INSERT INTO subscribers (email, status, frequency, time_zone, send_hour, requested_at, source, updated_at)
         VALUES ('own@example.com', 'pending', 'daily', 'UTC', 7, 1, '/', 1)`,
      )
      .run();
    expect(await seedSampleReaders(d1.db, ENV, NOW)).toBeNull();
    expect(await rows<{ email: string }>("SELECT email FROM subscribers")).toEqual([{ email: "own@example.com" }]);
  });

  it("has no one due at 01:00 UTC on 12 January 2022, the hour the README's tour runs", async () => {
    await seedSampleReaders(d1.db, ENV, NOW);
    const active = await rows<{ email: string; time_zone: string; send_hour: number }>(
      "SELECT email, time_zone, send_hour FROM subscribers WHERE status = 'active'",
    );
    expect(active.length).toBe(8);
    const due = active.filter((s) =>
      dueHoursIn(s.time_zone, Date.UTC(2022, 0, 12, 1, 0, 0)).some((d) => d.hour === s.send_hour),
    );
    expect(due).toEqual([]);
  });
});
