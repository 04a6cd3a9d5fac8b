// Opaque keyset cursors for newest-first paging: a position (published_at, id), base64url.

export interface Cursor {
  publishedAt: number;
  id: number;
}

export function encodeCursor(cursor: Cursor): string {
  return btoa(`${cursor.publishedAt}.${cursor.id}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** The cursor, or null when the text is not one this site made. */
export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(text)) return null;
  let plain: string;
  try {
    plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const m = /^(-?\d{1,16})\.(\d{1,16})$/.exec(plain);
  if (!m) return null;
  const publishedAt = Number(m[1]);
  const id = Number(m[2]);
  return Number.isSafeInteger(publishedAt) && Number.isSafeInteger(id) ? { publishedAt, id } : null;
}
