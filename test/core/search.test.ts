// The pure part of search: the FTS5 expression written for a reader's query, the errors for
// malformed ones, the stemming of Cyrillic words, the body's plain text and the marked snippets.

import { describe, expect, it } from "vitest";
import { bodyText, ftsQuery, QueryError, stem, unmark } from "../../src/core/search.js";

const error = (q: string) => {
  try {
    ftsQuery(q);
  } catch (e) {
    if (e instanceof QueryError) return e.message;
    throw e;
  }
  return null;
};

describe("ftsQuery", () => {
  it("quotes every word and matches it as a prefix", () => {
    expect(ftsQuery("Tokayev summit")).toBe('("Tokayev"* AND "summit"*)');
    expect(ftsQuery("  tokayev  ")).toBe('"tokayev"*');
    expect(ftsQuery("Казахстане Қазақстанда")).toBe('("казахстан"* AND "қазақстан"*)');
  });

  it("keeps phrases exact, OR between groups, NOT after what is wanted, and fields", () => {
    expect(ftsQuery('"csto summit"')).toBe('"csto summit"');
    expect(ftsQuery('"csto sum"*')).toBe('"csto sum"*');
    expect(ftsQuery("a OR b c")).toBe('"a"* OR ("b"* AND "c"*)');
    expect(ftsQuery("a -b NOT c")).toBe('("a"* NOT ("b"* OR "c"*))');
    expect(ftsQuery("title:a Body:b")).toBe('({title} : "a"* AND {body_text} : "b"*)');
    expect(ftsQuery("a AND b")).toBe('("a"* AND "b"*)');
  });

  it("reads a leading - as NOT before a word, a field or a phrase", () => {
    expect(ftsQuery("tram -title:bus")).toBe(ftsQuery("tram NOT title:bus"));
    expect(ftsQuery("tram -title:bus")).toBe('("tram"* NOT ({title} : "bus"*))');
    expect(ftsQuery('tram -"bus lane"')).toBe('("tram"* NOT ("bus lane"))');
    expect(ftsQuery('tram -summary:"bus lane"')).toBe('("tram"* NOT ({summary} : "bus lane"))');
    // Only at the start of a word: inside one it is part of the word.
    expect(ftsQuery("alma-ata")).toBe('"alma-ata"*');
  });

  it("writes punctuation FTS5 would read as syntax inside quotes", () => {
    expect(ftsQuery("a^b c+d e.f it's")).toBe('("a^b"* AND "c+d"* AND "e.f"* AND "it\'s"*)');
    expect(ftsQuery("NEAR")).toBe('"NEAR"*');
    expect(ftsQuery("and or not")).toBe('("and"* AND "or"* AND "not"*)');
  });

  it("names what is wrong with a malformed query", () => {
    expect(error('"open')).toBe("has a quote that is not closed");
    expect(error("AND")).toBe("AND needs a word on each side");
    expect(error("a AND")).toBe("AND needs a word on each side");
    expect(error("OR a")).toBe("OR needs a word on each side");
    expect(error("a OR OR b")).toBe("OR needs a word on each side");
    expect(error("NEAR(a b)")).toBe("may not use NEAR( ); use a quoted phrase");
    expect(error("colour:red")).toBe('names an unknown field "colour:"; the fields are title, summary and body');
    expect(error("*")).toBe("has a * that follows no word (write it right after a word: astan*)");
    expect(error("(a)")).toBe("may not use parentheses; use OR between words, or quotes");
    expect(error("-a")).toBe("needs a word to find, not only words to leave out");
    expect(error("-")).toBe("has a - that leaves out no word");
    expect(error("a - b")).toBe("has a - that leaves out no word");
    expect(error("a -:b")).toBe("has a - that leaves out no word");
    expect(error("a -title:")).toBe("has title: with no word after it");
    expect(error('a -""')).toBe("has a quoted phrase with no words in it");
    expect(error("NOT")).toBe("NOT needs a word after it");
    expect(error("title:")).toBe("has title: with no word after it");
    expect(error("… —")).toBe("has no word to search for");
    expect(error("")).toBe("has no word to search for");
  });

  it("takes 200 characters and 10 terms, not 201 or 11", () => {
    expect(error("я".repeat(200))).toBeNull();
    expect(error("я".repeat(201))).toBe("must be at most 200 characters");
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
    expect(error(words(10))).toBeNull();
    expect(error(words(11))).toBe("may have at most 10 words and phrases");
  });

  it("is linear in the query's length (a long run of one character)", () => {
    // 200 characters is the limit; what matters is that nothing backtracks on what is over it.
    expect(error('"'.repeat(100_000))).toBe("must be at most 200 characters");
  });
});

describe("stem", () => {
  it("drops one common Russian or Kazakh ending when five letters stay", () => {
    expect(stem("Казахстане")).toBe("казахстан");
    expect(stem("казахстан")).toBe("казахстан");
    expect(stem("Қазақстанда")).toBe("қазақстан");
    expect(stem("республиками")).toBe("республик");
    expect(stem("Токаев")).toBe("токаев");
    expect(stem("Almaty")).toBe("Almaty");
  });
});

describe("bodyText", () => {
  it("keeps the words of the HTML and none of its markup", () => {
    expect(bodyText('<p>Read <a href="https://example.org/x">the <strong>statement</strong></a>.</p><p>Next</p>')).toBe(
      "Read the statement. Next",
    );
    expect(bodyText("<p>&lt;script&gt; &amp; co</p>")).toBe("<script> & co");
  });

  it("keeps 50 000 characters of text and cuts the 50 001st", () => {
    expect(bodyText(`<p>${"я".repeat(50_000)}</p>`)).toHaveLength(50_000);
    expect(bodyText(`<p>${"я".repeat(50_001)}</p>`)).toHaveLength(50_000);
    // At a space near the end, so no word is indexed cut in half.
    expect(bodyText(`<p>${"я".repeat(49_990)} ${"b".repeat(20)}</p>`)).toBe("я".repeat(49_990));
  });
});

describe("unmark", () => {
  it("splits marked text into plain text and match ranges", () => {
    expect(unmark("a \u0001bc\u0002 d \u0001e\u0002")).toEqual({
      text: "a bc d e",
      marks: [
        [2, 4],
        [7, 8],
      ],
    });
    expect(unmark("plain <b>")).toEqual({ text: "plain <b>", marks: [] });
  });
});
