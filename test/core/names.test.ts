import { describe, expect, it } from "vitest";
import { decodeNameCursor, encodeNameCursor, sortKey } from "../../src/core/names.js";

describe("sortKey", () => {
  it("folds case and accents, Latin and Cyrillic alike", () => {
    expect(sortKey("Émile  Zola")).toBe("emile zola");
    expect(sortKey("Ёлка")).toBe("елка");
    expect(sortKey("ҚОҒАМ")).toBe("қоғам");
    const names = ["Банк", "apple", "Zebra", "ёж", "Élan", "астана"];
    expect(names.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))).toEqual([
      "apple",
      "Élan",
      "Zebra",
      "астана",
      "Банк",
      "ёж",
    ]);
  });

  it("bounds the key of a hostile name", () => {
    expect(sortKey("a".repeat(100_000))).toHaveLength(400);
  });
});

describe("name cursors", () => {
  it("round-trip any key", () => {
    const cursor = { key: "қоғам & co / ?=", slug: "x-0abc" };
    expect(decodeNameCursor(encodeNameCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ["", "empty"],
    ["!!", "not base64url"],
    [btoa("no-newline"), "no separator"],
    [btoa("Bad Slug\nkey"), "not a slug"],
    [btoa("\xff\xfe\nkey"), "not UTF-8"],
    ["A".repeat(2001), "too long"],
  ])("refuse %s (%s)", (text) => {
    expect(decodeNameCursor(text.replace(/=+$/, ""))).toBeNull();
  });
});
