// The publisher's console session: a cookie value saying "signed in, by the admin token or by
// Cloudflare Access, until <expires>", HMAC-SHA-256 signed under SIGNING_SECRET. The MAC also
// covers the admin token in force when it was made, so changing ADMIN_TOKEN ends every session,
// and starts with its own label, so no subscriber's link token can pass for one.

import { base64url, fromBase64url, hmacKey } from "./token.js";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type SessionVia = "token" | "access";

export type SessionCheck =
  | { ok: true; via: SessionVia; expires: number }
  | { ok: false; reason: "malformed" | "forged" | "expired" };

const LABEL = "edge-feeds console session v1";
// Expiry in epoch ms: 13 digits until the year 2286.
const SHAPE = /^v1\.(\d{13})\.(token|access)\.([A-Za-z0-9_-]{43})$/;
const MAX_LENGTH = 100;

/** The cookie value for a session made at `now` that ends SESSION_TTL_MS later. */
export async function signSession(secret: string, adminToken: string, via: SessionVia, now: number): Promise<string> {
  const expires = now + SESSION_TTL_MS;
  if (!Number.isSafeInteger(expires) || String(expires).length !== 13) throw new RangeError("session: bad time");
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), macInput(adminToken, via, expires));
  return `v1.${expires}.${via}.${base64url(new Uint8Array(mac))}`;
}

/** Checks a cookie value: its shape, then its MAC in constant time, then its expiry at `now`. */
export async function verifySession(
  secret: string,
  adminToken: string,
  value: string,
  now: number,
): Promise<SessionCheck> {
  const match = value.length <= MAX_LENGTH ? SHAPE.exec(value) : null;
  if (!match) return { ok: false, reason: "malformed" };
  const [, expiresText = "", via = "", macText = ""] = match;
  const expires = Number(expiresText);
  const mac = fromBase64url(macText);
  // 43 characters whose last one carries stray bits are not a MAC this code wrote.
  if (!mac || base64url(mac) !== macText) return { ok: false, reason: "malformed" };
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(secret),
    mac,
    macInput(adminToken, via as SessionVia, expires),
  );
  if (!valid) return { ok: false, reason: "forged" };
  if (now >= expires) return { ok: false, reason: "expired" };
  return { ok: true, via: via as SessionVia, expires };
}

function macInput(adminToken: string, via: SessionVia, expires: number): Uint8Array {
  return new TextEncoder().encode(`${LABEL}\n${expires}\n${via}\n${adminToken}`);
}
