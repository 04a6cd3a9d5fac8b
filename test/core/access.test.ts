import { beforeAll, describe, expect, it } from "vitest";
import { type AccessKey, verifyAccessJwt } from "../../src/core/access.js";
import {
  AUD,
  base64Url,
  claims,
  EXPIRES,
  hs256WithPublicKey,
  ISSUED,
  part,
  type SigningKey,
  signingKey,
  signToken,
  TEAM,
} from "../access-tokens.js";

let current: SigningKey;
let other: SigningKey;
let keys: AccessKey[];
/** An hour after the tokens were issued, in milliseconds. */
const NOW = (ISSUED + 3600) * 1000;
const expect_ = { audience: AUD, issuer: TEAM, now: NOW };

beforeAll(async () => {
  [current, other] = await Promise.all([signingKey("current-kid"), signingKey("previous-kid")]);
  // The certs document lists the current key and the one rotated out.
  keys = [current.publicJwk, other.publicJwk];
});

function verify(token: string, now = NOW) {
  return verifyAccessJwt(token, keys, { ...expect_, now });
}

describe("a Cloudflare Access token", () => {
  it("signs in the person it names", async () => {
    expect(await verify(await signToken(current))).toEqual({
      ok: true,
      email: "editor@example.com",
      subject: "7335d417-61da-459d-899c-0a01c76a2f94",
    });
  });

  it("is accepted when signed with the previous key, still listed after a rotation", async () => {
    expect(await verify(await signToken(other))).toMatchObject({ ok: true });
  });

  it("takes aud as a single string too (RFC 7519 4.1.3)", async () => {
    expect(await verify(await signToken(current, claims({ aud: AUD })))).toMatchObject({ ok: true });
  });

  it("is refused for another application's audience", async () => {
    for (const aud of [["0".repeat(64)], "other", [], undefined, [`${AUD} `]]) {
      expect(await verify(await signToken(current, claims({ aud }))), JSON.stringify(aud)).toEqual({
        ok: false,
        reason: "wrong-audience",
      });
    }
  });

  it("is refused from another team", async () => {
    for (const iss of ["https://otherteam.cloudflareaccess.com", `${TEAM}/`, undefined]) {
      expect(await verify(await signToken(current, claims({ iss }))), String(iss)).toEqual({
        ok: false,
        reason: "wrong-issuer",
      });
    }
  });

  it("is refused without an email: a service token names no person", async () => {
    const serviceToken = claims({ email: undefined, sub: "", common_name: "0123abcd.access" });
    expect(await verify(await signToken(current, serviceToken))).toEqual({ ok: false, reason: "no-email" });
    expect(await verify(await signToken(current, claims({ email: "" })))).toEqual({ ok: false, reason: "no-email" });
  });
});

describe("time, with 60 seconds of clock skew", () => {
  // EXPIRES is 1_700_086_400 s.
  it("accepts a token until 60 s after exp, not at 60 s", async () => {
    const token = await signToken(current);
    expect(EXPIRES).toBe(1_700_086_400);
    expect(await verify(token, 1_700_086_459_999)).toMatchObject({ ok: true });
    expect(await verify(token, 1_700_086_460_000)).toEqual({ ok: false, reason: "expired" });
  });

  it("accepts a token from 60 s before nbf, not a millisecond earlier", async () => {
    const token = await signToken(current, claims({ nbf: 1_700_000_000, iat: undefined }));
    expect(await verify(token, 1_699_999_940_000)).toMatchObject({ ok: true });
    expect(await verify(token, 1_699_999_939_999)).toEqual({ ok: false, reason: "not-yet-valid" });
  });

  it("refuses a token issued more than 60 s in the future", async () => {
    const token = await signToken(current, claims({ nbf: undefined, iat: 1_700_000_000 }));
    expect(await verify(token, 1_699_999_940_000)).toMatchObject({ ok: true });
    expect(await verify(token, 1_699_999_939_999)).toEqual({ ok: false, reason: "not-yet-valid" });
  });

  it("needs exp, and times as numbers", async () => {
    for (const overrides of [{ exp: undefined }, { exp: "1700086400" }, { nbf: "1700000000" }, { iat: null }]) {
      expect(await verify(await signToken(current, claims(overrides))), JSON.stringify(overrides)).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });
});

describe("keys and signatures", () => {
  it("is refused when its key is not among the team's", async () => {
    expect(await verify(await signToken(current, claims(), { kid: "rotated-away" }))).toEqual({
      ok: false,
      reason: "unknown-key",
    });
    expect(await verifyAccessJwt(await signToken(current), [], expect_)).toEqual({ ok: false, reason: "unknown-key" });
  });

  it("does not take a key of another type or use under the right kid", async () => {
    const token = await signToken(current);
    for (const changed of [{ kty: "EC" }, { alg: "RS512" }, { use: "enc" }, { n: undefined }]) {
      const key = { ...current.publicJwk, ...changed };
      expect(await verifyAccessJwt(token, [key], expect_), JSON.stringify(changed)).toEqual({
        ok: false,
        reason: "unknown-key",
      });
    }
  });

  it("is refused when signed by another key under the header's kid", async () => {
    // Says RS256 and kid "current-kid", but the other key signed it.
    const forged = await signToken(other, claims(), { kid: "current-kid" });
    expect(await verify(forged)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("is refused when its claims were changed after signing", async () => {
    const [header, , signature] = (await signToken(current)).split(".");
    const changed = `${header}.${part(claims({ email: "intruder@example.com" }))}.${signature}`;
    expect(await verify(changed)).toEqual({ ok: false, reason: "bad-signature" });
  });
});

describe("algorithms: RS256 only, refused before any crypto", () => {
  // "malformed", not "bad-signature": a refused header never reaches a verify call.
  it("refuses HS256 keyed with the team's public key (alg confusion)", async () => {
    expect(await verify(await hs256WithPublicKey(current))).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses alg none, with or without a signature", async () => {
    const unsigned = `${part({ alg: "none", kid: "current-kid", typ: "JWT" })}.${part(claims())}`;
    expect(await verify(`${unsigned}.`)).toEqual({ ok: false, reason: "malformed" });
    const signature = (await signToken(current)).split(".")[2];
    expect(await verify(`${unsigned}.${signature}`)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses any other alg, a missing kid and critical extensions", async () => {
    for (const header of [
      { alg: "RS512" },
      { alg: "PS256" },
      { alg: "rs256" },
      { kid: undefined },
      { crit: ["exp"] },
    ]) {
      expect(await verify(await signToken(current, claims(), header)), JSON.stringify(header)).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });
});

describe("malformed tokens", () => {
  it("takes 8192 characters but not 8193", async () => {
    expect((await tokenOfLength(8192)).length).toBe(8192);
    expect(await verify(await tokenOfLength(8192))).toMatchObject({ ok: true });
    expect(await verify(await tokenOfLength(8193))).toEqual({ ok: false, reason: "malformed" });
  });

  it("is malformed unless it is three base64url parts of JSON objects", async () => {
    const [header = "", payload = "", signature = ""] = (await signToken(current)).split(".");
    const bad = [
      "",
      "not a token",
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.${signature}`,
      `${header}.${payload}.`,
      // Padding, the base64 (not base64url) alphabet, spaces.
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}.+${signature.slice(1)}`,
      `${header}.${payload}./${signature.slice(1)}`,
      ` ${header}.${payload}.${signature}`,
      `*${header.slice(1)}.${payload}.${signature}`,
      `${header}.\u00e9${payload.slice(1)}.${signature}`,
      // A length no base64 has.
      `${header}.${payload}${"A".repeat((5 - (payload.length % 4)) % 4 || 4)}.${signature}`,
      // Not JSON; JSON but not an object; not UTF-8.
      `${base64Url(new TextEncoder().encode("{alg:RS256}"))}.${payload}.${signature}`,
      `${header}.${part(["aud"])}.${signature}`,
      `${header}.${part("editor@example.com")}.${signature}`,
      `${header}.${base64Url(new Uint8Array([0x7b, 0xff, 0x7d]))}.${signature}`,
    ];
    for (const token of bad) {
      expect(await verify(token), token.slice(0, 60)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("has one spelling: a last character with stray low bits is refused, not read as the same bytes", async () => {
    const token = await signToken(current);
    // A 256-byte signature is 342 characters, whose last carries 2 bits and 4 unused ones.
    const last = token.at(-1) ?? "";
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const stray = alphabet[alphabet.indexOf(last) ^ 1] ?? "";
    expect(await verify(`${token.slice(0, -1)}${stray}`)).toEqual({ ok: false, reason: "malformed" });
  });
});

/** A valid token exactly `length` characters long: claims padded until the signed token fits. */
async function tokenOfLength(length: number): Promise<string> {
  const signatureLength = 343; // "." and 342 characters: a 2048-bit RSA signature.
  // Each padding character adds 4/3 of a character: start a little short of the target.
  const unpadded = `${part({ alg: "RS256", kid: current.kid, typ: "JWT" })}.${part(claims({ pad: "" }))}`;
  const start = Math.max(0, Math.floor(((length - signatureLength - unpadded.length) * 3) / 4) - 32);
  for (let pad = start; pad < start + 48; pad++) {
    for (const typ of [{ typ: "JWT" }, { typ: "JWT", cty: "x" }, { typ: "JWT", cty: "xy" }]) {
      const unsigned = `${part({ alg: "RS256", kid: current.kid, ...typ })}.${part(claims({ pad: "p".repeat(pad) }))}`;
      if (unsigned.length + signatureLength === length) {
        return signToken(current, claims({ pad: "p".repeat(pad) }), typ);
      }
    }
  }
  throw new Error(`no token of ${length} characters`);
}
