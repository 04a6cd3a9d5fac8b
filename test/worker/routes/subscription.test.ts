// The subscriber's own pages through the real Worker and D1: confirming (GET shows, POST
// activates, a link works once and for 48 hours), the preference page, RFC 8058 one-click
// unsubscribe, and "delete my data". Every refused request leaves D1 as it was.

import { env } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Preferences } from "../../../src/core/subscription.js";
import { signToken, verifyToken } from "../../../src/core/token.js";
import { app } from "../../../src/worker/app.js";
import type { Bindings } from "../../../src/worker/services.js";
import { SITE_STYLE } from "../../../src/worker/views/layout.js";
import { WEEKLY_INSTEAD } from "../../../src/worker/views/subscription.js";
import { admin, isolate, request, SITE, testServices } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

const SECRET = (env as Bindings).SIGNING_SECRET ?? "";
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  const articles = [
    { slug: "m1", title: "M 1", date: "2022-06-01T10:00:00+06:00", tags: ["Transit"] },
    { slug: "m2", title: "M 2", date: "2022-06-02T10:00:00+06:00", tags: ["Culture Desk"] },
  ];
  for (const article of articles) {
    const res = await admin("POST", "/api/articles", { ...article, authors: ["Dana Kim"], markdown: "Body." });
    expect(res.status).toBe(201);
  }
});

afterEach(() => {
  vi.useRealTimers();
});

/** A valid preference form. */
const good = { frequency: "weekly", tags: ["transit"], time_zone: "Asia/Almaty", send_hour: "8" };

const DEFAULTS: Preferences = { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 };

let counter = 0;

/**
 * A new pending subscriber with its confirmation nonce; each test has its own address, whose
 * local part starts with `first`.
 */
async function pending(preferences: Partial<Preferences> = {}, first = "r") {
  counter++;
  const email = `${first}eader-${counter}-${Date.now()}@manage.example`;
  const outcome = await testServices().subscribers.request({
    email,
    preferences: { ...DEFAULTS, ...preferences },
    source: "/",
    ip: null,
  });
  if (outcome.kind !== "send") throw new Error("expected a confirmation to send");
  return { id: outcome.subscriberId, nonce: outcome.nonce, email };
}

async function active(preferences: Partial<Preferences> = {}, first = "r") {
  const subscriber = await pending(preferences, first);
  expect(await testServices().subscribers.confirm(subscriber.id, subscriber.nonce)).not.toBeNull();
  return subscriber;
}

/** A confirmation link's token, as the email carries it: valid for 48 hours from now. */
function confirmToken(s: { id: number; nonce: string }, expires = Date.now() + 48 * HOUR) {
  return signToken(SECRET, { purpose: "confirm", subscriber: s.id, nonce: s.nonce, expires });
}

const manageToken = (s: { id: number }) => signToken(SECRET, { purpose: "manage", subscriber: s.id });

/** The token with one character changed, inside the signature or inside the claims. */
function forged(token: string, at: number): string {
  const i = at < 0 ? token.length + at : at;
  const replacement = token[i] === "A" ? "B" : "A";
  return `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
}

/** Every row of this file's subscribers, to compare before and after a request. */
async function rows(): Promise<unknown[]> {
  const { results } = await env.DB.prepare(
    "SELECT * FROM subscribers WHERE email LIKE '%@manage.example' ORDER BY id",
  ).all();
  return results;
}

async function row(id: number) {
  return env.DB.prepare("SELECT * FROM subscribers WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

/** What a person sees on a page: its heading, text, forms and their buttons and fields. */
function page(html: string) {
  const doc = parseDocument(html);
  const all = (name: string) => DomUtils.getElementsByTagName(name, doc.children, true);
  const text = (node: Parameters<typeof DomUtils.textContent>[0]) =>
    DomUtils.textContent(node).replace(/\s+/g, " ").trim();
  return {
    h1: all("h1").map(text),
    /** The page's own content, without the head or the site's header and footer. */
    text: all("main").map(text).join(" "),
    robots: all("meta").find((m) => m.attribs.name === "robots")?.attribs.content,
    links: all("a").map((a) => ({ text: text(a), href: a.attribs.href ?? "" })),
    // The page's own forms, not the site header's search form.
    forms: DomUtils.getElementsByTagName("form", all("main"), true).map((form) => ({
      element: form,
      method: form.attribs.method,
      action: form.attribs.action ?? "",
      buttons: DomUtils.getElementsByTagName("button", form, true).map(text),
      hidden: Object.fromEntries(
        DomUtils.getElementsByTagName("input", form, true)
          .filter((i) => i.attribs.type === "hidden")
          .map((i) => [i.attribs.name, i.attribs.value]),
      ),
      checked: DomUtils.getElementsByTagName("input", form, true)
        .filter((i) => i.attribs.checked !== undefined)
        .map((i) => `${i.attribs.name}=${i.attribs.value}`),
      boxes: DomUtils.getElementsByTagName("input", form, true)
        .filter((i) => i.attribs.type === "checkbox")
        .map((i) => i.attribs.value),
      selected: Object.fromEntries(
        DomUtils.getElementsByTagName("select", form, true).map((select) => [
          select.attribs.name,
          DomUtils.getElementsByTagName("option", select, true)
            .filter((o) => o.attribs.selected !== undefined)
            .map((o) => `${o.attribs.value} ${text(o)}`),
        ]),
      ),
      options: Object.fromEntries(
        DomUtils.getElementsByTagName("select", form, true).map((select) => [
          select.attribs.name,
          DomUtils.getElementsByTagName("option", select, true).length,
        ]),
      ),
    })),
    fieldErrors: DomUtils.getElementsByTagName("p", doc.children, true)
      .filter((p) => p.attribs.class === "field-error")
      .map((p) => `${p.attribs.id}: ${text(p)}`),
  };
}

const form = (body: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: params.toString() };
};

/** Asserts the headers every page here carries, whatever its status. */
function expectPrivate(res: Response) {
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  expect(res.headers.get("x-robots-tag")).toBe("noindex");
}

async function get(path: string) {
  const res = await request(path);
  expectPrivate(res);
  return { status: res.status, page: page(await res.text()) };
}

async function post(path: string, init: RequestInit = form({})) {
  const res = await request(path, init);
  expectPrivate(res);
  return { status: res.status, page: page(await res.text()) };
}

const confirmUrl = (token: string) => `/subscribe/confirm?token=${encodeURIComponent(token)}`;
const preferencesUrl = (token: string) => `/preferences?token=${encodeURIComponent(token)}`;
const unsubscribeUrl = (token: string) => `/unsubscribe?token=${encodeURIComponent(token)}`;

describe("confirming a subscription", () => {
  it("GET shows what the link applies and one button posting to the same URL, and changes nothing", async () => {
    const s = await pending({ tags: ["culture-desk"], sendHour: 6 });
    const token = await confirmToken(s);
    const before = await rows();
    const { status, page: p } = await get(confirmUrl(token));
    expect(status).toBe(200);
    expect(p.h1).toEqual(["Confirm your subscription"]);
    expect(p.text).toMatch(/Daily, at 06:00\s*Time zone\s*Asia\/Almaty/);
    expect(p.text).toContain("Articles tagged Culture Desk");
    expect(p.robots).toBe("noindex");
    expect(p.forms).toHaveLength(1);
    expect(p.forms[0]).toMatchObject({
      method: "post",
      action: confirmUrl(token),
      buttons: ["Confirm my subscription"],
    });
    expect(await rows()).toEqual(before);
    expect((await row(s.id))?.status).toBe("pending");
  });

  it("names a zone stored in an old spelling by its current name", async () => {
    // Stored before zones were made canonical on the way in.
    const s = await pending({ timeZone: "Asia/Calcutta", sendHour: 6 });
    const { page: p } = await get(confirmUrl(await confirmToken(s)));
    expect(p.text).toMatch(/Daily, at 06:00\s*Time zone\s*Asia\/Kolkata/);
    expect(p.text).not.toContain("Calcutta");
  });

  it("POST activates the subscription and links to the preference page", async () => {
    const s = await pending({ frequency: "weekly", tags: ["transit"], timeZone: "Europe/Berlin", sendHour: 18 });
    const { status, page: p } = await post(confirmUrl(await confirmToken(s)));
    expect(status).toBe(200);
    expect(p.h1).toEqual(["You are subscribed"]);
    expect(p.text).toMatch(/Weekly, at 18:00\s*Time zone\s*Europe\/Berlin/);
    expect(p.text).toContain("Articles tagged Transit");
    const stored = await row(s.id);
    expect(stored?.status).toBe("active");
    expect(typeof stored?.confirmed_at).toBe("number");
    const link = p.links.find((l) => l.text === "Change your preferences or unsubscribe");
    expect(link?.href).toBe(preferencesUrl(await manageToken(s)));
    const preferences = await get(link?.href ?? "");
    expect(preferences.status).toBe(200);
    expect(preferences.page.h1).toEqual(["Your subscription"]);
  });

  it("an active subscriber who subscribed again confirms new preferences, replacing the old ones", async () => {
    const s = await active({ frequency: "daily", sendHour: 7 });
    vi.useFakeTimers({ now: Date.now() + 600_000, toFake: ["Date"] });
    const again = await testServices().subscribers.request({
      email: s.email,
      preferences: { ...DEFAULTS, frequency: "weekly", tags: ["transit"], sendHour: 20 },
      source: "/",
      ip: null,
    });
    if (again.kind !== "send") throw new Error("expected a confirmation to send");
    const token = await confirmToken({ id: again.subscriberId, nonce: again.nonce });
    const shown = await get(confirmUrl(token));
    expect(shown.page.h1).toEqual(["Confirm your new preferences"]);
    expect(shown.page.text).toMatch(/Weekly, at 20:00\s*Time zone\s*Asia\/Almaty/);
    expect(shown.page.forms[0]?.buttons).toEqual(["Confirm my new preferences"]);
    expect(await row(s.id)).toMatchObject({ status: "active", frequency: "daily", send_hour: 7 });
    expect((await post(confirmUrl(token))).status).toBe(200);
    expect(await row(s.id)).toMatchObject({ status: "active", frequency: "weekly", send_hour: 20 });
  });

  it("a link works once: a second POST, and a GET after it, say it was used and change nothing", async () => {
    const s = await pending();
    const token = await confirmToken(s);
    expect((await post(confirmUrl(token))).status).toBe(200);
    const after = await rows();
    for (const attempt of [() => post(confirmUrl(token)), () => get(confirmUrl(token))]) {
      const { status, page: p } = await attempt();
      expect(status).toBe(400);
      expect(p.h1).toEqual(["This link was already used"]);
    }
    expect(await rows()).toEqual(after);
  });

  it("an older link is refused once a newer one was sent", async () => {
    const s = await pending();
    const first = await confirmToken(s);
    // Ten minutes and a second later a new request is allowed, with a new nonce.
    vi.useFakeTimers({ now: Date.now() + 10 * 60 * 1000 + 1000, toFake: ["Date"] });
    const again = await testServices().subscribers.request({
      email: s.email,
      preferences: DEFAULTS,
      source: "/",
      ip: null,
    });
    expect(again.kind).toBe("send");
    const { status, page: p } = await post(confirmUrl(first));
    expect(status).toBe(400);
    expect(p.h1).toEqual(["This link was already used"]);
    expect((await row(s.id))?.status).toBe("pending");
  });

  it("a link works for 48 hours and is refused after, changing nothing", async () => {
    const start = Date.UTC(2030, 0, 1, 9, 0, 0);
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    const s = await pending();
    const token = await confirmToken(s, start + 172_800_000);
    vi.setSystemTime(start + 172_799_999);
    expect((await get(confirmUrl(token))).status).toBe(200);
    vi.setSystemTime(start + 172_800_000);
    const before = await rows();
    for (const attempt of [() => get(confirmUrl(token)), () => post(confirmUrl(token))]) {
      const { status, page: p } = await attempt();
      expect(status).toBe(400);
      expect(p.h1).toEqual(["This link has expired"]);
      expect(p.text).toContain("48 hours");
      expect(p.links).toContainEqual({ text: "Subscribe again", href: "/subscribe" });
    }
    expect(await rows()).toEqual(before);
    expect((await row(s.id))?.status).toBe("pending");
  });

  it.each([
    ["in the signature", -3],
    ["in the claims", 2],
  ])("a token with one character changed %s is not valid", async (_, at) => {
    const s = await pending();
    const token = forged(await confirmToken(s), at);
    const before = await rows();
    for (const attempt of [() => get(confirmUrl(token)), () => post(confirmUrl(token))]) {
      const { status, page: p } = await attempt();
      expect(status).toBe(400);
      expect(p.h1).toEqual(["This link is not valid"]);
    }
    expect(await rows()).toEqual(before);
  });

  it("a link to an address suppressed since it was sent no longer confirms", async () => {
    const s = await pending();
    const token = await confirmToken(s);
    await testServices().suppressions.suppress(s.email, `complaint ${s.email}`);
    const before = await rows();
    for (const attempt of [() => get(confirmUrl(token)), () => post(confirmUrl(token))]) {
      expect((await attempt()).status).toBe(400);
    }
    expect(await rows()).toEqual(before);
    expect((await row(s.id))?.status).toBe("suppressed");
  });

  it("a preference link is not a confirmation link", async () => {
    const s = await pending();
    const { status, page: p } = await post(confirmUrl(await manageToken(s)));
    expect(status).toBe(400);
    expect(p.h1).toEqual(["This link is not valid"]);
    expect((await row(s.id))?.status).toBe("pending");
  });

  it.each([
    ["no token", "/subscribe/confirm"],
    ["an empty token", "/subscribe/confirm?token="],
    ["two tokens", "/subscribe/confirm?token=a&token=b"],
    ["a token of 2000 characters", `/subscribe/confirm?token=${"a".repeat(2000)}`],
    ["a token that is not base64url", "/subscribe/confirm?token=%00%0d%0a<>"],
  ])("%s is a 400 page, never a 500", async (_, path) => {
    const { status, page: p } = await get(path);
    expect(status).toBe(400);
    expect(p.h1).toEqual(["This link is not valid"]);
  });
});

describe("the preference page", () => {
  it("shows the stored preferences in a form, with Unsubscribe and Delete my data", async () => {
    const s = await active({ tags: ["culture-desk"], timeZone: "Europe/Berlin", sendHour: 7 });
    const token = await manageToken(s);
    const before = await rows();
    const { status, page: p } = await get(preferencesUrl(token));
    expect(status).toBe(200);
    expect(p.h1).toEqual(["Your subscription"]);
    expect(p.text).not.toContain("not confirmed");
    const [save, unsubscribe, erase] = p.forms;
    expect(save).toMatchObject({ method: "post", action: preferencesUrl(token), buttons: ["Save preferences"] });
    expect(save?.checked).toEqual(["frequency=daily", "tags=culture-desk"]);
    expect(save?.boxes).toEqual(expect.arrayContaining(["transit", "culture-desk"]));
    expect(save?.selected).toEqual({
      time_zone: [expect.stringMatching(/^Europe\/Berlin \(UTC\+0[12]:00\) Berlin$/)],
      send_hour: ["7 07:00"],
    });
    expect(save?.options.send_hour).toBe(24);
    expect(save?.options.time_zone).toBeGreaterThan(300);
    expect(unsubscribe).toMatchObject({ method: "post", action: unsubscribeUrl(token), buttons: ["Unsubscribe"] });
    expect(erase).toMatchObject({
      method: "post",
      action: unsubscribeUrl(token),
      buttons: ["Delete my data"],
      hidden: { action: "erase" },
    });
    expect(await rows()).toEqual(before);
  });

  it("saves a change and shows it with Saved", async () => {
    const s = await active();
    const token = await manageToken(s);
    const { status, page: p } = await post(
      preferencesUrl(token),
      form({ frequency: "weekly", tags: ["transit", "culture-desk"], time_zone: "America/New_York", send_hour: "23" }),
    );
    expect(status).toBe(200);
    expect(p.text).toContain("Saved.");
    expect(p.forms[0]?.checked).toEqual(["frequency=weekly", "tags=culture-desk", "tags=transit"]);
    expect(p.forms[0]?.selected).toEqual({
      time_zone: [expect.stringMatching(/^America\/New_York \(UTC\u22120[45]:00\) New York$/)],
      send_hour: ["23 23:00"],
    });
    const stored = await row(s.id);
    expect(stored).toMatchObject({
      status: "active",
      frequency: "weekly",
      tags_json: '["transit","culture-desk"]',
      time_zone: "America/New_York",
      send_hour: 23,
    });
    const again = await get(preferencesUrl(token));
    expect(again.page.forms[0]?.checked).toEqual(["frequency=weekly", "tags=culture-desk", "tags=transit"]);
  });

  it("no tag checked means every article, and an hour of 0 is midnight", async () => {
    const s = await active({ tags: ["transit"] });
    const { status } = await post(preferencesUrl(await manageToken(s)), form({ frequency: "daily", send_hour: "0" }));
    expect(status).toBe(200);
    expect(await row(s.id)).toMatchObject({ tags_json: "[]", send_hour: 0 });
  });

  it("takes the form as multipart too", async () => {
    const s = await active();
    const body = new FormData();
    body.append("frequency", "weekly");
    body.append("tags", "transit");
    body.append("time_zone", "Asia/Almaty");
    body.append("send_hour", "9");
    const { status } = await post(preferencesUrl(await manageToken(s)), { method: "POST", body });
    expect(status).toBe(200);
    expect(await row(s.id)).toMatchObject({ frequency: "weekly", tags_json: '["transit"]', send_hour: 9 });
  });

  it.each([
    ["frequency", { ...good, frequency: "hourly" }, "frequency-daily-error"],
    ["frequency", { ...good, frequency: "" }, "frequency-daily-error"],
    ["an unknown tag", { ...good, tags: ["transit", "no-such-tag"] }, "tags-error"],
    ["a tag that is not a slug", { ...good, tags: ["Not A Slug"] }, "tags-error"],
    ["time_zone", { ...good, time_zone: "Mars/Olympus_Mons" }, "time_zone-error"],
    ["send_hour 24", { ...good, send_hour: "24" }, "send_hour-error"],
    ["send_hour -1", { ...good, send_hour: "-1" }, "send_hour-error"],
    ["send_hour 7.5", { ...good, send_hour: "7.5" }, "send_hour-error"],
    ["a line break", { ...good, time_zone: "Asia/Almaty\r\nBcc: x@example.com" }, "time_zone-error"],
  ])("%s: the form again with the message, 400, nothing saved", async (_, body, errorId) => {
    const s = await active();
    const before = await rows();
    const { status, page: p } = await post(preferencesUrl(await manageToken(s)), form(body));
    expect(status).toBe(400);
    expect(p.text).toContain("Nothing was saved");
    expect(p.fieldErrors.map((e) => e.split(":")[0])).toEqual([errorId]);
    expect(p.forms[0]?.buttons).toEqual(["Save preferences"]);
    expect(await rows()).toEqual(before);
  });

  it("names the unknown tag", async () => {
    const s = await active();
    const { page: p } = await post(preferencesUrl(await manageToken(s)), form({ ...good, tags: ["no-such-tag"] }));
    expect(p.fieldErrors).toEqual(['tags-error: The topic list has "no-such-tag", which is not a tag on this site.']);
  });

  it("a body that is not a form is a 400 naming the content type, nothing saved", async () => {
    const s = await active();
    const before = await rows();
    const { status, page: p } = await post(preferencesUrl(await manageToken(s)), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ frequency: "weekly" }),
    });
    expect(status).toBe(400);
    expect(p.text).toContain("content-type");
    expect(await rows()).toEqual(before);
  });

  it("a body of 8192 bytes is taken and one of 8193 is refused with 413, nothing saved", async () => {
    const s = await active();
    const token = await manageToken(s);
    const sized = (bytes: number) => {
      const base = (form(good).body as string).length + "&padding=".length;
      return form({ ...good, padding: "x".repeat(bytes - base) });
    };
    expect((sized(8192).body as string).length).toBe(8192);
    expect((await post(preferencesUrl(token), sized(8192))).status).toBe(200);
    const before = await rows();
    const over = await post(preferencesUrl(token), sized(8193));
    expect(over.status).toBe(413);
    expect(await rows()).toEqual(before);
  });

  it("a pending subscriber can choose, and is told the subscription is not confirmed yet", async () => {
    const s = await pending();
    const { status, page: p } = await get(preferencesUrl(await manageToken(s)));
    expect(status).toBe(200);
    expect(p.text).toContain("Your subscription is not confirmed yet");
    expect(p.forms[0]?.buttons).toEqual(["Save preferences"]);
  });

  it("what a pending subscriber saves is what confirming applies", async () => {
    const s = await pending({ frequency: "daily", sendHour: 7 });
    const saved = await post(
      preferencesUrl(await manageToken(s)),
      form({ frequency: "weekly", tags: ["transit"], time_zone: "Europe/Berlin", send_hour: "19" }),
    );
    expect(saved.status).toBe(200);
    const shown = await get(confirmUrl(await confirmToken(s)));
    expect(shown.page.text).toMatch(/Weekly, at 19:00\s*Time zone\s*Europe\/Berlin/);
    expect((await post(confirmUrl(await confirmToken(s)))).status).toBe(200);
    expect(await row(s.id)).toMatchObject({
      status: "active",
      frequency: "weekly",
      tags_json: '["transit"]',
      time_zone: "Europe/Berlin",
      send_hour: 19,
    });
  });

  it("an unsubscribed subscriber is told so, with a way to subscribe again, and cannot save", async () => {
    const s = await active();
    const token = await manageToken(s);
    expect((await post(unsubscribeUrl(token))).status).toBe(200);
    const { status, page: p } = await get(preferencesUrl(token));
    expect(status).toBe(200);
    expect(p.h1).toEqual(["You are unsubscribed"]);
    expect(p.links).toContainEqual({ text: "Subscribe again", href: "/subscribe" });
    expect(p.forms.map((f) => f.buttons)).toEqual([["Delete my data"]]);
    const before = await rows();
    const saving = await post(preferencesUrl(token), form(good));
    expect(saving.status).toBe(409);
    expect(await rows()).toEqual(before);
  });

  it("a confirmation link is not a preference link, and a forged one is refused", async () => {
    const s = await active();
    const other = await pending();
    for (const token of [
      await confirmToken(other),
      forged(await manageToken(s), -3),
      forged(await manageToken(s), 2),
    ]) {
      const before = await rows();
      for (const attempt of [() => get(preferencesUrl(token)), () => post(preferencesUrl(token), form(good))]) {
        const { status, page: p } = await attempt();
        expect(status).toBe(400);
        expect(p.h1).toEqual(["This link is not valid"]);
      }
      expect(await rows()).toEqual(before);
    }
  });
});

describe("unsubscribing", () => {
  it("GET offers weekly instead, then Unsubscribe and Delete my data, and changes nothing", async () => {
    const s = await active();
    const token = await manageToken(s);
    const before = await rows();
    const { status, page: p } = await get(unsubscribeUrl(token));
    expect(status).toBe(200);
    expect(p.h1).toEqual(["Unsubscribe"]);
    expect(p.robots).toBe("noindex");
    expect(p.forms).toEqual([
      expect.objectContaining({ method: "post", action: preferencesUrl(token), buttons: ["Get it weekly instead"] }),
      expect.objectContaining({ method: "post", action: unsubscribeUrl(token), buttons: ["Unsubscribe"], hidden: {} }),
      expect.objectContaining({
        method: "post",
        action: unsubscribeUrl(token),
        buttons: ["Delete my data"],
        hidden: { action: "erase" },
      }),
    ]);
    expect(p.text).toContain("Removes your address and your settings from this newsletter. This can't be undone.");
    expect(p.text).not.toMatch(/hash/i);
    expect(await rows()).toEqual(before);
  });

  it("one-click POST exactly as Gmail sends it unsubscribes: 200, with a link to subscribe again", async () => {
    const s = await active();
    const res = await request(unsubscribeUrl(await manageToken(s)), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(res.status).toBe(200);
    expectPrivate(res);
    const p = page(await res.text());
    expect(p.h1).toEqual(["You are unsubscribed"]);
    expect(p.links).toContainEqual({ text: "Subscribe again", href: "/subscribe" });
    const stored = await row(s.id);
    expect(stored?.status).toBe("unsubscribed");
    expect(typeof stored?.unsubscribed_at).toBe("number");
  });

  it("one-click POST as multipart/form-data unsubscribes", async () => {
    const s = await active();
    const body = new FormData();
    body.append("List-Unsubscribe", "One-Click");
    const { status } = await post(unsubscribeUrl(await manageToken(s)), { method: "POST", body });
    expect(status).toBe(200);
    expect((await row(s.id))?.status).toBe("unsubscribed");
  });

  it("a one-click POST with an empty body or another content type still unsubscribes", async () => {
    for (const init of [
      { method: "POST" },
      { method: "POST", headers: { "content-type": "text/plain" }, body: "List-Unsubscribe=One-Click" },
    ]) {
      const s = await active();
      const { status } = await post(unsubscribeUrl(await manageToken(s)), init);
      expect(status).toBe(200);
      expect((await row(s.id))?.status).toBe("unsubscribed");
    }
  });

  it("a multipart body that cannot be read is a 400 naming the body, never a 500, and changes nothing", async () => {
    const s = await active();
    const before = await rows();
    const { status, page: p } = await post(unsubscribeUrl(await manageToken(s)), {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: '--xyz\r\nContent-Disposition: form-data; name="action"\r\n\r\nerase',
    });
    expect(status).toBe(400);
    expect(p.text).toContain("body");
    expect(await rows()).toEqual(before);
  });

  it("the page's button unsubscribes too", async () => {
    const s = await active();
    const { status } = await post(unsubscribeUrl(await manageToken(s)), form({}));
    expect(status).toBe(200);
    expect((await row(s.id))?.status).toBe("unsubscribed");
  });

  it("is idempotent: a second POST is 200 and changes nothing, unsubscribed_at kept", async () => {
    const start = Date.UTC(2030, 2, 1, 12, 0, 0);
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    const s = await active();
    const token = await manageToken(s);
    const oneClick = form({ "List-Unsubscribe": "One-Click" });
    expect((await post(unsubscribeUrl(token), oneClick)).status).toBe(200);
    const after = await row(s.id);
    expect(after?.unsubscribed_at).toBe(start);
    vi.setSystemTime(start + HOUR);
    const again = await post(unsubscribeUrl(token), oneClick);
    expect(again.status).toBe(200);
    expect(again.page.h1).toEqual(["You are unsubscribed"]);
    expect(await row(s.id)).toEqual(after);
  });

  it("a forged or confirmation token is a 400 page and changes nothing", async () => {
    const s = await active();
    const other = await pending();
    for (const token of [forged(await manageToken(s), -3), await confirmToken(other), "not-a-token"]) {
      const before = await rows();
      const { status, page: p } = await post(unsubscribeUrl(token), form({ "List-Unsubscribe": "One-Click" }));
      expect(status).toBe(400);
      expect(p.h1).toEqual(["This link is not valid"]);
      expect((await get(unsubscribeUrl(token))).status).toBe(400);
      expect(await rows()).toEqual(before);
    }
  });

  it("an unknown action is a 400 naming the field, and changes nothing", async () => {
    const s = await active();
    const before = await rows();
    const { status, page: p } = await post(unsubscribeUrl(await manageToken(s)), form({ action: "explode" }));
    expect(status).toBe(400);
    expect(p.text).toContain("action");
    expect(await rows()).toEqual(before);
  });
});

describe("deleting my data", () => {
  it("deletes the row; the links then show a 400 page, and one-click still answers 200", async () => {
    const s = await active();
    const token = await manageToken(s);
    const { status, page: p } = await post(unsubscribeUrl(token), form({ action: "erase" }));
    expect(status).toBe(200);
    expect(p.h1).toEqual(["Your data is deleted"]);
    expect(await row(s.id)).toBeNull();
    for (const path of [unsubscribeUrl(token), preferencesUrl(token)]) {
      const gone = await get(path);
      expect(gone.status).toBe(400);
      expect(gone.page.h1).toEqual(["There is no subscription for this link"]);
    }
    const saving = await post(preferencesUrl(token), form(good));
    expect(saving.status).toBe(400);
    const oneClick = await post(unsubscribeUrl(token), form({ "List-Unsubscribe": "One-Click" }));
    expect(oneClick.status).toBe(200);
    expect(oneClick.page.h1).toEqual(["You are unsubscribed"]);
    expect((await post(unsubscribeUrl(token), form({ action: "erase" }))).status).toBe(200);
  });

  it("an erased confirmation link says there is no subscription", async () => {
    const s = await pending();
    const confirm = await confirmToken(s);
    await post(unsubscribeUrl(await manageToken(s)), form({ action: "erase" }));
    for (const attempt of [() => get(confirmUrl(confirm)), () => post(confirmUrl(confirm))]) {
      const { status, page: p } = await attempt();
      expect(status).toBe(400);
      expect(p.h1).toEqual(["There is no subscription for this link"]);
    }
  });

  it("a suppressed address stays in suppressions, and stays blocked", async () => {
    const s = await active();
    const reason = `hard bounce ${s.email}`;
    await testServices().suppressions.suppress(s.email, reason);
    const token = await manageToken(s);
    const shown = await get(preferencesUrl(token));
    expect(shown.page.h1).toEqual(["This address gets no email"]);
    const { status } = await post(unsubscribeUrl(token), form({ action: "erase" }));
    expect(status).toBe(200);
    expect(await row(s.id)).toBeNull();
    const kept = await env.DB.prepare("SELECT email_hash FROM suppressions WHERE reason = ?").bind(reason).all();
    expect(kept.results).toHaveLength(1);
    expect(JSON.stringify(kept.results)).not.toContain(s.email);
    const again = await testServices().subscribers.request({
      email: s.email,
      preferences: DEFAULTS,
      source: "/",
      ip: null,
    });
    expect(again.kind).toBe("quiet");
  });
});

describe("the pages' HTTP surface", () => {
  it("only these pages drop the Referer; the rest of the site keeps its policy", async () => {
    const home = await request("/");
    expect(home.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(home.headers.get("x-robots-tag")).toBeNull();
  });

  it("HEAD answers like GET, without a body", async () => {
    const s = await active();
    const res = await request(unsubscribeUrl(await manageToken(s)), { method: "HEAD" });
    expect(res.status).toBe(200);
    expectPrivate(res);
    expect(await res.text()).toBe("");
  });

  it.each(["/subscribe/confirm", "/preferences", "/unsubscribe"])(
    "PUT %s is a 405 naming GET and POST, and its page sends no Referer either",
    async (path) => {
      const res = await request(`${path}?token=x`, { method: "PUT" });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, POST, HEAD");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-robots-tag")).toBe("noindex");
    },
  );
});

describe("after SIGNING_SECRET is rotated", () => {
  const NEW = "rotated-signing-secret-0123456789-abcdefghij";
  /** The test env with NEW as the signing secret and, when given, SIGNING_SECRET_PREVIOUS. */
  const rotated = (previous?: string): Bindings => ({
    ...(env as Bindings),
    SIGNING_SECRET: NEW,
    ...(previous === undefined ? {} : { SIGNING_SECRET_PREVIOUS: previous }),
  });
  const withOld = rotated(`another-retired-secret-0123456789-abcdef, ${SECRET}`);
  const oneClick = {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  };

  it("an unsubscribe link signed with the old secret still unsubscribes, by its page and by one click", async () => {
    const [byPage, byClick] = [await active(), await active()];
    const shown = await app.request(unsubscribeUrl(await manageToken(byPage)), {}, withOld);
    expect(shown.status).toBe(200);
    expect(page(await shown.text()).forms.map((f) => f.buttons)).toContainEqual(["Unsubscribe"]);
    const posted = await app.request(unsubscribeUrl(await manageToken(byPage)), form({}), withOld);
    expect(posted.status).toBe(200);
    expect((await row(byPage.id))?.status).toBe("unsubscribed");
    const clicked = await app.request(unsubscribeUrl(await manageToken(byClick)), oneClick, withOld);
    expect(clicked.status).toBe(200);
    expect(page(await clicked.text()).h1).toEqual(["You are unsubscribed"]);
    expect((await row(byClick.id))?.status).toBe("unsubscribed");
  });

  it("a preferences link signed with the old secret still opens", async () => {
    const s = await active();
    const res = await app.request(preferencesUrl(await manageToken(s)), {}, withOld);
    expect(res.status).toBe(200);
    expect(page(await res.text()).forms.length).toBeGreaterThan(0);
  });

  it("without SIGNING_SECRET_PREVIOUS an old link is refused and nothing changes", async () => {
    const s = await active();
    const before = await rows();
    for (const init of [{}, oneClick]) {
      const res = await app.request(unsubscribeUrl(await manageToken(s)), init, rotated());
      expect(res.status).toBe(400);
      expect(page(await res.text()).h1).toEqual(["This link is not valid"]);
    }
    expect(await rows()).toEqual(before);
  });

  it("new links are signed with the current secret only", async () => {
    const s = await pending();
    const res = await app.request(
      `/subscribe/confirm?token=${encodeURIComponent(await confirmToken(s))}`,
      form({}),
      withOld,
    );
    expect(res.status).toBe(200);
    const link = page(await res.text()).links.find((l) => l.href.startsWith("/preferences?token="));
    const token = new URL(link?.href ?? "", SITE).searchParams.get("token") ?? "";
    expect(await verifyToken(NEW, token, "manage", Date.now())).toEqual({ ok: true, subscriber: s.id });
    expect(await verifyToken(SECRET, token, "manage", Date.now())).toEqual({ ok: false, reason: "forged" });
  });

  it.each([
    [31, 500],
    [32, 200],
  ])("with a previous secret of %i characters beside the old one answers %i", async (length, status) => {
    const s = await active();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const previous = rotated(` ${SECRET} , ${"x".repeat(length)},`);
    const res = await app.request(unsubscribeUrl(await manageToken(s)), {}, previous);
    expect(res.status).toBe(status);
    if (status === 500) {
      expect(errors.mock.calls.flat().join(" ")).toMatch(
        /SIGNING_SECRET_PREVIOUS has a secret \(number 2 in the list\) shorter than 32 characters/,
      );
    }
    errors.mockRestore();
  });
});

/** The page's HTML names the address masked ("z•••@manage.example") and nowhere whole. */
function namesMasked(html: string, email: string) {
  const [local = "", domain = ""] = email.split("@");
  const p = parsePage(html);
  expect(p.text).toContain(`${local[0]}•••@${domain}`);
  expect(html).not.toContain(email);
  expect(html).not.toContain(local);
  return p;
}

/** The raw response of a page, for its HTML as sent. */
async function raw(path: string, init?: RequestInit) {
  const res = await request(path, init);
  expectPrivate(res);
  return { status: res.status, html: await res.text() };
}

/** The form of `p` whose buttons include `label`, as a body posting what the page would post. */
function submit(p: ReturnType<typeof page>, label: string) {
  const found = p.forms.find((f) => f.buttons.includes(label));
  if (!found) throw new Error(`no form with a button "${label}"`);
  const body = new URLSearchParams();
  for (const input of DomUtils.getElementsByTagName("input", found.element, true)) {
    if (input.attribs.type === "hidden") body.append(input.attribs.name ?? "", input.attribs.value ?? "");
  }
  return { action: found.action, body };
}

describe("every page a link opens names its address, masked", () => {
  it("confirm, subscribed, preferences (shown, saved, refused), unsubscribe, unsubscribed", async () => {
    const s = await pending({ tags: ["transit"] }, "z");
    const confirm = confirmUrl(await confirmToken(s));
    const manage = await manageToken(s);
    const shown = await raw(confirm);
    expect(shown.status).toBe(200);
    namesMasked(shown.html, s.email);
    const subscribed = await raw(confirm, form({}));
    expect(parsePage(subscribed.html).headings[0]).toBe("You are subscribed");
    namesMasked(subscribed.html, s.email);
    const preferences = await raw(preferencesUrl(manage));
    namesMasked(preferences.html, s.email);
    const saved = await raw(preferencesUrl(manage), form(good));
    expect(saved.status).toBe(200);
    namesMasked(saved.html, s.email);
    const refused = await raw(preferencesUrl(manage), form({ ...good, send_hour: "24" }));
    expect(refused.status).toBe(400);
    namesMasked(refused.html, s.email);
    namesMasked((await raw(unsubscribeUrl(manage))).html, s.email);
    const unsubscribed = await raw(unsubscribeUrl(manage), form({ "List-Unsubscribe": "One-Click" }));
    expect(parsePage(unsubscribed.html).headings[0]).toBe("You are unsubscribed");
    namesMasked(unsubscribed.html, s.email);
    for (const path of [preferencesUrl(manage), unsubscribeUrl(manage)]) {
      const after = await raw(path);
      expect(parsePage(after.html).headings[0]).toBe("You are unsubscribed");
      namesMasked(after.html, s.email);
    }
  });

  it("a suppressed address's page, and the page after Delete my data, which says simply what is kept", async () => {
    const s = await active({}, "q");
    await testServices().suppressions.suppress(s.email, `complaint ${s.email}`);
    const manage = await manageToken(s);
    const blocked = namesMasked((await raw(preferencesUrl(manage))).html, s.email);
    expect(blocked.headings[0]).toBe("This address gets no email");
    const erased = await raw(unsubscribeUrl(manage), form({ action: "erase" }));
    const p = namesMasked(erased.html, s.email);
    expect(p.headings[0]).toBe("Your data is deleted");
    expect(p.text).toContain("The address stays blocked");
    expect(p.text).not.toMatch(/hash/i);
  });

  it("the page after deleting an address that was never blocked says nothing of blocking", async () => {
    const s = await active({}, "k");
    const erased = await raw(unsubscribeUrl(await manageToken(s)), form({ action: "erase" }));
    const p = namesMasked(erased.html, s.email);
    expect(p.text).toContain("Your address and your settings are removed from");
    expect(p.text).not.toContain("blocked");
  });

  it("the preference page says since when the subscription is active, in the site's language", async () => {
    const start = Date.UTC(2030, 5, 1, 20, 0, 0);
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    // 20:00 UTC on 1 June is 2 June in Almaty.
    const s = await active({ timeZone: "Asia/Almaty" });
    const path = preferencesUrl(await manageToken(s));
    expect((await get(path)).page.text).toContain("Subscribed on: June 2, 2030");
    const ru = parsePage(await (await isolate({ SITE_LANGUAGE: "ru" }).fetch(path)).text());
    expect(ru.text).toContain("Дата подписки: 2 июня 2030 г.");
    const kk = parsePage(await (await isolate({ SITE_LANGUAGE: "kk" }).fetch(path)).text());
    expect(kk.text).toContain("Жазылған күні: 2030 ж. 2 маусым");
    const waiting = await pending();
    expect((await get(preferencesUrl(await manageToken(waiting)))).page.text).not.toContain("Subscribed on");
  });
});

describe("the unsubscribe page offers less mail first", () => {
  it("a daily reader gets 'weekly instead', which saves through the preference form and is said done", async () => {
    const s = await active({ frequency: "daily", tags: ["transit", "culture-desk"], sendHour: 6 }, "w");
    const token = await manageToken(s);
    const shown = await raw(unsubscribeUrl(token));
    const p = page(shown.html);
    expect(p.forms.map((f) => f.buttons[0])).toEqual(["Get it weekly instead", "Unsubscribe", "Delete my data"]);
    const weekly = p.forms[0];
    expect(weekly?.action).toBe(preferencesUrl(token));
    expect(weekly?.hidden).toMatchObject({ frequency: "weekly", time_zone: "Asia/Almaty", send_hour: "6" });
    // The stored topics ride along, so switching to weekly keeps them.
    const tags = DomUtils.getElementsByTagName("input", weekly?.element ?? [], true)
      .filter((i) => i.attribs.name === "tags")
      .map((i) => i.attribs.value);
    expect(tags).toEqual(["transit", "culture-desk"]);
    const { body } = submit(p, "Get it weekly instead");
    const done = await raw(preferencesUrl(token), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
    expect(done.status).toBe(200);
    const after = namesMasked(done.html, s.email);
    expect(after.headings[0]).toBe("You will get it weekly");
    expect(after.text).toContain("one digest a week instead of one a day");
    expect(after.text).toMatch(/Weekly, at 06:00\s*Time zone\s*Asia\/Almaty/);
    expect(page(done.html).links).toContainEqual({
      text: "Change your preferences or unsubscribe",
      href: preferencesUrl(token),
    });
    // The preference page shows what is stored: weekly now, the rest as it was.
    const stored = await get(preferencesUrl(token));
    expect(stored.page.forms[0]?.checked).toEqual(["frequency=weekly", "tags=culture-desk", "tags=transit"]);
    expect(stored.page.forms[0]?.selected).toEqual({
      time_zone: ["Asia/Almaty (UTC+05:00) Almaty"],
      send_hour: ["6 06:00"],
    });
    expect((await row(s.id))?.status).toBe("active");
    // The next digest run finds the reader in the weekly slot and no longer in the daily one.
    const slot = { timeZone: "Asia/Almaty", sendHour: 6, after: s.id - 1 };
    const audience = testServices().audience;
    expect((await audience.due({ ...slot, frequency: "weekly" }, 1)).map((r) => r.id)).toEqual([s.id]);
    expect((await audience.due({ ...slot, frequency: "daily" }, 1000)).map((r) => r.id)).not.toContain(s.id);
  });

  it("a weekly reader is not offered 'weekly instead'", async () => {
    const s = await active({ frequency: "weekly" });
    const { page: p } = await get(unsubscribeUrl(await manageToken(s)));
    expect(p.forms.map((f) => f.buttons[0])).toEqual(["Unsubscribe", "Delete my data"]);
    expect(p.text).not.toContain("weekly instead");
  });

  it("both readers get 'Choose topics', a link to the preference page's topics, before Unsubscribe", async () => {
    for (const frequency of ["daily", "weekly"] as const) {
      const s = await active({ frequency });
      const token = await manageToken(s);
      const { html } = await raw(unsubscribeUrl(token));
      const link = page(html).links.find((l) => l.text === "Choose topics");
      expect(link?.href).toBe(`${preferencesUrl(token)}#tags`);
      expect(html.indexOf("Choose topics")).toBeLessThan(html.indexOf(">Unsubscribe</button>"));
      const target = await raw(link?.href ?? "");
      expect(parsePage(target.html).textOf("tags")).toContain("Transit");
    }
  });

  it("a posted 'weekly instead' with a bad value is refused like any preference form: 400, nothing saved", async () => {
    const s = await active({ frequency: "daily" });
    const before = await rows();
    const { status, page: p } = await post(
      preferencesUrl(await manageToken(s)),
      form({
        frequency: "weekly",
        time_zone: "Mars/Olympus_Mons",
        send_hour: "7",
        [WEEKLY_INSTEAD.name]: WEEKLY_INSTEAD.value,
      }),
    );
    expect(status).toBe(400);
    expect(p.text).toContain("Nothing was saved");
    expect(await rows()).toEqual(before);
  });
});

describe("Delete my data", () => {
  /** Each button of the page's own forms, by its text, with its class. */
  const buttons = (html: string) =>
    DomUtils.getElementsByTagName(
      "button",
      DomUtils.getElementsByTagName("main", parseDocument(html).children),
      true,
    ).map((b) => ({ text: DomUtils.textContent(b).trim(), class: b.attribs.class ?? "" }));

  it("is an outlined, red, secondary button after the main actions, explained in plain words", async () => {
    const s = await active();
    const token = await manageToken(s);
    for (const path of [unsubscribeUrl(token), preferencesUrl(token)]) {
      const { html } = await raw(path);
      const all = buttons(html);
      expect(all.at(-1)).toEqual({ text: "Delete my data", class: "danger" });
      expect(all.slice(0, -1).every((b) => b.class === "")).toBe(true);
      const text = page(html).text;
      expect(text).toContain("Removes your address and your settings from this newsletter. This can't be undone.");
      expect(text).not.toMatch(/\b(hash|salted)\b/i);
    }
    // The class draws it outlined in red, not filled like the main buttons.
    expect(SITE_STYLE).toContain("button.danger{background:none;color:#c5221f;border:1px solid currentColor}");
  });
});

describe("the pages in Russian and Kazakh", () => {
  const LANGUAGES = [
    {
      lang: "ru",
      unsubscribe: "Отписаться",
      weekly: "Получать раз в неделю",
      topics: "Выбрать темы",
      erase: "Удалить мои данные",
      confirm: "Подтвердите подписку",
      preferences: "Ваша подписка",
      address: "Адрес:",
      invalid: "Эта ссылка недействительна",
      done: "Теперь дайджест будет приходить раз в неделю",
      unsubscribed: "Вы отписаны",
      erased: "Ваши данные удалены",
      expired: "48 часов",
    },
    {
      lang: "kk",
      unsubscribe: "Жазылымнан бас тарту",
      weekly: "Аптасына бір рет алу",
      topics: "Тақырыптарды таңдау",
      erase: "Деректерімді жою",
      confirm: "Жазылымды растаңыз",
      preferences: "Сіздің жазылымыңыз",
      address: "Мекенжай:",
      invalid: "Бұл сілтеме жарамсыз",
      done: "Дайджест енді аптасына бір рет келеді",
      unsubscribed: "Сіз жазылымнан бас тарттыңыз",
      erased: "Деректеріңіз жойылды",
      expired: "48 сағат",
    },
  ] as const;
  /**
   * English words of these pages that must not be left on a Russian or Kazakh one (the form
   * fields' own words, "How often", "Daily", "Topics", are the sign-up form's and tested there).
   */
  const ENGLISH =
    /\b(Unsubscribe|Delete|data|Address|weekly|Choose|Confirm|Subscribe again|Save|Saved|Every article|Subscribed on|Removes|Get it)\b/;
  /** And on the pages without the form fields, the summary's words. */
  const SUMMARY = /\b(How often|Daily|Weekly|Topics|time)\b/;

  it.each(LANGUAGES)("$lang: confirm, preferences, unsubscribe, weekly done and link problems", async (words) => {
    const site = isolate({ SITE_LANGUAGE: words.lang });
    const s = await pending({ frequency: "daily" });
    const confirm = await site.fetch(confirmUrl(await confirmToken(s)));
    const confirmHtml = await confirm.text();
    const confirmPage = parsePage(confirmHtml);
    expect(confirmPage.headings[0]).toBe(words.confirm);
    expect(confirmPage.text).toContain(`${words.address} r•••@manage.example`);
    expect((await site.fetch(confirmUrl(await confirmToken(s)), form({}))).status).toBe(200);
    const token = await manageToken(s);
    const pages = [
      await (await site.fetch(preferencesUrl(token))).text(),
      await (await site.fetch(unsubscribeUrl(token))).text(),
    ];
    const [preferences = "", unsubscribe = ""] = pages;
    expect(parsePage(preferences).headings[0]).toBe(words.preferences);
    const p = page(unsubscribe);
    expect(p.h1).toEqual([words.unsubscribe]);
    expect(p.forms.map((f) => f.buttons[0])).toEqual([words.weekly, words.unsubscribe, words.erase]);
    expect(p.links.map((l) => l.text)).toContain(words.topics);
    const { action, body } = submit(p, words.weekly);
    const done = await (
      await site.fetch(action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      })
    ).text();
    expect(parsePage(done).headings[0]).toBe(words.done);
    for (const html of [...pages, done]) expect(page(html).text).not.toMatch(ENGLISH);
    for (const html of [confirmHtml, unsubscribe, done]) expect(page(html).text).not.toMatch(SUMMARY);
    const unsubscribed = await (await site.fetch(unsubscribeUrl(token), form({}))).text();
    expect(page(unsubscribed).h1).toEqual([words.unsubscribed]);
    const erased = await (await site.fetch(unsubscribeUrl(token), form({ action: "erase" }))).text();
    expect(page(erased).h1).toEqual([words.erased]);
    for (const html of [unsubscribed, erased]) {
      expect(page(html).text).toContain(`${words.address} r•••@manage.example`);
      expect(page(html).text).not.toMatch(ENGLISH);
    }
    const invalid = page(await (await site.fetch(unsubscribeUrl("not-a-token"))).text());
    expect(invalid.h1).toEqual([words.invalid]);
    expect(invalid.text).not.toMatch(ENGLISH);
  });

  it.each(LANGUAGES)("$lang: an expired link counts its hours in the language", async (words) => {
    const start = Date.UTC(2030, 0, 1, 9, 0, 0);
    vi.useFakeTimers({ now: start, toFake: ["Date"] });
    const s = await pending();
    const token = await confirmToken(s, start + 48 * HOUR);
    vi.setSystemTime(start + 48 * HOUR);
    const res = await isolate({ SITE_LANGUAGE: words.lang }).fetch(confirmUrl(token));
    expect(res.status).toBe(400);
    const p = page(await res.text());
    expect(p.text).toContain(words.expired);
    expect(p.text).not.toMatch(ENGLISH);
  });
});

describe("the pages are valid HTML", () => {
  it("unsubscribe (with its choices), preferences, weekly done, unsubscribed, deleted", async () => {
    const s = await active({ frequency: "daily", tags: ["transit"] });
    const token = await manageToken(s);
    const unsubscribe = await raw(unsubscribeUrl(token));
    const { action, body } = submit(page(unsubscribe.html), "Get it weekly instead");
    const done = await raw(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
    const preferences = await raw(preferencesUrl(token));
    const unsubscribed = await raw(unsubscribeUrl(token), form({}));
    const erased = await raw(unsubscribeUrl(token), form({ action: "erase" }));
    for (const html of [unsubscribe, done, preferences, unsubscribed, erased].map((r) => r.html)) {
      expect(await htmlProblems(html)).toEqual([]);
    }
  });
});
