// Splits a Markdown document into its YAML front matter and body.

import { parse, YAMLParseError } from "yaml";
import { ArticleError } from "./errors.js";

export interface MarkdownDocument {
  fields: unknown;
  body: string;
  /** 1-based line of the body's first line in the original text, for error messages. */
  bodyLine: number;
}

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/m;

export function splitFrontMatter(text: string): MarkdownDocument {
  const open = OPEN.exec(text);
  if (!open) {
    throw new ArticleError([
      { field: "front matter", message: 'must start the document: a line "---", YAML, then "---"' },
    ]);
  }
  const rest = text.slice(open[0].length);
  const close = CLOSE.exec(rest);
  if (!close) throw new ArticleError([{ field: "front matter", message: 'has no closing "---" line' }]);
  const yaml = rest.slice(0, close.index);
  let fields: unknown;
  try {
    // The YAML 1.2 core schema keeps dates as strings, so they are validated like any other input.
    fields = parse(yaml, { schema: "core", uniqueKeys: true, maxAliasCount: 10 });
  } catch (error) {
    const line = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line + 1})` : "";
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ArticleError([{ field: "front matter", message: `is not valid YAML${line}: ${message}` }]);
  }
  let body = rest.slice(close.index + close[0].length);
  body = body.replace(/^\r?\n/, "");
  const bodyLine = text.slice(0, text.length - body.length).split("\n").length;
  return { fields: fields ?? {}, body, bodyLine };
}
