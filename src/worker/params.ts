// Query parameters shared by listing routes: `limit` and `cursor`, strictly checked.

import type { Context } from "hono";
import { type Cursor, decodeCursor } from "./cursor.js";
import { badRequest } from "./problem.js";

export const MAX_LIMIT = 100;

export function readLimit(c: Context, fallback: number): number {
  const text = c.req.query("limit");
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d{1,3}$/.test(text) || n < 1 || n > MAX_LIMIT) {
    throw badRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}; got "${text}"`);
  }
  return n;
}

export function readCursor(c: Context): Cursor | null {
  const text = c.req.query("cursor");
  if (text === undefined) return null;
  const cursor = decodeCursor(text);
  if (!cursor) throw badRequest(`cursor "${text}" is not one this site gave out; follow a "next" link`);
  return cursor;
}

/** Rejects query parameters the route does not know, so a typo never yields a different list silently. */
export function onlyParams(c: Context, known: readonly string[]): void {
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (!known.includes(name)) {
      throw badRequest(`unknown query parameter "${name}"; this route takes ${known.join(", ") || "none"}`);
    }
    if (values.length > 1) throw badRequest(`query parameter "${name}" is given ${values.length} times`);
  }
}
