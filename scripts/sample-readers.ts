// Sample readers for the local database `npm run dev` serves, so the console has something to
// show from the first start: a dozen subscribers at reserved example domains (RFC 2606) in every
// status, their consent records, and the newest editions of the sample articles as the delivery
// step would have left them: rendered, mostly sent, one hard bounce (then suppressed), one
// complaint and one send whose retries ran out ("retry dead" sends it through the log mailer).
//
// Everything is written through the Worker's own stores and renderer, at chosen times: sign-ups
// over the last six weeks, the editions' ledger rows in the last three days. Written only into an
// audience that has never had anyone (no subscriber, no suppression), so a publisher's own local
// list is never touched and erased samples do not come back.

import { digestTimeZoneOrNull, parseDigestConfig, parseSiteConfig } from "../src/core/config.js";
import type { Preferences } from "../src/core/subscription.js";
import { type RenderSources, renderGroup, tagsKey } from "../src/worker/jobs/fanout.js";
import { ArchiveDays } from "../src/worker/store/archive.js";
import { ArticleStore } from "../src/worker/store/articles.js";
import { DeliveryStore } from "../src/worker/store/deliveries.js";
import { EditionStore } from "../src/worker/store/editions.js";
import { NameIndex, TAGS } from "../src/worker/store/names.js";
import { SubscriberStore } from "../src/worker/store/subscribers.js";
import { SuppressionStore } from "../src/worker/store/suppressions.js";
import { ContentVersion } from "../src/worker/store/version.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Fate = "active" | "pending" | "unsubscribed" | "bounce" | "complaint" | "dead";

interface Sample {
  email: string;
  frequency: "daily" | "weekly";
  /** How many of the site's most used tags they follow (0: everything). */
  tags: number;
  timeZone: string;
  sendHour: number;
  /** Days before the seed that they signed up. */
  daysAgo: number;
  fate: Fate;
}

// No one is due at 01:00 UTC, the hour the README's tour runs, so the tour's digest goes to the
// tour's reader alone.
const SAMPLES: Sample[] = [
  {
    email: "amina.seitkali@example.com",
    frequency: "daily",
    tags: 0,
    timeZone: "Asia/Almaty",
    sendHour: 8,
    daysAgo: 41,
    fate: "active",
  },
  {
    email: "daniyar@example.org",
    frequency: "daily",
    tags: 1,
    timeZone: "Asia/Almaty",
    sendHour: 18,
    daysAgo: 33,
    fate: "active",
  },
  {
    email: "elena.petrova@example.net",
    frequency: "weekly",
    tags: 0,
    timeZone: "Europe/Berlin",
    sendHour: 8,
    daysAgo: 27,
    fate: "active",
  },
  {
    email: "j.kim@example.com",
    frequency: "daily",
    tags: 2,
    timeZone: "America/New_York",
    sendHour: 7,
    daysAgo: 22,
    fate: "active",
  },
  {
    email: "olzhas.b@example.org",
    frequency: "daily",
    tags: 0,
    timeZone: "Asia/Almaty",
    sendHour: 9,
    daysAgo: 19,
    fate: "bounce",
  },
  {
    email: "laura.baker@example.org",
    frequency: "weekly",
    tags: 0,
    timeZone: "Europe/London",
    sendHour: 7,
    daysAgo: 16,
    fate: "active",
  },
  {
    email: "timur.akhmetov@example.com",
    frequency: "daily",
    tags: 0,
    timeZone: "Asia/Almaty",
    sendHour: 8,
    daysAgo: 14,
    fate: "unsubscribed",
  },
  {
    email: "zhanna@example.net",
    frequency: "daily",
    tags: 0,
    timeZone: "Asia/Almaty",
    sendHour: 12,
    daysAgo: 12,
    fate: "complaint",
  },
  {
    email: "marat.omarov@example.com",
    frequency: "daily",
    tags: 0,
    timeZone: "Asia/Tokyo",
    sendHour: 6,
    daysAgo: 9,
    fate: "active",
  },
  {
    email: "ivan.orlov@example.org",
    frequency: "daily",
    tags: 0,
    timeZone: "Europe/Moscow",
    sendHour: 9,
    daysAgo: 5,
    fate: "dead",
  },
  {
    email: "aruzhan@example.com",
    frequency: "daily",
    tags: 1,
    timeZone: "Australia/Sydney",
    sendHour: 7,
    daysAgo: 3,
    fate: "active",
  },
  {
    email: "saule.nurpeisova@example.net",
    frequency: "daily",
    tags: 0,
    timeZone: "Asia/Almaty",
    sendHour: 8,
    daysAgo: 0,
    fate: "pending",
  },
];

export interface SampleResult {
  subscribers: number;
  editions: string[];
}

/**
 * Writes the sample readers into `db` at `now` unless its audience has ever had anyone. Returns
 * what was written, or null when nothing was.
 */
export async function seedSampleReaders(
  db: D1Database,
  env: Record<string, unknown>,
  now: number,
): Promise<SampleResult | null> {
  let clock = now;
  const at = () => clock;
  const subscribers = new SubscriberStore(db, at);
  if (await subscribers.hadAudience()) return null;
  const suppressions = new SuppressionStore(db, at);
  const deliveries = new DeliveryStore(db, at);
  const editions = new EditionStore(db, at);
  const site = parseSiteConfig(env);
  const digest = parseDigestConfig(env);
  const archive = new ArchiveDays(db, () => digestTimeZoneOrNull(env));
  const sources: RenderSources = {
    site,
    digest,
    now: () => now,
    articles: new ArticleStore(db, new ContentVersion(db, at, ""), () => site.siteUrl, archive),
    tags: new NameIndex(db, TAGS),
  };
  const topTags = (await sources.tags.all(now, "count")).map((tag) => tag.slug);

  // Sign-ups, oldest first, each confirmed a few minutes after it was asked for.
  const ids = new Map<string, number>();
  for (const [i, sample] of SAMPLES.entries()) {
    clock = now - sample.daysAgo * DAY - (i + 1) * 37 * 60_000;
    const preferences: Preferences = {
      frequency: sample.frequency,
      tags: topTags.slice(0, sample.tags),
      timeZone: sample.timeZone,
      sendHour: sample.sendHour,
    };
    const outcome = await subscribers.request({
      email: sample.email,
      preferences,
      source: i % 3 === 0 ? "/" : i % 3 === 1 ? "/articles" : "/subscribe",
      ip: `192.0.2.${10 + i}`,
    });
    if (outcome.kind !== "send") throw new Error(`sample readers: ${sample.email} was not taken`);
    ids.set(sample.email, outcome.subscriberId);
    if (sample.fate === "pending") continue;
    clock += 4 * 60_000 + i * 23_000;
    await subscribers.confirm(outcome.subscriberId, outcome.nonce);
    if (sample.fate === "unsubscribed") {
      clock += 6 * DAY;
      await subscribers.unsubscribe(outcome.subscriberId);
    }
  }

  // The newest three days with articles and the newest week, each sent a day apart.
  const year = await archive.year(null, now, digest.timeZone);
  const newest = year.days.slice(0, 3).reverse();
  const planned = newest.map((day) => `daily/${day.day}`);
  const lastWeek = year.days[0]?.week;
  if (lastWeek) planned.push(`weekly/${lastWeek}`);
  const lastDaily = planned.filter((edition) => edition.startsWith("daily/")).at(-1);
  const sent: string[] = [];
  for (const [n, edition] of planned.entries()) {
    clock = now - (planned.length - n) * 18 * HOUR;
    const frequency = edition.startsWith("daily/") ? "daily" : "weekly";
    // The bounced and the complaining reader are suppressed after the first edition.
    const readers = SAMPLES.filter(
      (s) =>
        s.frequency === frequency &&
        (s.fate === "active" || s.fate === "dead" || (n === 0 && (s.fate === "bounce" || s.fate === "complaint"))),
    );
    const groups = new Map<string, Sample[]>();
    for (const reader of readers) {
      const key = tagsKey(topTags.slice(0, reader.tags));
      groups.set(key, [...(groups.get(key) ?? []), reader]);
    }
    const renders = await Promise.all([...groups.keys()].map((key) => renderGroup(sources, edition, key)));
    await editions.put(renders);
    const rows = renders.flatMap((render) =>
      render.articles === 0
        ? []
        : (groups.get(render.tagsKey) ?? []).map((reader) => ({
            subscriberId: ids.get(reader.email) ?? 0,
            tagsKey: render.tagsKey,
          })),
    );
    if (rows.length === 0) continue;
    const queued = await deliveries.enqueue(edition, rows);
    clock += 2 * 60_000;
    const claimed = await deliveries.claim(queued, 15 * 60_000);
    const fateOf = (id: number) => SAMPLES.find((s) => ids.get(s.email) === id)?.fate;
    const dead = claimed.filter((row) => edition === lastDaily && fateOf(row.subscriberId) === "dead");
    const bounced = claimed.filter((row) => fateOf(row.subscriberId) === "bounce");
    clock += 40_000;
    await deliveries.settle({
      sent: claimed
        .filter((row) => !dead.includes(row) && !bounced.includes(row))
        .map((row) => ({ id: row.id, providerId: `sample-${row.id}` })),
      failed: bounced.map((row) => ({
        id: row.id,
        error: "550 5.1.1 The email account that you tried to reach does not exist",
      })),
      released: dead.map((row) => ({ id: row.id, error: "421 4.7.0 Try again later, closing connection" })),
    });
    if (dead.length > 0) {
      clock += 3 * HOUR;
      await deliveries.markDead(
        dead.map((row) => row.id),
        "retries ran out",
      );
    }
    if (n === 0) {
      for (const reader of readers) {
        if (reader.fate !== "bounce" && reader.fate !== "complaint") continue;
        clock += 5 * 60_000;
        await suppressions.suppress(reader.email, reader.fate);
      }
    }
    sent.push(edition);
  }
  return { subscribers: SAMPLES.length, editions: sent };
}
