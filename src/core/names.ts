// How tag and author names sort on the /tags and /authors indexes: a key compared bytewise by
// SQL (the index tables store it), case- and accent-insensitive for Latin and Cyrillic alike,
// since SQLite's own folding knows ASCII only; and the keyset cursor that pages through them.

import { isSlug } from "./slug.js";

/** Longest key kept: names are at most 200 characters, so this only bounds hostile input. */
const MAX_KEY_LENGTH = 400;

/**
 * The sort key of a name: lower case, without accents ("Émile" sorts with "emile", "Ёлка" with
 * "елка", as Russian dictionaries do), spaces collapsed. Letters outside those scripts keep their
 * code point order, which is alphabetical within most scripts.
 */
export function sortKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_KEY_LENGTH);
}

/** Where a page of the alphabetical index ends: the last name's sort key and slug. */
export interface NameCursor {
  key: string;
  slug: string;
}

const MAX_CURSOR_LENGTH = 2000;

/** base64url of UTF-8 "slug\nkey": opaque to readers, and a key may hold any character. */
export function encodeNameCursor(cursor: NameCursor): string {
  const bytes = new TextEncoder().encode(`${cursor.slug}\n${cursor.key}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The cursor, or null when the text is not one this site made. */
export function decodeNameCursor(text: string): NameCursor | null {
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let plain: string;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    plain = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
  const newline = plain.indexOf("\n");
  if (newline < 0) return null;
  const slug = plain.slice(0, newline);
  const key = plain.slice(newline + 1);
  if (!isSlug(slug) || key.length > MAX_KEY_LENGTH || key.includes("\n")) return null;
  return { slug, key };
}
