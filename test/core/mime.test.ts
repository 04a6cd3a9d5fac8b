import { describe, expect, it } from "vitest";
import {
  encodeWords,
  formatMailbox,
  messageIdentity,
  mimeMessage,
  parseMailbox,
  quotedPrintable,
  rfc5322Date,
} from "../../src/core/mime.js";

/** RFC 2047 "B" words back to text (what a mail client does). */
function decodeWords(value: string): string {
  return value
    .split(/\r\n /)
    .map((word) => {
      const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(word);
      if (!match?.[1]) return word;
      return new TextDecoder().decode(Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0)));
    })
    .join("");
}

describe("MIME text", () => {
  it("leaves ASCII subjects alone and encodes Cyrillic ones in words of at most 75 characters", () => {
    expect(encodeWords("Daily digest")).toBe("Daily digest");
    const long = "Дайджест: новости степи и городов за неделю, с 23 по 29 ноября 2026 года";
    const encoded = encodeWords(long);
    expect(encoded).toMatch(/^[ -~\r\n]*$/);
    for (const word of encoded.split("\r\n ")) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(encoded)).toBe(long);
  });

  it("never splits a character between two encoded words", () => {
    const emoji = "🌾".repeat(40);
    expect(decodeWords(encodeWords(emoji))).toBe(emoji);
  });

  it("reads and writes mailboxes", () => {
    expect(parseMailbox("Степной вестник <digest@example.com>")).toEqual({
      name: "Степной вестник",
      address: "digest@example.com",
    });
    expect(parseMailbox('"Ledger, The" <d@example.com>')).toEqual({ name: "Ledger, The", address: "d@example.com" });
    expect(parseMailbox("d@example.com")).toEqual({ name: "", address: "d@example.com" });
    expect(formatMailbox({ name: "The Steppe Ledger", address: "d@example.com" })).toBe(
      "The Steppe Ledger <d@example.com>",
    );
    expect(formatMailbox({ name: 'Ledger, "The"', address: "d@example.com" })).toBe(
      '"Ledger, \\"The\\"" <d@example.com>',
    );
    const cyrillic = formatMailbox({ name: "Степной вестник", address: "d@example.com" });
    expect(cyrillic).toMatch(/^=\?UTF-8\?B\?[^"]*\?= <d@example\.com>$/);
  });

  it("writes quoted-printable lines of at most 76 characters, with no line starting with a dot", () => {
    const text = `${"Ж".repeat(60)}\n.hidden\nтrailing space \nkey=value`;
    const encoded = quotedPrintable(text);
    for (const line of encoded.split("\r\n")) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line.startsWith(".")).toBe(false);
    }
    expect(encoded).toContain("=2Ehidden");
    expect(encoded).toContain("space=20\r\n");
    expect(encoded).toContain("key=3Dvalue");
  });

  it("dates in RFC 5322 form", () => {
    expect(rfc5322Date(Date.UTC(2026, 10, 28, 7, 5, 9))).toBe("Sat, 28 Nov 2026 07:05:09 +0000");
  });

  it("derives the same Message-ID from the same key, on the given host", async () => {
    const a = await messageIdentity("digest:1:2026-11-28", "news.example.com");
    const b = await messageIdentity("digest:1:2026-11-28", "news.example.com");
    const c = await messageIdentity("digest:2:2026-11-28", "news.example.com");
    expect(a).toEqual(b);
    expect(a.messageId).toMatch(/^<[0-9a-f]{32}@news\.example\.com>$/);
    expect(c.messageId).not.toBe(a.messageId);
  });

  it("builds a multipart/alternative with the text part first and the HTML part last", () => {
    const text = mimeMessage({
      from: { name: "Ledger", address: "d@example.com" },
      to: "reader@example.net",
      subject: "Hello",
      date: "Sat, 28 Nov 2026 07:00:00 +0000",
      messageId: "<id@news.example.com>",
      headers: [["List-Id", "<digest.news.example.com>"]],
      text: "plain",
      html: "<p>html</p>",
      boundary: "=_alt_b",
    });
    const blank = text.indexOf("\r\n\r\n");
    const head = text.slice(0, blank);
    const body = text.slice(blank + 4);
    expect(head.split("\r\n")).toEqual([
      "From: Ledger <d@example.com>",
      "To: reader@example.net",
      "Subject: Hello",
      "Date: Sat, 28 Nov 2026 07:00:00 +0000",
      "Message-ID: <id@news.example.com>",
      "MIME-Version: 1.0",
      "List-Id: <digest.news.example.com>",
      'Content-Type: multipart/alternative; boundary="=_alt_b"',
    ]);
    expect(body.indexOf("Content-Type: text/plain")).toBeGreaterThan(0);
    expect(body.indexOf("Content-Type: text/plain")).toBeLessThan(body.indexOf("Content-Type: text/html"));
    expect(text.endsWith("--=_alt_b--\r\n")).toBe(true);
  });

  it.each([
    ["Bcc", "a@example.com\r\nX-Evil: 1"],
    ["X-Name", "Дайджест"],
    ["Bad Name", "v"],
    ["X-Long", "x".repeat(991)],
  ])("refuses the header %s: %j", (name, value) => {
    expect(() =>
      mimeMessage({
        from: { name: "", address: "d@example.com" },
        to: "r@example.net",
        subject: "s",
        date: "d",
        messageId: "<m@h>",
        headers: [[name, value]],
        text: "t",
        html: "h",
        boundary: "=_b",
      }),
    ).toThrow(TypeError);
  });

  it("accepts a header line of exactly 998 characters", () => {
    const value = "x".repeat(990);
    expect(`X-Long: ${value}`.length).toBe(998);
    expect(
      mimeMessage({
        from: { name: "", address: "d@example.com" },
        to: "r@example.net",
        subject: "s",
        date: "d",
        messageId: "<m@h>",
        headers: [["X-Long", value]],
        text: "t",
        html: "h",
        boundary: "=_b",
      }),
    ).toContain(`X-Long: ${value}\r\n`);
  });
});
