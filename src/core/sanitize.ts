// Allowlist HTML sanitizer: parses with htmlparser2 and writes fresh markup, keeping only known
// elements and attributes, and making every URL absolute against the article's URL.

import { Parser } from "htmlparser2";
import { cleanText, escapeHtml } from "./text.js";

export interface SanitizeOptions {
  /** Absolute URL that relative references resolve against (the article's URL). */
  baseUrl: string;
  /** Hosts whose <iframe>s are kept (e.g. "www.youtube-nocookie.com"); none by default. */
  iframeHosts?: readonly string[];
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

/** Elements dropped together with everything inside them. */
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
  "embed",
  "applet",
  "frame",
  "frameset",
  "head",
  "title",
  "svg",
  "math",
  "xmp",
  "plaintext",
]);

const VOID = new Set([
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

/** Returns sanitized HTML; the input may be any string, including hostile or broken markup. */
export function sanitizeHtml(html: string, options: SanitizeOptions): string {
  const iframeHosts = new Set(options.iframeHosts ?? []);
  const out: string[] = [];
  // One entry per open element: true when its tags were written, false when unwrapped.
  const stack: boolean[] = [];
  let dropDepth = 0;

  const resolve = (value: string, schemes: Set<string>): string | null => {
    // Browsers ignore ASCII tab and newline anywhere in a URL ("java\tscript:").
    const cleaned = value.replace(/[\t\n\r]/g, "").trim();
    if (!cleaned) return null;
    try {
      const url = new URL(cleaned, options.baseUrl);
      return schemes.has(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0 || DROP_WITH_CONTENT.has(name)) {
          if (!VOID.has(name)) dropDepth++;
          return;
        }
        const allowed = ALLOWED[name];
        let attrs = "";
        if (allowed && name === "iframe") {
          const src = resolve(attribs.src ?? "", MEDIA_SCHEMES);
          if (!src || !iframeHosts.has(new URL(src).hostname)) {
            dropDepth++;
            return;
          }
          attrs = ' sandbox="allow-scripts allow-same-origin allow-popups" loading="lazy"';
        }
        if (!allowed) {
          if (!VOID.has(name)) stack.push(false);
          return;
        }
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
        out.push(`<${name}${attrs}>`);
        if (!VOID.has(name)) stack.push(true);
      },
      ontext(text) {
        if (dropDepth === 0) out.push(escapeHtml(cleanText(text)));
      },
      onclosetag(name) {
        if (VOID.has(name)) return;
        if (dropDepth > 0) {
          dropDepth--;
          return;
        }
        if (stack.pop()) out.push(`</${name}>`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();
  return out.join("");
}

/** Rewrites each URL of a srcset list ("a.png 1x, b.png 2x"); null when none survives. */
function resolveSrcset(value: string, resolve: (url: string) => string | null): string | null {
  const candidates: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i] ?? "")) i++;
    if (i >= value.length) break;
    let start = i;
    while (i < value.length && !/\s/.test(value[i] ?? "")) i++;
    let url = value.slice(start, i);
    let descriptor = "";
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
    } else {
      start = i;
      while (i < value.length && value[i] !== ",") i++;
      descriptor = value.slice(start, i).trim();
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

/** Plain text of (sanitized) HTML, white space collapsed. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  const gap = (name: string) => {
    if (BLOCK.has(name)) parts.push(" ");
  };
  const parser = new Parser(
    {
      ontext(text) {
        parts.push(text);
      },
      onopentag: gap,
      onclosetag: gap,
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return parts.join("").replace(/\s+/g, " ").trim();
}
