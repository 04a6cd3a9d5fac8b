// What the console's edition preview reads from a digest as sent: its preheader, its size against
// Gmail's clip, and the dark-mode variant of its HTML. A frame cannot be told that its reader prefers dark (in most
// browsers prefers-color-scheme inside a frame is the viewer's own), so the dark variant makes the
// email's own `prefers-color-scheme: dark` rules apply unconditionally, as a mail client in dark
// mode that honours them (Apple Mail, iOS Mail, Outlook on the web) shows it. A client that
// recolours on its own (Gmail's apps, Outlook's) cannot be imitated.

import { Parser } from "htmlparser2";

/** Gmail clips a message whose HTML is over 102 KB (102 × 1024 bytes) behind "[Message clipped]". */
export const GMAIL_CLIP_BYTES = 102 * 1024;

const encoder = new TextEncoder();

/** The HTML's size as it travels: UTF-8 bytes. */
export function htmlBytes(html: string): number {
  return encoder.encode(html).byteLength;
}

/** Whether Gmail clips an HTML part of this many bytes. */
export function clipped(bytes: number): boolean {
  return bytes > GMAIL_CLIP_BYTES;
}

// A feature that always holds on a screen, and one that never does (a negative width is false).
const ALWAYS = "(min-width: 0px)";
const NEVER = "(max-width: -1px)";

/** The HTML as a reader who prefers dark sees it (see the top of this file). */
export function darkVariant(html: string): string {
  const forced = html
    .replace(/\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi, ALWAYS)
    .replace(/\(\s*prefers-color-scheme\s*:\s*light\s*\)/gi, NEVER);
  const style = "<style>:root{color-scheme:dark !important}</style>";
  const head = forced.search(/<\/head>/i);
  return head < 0 ? style + forced : forced.slice(0, head) + style + forced.slice(head);
}

/**
 * The preheader an inbox shows after the subject: the text of the hidden block the template opens
 * its body with (mj-preview, the first div among the body's children), as the reader's client
 * reads it, entities decoded. Empty when absent. The parse stops where that div ends: parsing
 * a whole 60 KB digest took longer than the rest of the console's preview page.
 */
export function preheaderOf(html: string): string {
  // -1 until <body>; then how many elements are open inside it.
  let depth = -1;
  let preview = null as { hidden: boolean } | null;
  let text = "";
  const parser: Parser = new Parser({
    onopentag(name, attribs) {
      if (depth < 0) {
        if (name === "body") depth = 0;
        return;
      }
      if (!preview && depth === 0 && name === "div") preview = { hidden: /display:\s*none/.test(attribs.style ?? "") };
      depth++;
    },
    ontext(data) {
      if (preview) text += data;
    },
    onclosetag() {
      if (depth < 0) return;
      // The body's own end (no div in it), or the end of the first div.
      if (depth === 0 || (preview && depth === 1)) {
        parser.pause();
        return;
      }
      depth--;
    },
  });
  parser.end(html);
  return preview?.hidden ? text.trim() : "";
}
