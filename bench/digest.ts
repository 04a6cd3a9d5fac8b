// A 20-article digest email: the build-time-compiled template filled per request, vs mjml2html
// of the same template and data at request time. Both sides start from the same view data (built
// once, outside the timed loop), resolve the same partials, and end with the same email's HTML
// bytes; that they say the same thing is checked before anything is timed. The plain-text part
// is left out of both: it is written from the view data, not from HTML, so it is the same work
// either way. Ratio > 1 means ours is faster.

import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DomUtils, parseDocument } from "htmlparser2";
import mjml2html from "mjml";
import { finishHtml, mjmlOptions } from "../scripts/mjml.js";
import { articleFromMarkdown, slugFromPath } from "../src/core/article.js";
import { type DigestInput, type DigestView, digestView, MAX_EMAIL_ITEMS } from "../src/core/digest/render.js";
import { parseWindow } from "../src/core/digest/window.js";
import { fillTemplate, parseTemplate, type Segment } from "../src/core/template.js";
import { templates } from "../src/generated/templates.js";
import { compareAsync, report } from "./lib.js";

const SITE = "https://news.example.com";
const TEMPLATES = resolve("templates");
const ARTICLES = 20;
const ROUNDS = 9;
const ITERATIONS = 10;

function sampleInput(): DigestInput {
  const articles = readdirSync("content")
    .filter((f) => f.endsWith(".md"))
    .sort()
    .slice(0, ARTICLES)
    .map((f) =>
      articleFromMarkdown(readFileSync(join("content", f), "utf8"), { siteUrl: SITE, slug: slugFromPath(f) }),
    );
  if (articles.length !== ARTICLES) throw new Error(`bench/digest: needs ${ARTICLES} articles in content/`);
  const window = parseWindow("weekly", "2022-W06", "Asia/Almaty");
  if (!window) throw new Error("bench/digest: bad window");
  return {
    site: { title: "The Steppe Ledger", url: SITE, language: "en", timeZone: "Asia/Almaty" },
    window,
    articles,
    tags: [],
    webUrl: `${SITE}/digests/weekly/2022-W06`,
    unsubscribeUrl: `${SITE}/unsubscribe?token=x`,
    preferencesUrl: null,
    reason: "You subscribed to the weekly digest.",
    forEmail: true,
  };
}

/**
 * What a Worker running mjml at request time would do: fill every MJML file (the template and
 * each partial mj-include pulls in) with the data, compile, then apply the build step's two
 * post-processing edits (scripts/build-templates.ts), so both sides send the same email.
 * MJML sources are parsed into placeholders once and cached, which only flatters the baseline.
 */
function mjmlAtRequestTime(view: DigestView): () => Promise<string> {
  const parsed = new Map<string, Segment[]>();
  const fill = (xml: string): string => {
    let segments = parsed.get(xml);
    if (!segments) {
      segments = parseTemplate(xml);
      parsed.set(xml, segments);
    }
    return fillTemplate(segments, view as unknown as Record<string, unknown>);
  };
  const path = join(TEMPLATES, "digest.mjml");
  const source = readFileSync(path, "utf8");
  return async () => {
    // mjml applies preprocessors to the template and to every included partial's source.
    const result = await mjml2html(source, {
      ...mjmlOptions(path, TEMPLATES),
      // The template was validated at build time; skipping it again only flatters the baseline.
      validationLevel: "skip",
      preprocessors: [fill],
    } as Parameters<typeof mjml2html>[1]);
    return finishHtml(result.html);
  };
}

interface Said {
  lang: string;
  subject: string;
  preheader: string;
  articles: string[];
  links: string[];
  images: string[];
  styles: string[];
}

/** What a reader sees of an email: read back with a real HTML parser. */
function whatItSays(html: string): Said {
  const doc = parseDocument(html);
  const all = (name: string) => DomUtils.getElementsByTagName(name, doc);
  const text = (el: Parameters<typeof DomUtils.textContent>[0]) => DomUtils.textContent(el).trim();
  // mj-preview renders as the first hidden div of the body.
  const hidden = all("div").find((d) => /display:\s*none/.test(d.attribs.style ?? ""));
  return {
    lang: all("html")[0]?.attribs.lang ?? "",
    subject: text(all("title")),
    preheader: hidden ? text(hidden) : "",
    articles: all("h2").flatMap((h) =>
      DomUtils.getElementsByTagName("a", h).map((a) => `${text(a)} <${a.attribs.href ?? ""}>`),
    ),
    links: all("a").map((a) => a.attribs.href ?? ""),
    images: all("img").map((i) => `${i.attribs.src ?? ""} ${i.attribs.alt ?? ""}`),
    // The partial head.mjml brings the styles (dark mode, phone widths).
    styles: all("style").map((s) => text(s).replace(/\s+/g, " ")),
  };
}

/** Fails loudly unless both emails are complete and say the same thing as the data. */
function assertSameEmail(view: DigestView, ours: string, baseline: string): void {
  const problems: string[] = [];
  for (const [side, html] of [
    ["ours", ours],
    ["baseline", baseline],
  ] as const) {
    const at = html.indexOf("{{");
    if (at >= 0) problems.push(`${side}: unfilled placeholder: ${html.slice(at, at + 40)}`);
  }
  const expected: Pick<Said, "lang" | "subject" | "preheader" | "articles"> = {
    lang: view.lang,
    subject: view.subject,
    preheader: view.preheader,
    articles: view.items.map((item) => `${item.title} <${item.url}>`),
  };
  const a = whatItSays(ours);
  const b = whatItSays(baseline);
  for (const key of ["lang", "subject", "preheader", "articles"] as const) {
    const want = JSON.stringify(expected[key]);
    if (JSON.stringify(a[key]) !== want) problems.push(`ours: ${key} is ${JSON.stringify(a[key])}, want ${want}`);
    if (JSON.stringify(b[key]) !== want) problems.push(`baseline: ${key} is ${JSON.stringify(b[key])}, want ${want}`);
  }
  for (const key of ["links", "images", "styles"] as const) {
    const first = Array.from({ length: Math.max(a[key].length, b[key].length) }, (_, i) => i).find(
      (i) => a[key][i] !== b[key][i],
    );
    if (first !== undefined) {
      problems.push(
        `${key} differ (ours ${a[key].length}, baseline ${b[key].length}); first at #${first}: ours ${JSON.stringify(a[key][first]?.slice(0, 80))}, baseline ${JSON.stringify(b[key][first]?.slice(0, 80))}`,
      );
    }
  }
  if (a.articles.length !== ARTICLES) problems.push(`ours lists ${a.articles.length} articles, want ${ARTICLES}`);
  if (problems.length > 0) throw new Error(`bench/digest: the two emails differ:\n${problems.join("\n")}`);
}

export async function run(): Promise<void> {
  const input = sampleInput();
  if (ARTICLES > MAX_EMAIL_ITEMS) throw new Error("bench/digest: more articles than an email lists");
  const view = digestView(input, ARTICLES);
  const data = view as unknown as Record<string, unknown>;
  const encoder = new TextEncoder();
  const ours = () => encoder.encode(fillTemplate(templates.digest, data));
  const compile = mjmlAtRequestTime(view);
  const baseline = async () => encoder.encode(await compile());

  const decoder = new TextDecoder();
  const oursHtml = decoder.decode(ours());
  const baselineHtml = decoder.decode(await baseline());
  assertSameEmail(view, oursHtml, baselineHtml);
  console.log(
    `Same email checked (subject, preheader, ${ARTICLES} titles and URLs, every link, image and style): ours ${(oursHtml.length / 1024).toFixed(1)} KiB, baseline ${(baselineHtml.length / 1024).toFixed(1)} KiB, ${oursHtml === baselineHtml ? "byte-identical" : "not byte-identical (mjml lays out 20 expanded sections, not one repeated)"}`,
  );

  const { a, b } = await compareAsync({ a: ours, b: baseline }, ROUNDS, ITERATIONS);
  report([
    {
      name: `Digest, ${ARTICLES} articles: compiled template vs mjml2html per request`,
      a,
      b,
      unit: "ms",
      better: "lower",
    },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
