// The sign-up where readers look: the home page says what the publication is and offers the
// compact form before the articles; article, tag and author pages have one; a tag's asks for that
// tag; the form, posted as a browser would, gets the "check your inbox" page and a confirmation
// email; the pages run the site's own time zone script and nothing inline; Russian and Kazakh
// sites show their own words in the header and the form.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../src/worker/app.js";
import { OWN_SCRIPT_CSP } from "../../../src/worker/security-headers.js";
import { admin, eventually, fixture, isolate, request, SITE } from "../helpers.js";
import { address, mailbox } from "../mailbox.js";
import { htmlProblems, parsePage } from "../page.js";

const DESCRIPTION = "Regional news from the steppe, in feeds, on the web and by email.";

beforeAll(async () => {
  for (let i = 1; i <= 3; i++) {
    const res = await admin(
      "POST",
      "/api/articles",
      fixture({
        slug: `signup-${i}`,
        title: `Signup story ${i}`,
        date: `2022-03-0${i}T10:00:00+06:00`,
        tags: ["Transit"],
        authors: ["Dana Kim", "Ivan Orlov"],
      }),
    );
    expect(res.status).toBe(201);
  }
});

/** The page's own sign-up forms: those posting to /subscribe. */
async function signupForms(path: string, fetcher: (path: string) => Response | Promise<Response> = request) {
  const res = await fetcher(path);
  expect(res.status, path).toBe(200);
  const html = await res.text();
  expect(await htmlProblems(html), path).toEqual([]);
  const page = parsePage(html);
  return { res, html, page, forms: page.forms.filter((f) => f.method === "post" && f.action === "/subscribe") };
}

const field = (form: { fields: { name: string; value: string }[] }, name: string) =>
  form.fields.filter((f) => f.name === name).map((f) => f.value);

/** Every <script> on a page: its src and its inline text. */
function scripts(html: string) {
  const document = parseDocument(html);
  return DomUtils.findAll((e) => e.name === "script", document.children).map((e) => ({
    type: e.attribs.type ?? "",
    src: e.attribs.src ?? "",
    inline: DomUtils.textContent(e),
  }));
}

describe("the home page", () => {
  it("says what the publication is and offers the sign-up form before the first article", async () => {
    const { html, page, forms } = await signupForms("/");
    expect(forms).toHaveLength(1);
    const main = html.slice(html.indexOf("<main"));
    const description = main.indexOf(DESCRIPTION);
    const form = main.indexOf('<form method="post" action="/subscribe"');
    const firstArticle = main.indexOf('href="/articles/');
    expect(description).toBeGreaterThan(-1);
    expect(form).toBeGreaterThan(description);
    expect(firstArticle).toBeGreaterThan(form);
    // One outline: the page's h1, its sections' h2s, the article titles under "Latest".
    expect(page.headings.slice(0, 4)).toEqual([
      "The Steppe Ledger",
      "Get the digest by email",
      "Latest",
      "Signup story 3",
    ]);
    expect(html).toMatch(/<h2 id="latest">Latest<\/h2>/);
    expect(html).toContain('<h3><a href="/articles/signup-3">Signup story 3</a></h3>');
    // The compact form replaces the full one: no frequency choice, no tag boxes on the home page.
    expect(page.forms.filter((f) => f.action === "/subscribe")).toHaveLength(1);
  });

  it("labels the address field and says what the reader gets", async () => {
    const { forms, html } = await signupForms("/");
    const [form] = forms;
    const email = form?.fields.find((f) => f.name === "email");
    expect(email?.type).toBe("email");
    expect(email?.attributes.required).toBeDefined();
    expect(email?.attributes.autocomplete).toBe("email");
    expect(html).toContain(`<label for="${email?.attributes.id}">Email address</label>`);
    expect(email?.description).toBe("A daily digest of new articles by email. Unsubscribe any time.");
    expect(form?.buttons).toEqual(["Subscribe"]);
    expect(field(form ?? { fields: [] }, "source")).toEqual(["/"]);
    expect(field(form ?? { fields: [] }, "browser_zone")).toEqual([""]);
    expect(field(form ?? { fields: [] }, "time_zone")).toEqual([]);
    expect(field(form ?? { fields: [] }, "tags")).toEqual([]);
  });
});

describe("article, tag and author pages", () => {
  it("an article has the form after the article", async () => {
    const { html, forms } = await signupForms("/articles/signup-1");
    expect(forms).toHaveLength(1);
    expect(field(forms[0] ?? { fields: [] }, "source")).toEqual(["/articles/signup-1"]);
    expect(field(forms[0] ?? { fields: [] }, "tags")).toEqual([]);
    expect(html.indexOf('action="/subscribe"')).toBeGreaterThan(html.indexOf("</article>"));
    // The byline joins its authors with the language's "and".
    expect(html).toContain('<a href="/authors/dana-kim">Dana Kim</a> and <a href="/authors/ivan-orlov">Ivan Orlov</a>');
  });

  it("a tag's form carries the tag and says so; an author's form asks for every article", async () => {
    const tag = await signupForms("/tags/transit");
    expect(tag.forms).toHaveLength(1);
    expect(field(tag.forms[0] ?? { fields: [] }, "tags")).toEqual(["transit"]);
    expect(field(tag.forms[0] ?? { fields: [] }, "source")).toEqual(["/tags/transit"]);
    expect(tag.forms[0]?.fields.find((f) => f.name === "email")?.description).toBe(
      "A daily digest of new articles tagged “Transit” by email. Unsubscribe any time.",
    );
    // After the feed links, before the articles.
    const feeds = tag.html.indexOf('<p class="feeds">');
    expect(tag.html.indexOf('action="/subscribe"')).toBeGreaterThan(feeds);
    expect(tag.html.indexOf('href="/articles/')).toBeGreaterThan(tag.html.indexOf('action="/subscribe"'));

    const author = await signupForms("/authors/dana-kim");
    expect(author.forms).toHaveLength(1);
    expect(field(author.forms[0] ?? { fields: [] }, "tags")).toEqual([]);
    expect(field(author.forms[0] ?? { fields: [] }, "source")).toEqual(["/authors/dana-kim"]);
  });

  it("run the site's own time zone script and nothing inline, under the own-script policy", async () => {
    for (const path of ["/", "/articles/signup-1", "/tags/transit", "/authors/dana-kim", "/?cursor=x"]) {
      const res = await request(path);
      if (res.status !== 200) continue; // a broken cursor's 400 page has no form
      expect(res.headers.get("content-security-policy"), path).toBe(OWN_SCRIPT_CSP);
      expect(OWN_SCRIPT_CSP).toMatch(/; script-src 'self'$/);
      const found = scripts(await res.text()).filter((s) => s.type !== "application/ld+json");
      expect(found, path).toEqual([{ type: "", src: "/zone.js", inline: "" }]);
    }
    const script = await env.ASSETS.fetch(`${SITE}/zone.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    const text = await script.text();
    expect(text).toContain("[data-browser-zone]");
    expect(text).toContain("resolvedOptions().timeZone");
  });
});

describe("posting the compact form", () => {
  let ip = 0;
  /** Posts the form as a browser would, its hidden fields as served, and waits for the work after the answer. */
  async function submit(path: string, email: string, timeZone?: string) {
    const { forms } = await signupForms(path);
    const form = forms[0];
    const body = new URLSearchParams();
    for (const f of form?.fields ?? []) {
      const value = f.name === "email" ? email : f.name === "browser_zone" && timeZone ? timeZone : f.value;
      body.append(f.name, value);
    }
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${SITE}/subscribe`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "cf-connecting-ip": `2001:db8:21:${(++ip).toString(16)}::1`,
        },
        body,
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  }

  const row = (email: string) =>
    env.DB.prepare("SELECT status, frequency, tags_json, time_zone, source FROM subscribers WHERE email = ?1")
      .bind(email)
      .first<{ status: string; frequency: string; tags_json: string; time_zone: string; source: string }>();

  it("from the home page: the check-your-inbox page, a confirmation email, the site's zone kept", async () => {
    const email = address("compact");
    const res = await submit("/", email);
    expect(res.status).toBe(202);
    const page = parsePage(await res.text());
    expect(page.headings[0]).toBe("Check your inbox");
    const message = await eventually(() => mailbox.smtp(email));
    expect(message.subject).toBe("Confirm your subscription to The Steppe Ledger");
    expect(message.text).toMatch(/https:\/\/news\.example\.com\/subscribe\/confirm\?token=/);
    // An empty browser_zone (no script ran) keeps the site's zone.
    expect(await row(email)).toEqual({
      status: "pending",
      frequency: "daily",
      tags_json: "[]",
      time_zone: "Asia/Almaty",
      source: "/",
    });
  });

  it("from a tag's page: that tag, and the zone the script filled in", async () => {
    const email = address("compact-tag");
    expect((await submit("/tags/transit", email, "America/Sao_Paulo")).status).toBe(202);
    expect(await row(email)).toMatchObject({
      frequency: "daily",
      tags_json: '["transit"]',
      time_zone: "America/Sao_Paulo",
      source: "/tags/transit",
    });
    await eventually(() => mailbox.smtp(email));
  });

  it("takes the browser's zone in an old spelling by its current name, and one this site does not know as the site's zone, without an error", async () => {
    const calcutta = address("compact-calcutta");
    expect((await submit("/", calcutta, "Asia/Calcutta")).status).toBe(202);
    expect(await row(calcutta)).toMatchObject({ time_zone: "Asia/Kolkata" });
    const mars = address("compact-mars");
    expect((await submit("/", mars, "Mars/Olympus_Mons")).status).toBe(202);
    expect(await row(mars)).toMatchObject({ time_zone: "Asia/Almaty" });
    await eventually(() => mailbox.smtp(calcutta));
    await eventually(() => mailbox.smtp(mars));
  });
});

describe("in the site's language", () => {
  const words = {
    ru: {
      header: ["Подписка", "Теги", "Авторы", "Дайджесты", "Ленты", "Найти"],
      signup: ["Дайджест по почте", "Адрес электронной почты", "Подписаться"],
      latest: "Новое",
      and: " и ",
    },
    kk: {
      header: ["Жазылу", "Тегтер", "Авторлар", "Дайджесттер", "Арналар", "Іздеу"],
      signup: ["Дайджестті поштамен алыңыз", "Электрондық пошта мекенжайы", "Жазылу"],
      latest: "Соңғылары",
      and: " және ",
    },
  } as const;
  const english = ["Subscribe", "Tags", "Authors", "Digests", "Feeds", "Search", "Email address", "Latest"];

  for (const lang of ["ru", "kk"] as const) {
    it(`${lang}: the header and the sign-up box on the home and article pages`, async () => {
      const site = isolate({ SITE_LANGUAGE: lang });
      for (const path of ["/", "/articles/signup-1"]) {
        const { html, page, forms } = await signupForms(path, site.fetch);
        expect(html).toContain(`<html lang="${lang}">`);
        for (const word of [...words[lang].header, ...words[lang].signup]) expect(page.text, path).toContain(word);
        expect(forms[0]?.buttons).toEqual([words[lang].signup[2]]);
        const header = html.slice(html.indexOf("<header"), html.indexOf("</header>"));
        const start = html.indexOf('<section class="signup"');
        const box = html.slice(start, html.indexOf("</section>", start));
        for (const word of english) {
          expect(header, `${path} header`).not.toMatch(new RegExp(`>${word}<|"${word}"`));
          expect(box, `${path} sign-up box`).not.toMatch(new RegExp(`>${word}<|"${word}"`));
        }
        // The box speaks the site's language even inside an article in another.
        expect(box).toContain(`<section class="signup" lang="${lang}"`);
      }
      const home = parsePage(await (await site.fetch("/")).text());
      expect(home.headings).toContain(words[lang].latest);
      const article = await (await site.fetch("/articles/signup-1")).text();
      expect(article).toContain(`Dana Kim</a>${words[lang].and}<a href="/authors/ivan-orlov">`);
    });
  }
});
