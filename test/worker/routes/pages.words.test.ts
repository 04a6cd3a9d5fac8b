// The feed pages, /tags, /authors and the error pages in the site's language: their fixed words
// come from pagesWords, the copy script's messages from the page's data- attributes, and a
// detail only the program writes stays English, marked lang="en".

import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, fixture, isolate } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];

const ru = isolate({ SITE_LANGUAGE: "ru" });
const kk = isolate({ SITE_LANGUAGE: "kk" });

async function page(fetch: (path: string) => Response | Promise<Response>, path: string, status = 200) {
  const res = await fetch(path);
  expect(res.status, path).toBe(status);
  const html = await res.text();
  expect(await htmlProblems(html), path).toEqual([]);
  return { html, page: parsePage(html), document: parseDocument(html) };
}

const find = (document: ReturnType<typeof parseDocument>, predicate: (e: Element) => boolean) =>
  DomUtils.findAll(predicate, document.children as Element[]);

beforeAll(async () => {
  const res = await admin(
    "POST",
    "/api/articles",
    fixture({
      slug: "steppe-spring",
      title: "Весна в степи",
      tags: ["Погода"],
      authors: ["Айгуль Серикова"],
      lang: "ru",
    }),
  );
  expect(res.status).toBe(201);
});

describe("the feed pages in Russian and Kazakh", () => {
  it("say what a feed is and how to follow it in the site's language", async () => {
    const { page: site } = await page(ru.fetch, "/feeds");
    expect(site.title).toBe("Ленты · The Steppe Ledger");
    expect(site.headings.slice(0, 4)).toEqual([
      "Читайте «The Steppe Ledger» в программе для чтения лент",
      "Подписка в один клик",
      "Или скопируйте адрес",
      "Последние статьи",
    ]);
    expect(site.text).toContain("Лента — это список новых статей сайта «The Steppe Ledger»");
    const { page: tag } = await page(ru.fetch, "/tags/pogoda/feeds");
    expect(tag.title).toBe("Ленты: Погода · The Steppe Ledger");
    expect(tag.text).toContain("Все статьи с тегом «Погода» на сайте");
    const { page: author } = await page(kk.fetch, "/authors/aigul-serikova/feeds");
    expect(author.title).toBe("Арналар: Айгуль Серикова · The Steppe Ledger");
    expect(author.text).toContain("Айгуль Серикова жазған");
  });

  it("give the copy script its messages in data- attributes, and the script has no words of its own", async () => {
    const { document } = await page(ru.fetch, "/feeds");
    const buttons = find(document, (e) => e.name === "button" && e.attribs["data-copy"] !== undefined);
    expect(buttons.map((b) => [DomUtils.textContent(b).replace(/\s+/g, " ").trim(), b.attribs["data-copied"]])).toEqual(
      [
        ["Копировать адрес RSS", "Адрес RSS скопирован."],
        ["Копировать адрес Atom", "Адрес Atom скопирован."],
        ["Копировать адрес JSON Feed", "Адрес JSON Feed скопирован."],
      ],
    );
    const [status] = find(document, (e) => e.attribs.id === "copy-status");
    expect(status?.attribs["data-blocked"]).toBe(
      "Копирование здесь запрещено: адрес выделен, нажмите Ctrl+C (⌘C на Mac).",
    );
    const { env } = await import("cloudflare:test");
    const script = await (await env.ASSETS.fetch("https://news.example.com/feeds.js")).text();
    expect(script).toContain("dataset.copied");
    expect(script).toContain("dataset.blocked");
    // Its messages (and the word it once stripped from a button's name) are the page's now.
    const code = script.replace(/^\s*\/\/.*$/gm, "");
    for (const words of ["Copied", "Copy", "is blocked", "address", "Ctrl+C"]) expect(code).not.toContain(words);
  });
});

describe("/tags and /authors in Russian and Kazakh", () => {
  it("name themselves and count articles in the site's language", async () => {
    const { page: tags } = await page(ru.fetch, "/tags");
    expect(tags.headings[0]).toBe("Теги");
    expect(tags.text).toMatch(/Погода \(\d+ стат(ья|ьи|ей)\)/);
    const { page: authors } = await page(kk.fetch, "/authors");
    expect(authors.headings[0]).toBe("Авторлар");
    expect(authors.text).toMatch(/Айгуль Серикова \(\d+ мақала\)/);
  });
});

describe("the error pages in Russian and Kazakh", () => {
  it("a 404 says there is nothing at the address, in the site's language", async () => {
    const { page: missing } = await page(ru.fetch, "/no-such-page", 404);
    expect(missing.headings[0]).toBe("Страница не найдена");
    expect(missing.title).toBe("Страница не найдена · The Steppe Ledger");
    expect(missing.text).toContain(
      "По адресу /no-such-page ничего нет. Возможно, страница переехала или в ссылке опечатка.",
    );
    expect(missing.links).toContain("/");
    expect(missing.text).toContain("К последним статьям");
    const { page: kazakh } = await page(kk.fetch, "/articles/no-such-article", 404);
    expect(kazakh.headings[0]).toBe("Бет табылмады");
  });

  it("a 400 has its heading in the site's language and the program's detail marked as English", async () => {
    const { html, page: bad } = await page(ru.fetch, "/search?q=tokayev&page=11", 400);
    expect(bad.headings[0]).toBe("Этот запрос не удался");
    expect(html).toMatch(/<ul lang="en"><li><code>page<\/code>: /);
  });
});
