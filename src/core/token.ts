// Signed links for subscribers: base64url(JSON claims) "." base64url(HMAC-SHA-256 of the first
// part), with WebCrypto. A token names its purpose, so a confirmation link cannot be used as a
// preference link or the other way round; confirmation tokens carry a single-use nonce and expire.

export type TokenPurpose = "confirm" | "manage";

export const CONFIRM_TOKEN_TTL_MS = 48 * 60 * 60 * 1000;

/** Longer tokens are refused as malformed before any decoding or crypto. */
export const TOKEN_MAX_LENGTH = 512;
const VERSION = 1;
const SIGNATURE_BYTES = 32;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;
const NONCE = /^[A-Za-z0-9_-]{1,64}$/;

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriber: number;
  nonce?: string;
  /** Epoch milliseconds; the token is refused from this instant on. */
  expires?: number;
}

export type TokenCheck =
  | { ok: true; subscriber: number; nonce?: string }
  | { ok: false; reason: "malformed" | "forged" | "expired" };

interface Payload {
  v: number;
  p: TokenPurpose;
  s: number;
  n?: string;
  e?: number;
}

/** A URL-safe token for these claims. Confirmation tokens need a nonce and an expiry. */
export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  if (!Number.isSafeInteger(claims.subscriber) || claims.subscriber < 1) throw new Error("token: bad subscriber id");
  if (claims.nonce !== undefined && !NONCE.test(claims.nonce)) throw new Error("token: bad nonce");
  if (claims.expires !== undefined && !Number.isSafeInteger(claims.expires)) throw new Error("token: bad expiry");
  if (claims.purpose === "confirm" && (claims.nonce === undefined || claims.expires === undefined)) {
    throw new Error("token: a confirmation token needs a nonce and an expiry");
  }
  const payload: Payload = { v: VERSION, p: claims.purpose, s: claims.subscriber };
  if (claims.nonce !== undefined) payload.n = claims.nonce;
  if (claims.expires !== undefined) payload.e = claims.expires;
  const body = base64url(new TextEncoder().encode(JSON.stringify(payload)));
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(body));
  return `${body}.${base64url(new Uint8Array(signature))}`;
}

/**
 * Checks the signature (in constant time) against each secret in turn, then the purpose and, at
 * `now`, the expiry. Several secrets let links signed before a key rotation keep working: the
 * current one first, then the previous ones.
 */
export async function verifyToken(
  secrets: string | readonly string[],
  token: string,
  purpose: TokenPurpose,
  now: number,
): Promise<TokenCheck> {
  let result: TokenCheck = { ok: false, reason: "forged" };
  for (const secret of typeof secrets === "string" ? [secrets] : secrets) {
    result = await verifyWith(secret, token, purpose, now);
    // Only a signature this key did not make sends us on to the next key.
    if (result.ok || result.reason !== "forged") return result;
  }
  return result;
}

async function verifyWith(secret: string, token: string, purpose: TokenPurpose, now: number): Promise<TokenCheck> {
  if (token.length > TOKEN_MAX_LENGTH) return { ok: false, reason: "malformed" };
  const match = TOKEN_SHAPE.exec(token);
  const body = match?.[1];
  const encoded = match?.[2];
  const signature = encoded === undefined ? null : fromBase64url(encoded);
  // The last character has spare bits: only the canonical spelling is the token we gave out.
  if (
    body === undefined ||
    signature === null ||
    signature.length !== SIGNATURE_BYTES ||
    base64url(signature) !== encoded
  ) {
    return { ok: false, reason: "malformed" };
  }
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, new TextEncoder().encode(body));
  if (!valid) return { ok: false, reason: "forged" };
  const payload = decodePayload(body);
  if (payload === null) return { ok: false, reason: "malformed" };
  // Correctly signed for another purpose: not a token for this one.
  if (payload.p !== purpose) return { ok: false, reason: "forged" };
  if (payload.e !== undefined && now >= payload.e) return { ok: false, reason: "expired" };
  return payload.n === undefined
    ? { ok: true, subscriber: payload.s }
    : { ok: true, subscriber: payload.s, nonce: payload.n };
}

function decodePayload(body: string): Payload | null {
  const bytes = fromBase64url(body);
  if (bytes === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { v, p, s, n, e } = value as Record<string, unknown>;
  if (v !== VERSION || (p !== "confirm" && p !== "manage")) return null;
  if (typeof s !== "number" || !Number.isSafeInteger(s) || s < 1) return null;
  if (n !== undefined && (typeof n !== "string" || !NONCE.test(n))) return null;
  if (e !== undefined && (typeof e !== "number" || !Number.isSafeInteger(e))) return null;
  if (p === "confirm" && (n === undefined || e === undefined)) return null;
  const payload: Payload = { v, p, s };
  if (n !== undefined) payload.n = n;
  if (e !== undefined) payload.e = e;
  return payload;
}

// Importing a key costs more than using it; a Worker has one secret, or a few while rotating.
const keys = new Map<string, Promise<CryptoKey>>();

export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    if (keys.size >= 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array | null {
  // A length of 1 modulo 4 is not something base64 produces.
  if (text.length % 4 === 1) return null;
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
