// The console's editions area: the edition form, the preview against what the send step really
// sends (the local SMTP server), the frames' policies, bad input shown on the form again, and the
// test send (never in the delivery ledger). The limit of 10 test sends a minute has a file of its
// own (console-editions.limit.test.ts): its bucket is the whole console's.

import { env } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { Pacer } from "../../../src/core/delivery.js";
import { renderGroup } from "../../../src/worker/jobs/fanout.js";
import { sendRows } from "../../../src/worker/jobs/send.js";
import { render } from "../../../src/worker/views/components.js";
import { type EditionPreview, EditionsPage } from "../../../src/worker/views/console/editions.js";
import { consoleSession as session } from "../console.js";
import { admin, fixture, request, SITE, testServices } from "../helpers.js";
import { address, mailbox } from "../mailbox.js";
import { htmlProblems, parsePage } from "../page.js";

const get = (path: string, cookie?: string) => request(path, { headers: cookie ? { cookie } : {}, redirect: "manual" });

function post(path: string, fields: [string, string][], cookie: string, origin = SITE) {
  return request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, cookie },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** An active subscriber with these tags, through the store's own request and confirmation. */
async function subscriber(tags: string[] = []): Promise<{ id: number; email: string }> {
  const s = testServices();
  const email = address("preview");
  const o = await s.subscribers.request({
    email,
    preferences: { frequency: "daily", tags, timeZone: "Asia/Almaty", sendHour: 7 },
    source: "/",
    ip: null,
  });
  if (o.kind !== "send") throw new Error("expected a new subscriber");
  await s.subscribers.confirm(o.subscriberId, o.nonce);
  return { id: o.subscriberId, email };
}

async function publish(overrides: Record<string, unknown>): Promise<void> {
  expect((await admin("POST", "/api/articles", fixture(overrides))).status).toBe(201);
}

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<number>("n")) ?? 0;

/** What the preview page shows: each header row by name, the text part, the size, the frames. */
function readPreview(html: string) {
  const doc = parseDocument(html);
  const all = (test: (e: { name: string; attribs: Record<string, string> }) => boolean) =>
    DomUtils.findAll((e) => test(e), doc.children);
  const headers: Record<string, string> = {};
  for (const cell of all((e) => e.attribs["data-header"] !== undefined)) {
    headers[cell.attribs["data-header"] ?? ""] = DomUtils.textContent(cell);
  }
  const pre = all((e) => e.name === "pre")[0];
  const size = all((e) => e.attribs["data-figure"] === "html-bytes")[0];
  return {
    headers,
    text: pre ? DomUtils.textContent(pre) : null,
    bytes: size ? Number(size.attribs["data-bytes"]) : null,
    clipped: all((e) => e.attribs["data-figure"] === "clipped").length > 0,
    empty: all((e) => e.attribs["data-figure"] === "empty").length > 0,
    frames: all((e) => e.name === "iframe").map((f) => ({ ...f.attribs })),
  };
}

const PAGE_CSP =
  "default-src 'none'; img-src 'self' https: http: data:; media-src 'self' https: http:; style-src 'unsafe-inline'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const FRAME_CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

describe("the editions console: signed out and cross-origin", () => {
  it("sends a signed-out visitor of every editions page to the sign-in page (303)", async () => {
    for (const path of ["/admin/editions", "/admin/editions/preview?kind=daily&label=2022-01-11"]) {
      const res = await get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
    }
    const frame = await get("/admin/editions/preview.html?kind=daily&label=2022-01-11");
    expect(frame.status).toBe(303);
    const sent = await post("/admin/editions/test", [["address", address("signed-out")]], "");
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe("/admin/login");
  });

  it("refuses a test send posted from another site (403), and sends nothing", async () => {
    const cookie = await session();
    await publish({ date: "2022-03-01T09:00:00+06:00" });
    const to = address("cross");
    const res = await post(
      "/admin/editions/test",
      [
        ["address", to],
        ["kind", "daily"],
        ["label", "2022-03-01"],
      ],
      cookie,
      "https://evil.example",
    );
    expect(res.status).toBe(403);
    expect(await mailbox.messages(to)).toEqual([]);
  });
});

describe("the edition form", () => {
  it("offers the edition that goes out tomorrow (today's, in DIGEST_TZ), the site's tags and a sample reader", async () => {
    const cookie = await session();
    await publish({ date: "2022-03-02T09:00:00+06:00", tags: ["Form Tag"] });
    const res = await get("/admin/editions", cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-robots-tag")).toBe("noindex");
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const form = parsePage(html).forms.find((f) => f.action === "/admin/editions/preview");
    expect(form?.method).toBe("get");
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Almaty" }).format(Date.now());
    const field = (name: string) => form?.fields.filter((f) => f.name === name) ?? [];
    expect(field("kind").map((f) => [f.value, f.checked])).toEqual([
      ["daily", true],
      ["weekly", false],
    ]);
    expect(field("date")[0]?.value).toBe(today);
    expect(field("tags").map((f) => f.value)).toContain("form-tag");
    expect(field("subscriber")[0]?.value).toBe("");
  });
});

describe("the preview", () => {
  it("shows the subject, headers, text and HTML the send step sends the same subscriber", async () => {
    const cookie = await session();
    await publish({ date: "2022-03-03T09:00:00+06:00", title: "Trams & buses <return> to Almaty — Алматы" });
    const reader = await subscriber();
    const [renders, deliveries] = [await count("edition_renders"), await count("deliveries")];
    const query = `?kind=daily&label=2022-03-03&subscriber=${encodeURIComponent(reader.email)}`;
    const res = await get(`/admin/editions/preview${query}`, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(PAGE_CSP);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const shown = readPreview(html);
    const frame = await get(`/admin/editions/preview.html${query}`, cookie);
    expect(frame.status).toBe(200);
    const emailHtml = await frame.text();
    // The preview rendered the edition without storing it, and wrote nothing to the ledger.
    expect(await count("edition_renders")).toBe(renders);
    expect(await count("deliveries")).toBe(deliveries);

    // Now the send step, for real: render, ledger row, send through SMTP.
    const s = testServices();
    await s.editions.put([await renderGroup(s, "daily/2022-03-03", "[]")]);
    const ids = await s.deliveries.enqueue("daily/2022-03-03", [{ subscriberId: reader.id, tagsKey: "[]" }]);
    const result = await sendRows(
      { services: s, mailer: () => s.mailer(), pacer: new Pacer(1000, 30_000, Date.now()), sleep: async () => {} },
      ids,
    );
    expect(result.sent).toBe(1);
    const sent = await mailbox.smtp(reader.email);

    expect(shown.headers.subject).toBe(sent.subject);
    expect(shown.headers.subject).toContain("Trams & buses <return> to Almaty — Алматы");
    expect(shown.headers.to).toBe(reader.email);
    expect(shown.headers["message-id"]).toBe(sent.messageId);
    expect(shown.headers.from).toBe("The Steppe Ledger <digest@example.com>");
    const header = (name: string) => sent.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "");
    expect(shown.headers["list-unsubscribe"]).toBe(header("list-unsubscribe"));
    expect(shown.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(shown.headers["list-id"]).toBe(header("list-id"));
    expect(shown.text?.replace(/\r\n/g, "\n").trimEnd()).toBe(sent.text.replace(/\r\n/g, "\n").trimEnd());
    expect(emailHtml.replace(/\r\n/g, "\n")).toBe(sent.html.replace(/\r\n/g, "\n"));
    expect(shown.headers.preheader).not.toBe("");
    expect(emailHtml).toContain(shown.headers.preheader);
    // The size is the HTML's byte length (UTF-8), under Gmail's clip.
    expect(shown.bytes).toBe(new TextEncoder().encode(emailHtml).byteLength);
    expect(shown.clipped).toBe(false);
  });

  it("frames the email in sandboxed frames at 600 and 375 px and in dark mode, under a policy of style and images only", async () => {
    const cookie = await session();
    await publish({ date: "2022-03-04T09:00:00+06:00" });
    const res = await get("/admin/editions/preview?kind=daily&label=2022-03-04", cookie);
    const shown = readPreview(await res.text());
    // The sample reader: a To of its own.
    expect(shown.headers.to).toBe("reader@example.com");
    expect(shown.frames.map((f) => [f.width, f.sandbox])).toEqual([
      ["600", ""],
      ["375", ""],
      ["600", ""],
    ]);
    const [light, , dark] = shown.frames;
    expect(light?.src).toBe("/admin/editions/preview.html?kind=daily&label=2022-03-04");
    expect(dark?.src).toBe("/admin/editions/preview.html?kind=daily&label=2022-03-04&scheme=dark");
    for (const src of [light?.src, dark?.src]) {
      const frame = await get(src ?? "", cookie);
      expect(frame.status).toBe(200);
      expect(frame.headers.get("content-security-policy")).toBe(FRAME_CSP);
      expect(frame.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(frame.headers.get("cache-control")).toBe("no-store");
      expect(frame.headers.get("referrer-policy")).toBe("no-referrer");
    }
    const lightHtml = await (await get(light?.src ?? "", cookie)).text();
    const darkHtml = await (await get(dark?.src ?? "", cookie)).text();
    expect(lightHtml).toContain("@media (prefers-color-scheme: dark)");
    // The dark frame applies the email's own dark rules whatever the viewer prefers.
    expect(darkHtml).not.toContain("prefers-color-scheme");
    expect(darkHtml).toContain("@media (min-width: 0px) {");
    expect(darkHtml).toContain("color-scheme:dark");
    // The site's own pages keep the site's policy.
    expect((await get("/admin", cookie)).headers.get("content-security-policy")).toContain("frame-src https:;");
  });

  it("filters by the tags chosen, and a subscriber's preview follows their own tags", async () => {
    const cookie = await session();
    await publish({ date: "2022-03-05T09:00:00+06:00", title: "Tram line opens", tags: ["Transit"] });
    await publish({ date: "2022-03-05T10:00:00+06:00", title: "Opera season begins", tags: ["Culture"] });
    const text = async (query: string) => {
      const res = await get(`/admin/editions/preview?kind=daily&label=2022-03-05${query}`, cookie);
      expect(res.status).toBe(200);
      return readPreview(await res.text()).text ?? "";
    };
    const both = await text("");
    expect(both).toContain("Tram line opens");
    expect(both).toContain("Opera season begins");
    const culture = await text("&tags=culture");
    expect(culture).toContain("Opera season begins");
    expect(culture).not.toContain("Tram line opens");
    const reader = await subscriber(["transit"]);
    const theirs = await text(`&subscriber=${encodeURIComponent(reader.email)}`);
    expect(theirs).toContain("Tram line opens");
    expect(theirs).not.toContain("Opera season begins");
  });

  it("says so when the edition has no articles, and has no frames or test form", async () => {
    const cookie = await session();
    const res = await get("/admin/editions/preview?kind=weekly&label=2021-W10", cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const shown = readPreview(html);
    expect(shown.empty).toBe(true);
    expect(shown.frames).toEqual([]);
    expect(parsePage(html).forms.map((f) => f.action)).not.toContain("/admin/editions/test");
  });

  it("points an empty preview to the newest edition of its kind that has articles", async () => {
    const cookie = await session();
    await publish({ slug: "newest-of-all", date: "2025-06-18T09:00:00+05:00" });
    const weekly = await (await get("/admin/editions/preview?kind=weekly&label=2021-W10", cookie)).text();
    expect(weekly).toContain('<a href="/admin/editions/preview?kind=weekly&amp;week=2025-W25">weekly/2025-W25</a>');
    const daily = await (await get("/admin/editions/preview?kind=daily&label=2021-03-01", cookie)).text();
    expect(parsePage(daily).links).toContain("/admin/editions/preview?kind=daily&date=2025-06-18");
    // The newest edition itself has articles: nothing to point to.
    const shown = readPreview(await (await get("/admin/editions/preview?kind=daily&date=2025-06-18", cookie)).text());
    expect(shown.empty).toBe(false);
  });

  it("shows the form again (400) naming the field for an unknown subscriber, a bad day or an unknown tag", async () => {
    const cookie = await session();
    const cases: [string, string, string][] = [
      [
        `&subscriber=${encodeURIComponent(address("nobody"))}`,
        "subscriber",
        "The subscriber is not the address of any subscriber.",
      ],
      ["&subscriber=not-an-address", "subscriber", "The subscriber is not a valid email address."],
    ];
    for (const [query, name, message] of cases) {
      const res = await get(`/admin/editions/preview?kind=daily&label=2022-03-03${query}`, cookie);
      expect(res.status, query).toBe(400);
      const html = await res.text();
      expect(await htmlProblems(html)).toEqual([]);
      const field = parsePage(html).forms[0]?.fields.find((f) => f.name === name);
      expect(field?.attributes["aria-invalid"], query).toBe("true");
      expect(field?.description, query).toBe(message);
      expect(readPreview(html).frames).toEqual([]);
    }
    const day = await get("/admin/editions/preview?kind=daily&date=2022-02-30", cookie);
    expect(day.status).toBe(400);
    const dayField = parsePage(await day.text()).forms[0]?.fields.find((f) => f.name === "date");
    expect(dayField?.description).toBe("The day must be a day such as 2022-01-11.");
    const tag = await get("/admin/editions/preview?kind=daily&label=2022-03-03&tags=no-such-tag", cookie);
    expect(tag.status).toBe(400);
    expect(parsePage(await tag.text()).text).toContain('The tags has "no-such-tag", which is not a tag on this site.');
  });
});

describe("sending a test", () => {
  it("sends the preview's message to the address typed, subject prefixed [Test], with its List-Unsubscribe, never in the ledger", async () => {
    const cookie = await session();
    await publish({ date: "2022-03-06T09:00:00+06:00", title: "Grain prices steady" });
    const reader = await subscriber();
    const query = `?kind=daily&label=2022-03-06&subscriber=${encodeURIComponent(reader.email)}`;
    const shown = readPreview(await (await get(`/admin/editions/preview${query}`, cookie)).text());
    const deliveries = await count("deliveries");
    const to = address("test-send");
    const res = await post(
      "/admin/editions/test",
      [
        ["address", to],
        ["kind", "daily"],
        ["label", "2022-03-06"],
        ["subscriber", reader.email],
      ],
      cookie,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/editions/preview${query}&sent=${encodeURIComponent(to)}#test`);
    const sent = await mailbox.smtp(to);
    expect(sent.subject).toBe(`[Test] ${shown.headers.subject}`);
    const header = (name: string) => sent.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "");
    expect(header("list-unsubscribe")).toBe(shown.headers["list-unsubscribe"]);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(sent.text.replace(/\r\n/g, "\n").trimEnd()).toBe(shown.text?.trimEnd());
    expect(await mailbox.messages(reader.email)).toEqual([]);
    expect(await count("deliveries")).toBe(deliveries);
    const back = await get(res.headers.get("location") ?? "", cookie);
    expect(parsePage(await back.text()).text).toContain(`A test of this edition went to ${to}.`);
  });

  it("shows the form again (400) naming the address when it is not one, and sends nothing", async () => {
    const cookie = await session();
    await publish({ date: "2022-03-07T09:00:00+06:00" });
    for (const [typed, message] of [
      ["not-an-address", "The address is not a valid email address."],
      ["", "The address is required."],
    ]) {
      const res = await post(
        "/admin/editions/test",
        [
          ["address", typed ?? ""],
          ["kind", "daily"],
          ["label", "2022-03-07"],
        ],
        cookie,
      );
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(await htmlProblems(html)).toEqual([]);
      const field = parsePage(html)
        .forms.find((f) => f.action === "/admin/editions/test")
        ?.fields.find((f) => f.name === "address");
      expect(field?.value).toBe(typed);
      expect(field?.description).toBe(message);
    }
    expect(await mailbox.messages("not-an-address")).toEqual([]);
  });
});

describe("the size against Gmail's clip", () => {
  it("warns from 104 449 bytes of HTML (over 102 KB), not at 104 448", async () => {
    const site = testServices().site;
    const shown = async (htmlBytes: number) => {
      const preview: EditionPreview = {
        edition: "daily/2022-03-08",
        query: "?kind=daily&label=2022-03-08",
        fields: [],
        articles: 1,
        subscriber: null,
        message: {
          from: "a@example.com",
          to: "reader@example.com",
          subject: "S",
          messageId: "<x@example.com>",
          preheader: "P",
          headers: [],
          text: "T",
          htmlBytes,
        },
      };
      const choice = { kind: "daily", date: "2022-03-08", week: "2022-W10", tags: [], subscriber: "" };
      return readPreview(await render(EditionsPage({ site, tags: [], choice, errors: [], preview })));
    };
    expect((await shown(104_448)).clipped).toBe(false);
    const over = await shown(104_449);
    expect(over.clipped).toBe(true);
    expect(over.bytes).toBe(104_449);
  });
});
