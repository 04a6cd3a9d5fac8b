// Allowlist HTML sanitizer: parses with htmlparser2 and writes fresh markup, keeping only known
// elements and attributes, and making every URL absolute against the article's URL.

import { Parser } from "htmlparser2";
import { ArticleError } from "./errors.js";
import { cleanText, escapeHtml, SITE_MARK } from "./text.js";

export interface SanitizeOptions {
  /** Absolute URL that relative references resolve against (the article's URL). */
  baseUrl: string;
  /** Hosts whose <iframe>s are kept (e.g. "www.youtube-nocookie.com"); none by default. */
  iframeHosts?: readonly string[];
  /**
   * Origin of this site ("https://news.example.com"). When set, every URL written whose origin is
   * this one is written as SITE_MARK + path, query and fragment, so links survive a change of port
   * or host; whoever serves the HTML puts the origin back.
   */
  siteOrigin?: string;
  /** The input field named in errors: "html" (the default) or "markdown". */
  field?: string;
}

// No id/name: they could clobber the site page's own DOM.
const GLOBAL_ATTRS = ["title", "lang", "dir"];

const ALLOWED: Record<string, readonly string[]> = {
  a: ["href", "hreflang", "type"],
  abbr: [],
  address: [],
  article: [],
  aside: [],
  audio: ["src", "controls", "loop", "muted", "preload"],
  b: [],
  bdi: [],
  bdo: [],
  blockquote: ["cite"],
  br: [],
  caption: [],
  cite: [],
  code: ["class"],
  col: ["span"],
  colgroup: ["span"],
  dd: [],
  del: ["cite", "datetime"],
  details: ["open"],
  dfn: [],
  div: [],
  dl: [],
  dt: [],
  em: [],
  figcaption: [],
  figure: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  hr: [],
  i: [],
  iframe: ["src", "width", "height", "allowfullscreen"],
  img: ["src", "srcset", "sizes", "alt", "width", "height", "loading"],
  ins: ["cite", "datetime"],
  kbd: [],
  li: ["value"],
  mark: [],
  ol: ["start", "reversed", "type"],
  p: [],
  picture: [],
  pre: [],
  q: ["cite"],
  s: [],
  samp: [],
  section: [],
  small: [],
  source: ["src", "srcset", "sizes", "type", "media"],
  span: [],
  strong: [],
  sub: [],
  summary: [],
  sup: [],
  table: [],
  tbody: [],
  td: ["colspan", "rowspan", "headers", "align"],
  tfoot: [],
  th: ["colspan", "rowspan", "headers", "scope", "align"],
  thead: [],
  time: ["datetime"],
  tr: [],
  track: ["src", "kind", "srclang", "label", "default"],
  u: [],
  ul: [],
  var: [],
  video: ["src", "poster", "controls", "width", "height", "loop", "muted", "playsinline", "preload"],
  wbr: [],
};

/**
 * Elements dropped together with everything inside them, when their end tag closes them. One that
 * is never closed (or only by its parent's end tag) would take the rest of the article or of its
 * parent with it: its opening tag is kept as visible text instead, and what follows is sanitized
 * as usual.
 */
const DROP_WITH_CONTENT = new Set([
  "script",
  "style",
  "template",
  "noscript",
  "noembed",
  "noframes",
  "textarea",
  "select",
  "button",
  "object",
  "applet",
  "frameset",
  "head",
  "title",
  "svg",
  "math",
  "xmp",
  "plaintext",
]);

/**
 * Elements whose content htmlparser2 reads as raw text up to their end tag (`</script`, ...), so
 * an unclosed one swallows the rest of the input before any callback could object. `plaintext`
 * never ends at all.
 */
const RAW_TEXT = ["iframe", "noembed", "noframes", "plaintext", "script", "style", "textarea", "title", "xmp"];
const RAW_TEXT_OPEN = new RegExp(`<(${RAW_TEXT.join("|")})(?=[\\t\\n\\f\\r />])`, "gi");

/**
 * Deepest element nesting kept. Browsers rebuild trees deeper than 512 differently from what was
 * written, recursive readers overflow, and htmlparser2's open-element stack costs time per level.
 */
export const MAX_HTML_DEPTH = 256;

const VOID = new Set([
  "embed",
  "frame",
  "br",
  "col",
  "hr",
  "img",
  "source",
  "track",
  "wbr",
  "input",
  "meta",
  "link",
  "area",
  "base",
  "param",
]);

const URL_ATTRS = new Set(["href", "src", "cite", "poster"]);
const LINK_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:"]);
const MEDIA_SCHEMES = new Set(["http:", "https:"]);

/** An element htmlparser2 holds open: its tags written, unwrapped (only content kept), or dropped. */
type Frame =
  | { kind: "write"; name: string }
  | { kind: "unwrap" }
  /** `slot`: index in the output where its content starts; `tag`: its opening tag as written. */
  | { kind: "drop"; slot: number; tag: string };

/**
 * Returns sanitized HTML; the input may be any string, including hostile or broken markup.
 * Throws an ArticleError naming `options.field` for markup nested deeper than MAX_HTML_DEPTH.
 */
export function sanitizeHtml(html: string, options: SanitizeOptions): string {
  const field = options.field ?? "html";
  const iframeHosts = new Set(options.iframeHosts ?? []);
  const siteOrigin = options.siteOrigin === undefined ? null : new URL(options.siteOrigin).origin;
  const out: string[] = [];
  const stack: Frame[] = [];
  // Drop frames just closed by implication, shown as text unless an opening tag turns out to
  // have closed them (<body> ends <head>, <input> ends <select>): that is a proper end.
  let impliedDrops: Extract<Frame, { kind: "drop" }>[] = [];

  const parseUrl = (value: string, schemes: Set<string>): URL | null => {
    // Browsers ignore ASCII tab and newline anywhere in a URL ("java\tscript:").
    const cleaned = value.replace(/[\t\n\r]/g, "").trim();
    if (!cleaned) return null;
    try {
      const url = new URL(cleaned, options.baseUrl);
      return schemes.has(url.protocol) ? url : null;
    } catch {
      return null;
    }
  };
  // The serialization percent-encodes whatever control characters the URL parser kept.
  const resolve = (value: string, schemes: Set<string>): string | null => {
    const url = parseUrl(value, schemes);
    if (url === null) return null;
    return url.origin === siteOrigin ? `${SITE_MARK}${url.pathname}${url.search}${url.hash}` : url.href;
  };

  const input = escapeUnclosedRawText(html);
  const lastEnd = new Map(RAW_TEXT.map((name) => [name, lastEndTag(input, name)]));

  const parser = new Parser(
    {
      onopentagname() {
        // htmlparser2 reports the closes an opening tag implies right before the tag's name.
        for (const frame of impliedDrops) out.length = Math.min(out.length, frame.slot);
        impliedDrops = [];
      },
      onopentag(name, attribs) {
        if (VOID.has(name) && !ALLOWED[name]) return;
        if (stack.length >= MAX_HTML_DEPTH) {
          throw new ArticleError([{ field, message: `elements are nested more than ${MAX_HTML_DEPTH} levels deep` }]);
        }
        // An end tag inside the opening tag's own attributes (<script title="</script>">) fools
        // the scan above; htmlparser2 would then drop the rest of the input.
        const end = lastEnd.get(name);
        if (end !== undefined && end <= parser.endIndex) {
          throw new ArticleError([{ field, message: `<${name}> is never closed` }]);
        }
        let drop = DROP_WITH_CONTENT.has(name);
        let attrs = "";
        if (name === "iframe") {
          const src = parseUrl(cleanText(attribs.src ?? ""), MEDIA_SCHEMES);
          if (src === null || !iframeHosts.has(src.hostname)) drop = true;
          else attrs = ' sandbox="allow-scripts allow-same-origin allow-popups" loading="lazy"';
        }
        if (drop) {
          // Until it closes, its content is sanitized as if the tag were text, after an empty slot
          // that receives the tag should it never close; closing cuts the output back to the slot.
          stack.push({ kind: "drop", slot: out.length, tag: input.slice(parser.startIndex, parser.endIndex + 1) });
          out.push("");
          return;
        }
        const allowed = ALLOWED[name];
        if (!allowed) {
          if (!VOID.has(name)) stack.push({ kind: "unwrap" });
          return;
        }
        attrs += keptAttributes(attribs, allowed, resolve);
        out.push(`<${name}${attrs}>`);
        if (!VOID.has(name)) stack.push({ kind: "write", name });
      },
      ontext(text) {
        impliedDrops = [];
        out.push(escapeHtml(cleanText(text)));
      },
      onclosetag(name, isImplied) {
        if (VOID.has(name)) return;
        const frame = stack.pop();
        if (!isImplied) impliedDrops = [];
        if (frame === undefined) return;
        if (frame.kind === "write") out.push(`</${frame.name}>`);
        else if (frame.kind === "drop") {
          if (isImplied) {
            out[frame.slot] = escapeHtml(cleanText(frame.tag));
            impliedDrops.push(frame);
          } else out.length = frame.slot;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  parser.write(input);
  parser.end();
  return out.join("");
}

/**
 * The attributes of an allowed element that are kept, written out (` href="…"` each): those
 * `allowed` or GLOBAL_ATTRS name, URLs resolved by `resolve` (null leaves the attribute out).
 */
function keptAttributes(
  attribs: Record<string, string>,
  allowed: readonly string[],
  resolve: (value: string, schemes: Set<string>) => string | null,
): string {
  let attrs = "";
  for (const [rawName, rawValue] of Object.entries(attribs)) {
    if (!allowed.includes(rawName) && !GLOBAL_ATTRS.includes(rawName)) continue;
    let value: string | null = cleanText(rawValue);
    if (URL_ATTRS.has(rawName)) {
      value = resolve(value, rawName === "href" ? LINK_SCHEMES : MEDIA_SCHEMES);
    } else if (rawName === "srcset") {
      value = resolveSrcset(value, (url) => resolve(url, MEDIA_SCHEMES));
    } else if (rawName === "class") {
      // Only code-block language hints survive ("language-ts").
      value =
        value
          .split(/\s+/)
          .filter((c) => /^language-[\w+#.-]+$/.test(c))
          .join(" ") || null;
    }
    if (value === null) continue;
    attrs += ` ${rawName}="${escapeHtml(value)}"`;
  }
  return attrs;
}

/**
 * Turns the `<` of every raw-text opening tag that has no end tag after it into `&lt;`, so the
 * tag reads as text instead of swallowing the rest. Where the match is no tag at all (inside an
 * attribute value, a comment or another element's raw text), `&lt;` decodes to the same `<` or is
 * dropped with its surroundings, so the rewrite changes nothing there. Linear: one search per name.
 */
function escapeUnclosedRawText(html: string): string {
  const lastEnd = new Map(RAW_TEXT.map((name) => [name, name === "plaintext" ? -1 : lastEndTag(html, name)]));
  RAW_TEXT_OPEN.lastIndex = 0;
  return html.replace(RAW_TEXT_OPEN, (match, name: string, offset: number) =>
    offset > (lastEnd.get(name.toLowerCase()) ?? -1) ? `&lt;${match.slice(1)}` : match,
  );
}

/** Index of the last `</name` that htmlparser2 would take as the element's end tag, or -1. */
function lastEndTag(html: string, name: string): number {
  const re = new RegExp(`</${name}[\\t\\n\\f\\r />]`, "gi");
  let last = -1;
  for (let m = re.exec(html); m !== null; m = re.exec(html)) last = m.index;
  return last;
}

/** Rewrites each URL of a srcset list ("a.png 1x, b.png 2x"); null when none survives. */
function resolveSrcset(value: string, resolve: (url: string) => string | null): string | null {
  const candidates: string[] = [];
  const isSpace = (i: number) => /[\t\n\f\r ]/.test(value[i] ?? "");
  let i = 0;
  while (i < value.length) {
    while (i < value.length && (isSpace(i) || value[i] === ",")) i++;
    if (i >= value.length) break;
    const start = i;
    while (i < value.length && !isSpace(i)) i++;
    // A URL ends at white space; trailing commas end the candidate (a loop, not /,+$/, which
    // backtracks over every run of commas inside a hostile URL).
    let end = i;
    while (end > start && value[end - 1] === ",") end--;
    const url = value.slice(start, end);
    let descriptor = "";
    if (end === i) {
      const from = i;
      while (i < value.length && value[i] !== ",") i++;
      descriptor = value.slice(from, i).trim();
    }
    const absolute = resolve(url);
    if (absolute && /^(\d+(\.\d+)?[wx])?$/.test(descriptor)) {
      candidates.push(descriptor ? `${absolute} ${descriptor}` : absolute);
    }
  }
  return candidates.length > 0 ? candidates.join(", ") : null;
}

const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "caption",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "li",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "td",
  "th",
  "tr",
  "ul",
]);

/**
 * Plain text of (sanitized) HTML, white space collapsed: what a derived summary is cut from. An
 * image inside a sentence reads as its alt text; one standing alone in its block is left out.
 * Elements the sanitizer removed leave no " ," or "()" behind.
 */
export function htmlToText(html: string): string {
  const blocks: string[] = [];
  // The current block's pieces: text, and alt texts that count only when the block has text too.
  let pieces: { text: string; alt: boolean }[] = [];
  let hasText = false;
  const endBlock = () => {
    const kept = hasText ? pieces : pieces.filter((p) => !p.alt);
    blocks.push(kept.map((p) => p.text).join(""));
    pieces = [];
    hasText = false;
  };
  const parser = new Parser(
    {
      ontext(text) {
        pieces.push({ text, alt: false });
        if (!hasText && /\S/.test(text)) hasText = true;
      },
      onopentag(name, attribs) {
        if (BLOCK.has(name)) endBlock();
        else if (name === "img" && attribs.alt?.trim()) pieces.push({ text: ` ${attribs.alt} `, alt: true });
      },
      onclosetag(name) {
        if (BLOCK.has(name)) endBlock();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  endBlock();
  return tidy(blocks.join(" "));
}

/** Mends the gaps removed elements leave in text: " ." and " ," and "()" (linear: no backtracking). */
function tidy(text: string): string {
  return (
    text
      .replace(/\s+/g, " ")
      .replace(/[([] ?[)\]]/g, "")
      .replace(/ {2,}/g, " ")
      // Only before punctuation that ends something (".NET", " ]]>" stay as written).
      .replace(/ (?=[.,)\]](?:\s|$|[.,]))/g, "")
      .replace(/([([]) /g, "$1")
      .trim()
  );
}
