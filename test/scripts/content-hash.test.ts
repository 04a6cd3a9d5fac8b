// The content sync's Node hash must give the digest planSync's WebCrypto default gives: a database
// synced with one finds its files unchanged with the other.

import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../scripts/content-hash.js";
import { planSync } from "../../src/core/content.js";

const siteUrl = "https://news.example.com";
const file = (path: string, body: string) => ({
  path,
  text: `---\ntitle: "${path}"\ndate: "2022-01-10T10:00:00Z"\n---\n\n${body}\n`,
});

describe("sha256Hex", () => {
  it("is SHA-256 in lowercase hex", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("gives planSync the same hashes as its WebCrypto default, for ASCII, Cyrillic, emoji and a lone surrogate", async () => {
    const files = [
      file("content/plain.md", "The council met on Tuesday."),
      file("content/kazakh.md", "Алматыда жиналыс өтті. Қазақ тілі."),
      file("content/emoji.md", "Snow 🌨️ in Astana."),
      file("content/broken.md", "Half a pair: \ud83c and on."),
    ];
    const byDefault = (await planSync(files, [], siteUrl)).upserts.map((u) => u.hash);
    const byNode = (await planSync(files, [], siteUrl, { hash: sha256Hex })).upserts.map((u) => u.hash);
    expect(byDefault).toHaveLength(4);
    expect(byNode).toEqual(byDefault);
  });

  it("finds every file unchanged against records stored with the default hash", async () => {
    const files = [file("content/a.md", "Алматы"), file("content/b.md", "Astana")];
    const first = await planSync(files, [], siteUrl);
    const stored = first.upserts.map((u) => ({
      slug: u.article.slug,
      source: "file" as const,
      sourcePath: u.path,
      sourceHash: u.hash,
    }));
    const again = await planSync(files, stored, siteUrl, { hash: sha256Hex });
    expect({ upserts: again.upserts.length, unchanged: again.unchanged }).toEqual({ upserts: 0, unchanged: 2 });
  });
});
