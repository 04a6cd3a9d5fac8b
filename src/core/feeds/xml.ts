// The correctness layer around the `feed` package's XML: every piece of text and every URL
// goes through `feed` as an opaque placeholder, and is written back afterwards with our own
// escaping. `feed` (through xml-js) escapes only `&` in attributes, un-escapes "&amp;" already
// in text, wraps titles in CDATA as HTML, and splits only the first "]]>" of a CDATA section;
// placeholders contain none of the characters it mishandles.

import { escapeHtml } from "../text.js";

const PLACEHOLDER = /(?:<!\[CDATA\[)?\uE000(\d+)\uE001(?:\]\]>)?/g;

/** Text for an XML text node or a quoted attribute. */
export const escapeXml = escapeHtml;

const RSS_ESCAPES: Record<string, string> = { "&": "&#x26;", "<": "&#x3C;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Plain text in RSS, as the RSS Best Practices Profile asks: "&" and "<" as hexadecimal
 * character references, which readers that decode entities twice still show correctly.
 */
export function escapeRssText(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => RSS_ESCAPES[ch] ?? ch);
}

/** A CDATA section that holds any text, every "]]>" split (not only the first). */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

export class Placeholders {
  private readonly markup: string[] = [];

  /** A placeholder that becomes exactly `markup`, with any CDATA wrapper `feed` put around it removed. */
  put(markup: string): string {
    return `\uE000${this.markup.push(markup) - 1}\uE001`;
  }

  text(value: string): string {
    return this.put(escapeXml(value));
  }

  rssText(value: string): string {
    return this.put(escapeRssText(value));
  }

  fill(xml: string): string {
    return xml.replace(PLACEHOLDER, (_, index: string) => this.markup[Number(index)] ?? "");
  }
}
