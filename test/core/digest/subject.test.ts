// A digest email's subject, preheader, heading and footer invitation (issue 21, items 6 and 7),
// and the email otherwise as it was sent before them (test/fixtures/digest/__snapshots__/email-as-sent.html:
// the same fixture rendered before the change).

import { describe, expect, it } from "vitest";
import { MAX_SUBJECT, renderDigest } from "../../../src/core/digest/render.js";
import { templates } from "../../../src/generated/templates.js";
import asSent from "../../fixtures/digest/__snapshots__/email-as-sent.html?bytes";
import { article, input } from "./fixture.js";

const render = (...args: Parameters<typeof input>) => renderDigest(input(...args), templates.digest);
const many = (n: number, lead = "Story number 1") =>
  Array.from({ length: n }, (_, i) => article(i + 1, i === 0 ? { title: lead } : {}));
const site = (language: string) => ({
  title: "Степной вестник",
  url: "https://news.example.com",
  language,
  timeZone: "Asia/Almaty",
});
const SUBSCRIBE = "https://news.example.com/subscribe?source=%2Fdigests%2Fdaily%2F2022-01-10";

describe("a digest's subject", () => {
  it("is the lead headline, then how many more, without the site's name or the date", () => {
    expect(MAX_SUBJECT).toBe(78);
    expect(render(many(1)).subject).toBe("Story number 1");
    expect(render(many(2)).subject).toBe("Story number 1 (+1 more)");
    expect(render(many(30)).subject).toBe("Story number 1 (+29 more)");
  });

  it("keeps a headline of 78 characters whole and cuts one of 79 at a word, with an ellipsis", () => {
    const fits = "City council approves the new tram line budget after a long debate over bridge";
    expect(fits.length).toBe(78);
    expect(render(many(1, fits)).subject).toBe(fits);
    const over = "City council approves the new tram line budget after a long debate over bridges";
    expect(over.length).toBe(79);
    const cut = render(many(1, over)).subject;
    expect(cut).toBe("City council approves the new tram line budget after a long debate over…");
    expect(cut.length).toBeLessThanOrEqual(78);
  });

  it("cuts the headline, never the count, when both pass 78 characters", () => {
    const fits = "City council approves the new tram line budget after long debate, to";
    expect(fits.length).toBe(68);
    expect(render(many(3, fits)).subject).toBe(`${fits} (+2 more)`);
    expect(`${fits} (+2 more)`.length).toBe(78);
    const over = "City council approves the new tram line budget after long debate, too";
    expect(over.length).toBe(69);
    const subject = render(many(3, over)).subject;
    expect(subject).toBe("City council approves the new tram line budget after long debate… (+2 more)");
    expect(subject.length).toBeLessThanOrEqual(78);
  });

  it("never cuts an emoji in half", () => {
    const subject = render(many(1, "🚋".repeat(60))).subject;
    expect(subject).toBe(`${"🚋".repeat(38)}…`);
    expect(subject.isWellFormed()).toBe(true);
  });

  it("counts in Russian and Kazakh, with Russian plurals", () => {
    const ru = (n: number) => render(many(n, "Трамвай пошёл"), { site: site("ru") }).subject;
    expect(ru(1)).toBe("Трамвай пошёл");
    expect(ru(2)).toBe("Трамвай пошёл (и ещё 1 статья)");
    expect(ru(3)).toBe("Трамвай пошёл (и ещё 2 статьи)");
    expect(ru(6)).toBe("Трамвай пошёл (и ещё 5 статей)");
    expect(ru(22)).toBe("Трамвай пошёл (и ещё 21 статья)");
    const kk = (n: number) => render(many(n, "Трамвай жүрді"), { site: site("kk") }).subject;
    expect(kk(2)).toBe("Трамвай жүрді (тағы 1 мақала)");
    expect(kk(6)).toBe("Трамвай жүрді (тағы 5 мақала)");
    const long = "Қалалық кеңес ұзақ пікірталастан кейін жаңа трамвай желісінің бюджетін бекітті";
    expect(long.length).toBe(78);
    expect(render(many(1, long), { site: site("kk") }).subject).toBe(long);
    expect(render(many(3, long), { site: site("kk") }).subject).toBe(
      "Қалалық кеңес ұзақ пікірталастан кейін жаңа трамвай… (тағы 2 мақала)",
    );
  });

  it("leaves the date to the preheader and the heading, in the site's language", () => {
    const ru = render(many(2), { site: site("ru") });
    expect(ru.preheader).toBe("Ежедневный дайджест, понедельник, 10 января 2022 г. · Story number 2");
    expect(ru.html).toContain("<h1>Ежедневный дайджест, понедельник, 10 января 2022 г.</h1>");
    expect(ru.text.split("\n")[0]).toBe("Ежедневный дайджест, понедельник, 10 января 2022 г.");
    const kk = render(many(2), { site: site("kk") });
    expect(kk.text.split("\n")[0]).toBe("Күнделікті дайджест, 2022 ж. 10 қаңтар, дүйсенбі");
  });
});

describe("a digest's footer", () => {
  it("invites whoever the email was forwarded to, in both parts, in the email only", () => {
    const email = render(many(2), { subscribeUrl: SUBSCRIBE });
    expect(email.html).toContain(
      `<p>Forwarded this email? <a href="${SUBSCRIBE.replace(/&/g, "&amp;")}">Subscribe</a></p>`,
    );
    expect(email.text.split("\n")).toContain(`Forwarded this email? Subscribe: ${SUBSCRIBE}`);
    const web = render(many(2), { subscribeUrl: SUBSCRIBE, forEmail: false, unsubscribeUrl: null });
    expect(web.html).not.toContain("Forwarded this email?");
    expect(web.text).not.toContain("Forwarded this email?");
  });

  it("invites in Russian and Kazakh", () => {
    expect(render(many(1), { site: site("ru"), subscribeUrl: SUBSCRIBE }).html).toContain(
      `Вам переслали это письмо? <a href="${SUBSCRIBE}">Подпишитесь</a>`,
    );
    expect(render(many(1), { site: site("kk"), subscribeUrl: SUBSCRIBE }).text).toContain(
      `Бұл хат сізге басқа біреуден келді ме? Жазылыңыз: ${SUBSCRIBE}`,
    );
  });
});

describe("the digest email", () => {
  it("is as it was sent before, apart from its subject, preheader, heading, footer invitation and 'more' link", () => {
    const now = render(many(30), {
      preferencesUrl: "https://news.example.com/preferences?token=TOKEN",
      subscribeUrl: SUBSCRIBE,
    });
    expect(now.subject).toBe("Story number 1 (+29 more)");
    const heading = "Daily digest, Monday, January 10, 2022";
    expect(now.preheader).toBe(`${heading} · Story number 2 · Story number 3 · Story number 4`);
    const invitation = `<p>Forwarded this email? <a href="${SUBSCRIBE}">Subscribe</a></p>\n`;
    expect(now.html).toContain(invitation);
    const undone = now.html
      .replace(invitation, "")
      .replace(`>${now.preheader}<`, ">Story number 2 · Story number 3 · Story number 4<")
      .replaceAll(now.subject, "The Steppe Ledger daily digest, Monday, January 10, 2022: Story number 1 (+29 more)")
      .replace(`<h1>${heading}</h1>`, "<h1>Daily digest: Monday, January 10, 2022</h1>")
      .replace("#article-story-26", "#more");
    expect(undone).toBe(new TextDecoder().decode(asSent));
  });
});
