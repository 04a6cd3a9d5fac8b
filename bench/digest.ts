// A 20-article digest (HTML and text): the build-time-compiled template filled per request,
// vs mjml2html of the same template and data at request time. Ratio > 1 means ours is faster.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import mjml2html from "mjml";
import { articleFromMarkdown, slugFromPath } from "../src/core/article.js";
import { type DigestInput, digestView, renderDigest } from "../src/core/digest/render.js";
import { parseWindow } from "../src/core/digest/window.js";
import { fillTemplate, parseTemplate } from "../src/core/template.js";
import { templates } from "../src/generated/templates.js";
import { report, settle } from "./lib.js";

const SITE = "https://news.example.com";

async function timeAsync(fn: () => Promise<unknown> | unknown, iterations: number): Promise<number> {
  settle();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - start) / iterations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function run(): Promise<void> {
  const articles = readdirSync("content")
    .filter((f) => f.endsWith(".md"))
    .slice(0, 20)
    .map((f) =>
      articleFromMarkdown(readFileSync(join("content", f), "utf8"), { siteUrl: SITE, slug: slugFromPath(f) }),
    );
  const window = parseWindow("weekly", "2022-W06", "Asia/Almaty");
  if (!window) throw new Error("bad window");
  const input: DigestInput = {
    site: { title: "The Steppe Ledger", url: SITE, language: "en", timeZone: "Asia/Almaty" },
    window,
    articles,
    tags: [],
    webUrl: `${SITE}/digests/weekly/2022-W06`,
    unsubscribeUrl: `${SITE}/unsubscribe?token=x`,
    reason: "You subscribed to the weekly digest.",
    forEmail: true,
  };
  // Parsed once up front, which only flatters the baseline.
  const source = parseTemplate(readFileSync("templates/digest.mjml", "utf8"));
  // Both sides end with the bytes a Worker would send, so neither leaves work undone.
  const encoder = new TextEncoder();
  const ours = () => {
    const digest = renderDigest(input, templates.digest);
    return [encoder.encode(digest.html), encoder.encode(digest.text)];
  };
  // The baseline fills the same data into the MJML source and compiles it, as a Worker
  // running mjml at request time would (text part included, to do the same work).
  const baseline = async () => {
    const view = digestView(input, articles.length);
    const filled = fillTemplate(source, view as unknown as Record<string, unknown>);
    const html = await mjml2html(filled, {
      filePath: "templates/digest.mjml",
      ignoreIncludes: false,
      includePath: "templates",
    } as Parameters<typeof mjml2html>[1]);
    return [encoder.encode(html.html), encoder.encode(renderDigest(input, []).text)];
  };
  for (let i = 0; i < 3; i++) {
    ours();
    await baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < 7; r++) {
    a.push(await timeAsync(ours, 20));
    b.push(await timeAsync(baseline, 2));
  }
  report([
    {
      name: "Digest, 20 articles: compiled template vs mjml2html per request",
      a: median(a),
      b: median(b),
      unit: "ms",
      better: "lower",
    },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
