// The console's outbox: the list of what MAILER=log kept, one message as its reader sees it (in a
// sandboxed frame under its own CSP), the .eml download, and the 404s.

import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { Services } from "../../../src/worker/services.js";
import { consoleSession as session } from "../console.js";
import { request } from "../helpers.js";
import { letter, SUBJECT, UNSUBSCRIBE } from "../mail/letters.js";
import { address } from "../mailbox.js";
import { htmlProblems, parsePage } from "../page.js";

const get = (path: string, cookie: string) => request(path, { headers: { cookie }, redirect: "manual" });

/** Sends a letter through the log mailer, which keeps it: its outbox id. */
async function sendLogged(to: string, overrides = {}): Promise<number> {
  const print = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await new Services({ ...env, MAILER: "log" })
      .mailer()
      .send(letter(to, overrides), { idempotencyKey: `outbox:${to}` });
  } finally {
    print.mockRestore();
  }
  const row = await env.DB.prepare("SELECT id FROM outbox WHERE recipient = ?1 ORDER BY id DESC LIMIT 1")
    .bind(to)
    .first<number>("id");
  if (row === null) throw new Error("not kept");
  return row;
}

describe("the outbox", () => {
  it("asks a signed-out visitor to sign in, for the list, a message and its .eml", async () => {
    for (const path of ["/admin/outbox", "/admin/outbox/1", "/admin/outbox/1.eml", "/admin/outbox/1/html"]) {
      const res = await request(path, { redirect: "manual" });
      expect(res.status, path).toBe(303);
    }
  });

  it("lists what the log mailer kept, newest first, each linking to its page", async () => {
    const first = await sendLogged(address("outbox-a"));
    const second = await sendLogged(address("outbox-b"), { subject: "Second letter" });
    const res = await get("/admin/outbox", await session());
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const links = parsePage(html).links.filter((l) => /^\/admin\/outbox\/\d+$/.test(l));
    expect(links.slice(0, 2)).toEqual([`/admin/outbox/${second}`, `/admin/outbox/${first}`]);
    expect(parsePage(html).text).toContain("Second letter");
  });

  it("shows a message's headers, its text part and its HTML in a sandboxed frame of its own", async () => {
    const to = address("outbox-view");
    const id = await sendLogged(to);
    const cookie = await session();
    const res = await get(`/admin/outbox/${id}`, cookie);
    expect(res.status).toBe(200);
    // The page may frame this origin's pages only; the rest of the site frames https: embeds.
    expect(res.headers.get("content-security-policy")).toContain("frame-src 'self'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(await htmlProblems(html)).toEqual([]);
    const page = parsePage(html);
    expect(page.headings[0]).toBe(SUBJECT);
    expect(page.text).toContain(to);
    expect(page.text).toContain(UNSUBSCRIBE);
    expect(html).toMatch(new RegExp(`<iframe[^>]* src="/admin/outbox/${id}/html"[^>]* sandbox=""`));

    const frame = await get(`/admin/outbox/${id}/html`, cookie);
    expect(frame.status).toBe(200);
    expect(frame.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = frame.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain("script-src");
    expect(await frame.text()).toContain("<");
  });

  it("downloads the message as .eml, as kept", async () => {
    const to = address("outbox-eml");
    const id = await sendLogged(to);
    const res = await get(`/admin/outbox/${id}.eml`, await session());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("message/rfc822");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="message-${id}.eml"`);
    const eml = new TextDecoder().decode(await res.arrayBuffer());
    const stored = await env.DB.prepare("SELECT eml FROM outbox WHERE id = ?1").bind(id).first<string>("eml");
    expect(eml).toBe(stored);
    expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  });

  it("answers a message that was never kept, or a malformed cursor, with the page saying so", async () => {
    const cookie = await session();
    for (const path of [
      "/admin/outbox/999999",
      "/admin/outbox/0",
      "/admin/outbox/999999.eml",
      "/admin/outbox/999999/html",
    ]) {
      const res = await get(path, cookie);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    const bad = await get("/admin/outbox?cursor=abc", cookie);
    expect(bad.status).toBe(400);
    expect(parsePage(await bad.text()).text).toContain("cursor: must be a message number");
  });
});
