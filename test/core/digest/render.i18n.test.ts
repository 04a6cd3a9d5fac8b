import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { renderDigest } from "../../../src/core/digest/render.js";
import { templates } from "../../../src/generated/templates.js";
import { article, input } from "./fixture.js";

const render = (...args: Parameters<typeof input>) => renderDigest(input(...args), templates.digest);
const russianSite = {
  title: "Степной вестник",
  url: "https://news.example.com",
  language: "ru",
  timeZone: "Asia/Almaty",
};

describe("a digest's words", () => {
  it("follow each article's own language for its link and date, and the site's for the rest", () => {
    const digest = render([
      article(1, { lang: "kk-KZ", title: "Алматыда жаңа трамвай" }),
      article(2, { title: "A new tram in Almaty" }),
    ]);
    expect(digest.html).toContain("Daily digest, Monday, January 10, 2022");
    expect(digest.html).toContain('aria-label="Толығырақ: Алматыда жаңа трамвай">Толығырақ →</a>');
    expect(digest.html).toContain('aria-label="Read more: A new tram in Almaty">Read more →</a>');
    expect(digest.html).toContain("2022 ж. 10 қаң.");
    expect(digest.html).toContain("Jan 10, 2022");
    expect(digest.html).toContain('lang="kk-KZ"');
    expect(digest.html).toContain("View in browser");
    const lines = digest.text.split("\n");
    expect(lines).toContain("   Толығырақ: https://news.example.com/articles/story-1");
    expect(lines).toContain("   Read more: https://news.example.com/articles/story-2");
  });

  it("are Russian on a Russian site, with Russian plurals", () => {
    const day = (n: number) =>
      render(
        Array.from({ length: n }, (_, i) => article(i + 1)),
        { site: russianSite, unsubscribeUrl: "https://news.example.com/unsubscribe?token=T" },
      );
    expect(day(1).html).toContain("1 статья из «Степной вестник».");
    expect(day(2).html).toContain("2 статьи из «Степной вестник».");
    const five = day(5);
    expect(five.html).toContain("5 статей из «Степной вестник».");
    expect(five.html).toContain('<html lang="ru"');
    expect(five.html).toContain("<h1>Ежедневный дайджест, понедельник, 10 января 2022 г.</h1>");
    expect(five.html).toContain(">Отписаться</a>");
    expect(five.html).toContain(">Открыть в браузере</a>");
    expect(five.html).toContain("Читать далее →");
    expect(five.text.split("\n")).toContain("Отписаться: https://news.example.com/unsubscribe?token=T");
    expect(day(30).html).toContain("Ещё 5 статей на сайте");
    expect(day(27).html).toContain("Ещё 2 статьи на сайте");
    expect(day(26).html).toContain("Ещё 1 статья на сайте");
  });

  it("name the unsubscribe and preferences links in Russian and Kazakh, in both parts", () => {
    const unsubscribeUrl = "https://news.example.com/unsubscribe?token=T";
    const preferencesUrl = "https://news.example.com/preferences?token=T";
    const cases = [
      { language: "ru", unsubscribe: "Отписаться", preferences: "Настроить рассылку" },
      { language: "kk", unsubscribe: "Жазылымнан бас тарту", preferences: "Жазылым параметрлері" },
    ];
    for (const { language, unsubscribe, preferences } of cases) {
      const digest = render([article(1)], {
        site: { ...russianSite, language },
        unsubscribeUrl,
        preferencesUrl,
      });
      const anchors = DomUtils.getElementsByTagName("a", parseDocument(digest.html)).map((a) => ({
        href: a.attribs.href,
        text: DomUtils.textContent(a).trim(),
      }));
      expect(anchors).toContainEqual({ href: unsubscribeUrl, text: unsubscribe });
      expect(anchors).toContainEqual({ href: preferencesUrl, text: preferences });
      const lines = digest.text.split("\n");
      expect(lines).toContain(`${unsubscribe}: ${unsubscribeUrl}`);
      expect(lines).toContain(`${preferences}: ${preferencesUrl}`);
      expect(digest.html).not.toContain("Manage preferences");
    }
  });

  it("say 'or' between tags in the site's language", () => {
    const digest = render([article(1), article(2)], { site: russianSite, tags: ["Транспорт", "Культура"] });
    expect(digest.html).toContain("2 статьи с тегом Транспорт или Культура из «Степной вестник».");
  });

  it("write a footer note in the site's language when the caller gives none", () => {
    const { reason: _, ...noReason } = input([article(1)], { site: russianSite });
    expect(renderDigest(noReason, templates.digest).html).toContain(
      "Вы получили это письмо, потому что подписались на ежедневный дайджест «Степной вестник».",
    );
    const web = renderDigest({ ...noReason, forEmail: false, unsubscribeUrl: null }, templates.digest);
    expect(web.html).toContain("Это веб-версия ежедневного дайджеста «Степной вестник».");
  });
});
