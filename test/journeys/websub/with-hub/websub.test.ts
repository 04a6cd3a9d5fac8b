// WebSub end to end, in workerd with WEBSUB_HUB set to the local hub (test/global-setup.ts): feeds
// advertise the hub and themselves, and admin writes ping the hub, through the real delivery
// queue, for exactly the feeds they changed, after the response, with retries.

import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../../../src/worker/index.js";
import { runWebSubSchedule } from "../../../../src/worker/jobs/websub.js";
import type { Bindings } from "../../../../src/worker/services.js";
import type { HubPing } from "../../../mail-types.js";
import { admin, eventually, fixture, request, SITE, testServices } from "../../../worker/helpers.js";

const HUB = `${env.MAIL_TEST_HTTP}/hub`;

async function hubPings(): Promise<HubPing[]> {
  return (await fetch(`${env.MAIL_TEST_HTTP}/control/hub`)).json();
}

/** The three feed URLs of a collection path ("" for the site's). */
function topicsOf(...paths: string[]): string[] {
  return paths.flatMap((path) => ["feed.xml", "atom.xml", "feed.json"].map((file) => `${SITE}${path}/${file}`));
}

/** Every topic the hub accepted, sorted, one entry per acceptance. */
function accepted(pings: HubPing[]): string[] {
  return pings
    .filter((p) => p.status === 204)
    .flatMap((p) => p.fields["hub.url"] ?? [])
    .sort();
}

/** Waits until the hub has accepted pings for `expected` topics, and returns what it accepted. */
async function pingsFor(expected: string[]): Promise<string[]> {
  return eventually(async () => {
    const topics = accepted(await hubPings());
    expect(new Set(topics)).toEqual(new Set(expected));
    return topics;
  });
}

/**
 * A write that must ping nothing is followed by one that pings a marker topic: the queue delivers
 * in order, so once the marker arrived, anything the first write queued would have too.
 */
let markers = 0;

async function markerWrite(): Promise<string[]> {
  const tag = `marker-${++markers}`;
  expect((await admin("POST", "/api/articles", fixture({ tags: [tag], authors: ["Marker Writer"] }))).status).toBe(201);
  return topicsOf("", `/tags/${tag}`, "/authors/marker-writer");
}

let quiets = 0;

/**
 * Lets the pings of earlier tests' writes arrive, then forgets every ping: a marker write's pings
 * come after everything queued before it.
 */
async function quiet(): Promise<void> {
  await fetch(`${env.MAIL_TEST_HTTP}/control/hub`, { method: "DELETE" });
  const tag = `quiet-${++quiets}`;
  expect((await admin("POST", "/api/articles", fixture({ tags: [tag] }))).status).toBe(201);
  await eventually(async () => {
    expect(accepted(await hubPings())).toEqual(expect.arrayContaining(topicsOf(`/tags/${tag}`)));
  });
  await fetch(`${env.MAIL_TEST_HTTP}/control/hub`, { method: "DELETE" });
}

beforeEach(quiet);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("discovery", () => {
  beforeEach(async () => {
    const res = await admin("POST", "/api/articles", fixture({ tags: ["Discovery"], authors: ["Disco Writer"] }));
    expect(res.status).toBe(201);
  });

  for (const path of ["", "/tags/discovery", "/authors/disco-writer"]) {
    it(`advertises the hub and self in every format and in Link headers (${path || "site"})`, async () => {
      const rss = await request(`${path}/feed.xml`);
      const rssText = await rss.text();
      expect(rssText).toContain(`<atom:link href="${SITE}${path}/feed.xml" rel="self" type="application/rss+xml"/>`);
      expect(rssText).toContain(`<atom:link href="${HUB}" rel="hub"/>`);
      expect(rss.headers.get("link")).toBe(`<${HUB}>; rel="hub", <${SITE}${path}/feed.xml>; rel="self"`);

      const atom = await request(`${path}/atom.xml`);
      const atomText = await atom.text();
      expect(atomText).toContain(`<link rel="self" href="${SITE}${path}/atom.xml"/>`);
      expect(atomText).toContain(`<link rel="hub" href="${HUB}"/>`);
      expect(atom.headers.get("link")).toBe(`<${HUB}>; rel="hub", <${SITE}${path}/atom.xml>; rel="self"`);

      const json = await request(`${path}/feed.json`);
      const body = (await json.json()) as { feed_url: string; hubs: unknown };
      expect(body.feed_url).toBe(`${SITE}${path}/feed.json`);
      expect(body.hubs).toEqual([{ type: "WebSub", url: HUB }]);
      expect(json.headers.get("link")).toBe(`<${HUB}>; rel="hub", <${SITE}${path}/feed.json>; rel="self"`);
    });
  }

  it("advertises no hub on a page or a chosen size, which are never pinged; unknown parameters change nothing", async () => {
    const paged = await request("/atom.xml?limit=1");
    expect(paged.headers.get("link")).toBeNull();
    expect(await paged.text()).not.toContain('rel="hub"');
    const tracked = await request("/atom.xml?utm_source=x");
    expect(tracked.headers.get("link")).toBe(`<${HUB}>; rel="hub", <${SITE}/atom.xml>; rel="self"`);
  });

  it("answers HEAD and 304 with the Link header too", async () => {
    const head = await request("/feed.json", { method: "HEAD" });
    expect(head.headers.get("link")).toContain('rel="hub"');
    const etag = head.headers.get("etag") ?? "";
    const again = await request("/feed.json", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("link")).toContain('rel="hub"');
  });
});

describe("pings after writes", () => {
  it("pings exactly the feeds a create, an edit and a delete changed, each after the response", async () => {
    const article = fixture({ tags: ["Ping Alpha", "Ping Beta"], authors: ["Xena Ping"] });
    const created = await admin("POST", "/api/articles", article);
    expect(created.status).toBe(201);
    // The response came back before the queue delivered anything to the hub.
    expect(await hubPings()).toEqual([]);
    const first = await pingsFor(topicsOf("", "/tags/ping-alpha", "/tags/ping-beta", "/authors/xena-ping"));
    // Each topic once.
    expect(first).toEqual([...new Set(first)]);
    const pings = await hubPings();
    for (const ping of pings) {
      expect(ping.contentType).toBe("application/x-www-form-urlencoded");
      expect(ping.fields["hub.mode"]).toEqual(["publish"]);
    }

    await fetch(`${env.MAIL_TEST_HTTP}/control/hub`, { method: "DELETE" });
    const edited = await admin("PUT", `/api/articles/${article.slug}`, {
      ...article,
      tags: ["Ping Beta", "Ping Gamma"],
    });
    expect(edited.status).toBe(200);
    expect(await hubPings()).toEqual([]);
    // Alpha's feed lost the article, Gamma's gained it.
    const second = await pingsFor(
      topicsOf("", "/tags/ping-alpha", "/tags/ping-beta", "/tags/ping-gamma", "/authors/xena-ping"),
    );
    expect(second).toEqual([...new Set(second)]);

    await fetch(`${env.MAIL_TEST_HTTP}/control/hub`, { method: "DELETE" });
    const deleted = await admin("DELETE", `/api/articles/${article.slug}`);
    expect(deleted.status).toBe(204);
    expect(await hubPings()).toEqual([]);
    const third = await pingsFor(topicsOf("", "/tags/ping-beta", "/tags/ping-gamma", "/authors/xena-ping"));
    expect(third).toEqual([...new Set(third)]);
  });

  it("pings nothing for a PUT that changed nothing", async () => {
    const article = fixture({ tags: ["Same Again"] });
    expect((await admin("POST", "/api/articles", article)).status).toBe(201);
    await pingsFor(topicsOf("", "/tags/same-again", "/authors/dana-kim"));
    await fetch(`${env.MAIL_TEST_HTTP}/control/hub`, { method: "DELETE" });

    expect((await admin("PUT", `/api/articles/${article.slug}`, article)).status).toBe(200);
    const marker = await markerWrite();
    expect(await pingsFor(marker)).toEqual([...marker].sort());
  });

  it("pings nothing for drafts and scheduled articles, and pings when a published article becomes a draft", async () => {
    const draft = fixture({ tags: ["Draft Only"], draft: true });
    expect((await admin("POST", "/api/articles", draft)).status).toBe(201);
    const scheduled = fixture({ tags: ["Later Only"], date: "2099-01-01T00:00:00Z" });
    expect((await admin("POST", "/api/articles", scheduled)).status).toBe(201);
    const marker = await markerWrite();
    expect(await pingsFor(marker)).toEqual([...marker].sort());

    await fetch(`${env.MAIL_TEST_HTTP}/control/hub`, { method: "DELETE" });
    const published = fixture({ tags: ["Unpublished Later"], authors: ["Undo Writer"] });
    expect((await admin("POST", "/api/articles", published)).status).toBe(201);
    const topics = topicsOf("", "/tags/unpublished-later", "/authors/undo-writer");
    await pingsFor(topics);
    await fetch(`${env.MAIL_TEST_HTTP}/control/hub`, { method: "DELETE" });
    expect((await admin("PUT", `/api/articles/${published.slug}`, { ...published, draft: true })).status).toBe(200);
    expect(await pingsFor(topics)).toEqual([...topics].sort());
  });

  it("retries after the hub fails, ending with exactly one accepted ping per topic", async () => {
    await fetch(`${env.MAIL_TEST_HTTP}/control/hub-fail`, {
      method: "POST",
      body: JSON.stringify({ status: 500, times: 2 }),
    });
    const article = fixture({ tags: ["Retry Tag"], authors: ["Retry Writer"] });
    expect((await admin("POST", "/api/articles", article)).status).toBe(201);
    const topics = topicsOf("", "/tags/retry-tag", "/authors/retry-writer");
    expect(await pingsFor(topics)).toEqual([...topics].sort());
    const pings = await hubPings();
    expect(pings.map((p) => p.status)).toEqual([500, 500, 204]);
  });

  it("logs a ping the hub never took once its retries ran out", async () => {
    const errors = vi.spyOn(console, "error");
    await fetch(`${env.MAIL_TEST_HTTP}/control/hub-fail`, {
      method: "POST",
      body: JSON.stringify({ status: 503, times: 100 }),
    });
    const article = fixture({ tags: ["Never Taken"], authors: ["Lost Writer"] });
    expect((await admin("POST", "/api/articles", article)).status).toBe(201);
    const logged = await eventually(async () => {
      const line = errors.mock.calls.map((call) => String(call[0])).find((l) => l.includes("websub.gave-up"));
      expect(line).toBeDefined();
      return JSON.parse(line ?? "{}") as { topics: string[] };
    });
    expect(logged.topics.sort()).toEqual(topicsOf("", "/tags/never-taken", "/authors/lost-writer").sort());
    // The first try and the test configuration's three retries.
    expect((await hubPings()).map((p) => p.status)).toEqual([503, 503, 503, 503]);
  });
});

describe("the hourly run", () => {
  afterEach(async () => {
    // The runs below store a cut-off in 2030: the next test starts from none.
    await env.DB.prepare("DELETE FROM settings WHERE key = 'websub_pinged_until'").run();
  });

  it("runs with the Cron Trigger: an article whose time came since the previous run is pinged", async () => {
    const ctx = createExecutionContext();
    const cron = () =>
      worker.scheduled(
        createScheduledController({ scheduledTime: Date.now(), cron: "0 * * * *" }),
        env as Bindings,
        ctx,
      );
    await cron();
    const soon = fixture({
      tags: ["Soon Out"],
      authors: ["Soon Writer"],
      date: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await admin("POST", "/api/articles", soon)).status).toBe(201);
    // Its time comes without a write.
    await eventually(async () => expect((await request(`/articles/${soon.slug}`)).status).toBe(200));
    await cron();
    await waitOnExecutionContext(ctx);
    const topics = topicsOf("", "/tags/soon-out", "/authors/soon-writer");
    expect(await pingsFor(topics)).toEqual([...topics].sort());
  });

  it("pings for scheduled articles that came out since its previous run, once", async () => {
    const scheduled = fixture({
      tags: ["Came Out"],
      authors: ["Timed Writer"],
      date: "2030-01-01T00:10:00Z",
    });
    expect((await admin("POST", "/api/articles", scheduled)).status).toBe(201);
    const s = testServices();
    // The previous run: before its time, nothing to say.
    expect(await runWebSubSchedule(s, Date.parse("2030-01-01T00:00:00Z"))).toEqual({ articles: 0, pings: 0 });
    expect(await runWebSubSchedule(s, Date.parse("2030-01-01T01:00:00Z"))).toEqual({ articles: 1, pings: 1 });
    const topics = topicsOf("", "/tags/came-out", "/authors/timed-writer");
    expect(await pingsFor(topics)).toEqual([...topics].sort());
    // The next run has nothing new.
    expect(await runWebSubSchedule(s, Date.parse("2030-01-01T02:00:00Z"))).toEqual({ articles: 0, pings: 0 });
  });
});
