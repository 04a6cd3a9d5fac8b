// Sanitized HTML (sanitize.ts's output) to Markdown that renders back to the same HTML through
// markdown.ts: paragraphs, headings, emphasis, links, images, lists, quotes, code and rules become
// Markdown; what Markdown cannot say (tables, figures, video, details, sup, attributes such as
// an image's width) stays HTML, which markdown.ts passes through to the sanitizer again. Text is
// escaped so nothing in it reads as Markdown. Linear in the input: each node is visited once and
// the output is built in arrays.

import { Parser } from "htmlparser2";
import { escapeHtml } from "../text.js";

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: (Node | string)[];
}

/** HTML's white space; a no-break space is text and stays. */
const WHITE_SPACE = /[ \t\n\r\f]+/g;
const VOID = new Set(["br", "col", "hr", "img", "source", "track", "wbr"]);
/** Blocks Markdown writes itself; their attributes (only title, lang, dir) are left out. */
const INLINE_MARKDOWN = new Set(["a", "b", "strong", "i", "em", "code", "del", "s", "img", "br"]);
const INLINE_HTML = new Set([
  "abbr",
  "bdi",
  "bdo",
  "cite",
  "dfn",
  "ins",
  "kbd",
  "mark",
  "q",
  "samp",
  "small",
  "span",
  "sub",
  "sup",
  "time",
  "u",
  "var",
  "wbr",
]);
/** Containers whose content is kept and the element itself dropped: no attribute of theirs shows. */
const UNWRAP = new Set(["div", "section", "article"]);
/** HTML block start conditions of CommonMark (4.6, kind 6) that the output uses as they are. */
const HTML_BLOCK = new Set(
  "address aside details dl figure iframe table ul ol blockquote pre h1 h2 h3 h4 h5 h6 p hr".split(" "),
);
/** Quotes and lists nested deeper than this are written as HTML (markdown.ts refuses past 100). */
const MAX_MARKDOWN_NESTING = 40;
/**
 * Emphasis whose content starts and ends with a letter or digit is written with Markdown's marks;
 * other content (punctuation or other marks at an end) could leave the marks unread, so it keeps
 * its HTML tags (CommonMark 6.2, left- and right-flanking delimiter runs).
 */
const WORDLIKE_ENDS = /^[\p{L}\p{N}](?:[\s\S]*[\p{L}\p{N}])?$/u;
/** Inline elements nested deeper than this are written as HTML (markdown.ts stops at 20). */
const MAX_INLINE_NESTING = 10;

/** Rewrites a media URL (an image found beside the export becomes a file under public/). */
export type MapMediaUrl = (url: string) => string;

function mapAttrs(attrs: Record<string, string>, map: MapMediaUrl): Record<string, string> {
  const out = { ...attrs };
  for (const key of ["src", "poster"]) if (out[key]) out[key] = map(out[key]);
  if (out.srcset) {
    out.srcset = out.srcset
      .split(",")
      .map((candidate) => candidate.trim().replace(/^\S+/, (url) => map(url)))
      .join(", ");
  }
  return out;
}

function parse(html: string, map: MapMediaUrl): Node {
  const root: Node = { name: "#root", attrs: {}, children: [] };
  const stack: Node[] = [root];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const node: Node = { name, attrs: mapAttrs(attrs, map), children: [] };
        (stack.at(-1) as Node).children.push(node);
        if (!VOID.has(name)) stack.push(node);
      },
      onclosetag(name) {
        if (!VOID.has(name) && stack.length > 1) stack.pop();
      },
      ontext(text) {
        // htmlparser2 gives a decoded entity as a chunk of its own: one string per run of text,
        // so that escaping sees "&" and what follows it together.
        const children = (stack.at(-1) as Node).children;
        const last = children.length - 1;
        if (typeof children[last] === "string") children[last] += text;
        else children.push(text);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return root;
}

const isBlock = (node: Node | string): boolean =>
  typeof node !== "string" && !INLINE_MARKDOWN.has(node.name) && !INLINE_HTML.has(node.name);

/**
 * Escapes text so that Markdown shows it as written (white space has been collapsed already).
 * An "&" is written as "&amp;" only where it would start an entity; "#", ">" and list marks
 * matter only at the start of a line (escapeLineStart).
 */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<|~]/g, "\\$&").replace(/&(?=#?[0-9A-Za-z]{1,32};)/g, "&amp;");
}

/** A line that would start a block (a heading, list item, quote, rule) has its first mark escaped. */
function escapeLineStart(line: string): string {
  return line.replace(/^(\s*)([-+=>#]|\d{1,9}(?=[.)]))/, (_, space: string, mark: string) =>
    /^\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
  );
}

function attrsHtml(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([k, v]) => (v === "" ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`))
    .join("");
}

/** The node as HTML on lines without a blank one (which would end an HTML block). */
function rawHtml(node: Node | string, inPre = false): string {
  if (typeof node === "string") {
    const text = escapeHtml(node);
    return inPre ? text.replace(/\n/g, "&#10;") : text.replace(WHITE_SPACE, " ");
  }
  const open = `<${node.name}${attrsHtml(node.attrs)}>`;
  if (VOID.has(node.name)) return open;
  const pre = inPre || node.name === "pre";
  return `${open}${node.children.map((c) => rawHtml(c, pre)).join("")}</${node.name}>`;
}

function rawBlock(node: Node): string {
  const html = rawHtml(node);
  return HTML_BLOCK.has(node.name) ? html : `<div>${html}</div>`;
}

function destination(url: string): string {
  return /[\s()<>]/.test(url) ? `<${url.replace(/[<>\n]/g, encodeURIComponent)}>` : url;
}

function linkTitle(attrs: Record<string, string>): string {
  const title = attrs.title;
  return title ? ` "${title.replace(WHITE_SPACE, " ").replace(/["\\]/g, "\\$&")}"` : "";
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || /^ .* $/.test(text) ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function textContent(node: Node | string): string {
  if (typeof node === "string") return node;
  const parts: string[] = [];
  const walk = (n: Node) => {
    for (const c of n.children) {
      if (typeof c === "string") parts.push(c);
      else if (c.name === "br") parts.push("\n");
      else walk(c);
    }
  };
  walk(node);
  return parts.join("");
}

/**
 * Inline content to Markdown (one paragraph's worth; hard breaks as "\" and a line end). Emphasis
 * nested deeper than MAX_INLINE_NESTING is written as HTML: markdown.ts leaves deeper marks as text.
 */
function inline(nodes: readonly (Node | string)[], depth = 0): string {
  const out: string[] = [];
  for (const node of nodes) {
    if (typeof node === "string") {
      out.push(escapeText(node.replace(WHITE_SPACE, " ")));
      continue;
    }
    const { name, attrs, children } = node;
    if (depth >= MAX_INLINE_NESTING && name !== "br") out.push(rawHtml(node));
    else if (name === "br") out.push("\\\n");
    else if (name === "img") {
      const alt = escapeText((attrs.alt ?? "").replace(WHITE_SPACE, " "));
      const extra = Object.keys(attrs).filter((k) => !["src", "alt", "title"].includes(k));
      // Markdown has no width, height or srcset: an image with them stays HTML.
      if (extra.length > 0 || !attrs.src) out.push(rawHtml(node));
      else out.push(`![${alt}](${destination(attrs.src)}${linkTitle(attrs)})`);
    } else if (name === "a") {
      const text = inline(children, depth + 1).trim();
      if (!attrs.href) out.push(text);
      else if (Object.keys(attrs).some((k) => k !== "href" && k !== "title")) out.push(rawHtml(node));
      else out.push(`[${text}](${destination(attrs.href)}${linkTitle(attrs)})`);
    } else if (name === "code") {
      const text = textContent(node).replace(/\n/g, " ");
      out.push(text === "" ? "" : codeSpan(text));
    } else {
      const mark = { b: "**", strong: "**", i: "*", em: "*", del: "~~", s: "~~" }[name];
      const content = inline(children, depth + 1);
      const trimmed = content.trim();
      if (trimmed === "") out.push(content);
      else if (mark && WORDLIKE_ENDS.test(trimmed)) {
        // Emphasis cannot start or end with a space: move the spaces outside the marks.
        const lead = content.match(/^\s*/)?.[0] ?? "";
        const tail = content.match(/\s*$/)?.[0] ?? "";
        out.push(`${lead}${mark}${trimmed}${mark}${tail}`);
      } else out.push(`<${name}${attrsHtml(attrs)}>${content}</${name}>`);
    }
  }
  return out.join("");
}

function paragraph(nodes: readonly (Node | string)[]): string | null {
  const text = inline(nodes)
    .split("\n")
    .map((line) => escapeLineStart(line.trim()))
    .join("\n")
    .trim();
  return text === "" || text === "\\" ? null : text.replace(/\\$/, "");
}

/** Block content to Markdown blocks; runs of inline nodes become paragraphs. */
function blocks(nodes: readonly (Node | string)[], nesting: number): string[] {
  const out: string[] = [];
  let run: (Node | string)[] = [];
  const flush = () => {
    const text = paragraph(run);
    if (text !== null) out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (!isBlock(node)) {
      run.push(node);
      continue;
    }
    flush();
    const block = blockOf(node as Node, nesting);
    if (block !== null) out.push(...block);
  }
  flush();
  return out;
}

function indent(text: string, first: string, rest: string): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 ? first + line : line === "" ? "" : rest + line))
    .join("\n");
}

function blockOf(node: Node, nesting: number): string[] | null {
  const { name, children } = node;
  if (UNWRAP.has(name)) return blocks(children, nesting);
  if (name === "p") {
    const text = paragraph(children);
    return text === null ? null : [text];
  }
  const heading = /^h([1-6])$/.exec(name);
  if (heading) {
    const text = inline(children).replace(/\\\n/g, " ").replace(WHITE_SPACE, " ").trim();
    return text === "" ? null : [`${"#".repeat(Number(heading[1]))} ${text}`];
  }
  if (name === "hr") return ["---"];
  if (name === "pre") {
    const code = children.length === 1 && typeof children[0] !== "string" && children[0]?.name === "code";
    const text = textContent(node).replace(/\n$/, "");
    const language = code ? /(?:^|\s)language-(\S+)/.exec((children[0] as Node).attrs.class ?? "")?.[1] : undefined;
    const longest = Math.max(2, ...(text.match(/^ *`+/gm) ?? []).map((run) => run.trim().length));
    const fence = "`".repeat(longest + 1);
    return [`${fence}${language && !language.includes("`") ? language : ""}\n${text}\n${fence}`];
  }
  if ((name === "blockquote" || name === "ul" || name === "ol") && nesting >= MAX_MARKDOWN_NESTING) {
    return [rawBlock(node)];
  }
  if (name === "blockquote" && Object.keys(node.attrs).length === 0) {
    const inner = blocks(children, nesting + 1).join("\n\n");
    return [
      inner
        .split("\n")
        .map((line) => (line === "" ? ">" : `> ${line}`))
        .join("\n"),
    ];
  }
  if ((name === "ul" || name === "ol") && Object.keys(node.attrs).every((k) => k === "start")) {
    let number = Number.parseInt(node.attrs.start ?? "1", 10);
    if (!Number.isFinite(number) || number < 0 || number > 999_999_999) number = 1;
    const items: string[] = [];
    let loose = false;
    for (const item of children) {
      if (typeof item === "string") continue;
      const inner = item.name === "li" ? blocks(item.children, nesting + 2) : blocks([item], nesting + 2);
      // An item written with <p> is loose (blank lines between its blocks); one without is tight.
      const paragraphs = item.children.some((c) => typeof c !== "string" && c.name === "p");
      if (paragraphs && inner.length > 1) loose = true;
      const marker = name === "ul" ? "- " : `${number++}. `;
      const body = inner.join(paragraphs ? "\n\n" : "\n");
      // An empty item, or one that starts with a blank line, would not be read as an item.
      items.push(indent(body === "" ? "" : body, marker, " ".repeat(marker.length)).trimEnd() || marker.trim());
    }
    return items.length === 0 ? null : [items.join(loose ? "\n\n" : "\n")];
  }
  return [rawBlock(node)];
}

/** Markdown for sanitized HTML. */
export function htmlToMarkdown(html: string, map: MapMediaUrl = (url) => url): string {
  const text = blocks(parse(html, map).children, 0).join("\n\n");
  return text === "" ? "" : `${text}\n`;
}
