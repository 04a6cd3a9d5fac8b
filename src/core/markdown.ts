// Markdown to HTML (GitHub-flavoured). The output is not safe yet: sanitize.ts cleans it.

import { Marked } from "marked";

const marked = new Marked({ gfm: true, breaks: false, async: false });

export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
