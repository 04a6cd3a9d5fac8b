// The sign-up page's time zone and send hour, as a reader sees them: zones grouped by region with
// their current offsets, canonical names only, the browser's zone left to the page's script;
// what a post of an alias or of garbage does; the page's words in Russian and Kazakh.

import { env } from "cloudflare:test";
import type { Element } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { subscribeWords } from "../../../src/core/words/subscribe.js";
import { OWN_SCRIPT_CSP } from "../../../src/worker/security-headers.js";
import { isolate, request } from "../helpers.js";
import { htmlProblems, parsePage } from "../page.js";

let clients = 0;
const nextIp = () => `2001:db8:7:${(++clients).toString(16)}::1`;
let addresses = 0;
const nextAddress = () => `zone.${++addresses}@example.org`;

function postForm(
  fields: Record<string, string>,
  fetch: (path: string, init: RequestInit) => Response | Promise<Response> = request,
): Promise<Response> {
  const init = {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": nextIp() },
    body: new URLSearchParams(fields).toString(),
  };
  return Promise.resolve(fetch("/subscribe", init));
}

const text = (e: Element) => DomUtils.textContent(e).replace(/\s+/g, " ").trim();

/** The select named `name` in the page's form: its groups and options as shown. */
function select(html: string, name: string) {
  const doc = parseDocument(html);
  const el = DomUtils.findOne((e) => e.name === "select" && e.attribs.name === name, doc.children);
  if (!el) throw new Error(`no select ${name}`);
  const options = DomUtils.findAll((e) => e.name === "option", [el]);
  return {
    attributes: el.attribs,
    groups: DomUtils.findAll((e) => e.name === "optgroup", [el]).map((g) => ({
      label: g.attribs.label ?? "",
      options: DomUtils.findAll((e) => e.name === "option", [g]).map((o) => ({
        value: o.attribs.value ?? "",
        label: text(o),
      })),
    })),
    values: options.map((o) => o.attribs.value ?? ""),
    selected: options.filter((o) => o.attribs.selected !== undefined).map((o) => o.attribs.value),
    aliases: (value: string) => options.find((o) => o.attribs.value === value)?.attribs["data-aliases"],
  };
}

async function storedPreferences(email: string) {
  return env.DB.prepare("SELECT time_zone, send_hour FROM subscribers WHERE email = ?").bind(email).first();
}

describe("GET /subscribe: time zone and send hour", () => {
  it("groups canonical zones by region, each with its current offset, the site's zone selected", async () => {
    const res = await request("/subscribe");
    expect(res.status).toBe(200);
    const html = await res.text();
    const zones = select(html, "time_zone");
    expect(zones.groups.map((g) => g.label)).toEqual([
      "Africa",
      "America",
      "Antarctica",
      "Arctic",
      "Asia",
      "Atlantic Ocean",
      "Australia",
      "Europe",
      "Indian Ocean",
      "Pacific Ocean",
      "UTC",
    ]);
    // The site's DIGEST_TZ, until the browser's is known.
    expect(zones.selected).toEqual(["Asia/Almaty"]);
    const asia = zones.groups.find((g) => g.label === "Asia")?.options ?? [];
    expect(asia).toContainEqual({ value: "Asia/Almaty", label: "(UTC+05:00) Almaty" });
    expect(asia).toContainEqual({ value: "Asia/Kolkata", label: "(UTC+05:30) Kolkata" });
    expect(asia).toContainEqual({ value: "Asia/Kathmandu", label: "(UTC+05:45) Kathmandu" });
    const america = zones.groups.find((g) => g.label === "America")?.options ?? [];
    expect(america).toContainEqual({ value: "America/Argentina/Buenos_Aires", label: "(UTC\u221203:00) Buenos Aires" });
    expect(america).toContainEqual({ value: "America/Sao_Paulo", label: "(UTC\u221203:00) Sao Paulo" });
    expect(zones.groups.at(-1)?.options).toEqual([{ value: "UTC", label: "UTC" }]);
    // Sorted by offset within a region.
    const offsets = asia.map((o) => o.label.slice(4, 10).replace("\u2212", "-"));
    const minutes = offsets.map(
      (o) => (o.startsWith("-") ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4))),
    );
    expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
    // Canonical names only, each once; the old spellings are there for the script to match.
    expect(new Set(zones.values).size).toBe(zones.values.length);
    expect(zones.values.length).toBeGreaterThan(400);
    for (const old of ["Asia/Calcutta", "Europe/Kiev", "Africa/Asmera", "Asia/Saigon", "US/Eastern", "Etc/UTC"]) {
      expect(zones.values).not.toContain(old);
    }
    expect(zones.aliases("Asia/Kolkata")?.split(" ")).toContain("Asia/Calcutta");
    expect(zones.aliases("Europe/Kyiv")?.split(" ")).toContain("Europe/Kiev");
    expect(zones.attributes["data-browser-zone"]).toBeDefined();
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("offers the send hour, the site's selected, and runs the zone script under its policy", async () => {
    const res = await request("/subscribe");
    const html = await res.text();
    const hours = select(html, "send_hour");
    expect(hours.values).toEqual(Array.from({ length: 24 }, (_, h) => String(h)));
    expect(hours.selected).toEqual(["7"]);
    const page = parsePage(html);
    const field = (name: string) => page.forms[0]?.fields.find((f) => f.name === name);
    expect(field("time_zone")?.description).toBe("The digest comes at the hour you choose, in this time zone.");
    expect(field("send_hour")?.description).toBe("The weekly digest comes on Mondays.");
    expect(html).toMatch(/<script src="\/zone\.js" defer(="")?><\/script>/);
    expect(res.headers.get("content-security-policy")).toBe(OWN_SCRIPT_CSP);
  });
});

describe("POST /subscribe: time zone and send hour", () => {
  it("stores an old spelling as the canonical zone, and the hour chosen", async () => {
    const email = nextAddress();
    const res = await postForm({ email, frequency: "daily", time_zone: "Asia/Calcutta", send_hour: "9" });
    expect(res.status).toBe(202);
    expect(await storedPreferences(email)).toEqual({ time_zone: "Asia/Kolkata", send_hour: 9 });
  });

  it("keeps the site's zone and hour when the form leaves them empty", async () => {
    const email = nextAddress();
    expect((await postForm({ email, frequency: "daily", time_zone: "", send_hour: "" })).status).toBe(202);
    expect(await storedPreferences(email)).toEqual({ time_zone: "Asia/Almaty", send_hour: 7 });
  });

  it("refuses a zone that is none, with the form again and the message at the field", async () => {
    const email = nextAddress();
    const res = await postForm({ email, frequency: "weekly", time_zone: "Mars/Olympus_Mons", send_hour: "23" });
    expect(res.status).toBe(400);
    const html = await res.text();
    const page = parsePage(html);
    const field = (name: string) => page.forms[0]?.fields.find((f) => f.name === name);
    expect(field("time_zone")?.attributes["aria-invalid"]).toBe("true");
    expect(field("time_zone")?.description).toBe(
      'The digest comes at the hour you choose, in this time zone. The time zone "Mars/Olympus_Mons" is unknown: choose one from the list.',
    );
    expect(field("email")?.value).toBe(email);
    const zones = select(html, "time_zone");
    expect(zones.values).not.toContain("Mars/Olympus_Mons");
    expect(zones.selected).toEqual(["Asia/Almaty"]); // the site's, not whichever comes first
    // The reader chose: the browser's zone does not replace the choice, and no script runs.
    expect(zones.attributes["data-browser-zone"]).toBeUndefined();
    expect(html).not.toContain("/zone.js");
    expect(select(html, "send_hour").selected).toEqual(["23"]);
    expect(await storedPreferences(email)).toBeNull();
    expect(await htmlProblems(html)).toEqual([]);
  });

  it("shows a valid zone chosen again when another field was wrong, in its canonical name", async () => {
    const res = await postForm({ email: "not-an-address", time_zone: "Europe/Kiev", send_hour: "24" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(select(html, "time_zone").selected).toEqual(["Europe/Kyiv"]);
    const page = parsePage(html);
    expect(page.forms[0]?.fields.find((f) => f.name === "send_hour")?.description).toBe(
      "The weekly digest comes on Mondays. Choose an hour from the list, 00:00 to 23:00.",
    );
  });
});

/** Every word of the English catalogue's strings, for a look at a Russian or Kazakh page. */
function englishWords(): Set<string> {
  const words = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === "string") for (const w of value.match(/[A-Za-z]{3,}/g) ?? []) words.add(w);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  walk(subscribeWords.en);
  // Names the same in every language, and what the page shows as IANA writes it.
  for (const same of ["UTC"]) words.delete(same);
  return words;
}

describe.each([
  ["ru", "Подписка", "Часовой пояс", "Азия", "Проверьте почту", "Часовой пояс «Nowhere/Land» нам неизвестен"],
  ["kk", "Жазылу", "Уақыт белдеуі", "Азия", "Поштаңызды тексеріңіз", "«Nowhere/Land» уақыт белдеуі бізге белгісіз"],
])("in %s", (lang, title, zoneLabel, asia, inbox, unknownZone) => {
  const site = isolate({ SITE_LANGUAGE: lang });
  const english = englishWords();
  // English words in the page's main part, the zone list left out (its cities are as IANA writes them).
  const leftovers = (html: string) => {
    const doc = parseDocument(html);
    for (const s of DomUtils.findAll((e) => e.name === "select" && e.attribs.name === "time_zone", doc.children)) {
      DomUtils.removeElement(s);
    }
    const main = DomUtils.findOne((e) => e.name === "main", doc.children);
    return DomUtils.textContent(main ?? doc.children)
      .split(/[^A-Za-z]+/)
      .filter((w) => english.has(w));
  };

  it("/subscribe is in the site's language, with its regions", async () => {
    const html = await (await site.fetch("/subscribe")).text();
    const page = parsePage(html);
    expect(page.headings).toContain(title);
    expect(page.forms[0]?.fields.find((f) => f.name === "time_zone")).toBeDefined();
    expect(page.text).toContain(zoneLabel);
    expect(select(html, "time_zone").groups.map((g) => g.label)).toContain(asia);
    expect(leftovers(html)).toEqual([]);
  });

  it("a refused post says what is wrong in the site's language; an accepted one too", async () => {
    const refused = await postForm({ email: nextAddress(), time_zone: "Nowhere/Land" }, site.fetch);
    expect(refused.status).toBe(400);
    expect(parsePage(await refused.text()).text).toContain(unknownZone);
    const accepted = await postForm({ email: nextAddress(), time_zone: "Asia/Almaty" }, site.fetch);
    expect(accepted.status).toBe(202);
    const html = await accepted.text();
    expect(parsePage(html).headings).toContain(inbox);
    expect(leftovers(html)).toEqual([]);
  });
});
