// Counts and archive days kept on write: the home page's tag cloud, OPML and the digest archive
// follow every create, update, delete and content sync, and scheduled articles join them when
// their time comes, without a write. DIGEST_TZ is Asia/Almaty (UTC+6) in wrangler.toml.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { articleFromJson } from "../../../src/core/article.js";
import { admin, fixture, isolate, request, SITE, TOKEN, testServices } from "../../worker/helpers.js";

/** The home page's tag cloud: slug -> "Name (count)". */
async function cloud(): Promise<Map<string, string>> {
  const html = await (await request("/")).text();
  const tags = new Map<string, string>();
  for (const m of html.matchAll(/<a href="\/tags\/([a-z0-9-]+)">([^<]*) <span class="meta">\((\d+)\)<\/span>/g)) {
    tags.set(m[1] ?? "", `${m[2]} (${m[3]})`);
  }
  return tags;
}

/** The archive page's days: "2022-01-10" -> count, and its year links. */
async function archive(path = "/digests"): Promise<{ status: number; days: Map<string, number>; years: string[] }> {
  const res = await request(path);
  const html = await res.text();
  const days = new Map<string, number>();
  for (const m of html.matchAll(
    /href="\/digests\/daily\/([0-9-]+)"><time datetime="[0-9-]+">[^<]*<\/time><\/a> <span class="meta">\((\d+) articles?\)/g,
  )) {
    days.set(m[1] ?? "", Number(m[2]));
  }
  const years = [...html.matchAll(/href="\/digests\/(\d{4})"/g)].map((m) => m[1] ?? "");
  return { status: res.status, days, years };
}

const post = async (body: Record<string, unknown>) =>
  expect((await admin("POST", "/api/articles", body)).status).toBe(201);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("tag and author counts", () => {
  it("follow creates, updates that change tags, deletes and drafts", async () => {
    await post(fixture({ slug: "count-a", tags: ["Harbour"], authors: ["Ayan Counts"], date: "2021-03-01T09:00:00Z" }));
    await post(fixture({ slug: "count-b", tags: ["Harbour", "Rail"], date: "2021-03-02T09:00:00Z" }));
    expect((await cloud()).get("harbour")).toBe("Harbour (2)");
    expect((await cloud()).get("rail")).toBe("Rail (1)");

    // Retagged: Rail loses it, Bridges gains it, and the newest spelling names the tag.
    const update = fixture({ slug: "count-b", tags: ["HARBOUR", "Bridges"], date: "2021-03-02T09:00:00Z" });
    expect((await admin("PUT", "/api/articles/count-b", update)).status).toBe(200);
    let tags = await cloud();
    expect(tags.get("harbour")).toBe("HARBOUR (2)");
    expect(tags.get("bridges")).toBe("Bridges (1)");
    expect(tags.has("rail")).toBe(false);

    // Deleting the newest article gives the name back to the one before.
    expect((await admin("DELETE", "/api/articles/count-b")).status).toBe(204);
    tags = await cloud();
    expect(tags.get("harbour")).toBe("Harbour (1)");
    expect(tags.has("bridges")).toBe(false);

    // A draft is not counted, and an article made a draft leaves the counts.
    await post(fixture({ slug: "count-draft", tags: ["Harbour"], draft: true }));
    expect((await cloud()).get("harbour")).toBe("Harbour (1)");
    const drafted = fixture({ slug: "count-a", tags: ["Harbour"], authors: ["Ayan Counts"], draft: true });
    expect((await admin("PUT", "/api/articles/count-a", drafted)).status).toBe(200);
    expect((await cloud()).has("harbour")).toBe(false);
    expect(await (await request("/feeds.opml")).text()).not.toContain("Ayan Counts");
  });

  it("follow a content sync's upserts and deletions", async () => {
    const articles = testServices().articles;
    const build = (slug: string, tags: string[]) =>
      articleFromJson(
        { slug, title: slug, date: "2021-05-01T09:00:00Z", authors: ["Sync Writer"], tags, markdown: "Body." },
        { siteUrl: SITE },
      );
    await articles.sync(
      [
        { article: build("synced-one", ["Ferries"]), path: "content/synced-one.md", hash: "1" },
        { article: build("synced-two", ["Ferries"]), path: "content/synced-two.md", hash: "2" },
      ],
      [],
    );
    expect((await cloud()).get("ferries")).toBe("Ferries (2)");
    expect(await (await request("/feeds.opml")).text()).toContain("Sync Writer");
    await articles.sync(
      [{ article: build("synced-two", ["Trams"]), path: "content/synced-two.md", hash: "3" }],
      ["synced-one"],
    );
    const tags = await cloud();
    expect(tags.has("ferries")).toBe(false);
    expect(tags.get("trams")).toBe("Trams (1)");
  });

  it("take in a scheduled article when its time comes, without a write", async () => {
    await post(
      fixture({ slug: "spelled-now", tags: ["Steppe"], authors: ["Present Writer"], date: "2021-06-01T09:00:00Z" }),
    );
    const due = Date.now() + 1500;
    await post(
      fixture({
        slug: "spelled-later",
        tags: ["STEPPE", "Later Tag"],
        authors: ["Later Writer"],
        date: new Date(due).toISOString(),
      }),
    );
    let tags = await cloud();
    expect(tags.get("steppe")).toBe("Steppe (1)");
    expect(tags.has("later-tag")).toBe(false);
    const opml = await (await request("/feeds.opml")).text();
    expect(opml).not.toContain("Later Writer");
    expect(opml).not.toContain("Later Tag");

    await wait(Math.max(0, due - Date.now()) + 300);
    tags = await cloud();
    expect(tags.get("steppe")).toBe("STEPPE (2)");
    expect(tags.get("later-tag")).toBe("Later Tag (1)");
    expect(await (await request("/feeds.opml")).text()).toContain("Later Writer");
  });
});

describe("the digest archive's days", () => {
  it("follow creates, moves and deletes, by local day and ISO week", async () => {
    // 2019-01-07T23:30:00Z is 05:30 on 2019-01-08 in Almaty.
    await post(fixture({ slug: "day-one", date: "2019-01-07T23:30:00Z" }));
    await post(fixture({ slug: "day-two", date: "2019-01-08T10:00:00+06:00" }));
    let page = await archive("/digests/2019");
    expect(page.days).toEqual(new Map([["2019-01-08", 2]]));

    // Moved a day back: both days are right, and week 2019-W02 holds both.
    const moved = fixture({ slug: "day-two", date: "2019-01-07T10:00:00+06:00" });
    expect((await admin("PUT", "/api/articles/day-two", moved)).status).toBe(200);
    page = await archive("/digests/2019");
    expect(page.days).toEqual(
      new Map([
        ["2019-01-08", 1],
        ["2019-01-07", 1],
      ]),
    );
    expect(await (await request("/digests/2019")).text()).toContain('href="/digests/weekly/2019-W02"');

    // A create that meets an existing slug changes nothing.
    const clash = await admin("POST", "/api/articles", fixture({ slug: "day-two", date: "2019-03-01T10:00:00Z" }));
    expect(clash.status).toBe(409);
    expect((await archive("/digests/2019")).days.size).toBe(2);

    expect((await admin("DELETE", "/api/articles/day-one")).status).toBe(204);
    expect(await archive("/digests/2019")).toMatchObject({ days: new Map([["2019-01-07", 1]]) });
    expect((await admin("DELETE", "/api/articles/day-two")).status).toBe(204);
    expect((await archive("/digests/2019")).status).toBe(404);
  });

  it("page by year: the newest year at /digests, links to the others, 404 for a year without articles", async () => {
    await post(fixture({ slug: "year-2017", date: "2017-05-05T10:00:00+06:00" }));
    await post(fixture({ slug: "year-2018", date: "2018-06-06T10:00:00+06:00" }));
    const y2017 = await archive("/digests/2017");
    expect(y2017.status).toBe(200);
    expect(y2017.days).toEqual(new Map([["2017-05-05", 1]]));
    expect(y2017.years).toContain("2018");
    const y2018 = await archive("/digests/2018");
    expect(y2018.days).toEqual(new Map([["2018-06-06", 1]]));
    expect(y2018.years).toContain("2017");
    expect((await archive("/digests/1999")).status).toBe(404);
    const newest = await archive("/digests");
    expect(newest.status).toBe(200);
    expect(newest.years).toEqual(expect.arrayContaining(["2017", "2018"]));
    expect([...newest.days.keys()].every((d) => d > "2018-12-31")).toBe(true);
  });

  it("leave out scheduled articles, and the day in progress even once they have come out", async () => {
    await post(fixture({ slug: "far-future", date: "2100-01-01T10:00:00+06:00" }));
    const due = Date.now() + 1500;
    await post(fixture({ slug: "archive-soon", date: new Date(due).toISOString() }));
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Almaty" }).format(due);
    const year = today.slice(0, 4);
    const before = await archive(`/digests/${year}`);
    expect(before.days.has(today)).toBe(false);
    expect(before.years).not.toContain("2100");
    expect((await archive("/digests/2100")).status).toBe(404);

    // Public now, but its day has no edition until it ends (the archive lists finished days).
    await wait(Math.max(0, due - Date.now()) + 300);
    const after = await archive(`/digests/${year}`);
    expect(after.days.has(today)).toBe(false);
    expect((await archive("/digests/2100")).status).toBe(404);
  });

  it("are rebuilt in another DIGEST_TZ, and again when it changes back", async () => {
    // 02:00 on 2016-02-10 in Almaty is 15:00 on 2016-02-09 in New York.
    await post(fixture({ slug: "zoned", date: "2016-02-10T02:00:00+06:00" }));
    const newYork = isolate({ DIGEST_TZ: "America/New_York" });
    const there = await (await newYork.fetch("/digests/2016")).text();
    expect(there).toContain('href="/digests/daily/2016-02-09"');
    expect(there).not.toContain('href="/digests/daily/2016-02-10"');
    // A write made under the other zone still leaves the archive right in this one.
    await post(fixture({ slug: "zoned-two", date: "2016-02-11T02:00:00+06:00" }));
    const back = await archive("/digests/2016");
    expect(back.days).toEqual(
      new Map([
        ["2016-02-11", 1],
        ["2016-02-10", 1],
      ]),
    );
    const zone = await env.DB.prepare("SELECT zone FROM archive_zone").first<{ zone: string }>();
    expect(zone?.zone).toBe("Asia/Almaty");
  });

  it("take a write under an invalid DIGEST_TZ (the write succeeds) and are rebuilt by the next archive read", async () => {
    const broken = isolate({ DIGEST_TZ: "Mars/Olympus" });
    const res = await broken.fetch("/api/articles", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(fixture({ slug: "written-on-mars", date: "2015-07-04T23:00:00Z" })),
    });
    expect(res.status).toBe(201);
    // 23:00 UTC on 4 July is 5 July in Almaty.
    expect((await archive("/digests/2015")).days).toEqual(new Map([["2015-07-05", 1]]));
  });

  it("are built on the first archive read of a database that had articles before the table", async () => {
    await post(fixture({ slug: "before-the-table", date: "2014-03-03T10:00:00+06:00" }));
    await env.DB.batch([env.DB.prepare("DELETE FROM archive_days"), env.DB.prepare("DELETE FROM archive_zone")]);
    expect((await archive("/digests/2014")).days).toEqual(new Map([["2014-03-03", 1]]));
    const zone = await env.DB.prepare("SELECT zone FROM archive_zone").first<{ zone: string }>();
    expect(zone?.zone).toBe("Asia/Almaty");
  });
});
