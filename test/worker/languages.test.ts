// Every page a reader sees, and the emails, in Russian and Kazakh: no fixed English word left.
// The word list is read from the English tables of every catalogue (core/words/all.ts) and of
// core/i18n.ts's messages (functions are called with sample arguments), minus names that are the
// same in every language. A page fails naming the word and where it was: visible text, <title>,
// or a title, aria-label, placeholder, alt or button value attribute. URLs, <code> and elements
// marked lang="en" are not the site's words and are skipped. The articles are seeded in Russian
// and Kazakh, so their own words are not English; a reverse check proves the list finds words on
// English pages.

import { env } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { beforeAll, describe, expect, it } from "vitest";
import { renderDigest } from "../../src/core/digest/render.js";
import { parseWindow } from "../../src/core/digest/window.js";
import { messages } from "../../src/core/i18n.js";
import { renderConfirmation } from "../../src/core/subscription-email.js";
import { signToken } from "../../src/core/token.js";
import { CATALOGUES } from "../../src/core/words/all.js";
import { templates } from "../../src/generated/templates.js";
import type { Bindings } from "../../src/worker/services.js";
import { WEEKLY_INSTEAD } from "../../src/worker/views/subscription.js";
import { article as digestArticle, input as digestInput } from "../core/digest/fixture.js";
import { admin, fixture, isolate, testServices } from "./helpers.js";

type Node = ReturnType<typeof parseDocument>["children"][number];
type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];

// ---- The word list ----

/** Names written the same in every language: taken out of a page's text before it is read. */
const NAMES = ["The Old Reader", "JSON Feed", "RSS", "Atom", "OPML", "Feedly", "Inoreader", "NewsBlur", "Mac", "UTC"];

// Arguments a table's functions are called with: numbers at the plural forms' edges, text, the
// kinds and statuses the tables branch on, lists and the shapes they take.
const QUERY_PROBLEMS = [
  "tooLong",
  "noWord",
  "tooManyTerms",
  "orSides",
  "andSides",
  "onlyLeftOut",
  "unclosedQuote",
  "emptyPhrase",
  "bareMinus",
  "parentheses",
  "bareStar",
  "bareColon",
  "unknownField",
  "twoFields",
  "fieldWithoutWord",
  "near",
  "notAWord",
  "notWithoutWord",
  "fieldAtEnd",
  "notUnderstood",
];
const SAMPLES: unknown[] = [
  0,
  1,
  2,
  5,
  21,
  1001,
  "Xq",
  "daily",
  "weekly",
  "tag",
  "author",
  "site",
  true,
  false,
  ["Xq", "Zq"],
  [],
  400,
  403,
  404,
  405,
  409,
  413,
  415,
  429,
  500,
  { kind: "site", site: "Xq" },
  { kind: "tag", name: "Xq" },
  { kind: "author", name: "Xq" },
  ...QUERY_PROBLEMS.map((kind) => ({ kind, max: 5, word: "Xq", field: "title" })),
];

/** Every string a table holds or writes, its functions called with the samples. */
function stringsOf(value: unknown, depth = 0): string[] {
  if (depth > 4) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((v) => stringsOf(v, depth + 1));
  if (typeof value === "function") {
    const f = value as (...args: unknown[]) => unknown;
    const out: string[] = [];
    const call = (args: unknown[]) => {
      try {
        out.push(...stringsOf(f(...args), depth + 1));
      } catch {
        // A sample of the wrong kind for this argument: the others cover it.
      }
    };
    const arity = Math.max(f.length, 1);
    for (const sample of SAMPLES) call(Array(arity).fill(sample));
    for (const base of [2, "Xq"]) {
      for (let i = 0; i < arity; i++) {
        for (const sample of SAMPLES) call(Array.from({ length: arity }, (_, j) => (j === i ? sample : base)));
      }
    }
    return out;
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) => (key === "lang" ? [] : stringsOf(v, depth + 1)));
  }
  return [];
}

const latinWords = (text: string) => (text.match(/[A-Za-z]+(?:['’][A-Za-z]+)?/g) ?? []).map((w) => w.toLowerCase());

/** Latin words of the seeded articles (none, they are Russian and Kazakh; kept honest by code). */
const FIXTURE_WORDS = new Set<string>();

const NAME_WORDS = new Set(NAMES.flatMap(latinWords));

function englishWords(): Set<string> {
  const sources = [...Object.values(CATALOGUES).map((c) => c.en), messages("en")];
  const words = new Set(sources.flatMap((table) => stringsOf(table)).flatMap(latinWords));
  for (const w of ["xq", "zq", ...NAME_WORDS, ...FIXTURE_WORDS]) words.delete(w);
  // Single letters ("a", the "I" of a sentence) say nothing of a language.
  for (const w of words) if (w.length < 2) words.delete(w);
  return words;
}

// ---- Reading a page ----

const ATTRIBUTES = ["title", "aria-label", "placeholder", "alt"];

/** Text that is not the site's words: addresses, file names, a masked email address. */
const stripAddresses = (text: string) =>
  text
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\S+@\S+/g, " ")
    .replace(/\b[\w.-]+\.(?:opml|xml|json|txt)\b/g, " ");

const stripNames = (text: string) => NAMES.reduce((t, name) => t.replaceAll(name, " "), text);

/** Where each piece of the site's own text is: "text", "<title>", "aria-label", ... */
function piecesOf(html: string, root?: (document: Node[]) => Node[]): { where: string; text: string }[] {
  const document = parseDocument(html);
  const pieces: { where: string; text: string }[] = [];
  const visit = (node: Node, inHead: boolean) => {
    if (node.type === "text") {
      if (!inHead) pieces.push({ where: "text", text: (node as unknown as { data: string }).data });
      return;
    }
    if (node.type !== "tag" && node.type !== "root" && node.type !== "script" && node.type !== "style") return;
    const e = node as Element;
    if (e.type === "script" || e.type === "style" || e.name === "code") return;
    if ((e.attribs?.lang ?? "").toLowerCase().startsWith("en") && e.name !== "html") return;
    if (e.name === "title") {
      pieces.push({ where: "<title>", text: DomUtils.textContent(e) });
      return;
    }
    const head = inHead || e.name === "head";
    if (!head && e.attribs) {
      for (const name of ATTRIBUTES) if (e.attribs[name]) pieces.push({ where: name, text: e.attribs[name] });
      if (e.name === "input" && /^(submit|button)$/i.test(e.attribs.type ?? "") && e.attribs.value) {
        pieces.push({ where: "value", text: e.attribs.value });
      }
    }
    for (const child of e.children ?? []) visit(child as Node, head);
  };
  for (const node of root ? root(document.children as Node[]) : (document.children as Node[])) visit(node, false);
  return pieces;
}

/** The English words found in a page, each with where it was and the text around it. */
function englishIn(pieces: { where: string; text: string }[], words: Set<string>): string[] {
  const found: string[] = [];
  for (const { where, text } of pieces) {
    const clean = stripNames(stripAddresses(text));
    for (const word of new Set(latinWords(clean))) {
      if (words.has(word)) found.push(`"${word}" in ${where}: ${text.replace(/\s+/g, " ").trim().slice(0, 120)}`);
    }
  }
  return found;
}

/** The page's own content: <title> and <main>, not the shared header and footer. */
const mainAndTitle = (nodes: Node[]) =>
  DomUtils.findAll((e) => e.name === "main" || e.name === "title", nodes as Element[]) as unknown as Node[];

// ---- The site, in each language ----

const SITES = {
  ru: { SITE_LANGUAGE: "ru", SITE_TITLE: "Степной вестник", SITE_DESCRIPTION: "Новости степи: ленты, сайт и почта." },
  kk: {
    SITE_LANGUAGE: "kk",
    SITE_TITLE: "Дала хабаршысы",
    SITE_DESCRIPTION: "Дала жаңалықтары: арналар, сайт және пошта.",
  },
  en: { SITE_LANGUAGE: "en" },
} as const;
type Lang = keyof typeof SITES;

const ARTICLES = [
  fixture({
    slug: "vesna-v-stepi",
    title: "Весна в степи",
    summary: "Степь зацвела раньше обычного.",
    markdown: "Тюльпаны зацвели в конце марта. Пастухи говорят, что такой весны не помнят.",
    authors: ["Айгуль Серикова"],
    tags: ["Погода"],
    lang: "ru",
    date: "2022-02-01T09:00:00+06:00",
  }),
  fixture({
    slug: "dala-koktemi",
    title: "Даладағы көктем",
    summary: "Дала әдеттегіден ерте гүлдеді.",
    markdown: "Қызғалдақтар наурыздың соңында гүлдеді. Малшылар мұндай көктемді есіне алмайды.",
    authors: ["Айгүл Серікқызы"],
    tags: ["Ауа райы"],
    lang: "kk",
    date: "2022-02-01T10:00:00+06:00",
  }),
];
for (const a of ARTICLES) for (const w of stringsOf(a)) for (const x of latinWords(w)) FIXTURE_WORDS.add(x);
// The fixture's slugs and date are addresses and data, not words on a page.
for (const w of ["vesna", "stepi", "dala", "koktemi", "md"]) FIXTURE_WORDS.delete(w);

interface PageCase {
  name: string;
  path: string;
  init?: RequestInit;
  status?: number;
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": "203.0.113.9" },
  body: new URLSearchParams(fields).toString(),
});

/** Each reader-facing page, by name; the subscriber pages carry tokens made in beforeAll. */
const tokens: Record<string, { confirm: string; manage: string }> = {};

function pages(lang: Lang): PageCase[] {
  const t = tokens[lang] ?? { confirm: "", manage: "" };
  return [
    { name: "home", path: "/" },
    { name: "an article", path: "/articles/vesna-v-stepi" },
    { name: "a tag", path: "/tags/pogoda" },
    { name: "an author", path: "/authors/aigul-serikova" },
    { name: "/tags", path: "/tags" },
    { name: "/authors", path: "/authors" },
    { name: "search results", path: `/search?q=${encodeURIComponent("степь")}` },
    { name: "search with no result", path: `/search?q=${encodeURIComponent("ничегонет")}` },
    { name: "search, malformed", path: `/search?q=${encodeURIComponent('"степь')}`, status: 400 },
    { name: "/feeds", path: "/feeds" },
    { name: "a tag's feed page", path: "/tags/pogoda/feeds" },
    { name: "/digests", path: "/digests" },
    { name: "a year of the archive", path: "/digests/2022" },
    { name: "a digest's web edition", path: "/digests/daily/2022-02-01" },
    { name: "/subscribe", path: "/subscribe" },
    {
      name: "/subscribe, accepted",
      path: "/subscribe",
      init: form({ email: `reader-${lang}@languages.example`, frequency: "daily" }),
      status: 202,
    },
    { name: "/subscribe, a bad address", path: "/subscribe", init: form({ email: "not an address" }), status: 400 },
    { name: "the confirm page", path: `/subscribe/confirm?token=${t.confirm}` },
    { name: "confirmed", path: `/subscribe/confirm?token=${t.confirm}`, init: form({}) },
    { name: "the preferences page", path: `/preferences?token=${t.manage}` },
    {
      name: "preferences saved",
      path: `/preferences?token=${t.manage}`,
      init: form({ frequency: "weekly", tags: "pogoda", time_zone: "Asia/Almaty", send_hour: "8" }),
    },
    {
      name: "weekly instead, done",
      path: `/preferences?token=${t.manage}`,
      init: form({
        frequency: "weekly",
        tags: "pogoda",
        time_zone: "Asia/Almaty",
        send_hour: "8",
        [WEEKLY_INSTEAD.name]: WEEKLY_INSTEAD.value,
      }),
    },
    { name: "the unsubscribe page", path: `/unsubscribe?token=${t.manage}` },
    { name: "unsubscribed", path: `/unsubscribe?token=${t.manage}`, init: form({}) },
    { name: "data deleted", path: `/unsubscribe?token=${t.manage}`, init: form({ action: "erase" }) },
    { name: "a broken link", path: "/preferences?token=not-a-token", status: 400 },
    { name: "a 404", path: "/no-such-page", status: 404 },
  ];
}

/** The pages whose content is translated here: their <main> and <title> are checked now. */
const OWN_PAGES = new Set([
  "/tags",
  "/authors",
  "search results",
  "search with no result",
  "search, malformed",
  "/feeds",
  "a tag's feed page",
  "a 404",
]);

const WORDS = englishWords();

beforeAll(async () => {
  for (const a of ARTICLES) {
    const res = await admin("POST", "/api/articles", a);
    expect(res.status, await res.clone().text()).toBe(201);
  }
  const s = testServices();
  const secret = (env as Bindings).SIGNING_SECRET ?? "";
  for (const lang of ["ru", "kk", "en"]) {
    const pending = await s.subscribers.request({
      email: `tokens-${lang}@languages.example`,
      preferences: { frequency: "daily", tags: ["pogoda"], timeZone: "Asia/Almaty", sendHour: 7 },
      source: "/",
      ip: null,
    });
    if (pending.kind !== "send") throw new Error("expected a new subscriber");
    tokens[lang] = {
      confirm: await signToken(secret, {
        purpose: "confirm",
        subscriber: pending.subscriberId,
        nonce: pending.nonce,
        expires: Date.now() + 86_400_000,
      }),
      manage: await signToken(secret, { purpose: "manage", subscriber: pending.subscriberId }),
    };
  }
});

async function render(lang: Lang, page: PageCase): Promise<string> {
  const site = isolate({ ...SITES[lang] });
  const res = await site.fetch(page.path, page.init);
  expect(res.status, `${lang} ${page.name}`).toBe(page.status ?? 200);
  return res.text();
}

describe("the word list", () => {
  it("holds the English catalogues' words and none of the names", () => {
    expect(WORDS.size).toBeGreaterThan(200);
    for (const w of ["search", "results", "feeds", "nothing", "unsubscribe", "digest", "more"]) {
      expect(WORDS, w).toContain(w);
    }
    for (const w of ["rss", "atom", "json", "opml", "xq"]) expect(WORDS, w).not.toContain(w);
  });

  it("finds English words on English pages (the reverse check)", async () => {
    for (const page of pages("en").filter((p) => ["home", "/feeds", "search results", "a 404"].includes(p.name))) {
      const found = englishIn(piecesOf(await render("en", page)), WORDS);
      expect(found.length, page.name).toBeGreaterThan(5);
    }
  });
});

for (const lang of ["ru", "kk"] as const) {
  describe(`every page in ${lang}`, () => {
    for (const page of pages(lang)) {
      const name = `${lang} ${page.name}`;
      it(name, async () => {
        // The tokens exist only once beforeAll ran: the case is read again here.
        const current = pages(lang).find((p) => p.name === page.name) ?? page;
        expect(englishIn(piecesOf(await render(lang, current)), WORDS).join("\n"), name).toBe("");
      });
    }
  });

  describe(`the pages translated with pagesWords in ${lang}, header and footer aside`, () => {
    for (const page of pages(lang).filter((p) => OWN_PAGES.has(p.name))) {
      it(`${lang} ${page.name}: its title and content`, async () => {
        expect(englishIn(piecesOf(await render(lang, page), mainAndTitle), WORDS).join("\n")).toBe("");
      });
    }
  });

  describe(`the emails in ${lang}`, () => {
    const site = { title: SITES[lang].SITE_TITLE, url: "https://news.example.com", language: lang };
    const name = (what: string) => `${lang} ${what}`;
    it(name("confirmation email"), () => {
      for (const existing of [false, true]) {
        const email = renderConfirmation(
          { site, confirmUrl: "https://news.example.com/subscribe/confirm?token=T", existing },
          templates.confirm,
        );
        const found = [
          ...englishIn(piecesOf(email.html), WORDS),
          ...englishIn([{ where: "text part", text: email.text }], WORDS),
          ...englishIn([{ where: "subject", text: email.subject }], WORDS),
        ];
        expect(found.join("\n")).toBe("");
      }
    });
    it(name("digest email"), () => {
      const window = parseWindow("weekly", "2022-W02", "Asia/Almaty");
      if (!window) throw new Error("bad window");
      const articles = [1, 2, 3].map((i) =>
        digestArticle(i, {
          title: `Степные новости ${i}`,
          summary: "Коротко о главном.",
          lang,
          authors: [{ name: "Айгуль Серикова", slug: "aigul-serikova" }],
          tags: [{ name: "Погода", slug: "pogoda" }],
        }),
      );
      for (const forEmail of [true, false]) {
        const digest = renderDigest(
          digestInput(articles, {
            site: { ...site, timeZone: "Asia/Almaty" },
            window,
            tags: ["Погода"],
            forEmail,
            reason: undefined,
            preferencesUrl: "https://news.example.com/preferences?token=T",
          }),
          templates.digest,
        );
        const found = [
          ...englishIn(piecesOf(digest.html), WORDS),
          ...englishIn([{ where: "text part", text: digest.text }], WORDS),
          ...englishIn([{ where: "subject", text: digest.subject }], WORDS),
        ];
        expect(found.join("\n"), forEmail ? "email" : "web").toBe("");
      }
    });
  });
}
