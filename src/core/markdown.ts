// Markdown to HTML (GitHub-flavoured: tables, strikethrough, fenced code, autolinks), with
// markdown-it, whose parser is linear on pathological input (it runs CommonMark's pathological
// tests; `marked` was quadratic on emphasis and link runs). The output is not safe yet:
// sanitize.ts cleans it.

import MarkdownIt from "markdown-it";
import { ArticleError } from "./errors.js";

/**
 * Deepest block nesting accepted: a quote adds one level, a list level two (the list and its item).
 * Far beyond any real article, and shallow enough for the recursive block parser and for readers.
 */
export const MAX_BLOCK_NESTING = 100;

const md = new MarkdownIt("default", {
  html: true,
  linkify: true,
  typographer: false,
  breaks: false,
  langPrefix: "language-",
});

// markdown-it silently drops the rest of a document past maxNesting: for blocks, the rule below
// refuses first (containers add at most two levels at a time, so the margin is never reached).
// Inline, deeper nesting is kept as text, and each level multiplies the work a run of "[" or "!["
// costs, so inline parsing gets the shallow limit of markdown-it's CommonMark preset.
const BLOCK_MAX_NESTING = MAX_BLOCK_NESTING + 10;
const INLINE_MAX_NESTING = 20;
md.core.ruler.before("block", "block_nesting", (state) => {
  state.md.options.maxNesting = BLOCK_MAX_NESTING;
});
md.core.ruler.before("inline", "inline_nesting", (state) => {
  state.md.options.maxNesting = INLINE_MAX_NESTING;
});

// GFM autolinks URLs with a scheme, "www." hosts and email addresses; linkify-it's fuzzy links
// would also turn words like "notes.md" into links, so only those starting "www." are kept.
md.linkify.set({ fuzzyLink: true });
// linkify-it runs its long fuzzy-link regex over every paragraph (its quick pre-check lets any text
// through): a third of the time a plain article took to render. A link that survives the filter
// needs "//" (http, https, ftp and "//" links), "mailto:", "@" (email) or "www."; text with none of
// them is not searched at all. Text with one is searched as before, since a fuzzy match dropped by
// the filter still hides any link inside it.
const mayHoldLink = (text: string) => /\/\/|mailto:|@|www\./i.test(text);
const linkifyTest = md.linkify.test.bind(md.linkify);
const linkifyMatch = md.linkify.match.bind(md.linkify);
md.linkify.test = (text) => mayHoldLink(text) && linkifyTest(text);
md.linkify.match = (text) =>
  mayHoldLink(text)
    ? (linkifyMatch(text) ?? []).filter((link) => link.schema !== "" || /^www\./i.test(link.raw))
    : null;

// The sanitizer is the one gate for URLs (it drops a javascript: href and keeps the link text);
// markdown-it's own check would leave a refused link as its Markdown source.
md.validateLink = () => true;

md.block.ruler.before("table", "nesting_limit", (state) => {
  if (state.level > MAX_BLOCK_NESTING) {
    throw new ArticleError([
      {
        field: "markdown",
        message: `quotes and lists are nested more than ${MAX_BLOCK_NESTING} levels deep (a list level counts two)`,
      },
    ]);
  }
  return false;
});

// GFM writes table cell alignment as the align attribute; markdown-it as a style, which the
// sanitizer drops.
md.core.ruler.push("table_align", (state) => {
  for (const token of state.tokens) {
    if (token.type !== "th_open" && token.type !== "td_open") continue;
    const align = String(token.attrGet("style") ?? "").match(/^text-align:(left|right|center)$/)?.[1];
    if (!align) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== "style");
    token.attrSet("align", align);
  }
});

// GFM and GitHub write strikethrough as <del>.
md.renderer.rules.s_open = () => "<del>";
md.renderer.rules.s_close = () => "</del>";

/** Renders Markdown; throws an ArticleError (field "markdown") for input nested too deeply. */
export function markdownToHtml(markdown: string): string {
  return md.render(markdown);
}
