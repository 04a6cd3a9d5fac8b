// Cloudflare Access application tokens, the pure part: checking a Cf-Access-Jwt-Assertion (a JWT,
// RFC 7519) against the team's published keys, its issuer, audience and times. Only RS256 is
// accepted, as Access signs; WebCrypto only, and time is an argument.

/** Longer than any token Access issues (about 1 KB): nothing bigger is decoded. */
export const MAX_TOKEN_LENGTH = 8192;
/** Clocks differ: exp, nbf and iat are allowed this much either way (seconds). */
export const CLOCK_SKEW_SECONDS = 60;

/** A key from the team's certs document (`keys`, JWKs named by `kid`). */
export type AccessKey = JsonWebKey & { kid?: string };

export type AccessRefusal =
  | "malformed"
  | "unknown-key"
  | "bad-signature"
  | "wrong-issuer"
  | "wrong-audience"
  | "expired"
  | "not-yet-valid"
  /** A valid token that names no person (a service token): the console signs in people. */
  | "no-email";

export type AccessVerdict = { ok: true; email: string; subject: string } | { ok: false; reason: AccessRefusal };

export interface AccessExpectations {
  /** The application's AUD tag: the token's aud must include it. */
  audience: string;
  /** The team domain's origin, which Access writes in iss. */
  issuer: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/**
 * Whether `token` is an Access token for `audience`, signed by one of `keys`, valid at `now`. The
 * header is checked before any crypto (alg confusion: "none" or HS256 keyed with the public key
 * must never reach a verify call), the signature before any claim is believed.
 */
export async function verifyAccessJwt(
  token: string,
  keys: readonly AccessKey[],
  expect: AccessExpectations,
): Promise<AccessVerdict> {
  if (token.length > MAX_TOKEN_LENGTH) return refuse("malformed");
  const parts = token.split(".");
  if (parts.length !== 3) return refuse("malformed");
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = jsonObject(headerPart);
  const payload = jsonObject(payloadPart);
  const signature = base64UrlBytes(signaturePart);
  if (!header || !payload || !signature || signature.byteLength === 0) return refuse("malformed");
  // RFC 7515 4.1.11: extensions a verifier does not know, marked critical, must be refused.
  if (header.alg !== "RS256" || header.crit !== undefined || typeof header.kid !== "string") {
    return refuse("malformed");
  }

  const jwk = keys.find((key) => key.kid === header.kid && isRsaSigningKey(key));
  if (!jwk) return refuse("unknown-key");
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey(
      "jwk",
      { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["verify"],
    );
  } catch {
    return refuse("unknown-key");
  }
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!(await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, signed))) return refuse("bad-signature");

  if (payload.iss !== expect.issuer) return refuse("wrong-issuer");
  const aud = payload.aud;
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(expect.audience)) return refuse("wrong-audience");
  const { exp, nbf, iat } = payload;
  if (!isTime(exp) || (nbf !== undefined && !isTime(nbf)) || (iat !== undefined && !isTime(iat))) {
    return refuse("malformed");
  }
  const now = expect.now / 1000;
  // RFC 7519 4.1.4: valid only before exp; 4.1.5: from nbf on. An iat ahead of now is as suspect as nbf.
  if (now >= exp + CLOCK_SKEW_SECONDS) return refuse("expired");
  for (const from of [nbf, iat]) {
    if (from !== undefined && now < from - CLOCK_SKEW_SECONDS) return refuse("not-yet-valid");
  }
  const email = payload.email;
  if (typeof email !== "string" || email === "") return refuse("no-email");
  return { ok: true, email, subject: typeof payload.sub === "string" ? payload.sub : "" };
}

function refuse(reason: AccessRefusal): AccessVerdict {
  return { ok: false, reason };
}

function isRsaSigningKey(key: AccessKey): boolean {
  return (
    key.kty === "RSA" &&
    typeof key.n === "string" &&
    typeof key.e === "string" &&
    (key.alg === undefined || key.alg === "RS256") &&
    (key.use === undefined || key.use === "sig")
  );
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** A JSON object encoded as base64url, or null for anything else (never a throw). */
function jsonObject(part: string): Record<string, unknown> | null {
  const bytes = base64UrlBytes(part);
  if (!bytes) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return null;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/**
 * Strict base64url (RFC 7515 2): its alphabet only, no padding, and canonical (the unused low
 * bits of the last character zero), so one token has one spelling.
 */
function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(
    text
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(text.length / 4) * 4, "="),
  );
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  if (base64Url(bytes) !== text) return null;
  return bytes;
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
