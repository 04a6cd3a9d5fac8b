// The subscriber's pages (confirm, preferences, unsubscribe and their outcomes), rendered with
// hostile text in every slot and validated as HTML with html-validate's recommended rules.

import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import type { SiteConfig } from "../../src/core/config.js";
import * as views from "../../src/worker/views/subscription.js";

const validator = new HtmlValidate({
  extends: ["html-validate:recommended"],
  rules: {
    "no-inline-style": "off",
    "doctype-style": "off",
    "void-style": "off",
    "attribute-boolean-style": "off",
    // The topics are checkboxes sharing the name "tags", as a form posts a list.
    "form-dup-name": ["error", { shared: ["radio", "checkbox", "button", "reset", "submit"] }],
  },
});

async function problems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}

const hostile = `Q&A: <b> "quotes" 'apostrophes'`;
const site: SiteConfig = {
  siteUrl: "https://news.example.com",
  siteTitle: "Q&A <b>",
  siteDescription: hostile,
  siteLanguage: "en",
  feedItems: 20,
};
const action = `/preferences?token=a.b&x="<>"`;
// An address is shown masked; what is left of it is escaped too.
const email = `"<b>"@example.org`;

const pages: Record<string, () => Promise<string>> = {
  "an expired link": () => views.linkProblemPage(site, "expired"),
  "a used link": () => views.linkProblemPage(site, "used"),
  confirm: () =>
    views.confirmPage(site, {
      action,
      email,
      preferences: { frequency: "daily", tags: ["a"], timeZone: "Asia/Almaty", sendHour: 7 },
      tagNames: new Map([["a", hostile]]),
      existing: false,
    }),
  "confirm new preferences": () =>
    views.confirmPage(site, {
      action,
      email,
      preferences: { frequency: "weekly", tags: [], timeZone: "UTC", sendHour: 23 },
      tagNames: new Map(),
      existing: true,
    }),
  subscribed: () =>
    views.subscribedPage(site, {
      email,
      preferences: { frequency: "weekly", tags: ["a", "gone"], timeZone: "Asia/Almaty", sendHour: 0 },
      tagNames: new Map([["a", hostile]]),
      preferencesUrl: action,
    }),
  "preferences with every message": () =>
    views.preferencesPage(site, {
      email,
      status: "pending",
      since: null,
      values: { frequency: hostile, tags: ["a", hostile], timeZone: hostile, sendHour: hostile },
      errors: [
        { field: "frequency", message: hostile },
        { field: "tags", message: hostile },
        { field: "time_zone", message: hostile },
        { field: "send_hour", message: hostile },
        { field: "content-type", message: hostile },
      ],
      saved: true,
      tags: [
        { slug: "a", name: hostile },
        { slug: "b", name: "B" },
      ],
      now: Date.UTC(2027, 0, 15),
      action,
      unsubscribeAction: action,
    }),
  unsubscribed: () =>
    views.notSubscribedPage(site, { email, status: "unsubscribed", unsubscribeAction: action, justNow: true }),
  suppressed: () => views.notSubscribedPage(site, { email, status: "suppressed", unsubscribeAction: action }),
  unsubscribe: () =>
    views.unsubscribePage(site, {
      email,
      // One topic: several post as repeated hidden inputs, which HTML allows and form-dup-name
      // cannot be told to accept.
      preferences: { frequency: "daily", tags: [hostile], timeZone: "Asia/Almaty", sendHour: 7 },
      action,
      preferencesUrl: action,
    }),
  "weekly instead, done": () =>
    views.weeklyDonePage(site, {
      email,
      preferences: { frequency: "weekly", tags: ["a"], timeZone: "Asia/Almaty", sendHour: 7 },
      tagNames: new Map([["a", hostile]]),
      preferencesUrl: action,
    }),
  "unsubscribed, data already gone": () => views.unsubscribedGonePage(site),
  erased: () => views.erasedPage(site, { email, blocked: false }),
  "erased, blocked": () => views.erasedPage(site, { email: null, blocked: true }),
};

describe("subscriber pages", () => {
  it.each(Object.keys(pages))("%s is valid HTML, with the hostile text escaped", async (name) => {
    const html = await (pages[name] as () => Promise<string>)();
    expect(await problems(html)).toEqual([]);
    expect(html).not.toContain("<b>");
    expect(html).toContain('<meta name="robots" content="noindex"');
  });
});
