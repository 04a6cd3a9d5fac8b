// The correctness layer around the `feed` package's XML: every piece of text and every URL
// goes through `feed` as an opaque placeholder, and is written back afterwards with our own
// escaping. `feed` (through xml-js) escapes only `&` in attributes, un-escapes "&amp;" already
// in text, wraps titles in CDATA as HTML, and splits only the first "]]>" of a CDATA section;
// placeholders contain none of the characters it mishandles.

import { escapeHtml } from "../text.js";

const OPEN = "\uE000";
const CLOSE = "\uE001";
const CDATA_OPEN = "<![CDATA[";
const CDATA_CLOSE = "]]>";

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
    return `${OPEN}${this.markup.push(markup) - 1}${CLOSE}`;
  }

  text(value: string): string {
    return this.put(escapeXml(value));
  }

  rssText(value: string): string {
    return this.put(escapeRssText(value));
  }

  /** One linear pass with indexOf: cheaper than a regular expression over the whole document. */
  fill(xml: string): string {
    const parts: string[] = [];
    let position = 0;
    for (let start = xml.indexOf(OPEN); start >= 0; start = xml.indexOf(OPEN, position)) {
      const end = xml.indexOf(CLOSE, start);
      const markup = this.markup[Number(xml.slice(start + 1, end))] ?? "";
      let from = start;
      let to = end + 1;
      const wrapped =
        start - CDATA_OPEN.length >= position &&
        xml.startsWith(CDATA_OPEN, start - CDATA_OPEN.length) &&
        xml.startsWith(CDATA_CLOSE, to);
      if (wrapped) {
        from -= CDATA_OPEN.length;
        to += CDATA_CLOSE.length;
      }
      parts.push(xml.slice(position, from), markup);
      position = to;
    }
    parts.push(xml.slice(position));
    return parts.join("");
  }
}
