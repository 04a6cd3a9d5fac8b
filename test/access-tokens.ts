// Cloudflare Access tokens for tests: RSA key pairs made with WebCrypto, tokens signed with them,
// shaped as Cloudflare documents an application token (header alg/kid/typ; aud as an array, email,
// exp, iat, nbf, iss, type "app", identity_nonce, sub, country).

import type { AccessKey } from "../src/core/access.js";

/** An AUD tag as Access shows one: 64 hex characters. */
export const AUD = "32eafc7626e974616deaf0dc3ce63d7bcbed58a2731e84d06bc3cdf1b53c4228";
export const TEAM = "https://yourteam.cloudflareaccess.com";
/** 14 November 2023 22:13:20 UTC, in seconds: the tokens' iat and nbf; exp is a day later. */
export const ISSUED = 1_700_000_000;
export const EXPIRES = ISSUED + 86_400;

export interface SigningKey {
  kid: string;
  /** As the certs endpoint lists it. */
  publicJwk: AccessKey;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  return {
    kid,
    publicJwk: { kid, kty: "RSA", alg: "RS256", use: "sig", e: jwk.e, n: jwk.n },
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
  };
}

/** The claims of a person's token, as Cloudflare's documentation shows one, with `overrides`. */
export function claims(overrides: Record<string, unknown> = {}, issuer = TEAM): Record<string, unknown> {
  return {
    aud: [AUD],
    email: "editor@example.com",
    exp: EXPIRES,
    iat: ISSUED,
    nbf: ISSUED,
    iss: issuer,
    type: "app",
    identity_nonce: "6ei69kawdKzMIAPF",
    sub: "7335d417-61da-459d-899c-0a01c76a2f94",
    country: "KZ",
    ...overrides,
  };
}

/** A token signed with `key`'s private key (RS256), its header naming `key.kid` unless `header` says otherwise. */
export async function signToken(
  key: SigningKey,
  payload: Record<string, unknown> = claims(),
  header: Record<string, unknown> = {},
): Promise<string> {
  const signingInput = `${part({ alg: "RS256", kid: key.kid, typ: "JWT", ...header })}.${part(payload)}`;
  const signature = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key.privateKey, encode(signingInput));
  return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}

/** The classic alg confusion: HS256, keyed with the RSA public key's bytes (SPKI), which anyone has. */
export async function hs256WithPublicKey(key: SigningKey, payload: Record<string, unknown> = claims()) {
  const secret = await crypto.subtle.exportKey("spki", key.publicKey);
  const hmac = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const signingInput = `${part({ alg: "HS256", kid: key.kid, typ: "JWT" })}.${part(payload)}`;
  const signature = await crypto.subtle.sign("HMAC", hmac, encode(signingInput));
  return `${signingInput}.${base64Url(new Uint8Array(signature))}`;
}

export function part(value: unknown): string {
  return base64Url(encode(JSON.stringify(value)));
}

export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
