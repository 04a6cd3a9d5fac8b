import { describe, expect, it } from "vitest";
import { formatDate, formatDay, messages } from "../../src/core/i18n.js";

describe("messages(lang)", () => {
  it("picks a table by the primary subtag, whatever the region or case", () => {
    expect(messages("kk-KZ").lang).toBe("kk");
    expect(messages("ru-RU").lang).toBe("ru");
    expect(messages("RU").lang).toBe("ru");
    expect(messages("en-GB").lang).toBe("en");
  });

  it("falls back to English for a language it has no words for", () => {
    expect(messages("de").lang).toBe("en");
    expect(messages("de-AT").readMore).toBe("Read more");
  });

  it("counts articles with Russian plural forms", () => {
    const ru = messages("ru");
    expect([1, 2, 5, 11, 12, 21, 22, 25, 101, 111].map((n) => ru.articles(n))).toEqual([
      "1 статья",
      "2 статьи",
      "5 статей",
      "11 статей",
      "12 статей",
      "21 статья",
      "22 статьи",
      "25 статей",
      "101 статья",
      "111 статей",
    ]);
  });

  it("counts articles in Kazakh and English", () => {
    expect([1, 2, 5].map((n) => messages("kk").articles(n))).toEqual(["1 мақала", "2 мақала", "5 мақала"]);
    expect([1, 2, 0].map((n) => messages("en").articles(n))).toEqual(["1 article", "2 articles", "0 articles"]);
  });

  it("has the words the HTML pages need, in each language", () => {
    expect(messages("en")).toMatchObject({
      updated: "Updated",
      older: "Older →",
      newest: "← Newest",
      readMore: "Read more",
      pageNotFound: "Page not found",
    });
    expect(messages("en").tagged("Transit")).toBe("Tagged “Transit”");
    expect(messages("en").byAuthor("Dana Kim")).toBe("By Dana Kim");
    expect(messages("en").follow("The Steppe Ledger")).toBe("Follow The Steppe Ledger:");
    expect(messages("ru").pageNotFound).toBe("Страница не найдена");
    expect(messages("ru").tagged("Транспорт")).toBe("Материалы с тегом «Транспорт»");
    expect(messages("kk").pageNotFound).toBe("Бет табылмады");
    expect(messages("kk").readMore).toBe("Толығырақ");
  });
});

describe("formatDay", () => {
  const evening = Date.UTC(2022, 0, 10, 20, 0); // already 11 January in Almaty (UTC+6)
  it("writes the local calendar day in the language", () => {
    expect(formatDay(evening, "en", "Asia/Almaty")).toBe("January 11, 2022");
    expect(formatDay(evening, "en", "UTC")).toBe("January 10, 2022");
    expect(formatDay(evening, "ru", "Asia/Almaty")).toBe("11 января 2022 г.");
    expect(formatDay(evening, "kk-KZ", "Asia/Almaty")).toBe("2022 ж. 11 қаңтар");
  });

  it("writes English dates for a language it has no words for, and never throws on an odd tag", () => {
    expect(formatDay(evening, "zz", "UTC")).toBe("January 10, 2022");
    expect(formatDay(evening, "en-12", "UTC")).toBe("January 10, 2022");
  });
});

describe("Kazakh dates and lists", () => {
  // Written from the table's own words: the Worker runtime's ICU has no Kazakh dates.
  it("follow CLDR's Kazakh patterns in every style", () => {
    const monday = Date.UTC(2022, 0, 10, 12, 0);
    expect(formatDate(monday, "kk", "Asia/Almaty", "full")).toBe("2022 ж. 10 қаңтар, дүйсенбі");
    expect(formatDate(monday, "kk", "Asia/Almaty", "medium")).toBe("2022 ж. 10 қаң.");
    expect(formatDate(monday, "kk", "Asia/Almaty", "dayMonth")).toBe("10 қаңтар");
    expect(formatDate(Date.UTC(2022, 11, 31, 20, 0), "kk", "Asia/Almaty", "full")).toBe("2023 ж. 1 қаңтар, жексенбі");
    expect(formatDate(Date.UTC(2022, 8, 14, 12, 0), "kk", "UTC", "medium")).toBe("2022 ж. 14 қыр.");
  });

  it("join tags with 'немесе'", () => {
    expect(messages("kk").digestIntro(2, ["Көлік", "Мәдениет"], "Дала")).toBe(
      "«Дала» сайтынан Көлік немесе Мәдениет тегі бар 2 мақала.",
    );
  });
});
