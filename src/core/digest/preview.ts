// What the console's edition preview reads from a digest as sent: its preheader, its size against
// Gmail's clip, and the dark-mode variant of its HTML. A frame cannot be told that its reader prefers dark (in most
// browsers prefers-color-scheme inside a frame is the viewer's own), so the dark variant makes the
// email's own `prefers-color-scheme: dark` rules apply unconditionally, as a mail client in dark
// mode that honours them (Apple Mail, iOS Mail, Outlook on the web) shows it. A client that
// recolours on its own (Gmail's apps, Outlook's) cannot be imitated.

import { DomUtils, parseDocument } from "htmlparser2";

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
 * its body with (mj-preview), as the reader's client reads it, entities decoded. Empty when absent.
 */
export function preheaderOf(html: string): string {
  const body = DomUtils.findOne((e) => e.name === "body", parseDocument(html).children);
  const first = body ? DomUtils.findOne((e) => e.name === "div", body.children, false) : null;
  const hidden = first && /display:\s*none/.test(first.attribs.style ?? "");
  return hidden ? DomUtils.textContent(first).trim() : "";
}
