// The console's subscriber import (/admin/subscribers/import) through the Worker with the real D1:
// signed out and cross-origin, the form, an upload's report and what it wrote, and each bad upload
// shown again with its message next to the field and nothing written.

import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleSession } from "../console.js";
import { request, SITE } from "../helpers.js";
import { address } from "../mailbox.js";
import { htmlProblems, parsePage } from "../page.js";

let cookie: string;

beforeAll(async () => {
  cookie = await consoleSession();
});

function upload(fields: Record<string, string | File>, origin = SITE, withCookie = true) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return request("/admin/subscribers/import", {
    method: "POST",
    headers: { origin, ...(withCookie ? { cookie } : {}) },
    body: form,
    redirect: "manual",
  });
}

const csv = (text: string, name = "list.csv") => new File([text], name, { type: "text/csv" });
const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM subscribers").first<number>("n")) ?? 0;

/** The message shown next to `field`, if any. */
function errorOf(html: string, field: string): string | null {
  const match = new RegExp(`<p class="error" id="${field}-error" role="alert">([^<]*)</p>`).exec(html);
  return match?.[1] ?? null;
}

describe("the console's subscriber import", () => {
  it("sends a signed-out visitor to the sign-in page, and refuses an upload from another site", async () => {
    const res = await request("/admin/subscribers/import", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/login?next=${encodeURIComponent("/admin/subscribers/import")}`);
    const before = await count();
    const cross = await upload(
      { file: csv(`email\n${address("cross")}\n`), mode: "confirmed" },
      "https://evil.example",
    );
    expect(cross.status).toBe(403);
    expect(await count()).toBe(before);
  });

  it("shows the form, linked from the subscribers page", async () => {
    const list = await (await request("/admin/subscribers", { headers: { cookie } })).text();
    expect(parsePage(list).links).toContain("/admin/subscribers/import");
    const res = await request("/admin/subscribers/import", { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const [form] = parsePage(html).forms;
    expect(form?.action).toBe("/admin/subscribers/import");
    expect(form?.element.attribs.enctype).toBe("multipart/form-data");
  });

  it("imports an upload and reports what it read and wrote", async () => {
    const ann = address("console-ann");
    const text = `email,name,tags\n${ann},Ann,"Transit"\nnot-an-address,Bob,\n`;
    const res = await upload({ file: csv(text, "readers.csv"), mode: "confirmed", frequency: "weekly" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(html).toContain("<code>readers.csv</code>");
    expect(html).toMatch(/<tr data-count="added"><th scope="row">Added<\/th><td>1<\/td><\/tr>/);
    expect(html).toMatch(/<tr data-problem-line="3"><td>3<\/td>/);
    const row = await env.DB.prepare("SELECT status, frequency, source FROM subscribers WHERE email = ?1")
      .bind(ann)
      .first();
    expect(row).toEqual({ status: "active", frequency: "weekly", source: "import: a plain list" });
    // Their page's consent record names the import.
    const id = await env.DB.prepare("SELECT id FROM subscribers WHERE email = ?1").bind(ann).first<number>("id");
    const page = await (await request(`/admin/subscribers/${id}`, { headers: { cookie } })).text();
    expect(page).toMatch(
      /<dd data-field="imported">[^<]+ from a plain list, file <code>readers\.csv<\/code>, as opted in there<\/dd>/,
    );
  });

  it("shows the form again with the message next to the field, writing nothing", async () => {
    const before = await count();
    const noMode = await upload({ file: csv(`email\n${address("no-mode")}\n`) });
    expect(noMode.status).toBe(400);
    const noModeHtml = await noMode.text();
    expect(errorOf(noModeHtml, "mode")).toMatch(/^The way they opted in is required/);
    expect(await htmlProblems(noModeHtml)).toEqual([]);

    const noFile = await upload({ mode: "confirmed" });
    expect(noFile.status).toBe(400);
    expect(errorOf(await noFile.text(), "file")).toMatch(/^The file is required/);

    const empty = await upload({ file: csv(""), mode: "confirmed" });
    expect(empty.status).toBe(400);
    expect(errorOf(await empty.text(), "file")).toMatch(
      /^The file cannot be imported: line \d+: .*nothing was imported$/,
    );

    const rows = Array.from({ length: 1001 }, (_, i) => `over-${i}@console.example`).join("\n");
    const tooMany = await upload({ file: csv(`email\n${rows}\n`), mode: "confirmed" });
    expect(tooMany.status).toBe(413);
    expect(errorOf(await tooMany.text(), "file")).toMatch(/^The file has 1001 rows; a request takes at most 1000/);
    expect(await count()).toBe(before);
  });
});
