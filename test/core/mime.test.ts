import { describe, expect, it } from "vitest";
import {
  checkHeader,
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

  it("encodes a dot that a soft line break brings to the start of a line", () => {
    // 75 characters fill a line; the dot then opens the continuation line.
    for (const text of [`${"a".repeat(75)}.x`, `${"a".repeat(75)}.`, `${"a".repeat(150)}.`]) {
      const encoded = quotedPrintable(text);
      for (const line of encoded.split("\r\n")) {
        expect(line.length).toBeLessThanOrEqual(76);
        expect(line.startsWith(".")).toBe(false);
      }
      expect(encoded.replace(/=\r\n/g, "").replace(/=2E/g, ".")).toBe(text);
    }
  });

  it("keeps the Subject line of a 998-character ASCII subject under 998 characters", () => {
    const subject = "x".repeat(998);
    const text = mimeMessage({
      from: { name: "", address: "d@example.com" },
      to: "r@example.net",
      subject,
      date: "d",
      messageId: "<m@h>",
      headers: [],
      text: "t",
      html: "h",
      boundary: "=_b",
    });
    for (const line of text.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);
    const head = text.slice(0, text.indexOf("\r\n\r\n"));
    const folded = /^Subject: (.*(?:\r\n .*)*)/m.exec(head)?.[1] ?? "";
    expect(decodeWords(folded)).toBe(subject);
  });

  it("leaves an ASCII subject as it is while its line is at most 998 characters", () => {
    const subject = "x".repeat(989);
    const text = mimeMessage({
      from: { name: "", address: "d@example.com" },
      to: "r@example.net",
      subject,
      date: "d",
      messageId: "<m@h>",
      headers: [],
      text: "t",
      html: "h",
      boundary: "=_b",
    });
    expect(text).toContain(`\r\nSubject: ${subject}\r\n`);
    expect(`Subject: ${subject}`.length).toBe(998);
  });
});

describe("MIME text against hostile input", () => {
  const base = {
    from: { name: "", address: "d@example.com" },
    to: "r@example.net",
    subject: "s",
    date: "Sat, 28 Nov 2026 07:00:00 +0000",
    messageId: "<m@h>",
    headers: [],
    text: "t",
    html: "h",
    boundary: "=_alt_b",
  };

  it.each([
    ["plain ASCII", "Hello, world! ~", "Hello, world! ~"],
    ["an equals sign", "a=b", "a=3Db"],
    ["a dot inside a line", "a.b", "a.b"],
    ["a space and a tab inside a line", "a b\tc", "a b\tc"],
    ["a trailing space", "a ", "a=20"],
    ["a trailing tab", "a\t", "a=09"],
    ["a control character", "a\u0001b", "a=01b"],
    ["DEL", "a\u007fb", "a=7Fb"],
    ["Cyrillic", "Ж", "=D0=96"],
    ["CRLF line ends", "a\r\nb", "a\r\nb"],
    ["LF line ends", "a\nb", "a\r\nb"],
    ["a lone CR", "a\rb", "a\r\nb"],
    ["a line of 75 characters", "a".repeat(75), "a".repeat(75)],
    ["a line of 76 characters", "a".repeat(76), `${"a".repeat(75)}=\r\na`],
  ])("quoted-printable of %s", (_what, text, encoded) => {
    expect(quotedPrintable(text)).toBe(encoded);
  });

  it("never breaks a line inside an =XX escape", () => {
    const encoded = quotedPrintable(`${"a".repeat(74)}=Ж`);
    expect(encoded).toBe(`${"a".repeat(74)}=\r\n=3D=D0=96`);
  });

  it("reads MAIL_FROM spellings", () => {
    expect(parseMailbox("Ledger<d@example.com>")).toEqual({ name: "Ledger", address: "d@example.com" });
    expect(parseMailbox("<d@example.com>")).toEqual({ name: "", address: "d@example.com" });
    expect(parseMailbox('"Ledger \\"The\\"" <d@example.com>')).toEqual({
      name: 'Ledger "The"',
      address: "d@example.com",
    });
    expect(parseMailbox('"" <d@example.com>')).toEqual({ name: "", address: "d@example.com" });
    expect(parseMailbox('"Ledger <d@example.com>')).toEqual({ name: '"Ledger', address: "d@example.com" });
    expect(parseMailbox('Ledger" <d@example.com>')).toEqual({ name: 'Ledger"', address: "d@example.com" });
    expect(parseMailbox('" <d@example.com>')).toEqual({ name: '"', address: "d@example.com" });
  });

  it("writes a bare address bare and quotes a name with a comma, so it stays one mailbox", () => {
    expect(formatMailbox({ name: "", address: "d@example.com" })).toBe("d@example.com");
    expect(formatMailbox({ name: "Ledger, The", address: "d@example.com" })).toBe('"Ledger, The" <d@example.com>');
    expect(formatMailbox({ name: "The Ledger.", address: "d@example.com" })).toBe('"The Ledger." <d@example.com>');
    expect(formatMailbox({ name: "a\\b", address: "d@example.com" })).toBe('"a\\\\b" <d@example.com>');
  });

  it("encodes CR, LF, NUL and U+2028 in a subject or display name instead of writing them", () => {
    for (const hostile of ["Hi\r\nBcc: x@evil.example", "Hi\nBcc: x@evil.example", "Hi\u0000x", "Hi\u2028Bcc: x"]) {
      const text = mimeMessage({ ...base, subject: hostile, from: { name: hostile, address: "d@example.com" } });
      const head = text.slice(0, text.indexOf("\r\n\r\n"));
      expect(head).not.toMatch(/^Bcc:/im);
      expect(head).toMatch(/^[\t -~\r\n]*$/);
      for (const line of head.split("\r\n")) {
        expect(line).toMatch(/^([A-Za-z-]+: | )/);
      }
      const subject = /^Subject: (.*(?:\r\n .*)*)/m.exec(head)?.[1] ?? "";
      expect(decodeWords(subject)).toBe(hostile);
    }
  });

  it("writes the MIME parts with their boundary, type, encoding and a blank line", () => {
    const text = mimeMessage({ ...base, text: "plain", html: "<p>html</p>" });
    const body = text.slice(text.indexOf("\r\n\r\n") + 4);
    expect(body).toBe(
      [
        "--=_alt_b",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "plain",
        "--=_alt_b",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "<p>html</p>",
        "--=_alt_b--",
        "",
      ].join("\r\n"),
    );
  });

  it("derives a boundary that starts with =_, which quoted-printable never writes", async () => {
    const { boundary } = await messageIdentity("confirm:1", "news.example.com");
    expect(boundary).toMatch(/^=_alt_[0-9a-f]{32}$/);
  });

  it("names the header it refuses, quoting at most 40 characters of a bad name", () => {
    expect(() => checkHeader("X-Long", "x".repeat(991))).toThrow(
      /^the header X-Long is not one line of ASCII of at most 998 characters$/,
    );
    expect(() => checkHeader("X-Long", "x".repeat(990))).not.toThrow();
    expect(() => checkHeader(`${"N".repeat(100)}:`, "v")).toThrow(
      `the header name "${"N".repeat(40)}" is not a field name`,
    );
    expect(() => checkHeader("N".repeat(76), "v")).not.toThrow();
    expect(() => checkHeader("N".repeat(77), "v")).toThrow(TypeError);
  });

  it("reads a display name with a line separator in it as a name, not as part of the address", () => {
    expect(parseMailbox("Led\u2028ger <d@example.com>")).toEqual({ name: "Led\u2028ger", address: "d@example.com" });
    expect(formatMailbox(parseMailbox("Led\u2028ger <d@example.com>"))).toMatch(
      /^=\?UTF-8\?B\?[^\u2028]*<d@example\.com>$/,
    );
  });

  it("reads a mailbox with 100 000 spaces in it in one pass", () => {
    expect(parseMailbox(`${" ".repeat(100_000)}d@example.com`)).toEqual({ name: "", address: "d@example.com" });
    expect(parseMailbox(`Ledger${" ".repeat(100_000)}x <d@example.com>`)).toEqual({
      name: `Ledger${" ".repeat(100_000)}x`,
      address: "d@example.com",
    });
  });

  it.each([
    ["X-A", "a\u0000b"],
    ["X-A", "a\nBcc: x@evil.example"],
    ["X-A", "a\rBcc: x@evil.example"],
    ["X-A", "a\u2028b"],
    ["X-A", "a\u0085b"],
    ["X-A", "a\tb"],
    ["X-A:B", "v"],
    ["", "v"],
    ["X\u0000A", "v"],
    ["X-Ä", "v"],
  ])("refuses the extra header %j: %j", (name, value) => {
    expect(() => checkHeader(name, value)).toThrow(TypeError);
  });
});
