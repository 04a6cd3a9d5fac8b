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
