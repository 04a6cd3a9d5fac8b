import { describe, expect, it } from "vitest";
import { CONFIRM_TOKEN_TTL_MS, signToken, verifyToken } from "../../src/core/token.js";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const NOW = Date.UTC(2026, 10, 28, 9, 0, 0);
const EXPIRES = NOW + CONFIRM_TOKEN_TTL_MS;

function confirmToken(secret = SECRET): Promise<string> {
  return signToken(secret, { purpose: "confirm", subscriber: 42, nonce: "n0nce_-x", expires: EXPIRES });
}

describe("signed tokens", () => {
  it("round-trips a confirmation token with its nonce", async () => {
    const token = await confirmToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await verifyToken(SECRET, token, "confirm", NOW)).toEqual({ ok: true, subscriber: 42, nonce: "n0nce_-x" });
  });

  it("round-trips a manage token, which never expires", async () => {
    const token = await signToken(SECRET, { purpose: "manage", subscriber: 7 });
    expect(await verifyToken(SECRET, token, "manage", NOW + 100 * 365 * 24 * 3600 * 1000)).toEqual({
      ok: true,
      subscriber: 7,
    });
  });

  it("lasts 48 hours: valid one millisecond before its expiry, expired at it", async () => {
    const token = await confirmToken();
    const expires = NOW + 172_800_000;
    expect(await verifyToken(SECRET, token, "confirm", expires - 1)).toMatchObject({ ok: true });
    expect(await verifyToken(SECRET, token, "confirm", expires)).toEqual({ ok: false, reason: "expired" });
  });

  it("calls a token signed with another secret forged", async () => {
    const token = await confirmToken("another-secret-that-is-long-enough-987654");
    expect(await verifyToken(SECRET, token, "confirm", NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("calls a token with any one character changed forged or malformed", async () => {
    const token = await confirmToken();
    for (let i = 0; i < token.length; i++) {
      if (token[i] === ".") continue;
      const flipped = `${token.slice(0, i)}${token[i] === "A" ? "B" : "A"}${token.slice(i + 1)}`;
      const check = await verifyToken(SECRET, flipped, "confirm", NOW);
      expect(check.ok, `character ${i}`).toBe(false);
    }
    // The last character of the signature has spare bits: a twin spelling is refused too.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(token.at(-1) ?? "");
    const twin = `${token.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(await verifyToken(SECRET, twin, "confirm", NOW)).toMatchObject({ ok: false });
  });

  it("refuses a claim changed without re-signing", async () => {
    const token = await signToken(SECRET, { purpose: "manage", subscriber: 7 });
    const [, signature] = token.split(".");
    const body = btoa(JSON.stringify({ v: 1, p: "manage", s: 8 })).replace(/=+$/, "");
    expect(await verifyToken(SECRET, `${body}.${signature}`, "manage", NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("refuses a token made for the other purpose", async () => {
    const confirm = await confirmToken();
    const manage = await signToken(SECRET, { purpose: "manage", subscriber: 42 });
    expect(await verifyToken(SECRET, confirm, "manage", NOW)).toEqual({ ok: false, reason: "forged" });
    expect(await verifyToken(SECRET, manage, "confirm", NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it.each(["", ".", "abc", "abc.def", "a.b.c", "a b.c", `x.${"A".repeat(43)}`, `eyJ9.${"A".repeat(42)}=`, "🙂.🙂"])(
    "calls %j malformed or forged",
    async (garbage) => {
      const check = await verifyToken(SECRET, garbage, "confirm", NOW);
      expect(check.ok).toBe(false);
      expect(check).not.toEqual({ ok: false, reason: "expired" });
    },
  );

  it("calls a token without the two parts malformed", async () => {
    expect(await verifyToken(SECRET, "no-dot-here", "confirm", NOW)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyToken(SECRET, "abc.short", "confirm", NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("takes a 512-character token to the signature check and calls a 513-character one malformed", async () => {
    const signature = "A".repeat(43);
    const at512 = `${"A".repeat(512 - 44)}.${signature}`;
    const at513 = `${"A".repeat(513 - 44)}.${signature}`;
    expect(await verifyToken(SECRET, at512, "manage", NOW)).toEqual({ ok: false, reason: "forged" });
    expect(await verifyToken(SECRET, at513, "manage", NOW)).toEqual({ ok: false, reason: "malformed" });
    expect(await verifyToken(SECRET, "A".repeat(1_000_000), "manage", NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses to sign a confirmation token without a nonce or an expiry", async () => {
    await expect(signToken(SECRET, { purpose: "confirm", subscriber: 1, expires: EXPIRES })).rejects.toThrow();
    await expect(signToken(SECRET, { purpose: "confirm", subscriber: 1, nonce: "abc" })).rejects.toThrow();
  });
});

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A token whose body is these bytes, correctly signed: what only a holder of the secret can make. */
async function signedBody(body: string | Uint8Array): Promise<string> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const encoded = base64url(bytes);
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(SECRET),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(encoded));
  return `${encoded}.${base64url(new Uint8Array(signature))}`;
}

describe("signed tokens against tampering", () => {
  it("verifies tokens whose base64url spelling has '-' and '_' in it", async () => {
    const seen = new Set<string>();
    for (let subscriber = 1; subscriber <= 40; subscriber++) {
      const token = await signToken(SECRET, { purpose: "manage", subscriber });
      for (const char of token) seen.add(char);
      expect(await verifyToken(SECRET, token, "manage", NOW)).toStrictEqual({ ok: true, subscriber });
    }
    expect(seen.has("-")).toBe(true);
    expect(seen.has("_")).toBe(true);
  });

  it("refuses a token with a character added before or after it", async () => {
    const token = await confirmToken();
    for (const changed of [`A${token}`, `!${token}`, `${token}A`, `${token}!`, `${token}=`, ` ${token}`]) {
      expect(await verifyToken(SECRET, changed, "confirm", NOW), changed).toMatchObject({ ok: false });
    }
  });

  it("reads back what was signed, and no nonce on a manage token", async () => {
    expect(await verifyToken(SECRET, await signedBody('{"v":1,"p":"manage","s":1}'), "manage", NOW)).toStrictEqual({
      ok: true,
      subscriber: 1,
    });
    const confirm = await signedBody(`{"v":1,"p":"confirm","s":9,"n":"${"n".repeat(64)}","e":${EXPIRES}}`);
    expect(await verifyToken(SECRET, confirm, "confirm", NOW)).toStrictEqual({
      ok: true,
      subscriber: 9,
      nonce: "n".repeat(64),
    });
  });

  it.each([
    ["not JSON", "v=1;p=manage;s=7"],
    ["JSON null", "null"],
    ["a JSON number", "7"],
    ["a JSON string", '"manage"'],
    ["another version", '{"v":2,"p":"manage","s":7}'],
    ["no version", '{"p":"manage","s":7}'],
    ["an unknown purpose", '{"v":1,"p":"admin","s":7}'],
    ["subscriber 0", '{"v":1,"p":"manage","s":0}'],
    ["a negative subscriber", '{"v":1,"p":"manage","s":-7}'],
    ["a fractional subscriber", '{"v":1,"p":"manage","s":7.5}'],
    ["a subscriber past 2^53", '{"v":1,"p":"manage","s":9007199254740993}'],
    ["a subscriber as a string", '{"v":1,"p":"manage","s":"7"}'],
    ["a nonce that is a number", '{"v":1,"p":"manage","s":7,"n":5}'],
    ["a nonce with a space", '{"v":1,"p":"manage","s":7,"n":"a b"}'],
    ["a 65-character nonce", `{"v":1,"p":"manage","s":7,"n":"${"n".repeat(65)}"}`],
    ["an expiry as a string", '{"v":1,"p":"manage","s":7,"e":"99999999999999"}'],
    ["a fractional expiry", '{"v":1,"p":"manage","s":7,"e":99999999999999.5}'],
    ["a confirmation without a nonce", `{"v":1,"p":"confirm","s":7,"e":${EXPIRES}}`],
    ["a confirmation without an expiry", '{"v":1,"p":"confirm","s":7,"n":"abc"}'],
    ["a confirmation with neither", '{"v":1,"p":"confirm","s":7}'],
  ])("calls a correctly signed token with %s malformed", async (_what, json) => {
    const purpose = json.includes('"confirm"') ? "confirm" : "manage";
    expect(await verifyToken(SECRET, await signedBody(json), purpose, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("calls a correctly signed body that is not UTF-8 malformed", async () => {
    const json = new TextEncoder().encode('{"v":1,"p":"manage","s":7,"x":"??"}');
    json.set([0xff, 0xfe], json.length - 4);
    expect(await verifyToken(SECRET, await signedBody(json), "manage", NOW)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it.each([
    [{ purpose: "manage", subscriber: 0 }, /subscriber/],
    [{ purpose: "manage", subscriber: -1 }, /subscriber/],
    [{ purpose: "manage", subscriber: 1.5 }, /subscriber/],
    [{ purpose: "manage", subscriber: Number.NaN }, /subscriber/],
    [{ purpose: "manage", subscriber: 1, nonce: "" }, /nonce/],
    [{ purpose: "manage", subscriber: 1, nonce: "a b" }, /nonce/],
    [{ purpose: "manage", subscriber: 1, nonce: "ok!" }, /nonce/],
    [{ purpose: "manage", subscriber: 1, nonce: "!ok" }, /nonce/],
    [{ purpose: "manage", subscriber: 1, nonce: "n".repeat(65) }, /nonce/],
    [{ purpose: "manage", subscriber: 1, expires: 1.5 }, /expiry/],
    [{ purpose: "confirm", subscriber: 1 }, /needs a nonce and an expiry/],
  ] as const)("refuses to sign %j", async (claims, message) => {
    await expect(signToken(SECRET, claims)).rejects.toThrow(message);
  });

  it("signs subscriber 1 and a 64-character nonce", async () => {
    const token = await signToken(SECRET, { purpose: "manage", subscriber: 1, nonce: "n".repeat(64) });
    expect(await verifyToken(SECRET, token, "manage", NOW)).toStrictEqual({
      ok: true,
      subscriber: 1,
      nonce: "n".repeat(64),
    });
  });
});

describe("verifying with several secrets (a rotation)", () => {
  const NEW = "the-new-secret-that-is-long-enough-0123456789";

  it("accepts a token signed with any of them, the current first or a previous one", async () => {
    const old = await confirmToken(SECRET);
    const fresh = await confirmToken(NEW);
    for (const token of [old, fresh]) {
      expect(await verifyToken([NEW, SECRET], token, "confirm", NOW)).toEqual({
        ok: true,
        subscriber: 42,
        nonce: "n0nce_-x",
      });
    }
    expect(await verifyToken([NEW], old, "confirm", NOW)).toEqual({ ok: false, reason: "forged" });
  });

  it("keeps an old token's expiry and purpose, and refuses a token no listed secret signed", async () => {
    const old = await confirmToken(SECRET);
    expect(await verifyToken([NEW, SECRET], old, "confirm", EXPIRES)).toEqual({ ok: false, reason: "expired" });
    expect(await verifyToken([NEW, SECRET], old, "manage", NOW)).toEqual({ ok: false, reason: "forged" });
    const other = await confirmToken("a-third-secret-that-is-long-enough-012345");
    expect(await verifyToken([NEW, SECRET], other, "confirm", NOW)).toEqual({ ok: false, reason: "forged" });
  });
});
