// The console's articles pages: the list by status and its pages, the editor (draft, publish now,
// schedule, an edit that is the API's PUT), bad fields shown by their inputs, an article from
// content/ shown read-only, the preview, delete with its confirmation, and the 404s.

import { describe, expect, it } from "vitest";
import { consoleSession as session } from "../console.js";
import { admin, contentVersion, fixture, request, SITE, stored, testServices } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

const get = (path: string, cookie: string) => request(path, { headers: { cookie }, redirect: "manual" });

const post = (path: string, cookie: string, fields: Record<string, string>, origin = SITE) =>
  request(path, {
    method: "POST",
    headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });

/** A complete editor form for a new article. */
const form = (overrides: Record<string, string> = {}): Record<string, string> => ({
  title: "Tram line opens",
  slug: "",
  date: "2022-02-01T15:00",
  authors: "Dana Kim, Lee Park",
  tags: "Transit, City Hall",
  summary: "",
  image: "",
  image_alt: "",
  format: "markdown",
  body: "The **new** tram line opened.",
  action: "draft",
  ...overrides,
});

/** The slugs of the articles a list page links to, in order. */
const listed = (html: string) =>
  parsePage(html)
    .links.map((l) => /^\/admin\/articles\/([^/]+)\/edit$/.exec(l)?.[1])
    .filter((slug): slug is string => slug !== undefined);

/** Hour and minute of an instant on Almaty's clock (DIGEST_TZ), as Intl reads it. */
const almaty = (ms: number) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Almaty",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(ms);

describe("the articles pages", () => {
  it("ask a signed-out visitor to sign in, for every page and form", async () => {
    for (const path of ["/admin/articles", "/admin/articles/new", "/admin/articles/anything/edit"]) {
      const res = await request(path, { redirect: "manual" });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toMatch(/^\/admin\/login\?next=/);
    }
    const res = await post("/admin/articles/new", "", form({ slug: "signed-out" }));
    expect(res.status).toBe(303);
    expect(await stored("signed-out")).toBeNull();
  });

  it("list each status on its own, newest first, 50 to a page", async () => {
    const cookie = await session();
    const s = testServices();
    // Scheduled far ahead, so these 51 are the newest scheduled articles whatever else exists.
    const slugs: string[] = [];
    for (let i = 0; i < 51; i++) {
      const slug = `paged-${String(i).padStart(2, "0")}`;
      slugs.push(slug);
      const day = String(1 + (i % 28)).padStart(2, "0");
      const month = String(1 + Math.floor(i / 28)).padStart(2, "0");
      expect(
        (await admin("POST", "/api/articles", fixture({ slug, date: `9000-${month}-${day}T09:00:00Z` }))).status,
      ).toBe(201);
    }
    const newestFirst = [...slugs].reverse();
    const first = await get("/admin/articles?status=scheduled", cookie);
    expect(first.status).toBe(200);
    const firstHtml = await first.text();
    expect(await htmlProblems(firstHtml)).toEqual([]);
    expect(listed(firstHtml)).toEqual(newestFirst.slice(0, 50));
    const next = /<a href="([^"]+)" rel="next">/.exec(firstHtml)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toMatch(/^\/admin\/articles\?status=scheduled&cursor=/);
    const second = await get(next ?? "", cookie);
    expect(second.status).toBe(200);
    expect(listed(await second.text())[0]).toBe(newestFirst[50]);

    // A draft and a published article: each under its own status only.
    await s.articles.put(
      (await import("../../../src/core/article.js")).articleFromJson(fixture({ slug: "listed-draft", draft: true }), {
        siteUrl: SITE,
      }),
    );
    expect((await admin("POST", "/api/articles", fixture({ slug: "listed-published" }))).status).toBe(201);
    const pages = Object.fromEntries(
      await Promise.all(
        ["published", "scheduled", "draft"].map(async (status) => {
          const res = await get(`/admin/articles?status=${status}`, cookie);
          expect(res.status, status).toBe(200);
          return [status, listed(await res.text())] as const;
        }),
      ),
    );
    expect(pages.draft).toContain("listed-draft");
    expect(pages.published).not.toContain("listed-draft");
    expect(pages.scheduled).not.toContain("listed-draft");
    expect(pages.published).toContain("listed-published");
    expect(pages.draft).not.toContain("listed-published");
    expect(pages.scheduled).not.toContain("listed-published");
    expect(pages.published).not.toContain("paged-00");
    // No status is the published list.
    expect(listed(await (await get("/admin/articles", cookie)).text())).toEqual(pages.published);
    for (const bad of ["/admin/articles?status=all", "/admin/articles?status=draft&cursor=nope"]) {
      const res = await get(bad, cookie);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
  });

  it("save a new article as a draft: stored, shown nowhere public", async () => {
    const cookie = await session();
    const res = await post("/admin/articles/new", cookie, form({ title: "A quiet draft", slug: "quiet-draft" }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/articles/quiet-draft/edit?saved=draft");
    const article = await stored("quiet-draft");
    expect(article?.draft).toBe(true);
    expect(article?.authors.map((a) => a.name)).toEqual(["Dana Kim", "Lee Park"]);
    expect(article?.tags.map((t) => t.name)).toEqual(["Transit", "City Hall"]);
    // The form's date is Almaty's wall clock: 15:00 there is 09:00 UTC.
    expect(article?.publishedAt).toBe(Date.parse("2022-02-01T09:00:00Z"));
    expect(article?.contentHtml).toContain("<strong>new</strong>");
    expect((await request("/articles/quiet-draft")).status).toBe(404);

    const page = await get("/admin/articles/quiet-draft/edit?saved=draft", cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(parsePage(html).text).toContain("Saved as a draft");
  });

  it("publish now: the article is on the home page and in the feed at once", async () => {
    const cookie = await session();
    // A date in the future is not kept by "Publish now": it goes out now.
    const res = await post(
      "/admin/articles/new",
      cookie,
      form({
        title: "Published from the console",
        slug: "console-published",
        date: "2999-01-01T10:00",
        action: "publish",
      }),
    );
    expect(res.status).toBe(303);
    const article = await stored("console-published");
    expect(article?.draft).toBe(false);
    expect(article?.publishedAt).toBeLessThanOrEqual(Date.now());
    expect(await (await request("/")).text()).toContain("/articles/console-published");
    expect(await (await request("/feed.xml")).text()).toContain("Published from the console");
  });

  it("schedule: stored for its time in the site's zone, not on the home page before it", async () => {
    const cookie = await session();
    const res = await post(
      "/admin/articles/new",
      cookie,
      form({
        title: "Scheduled from the console",
        slug: "console-scheduled",
        date: "9500-06-01T10:30",
        action: "schedule",
      }),
    );
    expect(res.status).toBe(303);
    const article = await stored("console-scheduled");
    expect(article?.draft).toBe(false);
    const at = article?.publishedAt ?? 0;
    expect(almaty(at)).toBe("01/06/9500, 10:30");
    expect(await (await request("/")).text()).not.toContain("/articles/console-scheduled");
    expect((await request("/articles/console-scheduled")).status).toBe(404);
    // Public from its time on, without another write.
    const articles = testServices().articles;
    expect(await articles.get("console-scheduled", at - 1)).toBeNull();
    expect((await articles.get("console-scheduled", at))?.title).toBe("Scheduled from the console");
    expect(listed(await (await get("/admin/articles?status=scheduled", cookie)).text())).toContain("console-scheduled");

    // A time already past cannot be scheduled; nothing is stored.
    const past = await post("/admin/articles/new", cookie, form({ slug: "scheduled-past", action: "schedule" }));
    expect(past.status).toBe(400);
    const date = parsePage(await past.text()).forms[0]?.fields.find((f) => f.name === "date");
    expect(date?.description).toContain("after now");
    expect(await stored("scheduled-past")).toBeNull();
  });

  it("edit an article as a PUT of the same fields would: the same stored article, the same version bump", async () => {
    const cookie = await session();
    const original = {
      title: "Before the edit",
      date: "2022-02-03T10:00:00+06:00",
      authors: [{ name: "Dana Kim", email: "dana@example.org", url: "https://example.org/dana" }, "Lee Park"],
      tags: ["Transit"],
      image: { url: "https://cdn.example.org/tram.png", alt: "A tram", width: 800, height: 600 },
      lang: "en",
      markdown: "The first version.",
    };
    for (const slug of ["edited-console", "edited-api"]) {
      expect((await admin("POST", "/api/articles", { ...original, slug })).status).toBe(201);
    }
    const editor = parsePage(await (await get("/admin/articles/edited-console/edit", cookie)).text());
    const shown = Object.fromEntries(editor.forms[0]?.fields.map((f) => [f.name, f.value]) ?? []);
    expect(shown.date).toBe("2022-02-03T10:00");
    expect(shown.authors).toBe("Dana Kim, Lee Park");
    expect(editor.forms[0]?.buttons).toEqual(["Save draft", "Publish now", "Schedule", "Preview"]);

    const before = await contentVersion();
    const edited = await post("/admin/articles/edited-console/edit", cookie, {
      title: "After the edit",
      date: "2022-02-03T10:00",
      authors: "Dana Kim, Lee Park",
      tags: "Transit, Parks",
      summary: "",
      image: "https://cdn.example.org/tram.png",
      image_alt: "A tram at dusk",
      format: "markdown",
      body: "The second version.",
      action: "publish",
    });
    expect(edited.status).toBe(303);
    expect(edited.headers.get("location")).toBe("/admin/articles/edited-console/edit?saved=published");
    const byConsole = (await contentVersion()) - before;

    const api = (await (await request("/api/articles/edited-api")).json()) as Record<string, unknown>;
    const put = {
      ...api,
      content_html: undefined,
      summary: undefined,
      title: "After the edit",
      tags: ["Transit", "Parks"],
      image: { url: "https://cdn.example.org/tram.png", alt: "A tram at dusk", width: 800, height: 600 },
      markdown: "The second version.",
    };
    const between = await contentVersion();
    expect((await admin("PUT", "/api/articles/edited-api", put)).status).toBe(200);
    const byApi = (await contentVersion()) - between;

    expect(byConsole).toBe(1);
    expect(byApi).toBe(byConsole);
    const strip = (a: Awaited<ReturnType<typeof stored>>) => {
      if (!a) throw new Error("not stored");
      const { id: _id, slug: _slug, url: _url, ...rest } = a;
      return rest;
    };
    const viaConsole = strip(await stored("edited-console"));
    expect(viaConsole.authors[0]).toEqual({
      name: "Dana Kim",
      slug: "dana-kim",
      email: "dana@example.org",
      url: "https://example.org/dana",
    });
    expect(viaConsole).toEqual(strip(await stored("edited-api")));
  });

  it("show each bad field next to its input (400) and store nothing", async () => {
    const cookie = await session();
    const res = await post(
      "/admin/articles/new",
      cookie,
      form({
        slug: "Not A Slug",
        title: "",
        date: "2022-02-30T10:00",
        tags: "x".repeat(101),
        image: "https://cdn.example.org/a.png",
        image_alt: "",
        action: "publish",
      }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const fields = parsePage(html).forms[0]?.fields ?? [];
    const described = (name: string) => fields.find((f) => f.name === name)?.description ?? "";
    expect(described("title")).toContain("Must not be empty");
    expect(described("slug")).not.toBe("");
    expect(described("date")).toContain("Must be a date and time like 2022-01-10T16:00");
    expect(described("tags")).toContain("at most 100 characters");
    expect(described("image_alt")).toContain("Is required with an image");
    expect(described("body")).toBe("");
    // What was typed is shown again.
    expect(fields.find((f) => f.name === "slug")?.value).toBe("Not A Slug");
    expect(await stored("not-a-slug")).toBeNull();

    // An edit with a bad field leaves the article as it was.
    expect((await admin("POST", "/api/articles", fixture({ slug: "kept-as-it-was", title: "Kept" }))).status).toBe(201);
    const version = await contentVersion();
    const bad = await post("/admin/articles/kept-as-it-was/edit", cookie, form({ title: "", action: "publish" }));
    expect(bad.status).toBe(400);
    expect((await stored("kept-as-it-was"))?.title).toBe("Kept");
    expect(await contentVersion()).toBe(version);

    // A slug another article has.
    const taken = await post("/admin/articles/new", cookie, form({ slug: "kept-as-it-was" }));
    expect(taken.status).toBe(400);
    const slug = parsePage(await taken.text()).forms[0]?.fields.find((f) => f.name === "slug");
    expect(slug?.description).toContain("Is taken by another article");
    expect((await stored("kept-as-it-was"))?.title).toBe("Kept");
  });

  it("preview a form as the site's own article page, storing nothing", async () => {
    const cookie = await session();
    const res = await post(
      "/admin/articles/preview",
      cookie,
      form({ title: "Only a preview", slug: "only-a-preview", action: "preview" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = parsePage(await res.text());
    expect(page.headings[0]).toBe("Only a preview");
    expect(page.text).toContain("The new tram line opened.");
    expect(page.links).toContain("/tags/transit");
    expect(await stored("only-a-preview")).toBeNull();
  });

  it("show an article from content/ read-only, naming its file, and refuse its edit and delete as the API does", async () => {
    const cookie = await session();
    const { articleFromJson } = await import("../../../src/core/article.js");
    const article = articleFromJson(fixture({ slug: "from-a-file", title: "From a file" }), { siteUrl: SITE });
    await testServices().articles.put(article, { kind: "file", path: "content/from-a-file.md", hash: "h" });

    const res = await get("/admin/articles/from-a-file/edit", cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const page = parsePage(html);
    expect(page.text).toContain(
      "This article comes from content/from-a-file.md: the next content sync overwrites an edit made here",
    );
    expect(html).toMatch(/<fieldset disabled="">/);
    expect(page.forms).toEqual([]);
    expect(page.links).not.toContain("/admin/articles/from-a-file/delete");

    for (const path of ["/admin/articles/from-a-file/edit", "/admin/articles/from-a-file/delete"]) {
      const refused = await post(path, cookie, form({ title: "Changed", action: "publish" }));
      expect(refused.status, path).toBe(409);
      expect(parsePage(await refused.text()).text).toContain("content/from-a-file.md");
    }
    expect((await get("/admin/articles/from-a-file/delete", cookie)).status).toBe(409);
    expect((await stored("from-a-file"))?.title).toBe("From a file");
  });

  it("delete after a confirmation page, refusing a form from another site", async () => {
    const cookie = await session();
    expect((await admin("POST", "/api/articles", fixture({ slug: "to-delete", title: "Old news" }))).status).toBe(201);
    const confirm = await get("/admin/articles/to-delete/delete", cookie);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(await htmlProblems(html)).toEqual([]);
    const page = parsePage(html);
    expect(page.headings[0]).toBe("Delete Old news?");
    expect(page.text).toContain("Its page, feeds entry and search entry go.");
    expect(page.forms[0]?.action).toBe("/admin/articles/to-delete/delete");

    const forged = await post("/admin/articles/to-delete/delete", cookie, {}, "https://evil.example");
    expect(forged.status).toBe(403);
    expect(await stored("to-delete")).not.toBeNull();

    const done = await post("/admin/articles/to-delete/delete", cookie, {});
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/admin/articles?status=published&deleted=to-delete");
    expect(await stored("to-delete")).toBeNull();
    expect((await request("/articles/to-delete")).status).toBe(404);
    const list = await get(done.headers.get("location") ?? "", cookie);
    expect(parsePage(await list.text()).text).toContain('The article "to-delete" was deleted.');
  });

  it("answer an unknown slug with the 404 page", async () => {
    const cookie = await session();
    for (const path of ["/admin/articles/no-such-article/edit", "/admin/articles/no-such-article/delete"]) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    for (const path of [
      "/admin/articles/no-such-article/edit",
      "/admin/articles/no-such-article/delete",
      "/admin/articles/no-such-article/preview",
    ]) {
      expect((await post(path, cookie, form({ action: "publish" }))).status, path).toBe(404);
    }
    expect(await stored("no-such-article")).toBeNull();
  });
});
