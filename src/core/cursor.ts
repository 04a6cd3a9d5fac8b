// Opaque keyset cursors for newest-first paging: a position (published_at, id) and a direction,
// base64url. "after" pages go to older items (rel="next"), "before" pages to newer ones (rel="prev").

export interface Cursor {
  publishedAt: number;
  id: number;
  direction: "after" | "before";
}

export function encodeCursor(cursor: Cursor): string {
  const text = `${cursor.direction === "after" ? "a" : "b"}${cursor.publishedAt}.${cursor.id}`;
  return btoa(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
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
  const m = /^([ab])(-?\d{1,16})\.(\d{1,16})$/.exec(plain);
  if (!m) return null;
  const publishedAt = Number(m[2]);
  const id = Number(m[3]);
  if (!Number.isSafeInteger(publishedAt) || !Number.isSafeInteger(id)) return null;
  return { publishedAt, id, direction: m[1] === "a" ? "after" : "before" };
}
