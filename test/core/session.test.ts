import { describe, expect, it } from "vitest";
import { signSession, verifySession } from "../../src/core/session.js";
import { signToken } from "../../src/core/token.js";

const SECRET = "s".repeat(40);
const TOKEN = "admin-token-0123456789";
const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
const HOURS_12 = 43_200_000;

describe("console session", () => {
  it("is signed in for 12 hours: at 11:59:59.999 yes, at 12:00 no", async () => {
    const value = await signSession(SECRET, TOKEN, "token", T0);
    expect(await verifySession(SECRET, TOKEN, value, T0)).toEqual({ ok: true, via: "token", expires: T0 + HOURS_12 });
    expect((await verifySession(SECRET, TOKEN, value, T0 + HOURS_12 - 1)).ok).toBe(true);
    expect(await verifySession(SECRET, TOKEN, value, T0 + HOURS_12)).toEqual({ ok: false, reason: "expired" });
  });

  it("says how it was signed in", async () => {
    const value = await signSession(SECRET, TOKEN, "access", T0);
    expect(await verifySession(SECRET, TOKEN, value, T0)).toMatchObject({ ok: true, via: "access" });
  });

  it("is forged under another secret, or after the admin token changed", async () => {
    const value = await signSession(SECRET, TOKEN, "token", T0);
    expect(await verifySession("t".repeat(40), TOKEN, value, T0)).toEqual({ ok: false, reason: "forged" });
    expect(await verifySession(SECRET, `${TOKEN}-new`, value, T0)).toEqual({ ok: false, reason: "forged" });
  });

  it("is forged when its expiry or the way it was signed in is changed", async () => {
    const value = await signSession(SECRET, TOKEN, "token", T0);
    const [, expires, via, mac] = value.split(".");
    const later = `v1.${Number(expires) + HOURS_12}.${via}.${mac}`;
    expect(await verifySession(SECRET, TOKEN, later, T0)).toEqual({ ok: false, reason: "forged" });
    expect(await verifySession(SECRET, TOKEN, `v1.${expires}.access.${mac}`, T0)).toEqual({
      ok: false,
      reason: "forged",
    });
  });

  it("is malformed in any other shape, a subscriber's link token included", async () => {
    const value = await signSession(SECRET, TOKEN, "token", T0);
    const link = await signToken(SECRET, { purpose: "manage", subscriber: 1 });
    for (const bad of [
      "",
      "v1",
      link,
      value.replace("v1.", "v2."),
      value.replace(".token.", ".admin."),
      `${value}A`,
      value.slice(0, -1),
      `v1.${"9".repeat(14)}.token.${value.split(".")[3]}`,
      "x".repeat(10_000),
    ]) {
      expect(await verifySession(SECRET, TOKEN, bad, T0), bad.slice(0, 40)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("refuses a MAC whose last character carries bits no MAC has", async () => {
    const value = await signSession(SECRET, TOKEN, "token", T0);
    const last = value.at(-1) ?? "A";
    // 32 bytes use 4 bits of the 43rd character: the other 2 are zero in every MAC written.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const stray = alphabet[alphabet.indexOf(last) + 1] ?? "B";
    expect(await verifySession(SECRET, TOKEN, value.slice(0, -1) + stray, T0)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });
});
