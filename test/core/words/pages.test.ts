// The pages' words: every query problem said in each language (none left in English), and the
// results count at the plural forms' edges and past the most counted.

import { describe, expect, it } from "vitest";
import { ftsQuery } from "../../../src/core/search.js";
import { pagesWords, type QueryProblem } from "../../../src/core/words/pages.js";

/** A query for each problem the parser finds, and the problem it should name. */
const MALFORMED: [string, QueryProblem["kind"]][] = [
  ["я".repeat(201), "tooLong"],
  ["… —", "noWord"],
  [Array.from({ length: 11 }, (_, i) => `w${i}`).join(" "), "tooManyTerms"],
  ["a OR", "orSides"],
  ["a AND", "andSides"],
  ["-a", "onlyLeftOut"],
  ['"open', "unclosedQuote"],
  ['a -""', "emptyPhrase"],
  ["a - b", "bareMinus"],
  ["(a)", "parentheses"],
  ["*", "bareStar"],
  [":a", "bareColon"],
  ["colour:red", "unknownField"],
  ["title:body:a", "twoFields"],
  ["title: a", "fieldWithoutWord"],
  ["NEAR(a b)", "near"],
  ["-title:a", "onlyLeftOut"],
  ["a NOT", "notWithoutWord"],
];

describe("pagesWords", () => {
  it("names each malformed query's problem, and says it in Russian and Kazakh, not in English", () => {
    for (const [q, kind] of MALFORMED) {
      expect(() => ftsQuery(q), q).toThrow(expect.objectContaining({ problem: expect.objectContaining({ kind }) }));
      const problem = { kind, max: 10, word: "colour", field: "title" } as QueryProblem;
      const en = pagesWords.en.queryProblem(problem);
      for (const lang of ["ru", "kk"] as const) {
        const said = pagesWords[lang].queryProblem(problem);
        expect(said, `${lang} ${kind}`).toMatch(/[\u0400-\u04ff]/);
        expect(said).not.toBe(en);
      }
    }
  });

  it("counts results in each language's plural forms, and past the most counted says 'more than'", () => {
    const counts = (lang: "en" | "ru" | "kk") =>
      [1, 2, 5, 21, 1000, 1001].map((n) => pagesWords[lang].results(n, 1000));
    expect(counts("en")).toEqual([
      "1 result",
      "2 results",
      "5 results",
      "21 results",
      "1,000 results",
      "more than 1,000 results",
    ]);
    expect(counts("ru")).toEqual([
      "1 результат",
      "2 результата",
      "5 результатов",
      "21 результат",
      "1\u00a0000 результатов",
      "более 1\u00a0000 результатов",
    ]);
    expect(counts("kk")).toEqual([
      "1 нәтиже",
      "2 нәтиже",
      "5 нәтиже",
      "21 нәтиже",
      "1\u00a0000 нәтиже",
      "1\u00a0000-нан астам нәтиже",
    ]);
  });
});
