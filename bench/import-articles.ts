// The article import on adversarial input of about 1 MB: each of adversarial.ts's HTML bodies as
// one feed item's content:encoded through the whole item path (sanitize, HTML to Markdown, the
// check with the content sync's parser), and whole feed documents through the XML reader, each
// against the same input at a quarter of the size. 1 MB / 250 KB near 4 means linear work (a
// quadratic pattern reads near 16).

import { convertItem, readSource } from "../src/core/import-articles/index.js";
import type { ImportedItem } from "../src/core/import-articles/model.js";
import { cases, proseBodies } from "./adversarial.js";
import { median, settle } from "./lib.js";

const SIZE = 1_000_000;

function item(html: string): ImportedItem {
  return {
    label: "item 1",
    title: "Adversarial",
    date: "2022-01-10T10:00:00Z",
    slug: "adversarial",
    authors: [],
    tags: [],
    html,
    htmlField: "content:encoded",
    summaryOnly: false,
    draft: false,
  };
}

const convert = (html: string) => () => {
  const out = convertItem(item(html), { file: "bench.xml", taken: new Set() });
  return "problems" in out
    ? `refused (${(out.problems[0] ?? "").split(": ").slice(2).join(": ").slice(0, 40)})`
    : "written";
};

/** Feed documents of about `size` characters. */
function documents(size: number): { name: string; text: string }[] {
  const wrap = (items: string) => `<rss version="2.0"><channel><title>T</title>${items}</channel></rss>`;
  const one = `<item><title>A title</title><pubDate>Mon, 10 Jan 2022 16:00:00 +0600</pubDate><description>${"x".repeat(200)}</description></item>`;
  const fill = (unit: string) => unit.repeat(Math.max(1, Math.floor(size / unit.length)));
  return [
    { name: "many small items", text: wrap(fill(one)) },
    {
      name: "one huge CDATA field",
      text: wrap(`<item><title>T</title><description><![CDATA[${fill("a<b>&")}]]></description></item>`),
    },
    { name: "& and entity runs in text", text: wrap(`<item><title>${fill("&amp;&#x41;&")}</title></item>`) },
    { name: "elements 150 deep, repeated", text: wrap(fill(`${"<i>".repeat(150)}x${"</i>".repeat(150)}`)) },
    { name: "unclosed elements past the depth limit", text: wrap(fill("<i>")) },
    { name: "<! declarations", text: `${fill("<!x>")}${wrap("")}` },
  ];
}

const read = (text: string) => () => {
  try {
    return `${readSource(text, "bench.xml").items.length} item(s)`;
  } catch (error) {
    return `refused (${String((error as Error).message)
      .split(": ")
      .slice(1)
      .join(": ")
      .slice(0, 40)})`;
  }
};

function time(fn: () => unknown): number {
  settle();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function row(name: string, a: () => string, q: () => string, p: (() => string) | null, rounds: number): void {
  const outcome = a();
  q();
  p?.();
  const as: number[] = [];
  const qs: number[] = [];
  const ps: number[] = [];
  for (let r = 0; r < rounds; r++) {
    as.push(time(a));
    qs.push(time(q));
    if (p) ps.push(time(p));
  }
  const [ta, tq] = [median(as), median(qs)];
  const vsProse = p ? `${(ta / median(ps)).toFixed(2)}x` : "";
  console.log(
    `${name.padEnd(54)}${`${ta.toFixed(0)} ms`.padStart(9)}${vsProse.padStart(10)}${`${(ta / tq).toFixed(2)}x`.padStart(15)}  ${outcome}`,
  );
}

export function run(rounds = 3): void {
  console.log(`${"case".padEnd(54)}${"1 MB".padStart(9)}  vs prose  1 MB / 250 KB  outcome`);
  const prose = convert(proseBodies(SIZE).html);
  const quarter = cases(SIZE / 4);
  cases(SIZE).forEach((c, index) => {
    const small = quarter[index]?.html;
    if (c.html === undefined || small === undefined) return;
    row(`${c.name} (content:encoded)`, convert(c.html), convert(small), prose, rounds);
  });
  const smallDocs = documents(SIZE / 4);
  documents(SIZE).forEach((d, index) => {
    row(`feed: ${d.name}`, read(d.text), read(smallDocs[index]?.text ?? ""), null, rounds);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) run();
