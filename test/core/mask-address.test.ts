import { describe, expect, it } from "vitest";
import { MASK, maskAddress } from "../../src/core/mask-address.js";

describe("maskAddress", () => {
  it.each([
    ["alice@example.org", "a•••@example.org"],
    ["a@example.org", "a•••@example.org"],
    ["Bob.Smith+news@mail.example.co.uk", "B•••@mail.example.co.uk"],
    ["ab@x.kz", "a•••@x.kz"],
  ])("%s is %s", (email, masked) => {
    expect(maskAddress(email)).toBe(masked);
  });

  it("keeps the whole domain, an IDN in punycode or in Unicode alike", () => {
    expect(maskAddress("dana@xn--80ak6aa92e.com")).toBe("d•••@xn--80ak6aa92e.com");
    expect(maskAddress("dana@пример.рф")).toBe("d•••@пример.рф");
  });

  it("shows a Unicode first character whole: Cyrillic, an astral one, one with a combining mark", () => {
    expect(maskAddress("алия@пример.рф")).toBe("а•••@пример.рф");
    expect(maskAddress("𝒜lice@example.org")).toBe("𝒜•••@example.org");
    expect(maskAddress("e\u0301mile@example.org")).toBe("e\u0301•••@example.org");
  });

  it("never shows more than one character of the local part, nor its length", () => {
    expect(maskAddress("a@example.org")).toBe(maskAddress("abcdefgh@example.org"));
    expect(maskAddress("x".repeat(64) + "@example.org")).toBe("x•••@example.org");
  });

  it("splits at the last @, and masks text without one whole", () => {
    expect(maskAddress('"a@b"@example.org')).toBe('"•••@example.org');
    expect(maskAddress("no-at-sign")).toBe(MASK);
    expect(maskAddress("")).toBe(MASK);
    expect(maskAddress("@example.org")).toBe("•••@example.org");
  });

  it("takes linear time on a long input (a million combining marks)", () => {
    const long = `e${"\u0301".repeat(1_000_000)}@example.org`;
    const started = performance.now();
    expect(maskAddress(long).endsWith("•••@example.org")).toBe(true);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
