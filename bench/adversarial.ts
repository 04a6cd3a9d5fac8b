// Adversarial article bodies of about 1 MB through the whole article pipeline (validate, render
// Markdown, sanitize, derive the summary), each timed against a plain 1 MB body of prose and
// against the same pattern at a quarter of the size, alternating in the same run. A quadratic
// pattern at 1 MB reads hundreds of times slower than prose, and 16x its quarter-size self.

import { articleFromJson } from "../src/core/article.js";
import { ArticleError } from "../src/core/errors.js";
import { settle } from "./lib.js";

const SIZE = 1_000_000;
const SITE = "https://news.example.com";

/** `unit` repeated up to `size` characters. */
const repeatTo = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const prose =
  "The regional council met on Tuesday and, after a long debate, agreed the budget for schools, roads and the new library. ";
export function proseBodies(size: number): { markdown: string; html: string } {
  return { markdown: repeatTo(`${prose.repeat(4)}\n\n`, size), html: repeatTo(`<p>${prose.repeat(4)}</p>\n`, size) };
}

interface Case {
  name: string;
  markdown?: string;
  html?: string;
}

/** Backtick runs of growing length: each opener has no closer of the same length. */
function growingBackticks(size: number): string {
  let out = "";
  for (let k = 1; out.length < size; k++) out += `${"`".repeat(k % 200 || 200)}a`;
  return out;
}

/** The adversarial bodies, each about `size` characters. */
export function cases(size: number): Case[] {
  const fill = (unit: string) => repeatTo(unit, size);
  return [
    {
      name: "srcset ending in commas",
      markdown: `<img srcset="a.png${fill(",")}">`,
      html: `<img srcset="a.png${fill(",")}">`,
    },
    { name: "srcset URL with a run of commas inside", html: `<img srcset="a${fill(",")}b, c.png 2x">` },
    { name: "srcset of many candidates", html: `<img srcset="${fill("a.png 1x,")}">` },
    { name: "_a_a_a runs", markdown: fill("_a") },
    { name: "*a_ mixed emphasis", markdown: fill("*a_") },
    { name: "* run", markdown: fill("*") },
    { name: "** run with letters", markdown: fill("**a") },
    { name: "~~ run with letters", markdown: fill("~~a") },
    { name: "email-like tokens", markdown: fill("a.b@c.de ") },
    { name: "email-like tokens, no spaces", markdown: fill("a@b.c") },
    { name: "http:// tokens", markdown: fill("http://a") },
    { name: "www. tokens", markdown: fill("www.a.b ") },
    { name: "[ run", markdown: fill("[") },
    { name: "]( run", markdown: fill("](") },
    { name: "[a]( run", markdown: fill("[a](") },
    { name: "![ run", markdown: fill("![") },
    { name: "backtick run", markdown: fill("`") },
    { name: "backtick runs of growing length", markdown: growingBackticks(size) },
    { name: "< run", markdown: fill("<"), html: fill("<") },
    { name: "<a run (unclosed tags)", markdown: fill("<a "), html: fill("<a ") },
    { name: "<p><i> unclosed tags", html: fill("<p><i>a") },
    { name: "<script> never closed, many", markdown: fill("<script>a "), html: fill("<script>a ") },
    { name: "<style> / <svg> never closed, mixed", markdown: fill("<style>a<svg>b "), html: fill("<style>a<svg>b ") },
    { name: "<!-- run", markdown: fill("<!--"), html: fill("<!--") },
    { name: "& run", markdown: fill("&"), html: fill("&") },
    { name: "&#x run", markdown: fill("&#x"), html: fill("&#x") },
    { name: "&amp entity run, no semicolons", markdown: fill("&amp"), html: fill("&amp") },
    { name: "\\ run", markdown: fill("\\") },
    { name: "deep > nesting (100 levels), many lines", markdown: fill(`${"> ".repeat(100)}text\n`) },
    { name: "deep list nesting (50 levels), many lines", markdown: fill(`${"- ".repeat(50)}text\n`) },
    {
      name: "deep HTML nesting (250 levels), repeated",
      html: fill(`${"<blockquote>".repeat(250)}text${"</blockquote>".repeat(250)}`),
    },
    {
      name: "stray end tags under 250 open elements",
      markdown: `${"<div>".repeat(250)}\n${fill("</x>")}`,
      html: `${"<div>".repeat(250)}${fill("</x>")}`,
    },
    { name: "long line without spaces", markdown: fill("abcdefghij"), html: fill("abcdefghij") },
    { name: "| run after a table head", markdown: `a|b\n-|-\n${fill("|")}` },
    { name: "table rows", markdown: `a|b\n-|-\n${fill("a|b\n")}` },
    { name: "one-letter lines, setext underline at the end", markdown: `${fill("a\n")}=` },
    { name: "link reference definitions", markdown: fill("[a]: b\n") },
    { name: "# run", markdown: fill("#") },
    { name: "``` fences never closed", markdown: fill("```\n") },
    { name: "1. list items", markdown: fill("1. a\n") },
  ];
}

/** The whole pipeline on one body; refusing it (too large, nested too deeply) counts as done. */
function pipeline(body: { markdown: string } | { html: string }): () => string {
  const input = { title: "Adversarial", date: "2022-01-10T10:00:00Z", ...body };
  return () => {
    try {
      articleFromJson(input, { siteUrl: SITE, slug: "adversarial" });
      return "stored";
    } catch (error) {
      if (error instanceof ArticleError) return `refused (${error.message.replace(/^\w+: /, "").slice(0, 44)})`;
      throw error;
    }
  };
}

function time(fn: () => unknown): number {
  settle();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;

/**
 * For each case: the 1 MB body (A), 1 MB of prose (P) and the same pattern at a quarter of the
 * size (Q), alternating A P Q for ROUNDS rounds after one warm-up. A/P is the cost against prose;
 * A/Q is near 4 when the work is linear (a quadratic pattern reads near 16).
 */
export function run(rounds = 3): void {
  const prose = proseBodies(SIZE);
  const quarter = cases(SIZE / 4);
  console.log(
    `${"case (body field)".padEnd(54)}${"1 MB".padStart(9)}${"prose".padStart(9)}  vs prose  1 MB / 250 KB  outcome`,
  );
  cases(SIZE).forEach((c, index) => {
    for (const kind of ["markdown", "html"] as const) {
      const body = c[kind];
      const small = quarter[index]?.[kind];
      if (body === undefined || small === undefined) continue;
      const a = pipeline(kind === "markdown" ? { markdown: body } : { html: body });
      const p = pipeline(kind === "markdown" ? { markdown: prose.markdown } : { html: prose.html });
      const q = pipeline(kind === "markdown" ? { markdown: small } : { html: small });
      const outcome = a();
      p();
      q();
      const as: number[] = [];
      const ps: number[] = [];
      const qs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        as.push(time(a));
        ps.push(time(p));
        qs.push(time(q));
      }
      const [ta, tp, tq] = [median(as), median(ps), median(qs)];
      console.log(
        `${`${c.name} (${kind})`.padEnd(54)}${`${ta.toFixed(0)} ms`.padStart(9)}${`${tp.toFixed(0)} ms`.padStart(9)}${`${(ta / tp).toFixed(2)}x`.padStart(10)}${`${(ta / tq).toFixed(2)}x`.padStart(15)}  ${outcome}`,
      );
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) run();
