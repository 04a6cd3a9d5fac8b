// The outbox's .eml (src/core/eml.ts), parsed back by a real mail parser (mailparser, which needs
// Node): what a mail client opening the downloaded file would show, and readEml, which the
// console shows a kept message with, agreeing with it.

import { type ParsedMail, simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { emlOf, readEml } from "../../src/core/eml.js";
import type { MimeInput } from "../../src/core/mime.js";

const UNSUBSCRIBE = "https://news.example.com/unsubscribe?token=tok-123";

function letter(overrides: Partial<MimeInput> = {}): MimeInput {
  return {
    from: { name: "Степной вестник", address: "digest@example.com" },
    to: "reader@example.net",
    subject: "Дайджест: новости степи — Қазақстан, 11 января",
    date: "Sat, 28 Nov 2026 07:00:00 +0000",
    messageId: "<0123456789abcdef@news.example.com>",
    headers: [
      ["List-Id", "<digest.news.example.com>"],
      ["List-Unsubscribe", `<${UNSUBSCRIBE}>`],
      ["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
    ],
    text: `Здравствуйте!\n\nОтписаться: ${UNSUBSCRIBE}\n.\nА строка выше начинается с точки.`,
    html: `<p>Здравствуйте! <a href="${UNSUBSCRIBE}">Отписаться</a></p>`,
    boundary: "=_alt_0123456789abcdef",
    ...overrides,
  };
}

function headerLine(parsed: ParsedMail, key: string): string | undefined {
  return parsed.headerLines.find((h) => h.key === key)?.line;
}

function parse(eml: string): Promise<ParsedMail> {
  return simpleParser(eml, { skipTextToHtml: true, skipHtmlToText: true });
}

describe("the .eml of a letter", () => {
  it("parses back to the same subject, sender, list headers and both parts", async () => {
    const input = letter();
    const { eml, size } = emlOf(input);
    expect(size).toBe(Buffer.byteLength(eml, "utf8"));
    const parsed = await parse(eml);
    expect(parsed.subject).toBe("Дайджест: новости степи — Қазақстан, 11 января");
    expect(parsed.from?.value).toEqual([{ name: "Степной вестник", address: "digest@example.com" }]);
    expect(parsed.messageId).toBe("<0123456789abcdef@news.example.com>");
    expect(parsed.date?.toISOString()).toBe("2026-11-28T07:00:00.000Z");
    expect(parsed.headers.get("mime-version")).toBe("1.0");
    expect(parsed.headers.get("list")).toMatchObject({ unsubscribe: { url: UNSUBSCRIBE } });
    expect(headerLine(parsed, "list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(parsed.text).toBe(input.text);
    expect(parsed.html).toBe(input.html);
    // multipart/alternative: the plain text first, the preferred HTML last (RFC 2046 section 5.1.4).
    expect(eml.indexOf("Content-Type: text/plain; charset=utf-8")).toBeLessThan(
      eml.indexOf("Content-Type: text/html; charset=utf-8"),
    );
  });

  it("keeps every body line within 78 characters and every line within 998, long lines intact", async () => {
    const long = `${"Жаңалықтар ".repeat(400)}end`;
    const wide = `<p>${"x".repeat(5000)}</p>`;
    const { eml } = emlOf(letter({ text: long, html: wide, subject: `Subject ${"y".repeat(1200)}` }));
    const lines = eml.split("\r\n");
    const body = lines.slice(lines.indexOf(""));
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(998);
    expect(Math.max(...body.map((line) => line.length))).toBeLessThanOrEqual(78);
    expect(eml).toMatch(/^[\x20-\x7e\r\n]*$/);
    const parsed = await parse(eml);
    expect(parsed.text).toBe(long);
    expect(parsed.html).toBe(wide);
    expect(parsed.subject).toBe(`Subject ${"y".repeat(1200)}`);
  });

  it("refuses a header whose value carries a CR or LF", () => {
    for (const value of ["<https://x.example/u>\r\nBcc: all@example.net", "a\nb", "a\rb"]) {
      expect(() => emlOf(letter({ headers: [["List-Unsubscribe", value]] }))).toThrow(TypeError);
    }
  });
});

describe("readEml", () => {
  it("reads what mailparser reads: decoded headers, the text and the HTML", async () => {
    const input = letter({ text: `${"Жаңалықтар ".repeat(40)}\n\nline two  \n=3D not an escape` });
    const { eml } = emlOf(input);
    const parsed = await parse(eml);
    const read = readEml(eml);
    expect(read.text).toBe(parsed.text);
    expect(read.html).toBe(parsed.html);
    expect(read.text).toBe(input.text);
    expect(read.headers.map(([name]) => name.toLowerCase())).toEqual(parsed.headerLines.map(({ key }) => key));
    const subject = read.headers.find(([name]) => name === "Subject")?.[1];
    expect(subject).toBe(parsed.subject);
    expect(read.headers.find(([name]) => name === "From")?.[1]).toBe("Степной вестник <digest@example.com>");
    expect(read.headers.find(([name]) => name === "List-Unsubscribe")?.[1]).toBe(`<${UNSUBSCRIBE}>`);
  });

  it("reads a base64 single-part message and Q-encoded words as mailparser does", async () => {
    const eml = [
      "From: =?UTF-8?Q?=D0=92=D0=B5=D1=81=D1=82=D0=BD=D0=B8=D0=BA?= <d@example.com>",
      "Subject: =?UTF-8?B?0J/RgNC40LLQtdGC?= =?UTF-8?Q?_=D0=BC=D0=B8=D1=80?=",
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("<p>Сәлем</p>").toString("base64"),
      "",
    ].join("\r\n");
    const parsed = await parse(eml);
    const read = readEml(eml);
    expect(read.headers.find(([name]) => name === "Subject")?.[1]).toBe(parsed.subject);
    expect(parsed.subject).toBe("Привет мир");
    expect(read.html).toBe(parsed.html);
    expect(read.html).toBe("<p>Сәлем</p>");
    expect(read.text).toBeNull();
  });

  it("decodes a quoted-printable body with raw 8-bit text beside escapes as mailparser does", async () => {
    // Raw UTF-8 in a quoted-printable part (8-bit transport): characters outside the BMP are two
    // UTF-16 units and must come out whole, as must the escaped bytes of the same emoji.
    const eml = [
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Сәлем 😀 and =F0=9F=98=80, a_b =3D c=",
      "ontinued",
      "",
    ].join("\r\n");
    const parsed = await parse(eml);
    const read = readEml(eml);
    expect(read.text).toBe("Сәлем 😀 and 😀, a_b = continued\n");
    expect(read.text).toBe(parsed.text);
  });

  it("drops the blanks at the end of each quoted-printable line and keeps those inside it", async () => {
    const blanks = " \t".repeat(1000);
    const eml = [
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      `one${blanks}two${blanks}`,
      `three=20${blanks}`,
      "",
    ].join("\r\n");
    const parsed = await parse(eml);
    const read = readEml(eml);
    expect(read.text).toBe(`one${blanks}two\nthree \n`);
    expect(read.text).toBe(parsed.text);
  });
});
