// Markdown whose HTML Markdown itself would not pass through unchanged (blank lines in code, in a
// quote's code, between a list item's paragraphs; a table; a tab; right-to-left text and emoji):
// the article export's tests write it, export it and read it back.

export const HARD_MARKDOWN = [
  "Para with [a link](/articles/x), <b>html</b> and a break  ",
  "next line.",
  "",
  "```js",
  "const a = 1;",
  "",
  "",
  "    indented after blank lines",
  "```",
  "",
  "> ```",
  "> code in a quote",
  ">",
  "> after a blank line",
  "> ```",
  "",
  "- item",
  "",
  "  second paragraph of the item",
  "",
  "| a | b |",
  "|---|---|",
  "| 1 | 2 |",
  "",
  "\tTabbed code",
  "",
  "Right-to-left: שלום, emoji 🎉, and Cyrillic: Токаев.",
].join("\n");
