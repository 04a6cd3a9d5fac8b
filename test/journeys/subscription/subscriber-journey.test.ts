// A subscriber's whole journey through the real Worker, D1 and the local SMTP server: subscribe
// by JSON, take the link out of the email the server received, confirm by POST, change the
// preferences, unsubscribe with the RFC 8058 one-click POST, and subscribe again.

import { env } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { admin, eventually, fetchWith, SITE } from "../../worker/helpers.js";
import { address, mailbox, mailVars } from "../../worker/mailbox.js";

const TIMEOUT = { timeout: 30_000 };

// One env for the journey, so the Worker keeps one Services for it. The confirmation goes out
// from the queue consumer, which sends with this project's MAILER=smtp (vitest.config.ts).
const smtpEnv = mailVars("smtp");

/** The emails `to` has received, once there are `count`. */
const arrived = (to: string, count: number) =>
  eventually(async () => {
    const all = await mailbox.messages(to);
    expect(all).toHaveLength(count);
    return all;
  });

const fetchWorker = (path: string, init: RequestInit = {}) => fetchWith(smtpEnv, path, init);

/** The links in an email's HTML part whose path is `path`, as a reader would click them. */
function linksTo(html: string, path: string): string[] {
  const anchors = DomUtils.getElementsByTagName("a", parseDocument(html).children, true);
  return anchors
    .map((a) => a.attribs.href ?? "")
    .filter((href) => href.startsWith(SITE) && new URL(href).pathname === path);
}

function formActions(html: string): Record<string, string> {
  const forms = DomUtils.getElementsByTagName("form", parseDocument(html).children, true);
  return Object.fromEntries(
    forms.map((form) => [
      DomUtils.textContent(DomUtils.getElementsByTagName("button", form, true)[0] ?? form).trim(),
      form.attribs.action ?? "",
    ]),
  );
}

async function subscriberRow(email: string) {
  return env.DB.prepare("SELECT * FROM subscribers WHERE email = ?").bind(email).first<Record<string, unknown>>();
}

beforeAll(async () => {
  const res = await admin("POST", "/api/articles", {
    slug: "flow-1",
    title: "Flow 1",
    date: "2022-07-01T10:00:00+06:00",
    tags: ["Rail Freight"],
    authors: ["Dana Kim"],
    markdown: "Body.",
  });
  expect(res.status).toBe(201);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("a subscriber's journey", () => {
  it(
    "subscribe by JSON, confirm from the email, change preferences, one-click unsubscribe, subscribe again",
    TIMEOUT,
    async () => {
      const start = Date.now();
      vi.useFakeTimers({ now: start, toFake: ["Date"] });
      const email = address("journey");
      const ip = { "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 200) + 1}` };
      const subscribe = () =>
        fetchWorker("/subscribe", {
          method: "POST",
          headers: { "content-type": "application/json", ...ip },
          body: JSON.stringify({ email, frequency: "daily" }),
        });

      // 1. Subscribe: 202, one confirmation email with a link to the confirmation page.
      expect((await subscribe()).status).toBe(202);
      const [first] = await arrived(email, 1);
      expect(first?.via).toBe("smtp");
      const [confirmLink] = linksTo(first?.html ?? "", "/subscribe/confirm");
      expect(confirmLink).toBeDefined();
      expect(first?.text).toContain(confirmLink);
      expect((await subscriberRow(email))?.status).toBe("pending");

      // 2. Opening the link shows a button and changes nothing; its POST confirms.
      const shown = await fetchWorker(confirmLink ?? "");
      expect(shown.status).toBe(200);
      expect((await subscriberRow(email))?.status).toBe("pending");
      const confirmAction = formActions(await shown.text())["Confirm my subscription"];
      const confirmed = await fetchWorker(confirmAction ?? "", { method: "POST" });
      expect(confirmed.status).toBe(200);
      const confirmedPage = await confirmed.text();
      expect(confirmedPage).toContain("You are subscribed");
      expect((await subscriberRow(email))?.status).toBe("active");

      // 3. The preference page, linked from the confirmation, saves a change.
      const [preferencesLink] = DomUtils.getElementsByTagName("a", parseDocument(confirmedPage).children, true)
        .map((a) => a.attribs.href ?? "")
        .filter((href) => href.startsWith("/preferences?"));
      const preferences = await fetchWorker(preferencesLink ?? "");
      expect(preferences.status).toBe(200);
      const actions = formActions(await preferences.text());
      const saved = await fetchWorker(actions["Save preferences"] ?? "", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "frequency=weekly&tags=rail-freight&time_zone=Europe%2FLondon&send_hour=6",
      });
      expect(saved.status).toBe(200);
      expect(await subscriberRow(email)).toMatchObject({
        frequency: "weekly",
        tags_json: '["rail-freight"]',
        time_zone: "Europe/London",
        send_hour: 6,
      });

      // 4. One-click unsubscribe, as a mail client sends it (RFC 8058): 200, unsubscribed.
      const unsubscribeUrl = `${SITE}${actions.Unsubscribe}`;
      const unsubscribed = await fetchWorker(unsubscribeUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(unsubscribed.status).toBe(200);
      expect((await subscriberRow(email))?.status).toBe("unsubscribed");

      // 5. Subscribing again within ten minutes of the last email sends nothing more...
      vi.setSystemTime(start + 599_999);
      expect((await subscribe()).status).toBe(202);
      // ...and ten minutes after it sends a new link, which makes the subscription active again
      // (queued after the refused one, so had that queued an email it would be here too).
      vi.setSystemTime(start + 600_000);
      expect((await subscribe()).status).toBe(202);
      await arrived(email, 2);
      const all = await mailbox.messages(email);
      expect(all).toHaveLength(2);
      const [againLink] = linksTo(all[1]?.html ?? "", "/subscribe/confirm");
      expect(againLink).toBeDefined();
      expect(againLink).not.toBe(confirmLink);
      const oldLink = await fetchWorker(confirmAction ?? "", { method: "POST" });
      expect(oldLink.status).toBe(400);
      const again = await fetchWorker(againLink ?? "", { method: "POST" });
      expect(again.status).toBe(200);
      expect(await subscriberRow(email)).toMatchObject({ status: "active", frequency: "daily", unsubscribed_at: null });
    },
  );
});
