// POST /api/subscribers/import through the Worker with the real D1 (and queue): an export as
// text/csv or a multipart file, the report it answers, the rows it writes, the same file twice, the
// limits at their boundaries, and every bad request answered as problem+json with nothing written.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import mailchimpSubscribed from "../../fixtures/import/mailchimp-subscribed.csv?bytes";
import { request, TOKEN } from "../helpers.js";
import { address } from "../mailbox.js";

function post(path: string, body: BodyInit, type: string | null = "text/csv", token: string | null = TOKEN) {
  const headers: Record<string, string> = {};
  if (type) headers["content-type"] = type;
  if (token) headers.authorization = `Bearer ${token}`;
  return request(path, { method: "POST", headers, body });
}

/** A plain email,name,tags file of these addresses. */
const plain = (emails: string[], tags = "") =>
  `email,name,tags\n${emails.map((e, i) => `${e},Reader ${i},"${tags}"`).join("\n")}\n`;

const statusOf = async (email: string) =>
  (await env.DB.prepare("SELECT status FROM subscribers WHERE email_key = lower(?1)")
    .bind(email)
    .first<string>("status")) ?? null;

const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM subscribers").first<number>("n")) ?? 0;

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  return (await res.json()) as { detail: string; errors?: { field: string; message: string }[] };
}

describe("POST /api/subscribers/import", () => {
  it("imports a Mailchimp export sent as text/csv and answers with the report", async () => {
    const res = await post("/api/subscribers/import?mode=confirmed", mailchimpSubscribed);
    expect(res.status).toBe(200);
    const report = (await res.json()) as Record<string, unknown>;
    expect(report).toMatchObject({
      source: "mailchimp",
      section: "subscribed",
      encoding: "utf-8",
      mode: "confirmed",
      kept: 0,
      blocked: 0,
      confirmations_queued: 0,
    });
    expect(report.added).toBeGreaterThan(0);
    expect(await statusOf("ada@example.com")).toBe("active");
    // The same file again: nothing new, everyone left as they were.
    const before = await env.DB.prepare("SELECT * FROM subscribers ORDER BY id").all();
    const again = (await (await post("/api/subscribers/import?mode=confirmed", mailchimpSubscribed)).json()) as Record<
      string,
      unknown
    >;
    expect(again).toMatchObject({ added: 0, kept: report.added });
    expect((await env.DB.prepare("SELECT * FROM subscribers ORDER BY id").all()).results).toEqual(before.results);
  });

  it("takes a multipart form's file with its settings, and queues the confirmations a confirm import owes", async () => {
    const emails = [address("form-a"), address("form-b")];
    const form = new FormData();
    form.set("file", new File([plain(emails, "Transit")], "list.csv", { type: "text/csv" }));
    form.set("mode", "confirm");
    form.set("frequency", "weekly");
    const res = await request("/api/subscribers/import", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ source: "plain", mode: "confirm", added: 2, confirmations_queued: 2 });
    const row = await env.DB.prepare(
      "SELECT status, frequency, confirm_sent_at IS NOT NULL AS sent, imported_json FROM subscribers WHERE email = ?1",
    )
      .bind(emails[0])
      .first<{ status: string; frequency: string; sent: number; imported_json: string }>();
    expect(row).toMatchObject({ status: "pending", frequency: "weekly", sent: 1 });
    expect(JSON.parse(row?.imported_json ?? "{}")).toMatchObject({ file: "list.csv", service: "a plain list" });
  });

  it("takes 1 000 rows a request and refuses 1 001 with 413, writing nothing", async () => {
    const many = (n: number, label: string) => Array.from({ length: n }, (_, i) => `${label}-${i}@bulk.example`);
    const before = await count();
    const refused = await problem(await post("/api/subscribers/import?mode=confirmed", plain(many(1001, "over"))), 413);
    expect(refused.detail).toContain("has 1001 rows; a request takes at most 1000");
    expect(await count()).toBe(before);
    const taken = await post("/api/subscribers/import?mode=confirmed", plain(many(1000, "limit")));
    expect(taken.status).toBe(200);
    expect(await taken.json()).toMatchObject({ rows: 1000, added: 1000 });
  });

  it("refuses a body over 2 MiB with 413", async () => {
    const big = `email\n${"x".repeat(2 * 1024 * 1024)}`;
    await problem(await post("/api/subscribers/import?mode=confirmed", big), 413);
  });

  it("reports bad rows by line and imports the rest", async () => {
    const good = address("good");
    const res = await post(
      "/api/subscribers/import?mode=confirmed",
      `email\n${good}\nnot-an-address\n\u0007bell@x.example\n`,
    );
    expect(res.status).toBe(200);
    const report = (await res.json()) as { added: number; problem_count: number; problems: { line: number }[] };
    expect(report.added).toBe(1);
    expect(report.problem_count).toBe(2);
    expect(report.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(await statusOf(good)).toBe("active");
  });

  it("names what is wrong with a request, as problem+json, and writes nothing", async () => {
    const before = await count();
    const file = plain([address("never")]);
    expect((await post("/api/subscribers/import?mode=confirmed", file, "text/csv", null)).status).toBe(401);
    expect(
      (await post("/api/subscribers/import?mode=confirmed", file, "text/csv", "wrong-token-0123456789")).status,
    ).toBe(401);
    const noMode = await problem(await post("/api/subscribers/import", file), 400);
    expect(noMode.errors?.map((e) => e.field)).toEqual(["mode"]);
    const badMode = await problem(await post("/api/subscribers/import?mode=yes", file), 400);
    expect(badMode.errors?.[0]?.field).toBe("mode");
    const json = await problem(await post("/api/subscribers/import?mode=confirmed", "{}", "application/json"), 400);
    expect(json.errors?.[0]?.field).toBe("content-type");
    const empty = await problem(await post("/api/subscribers/import?mode=confirmed", ""), 400);
    expect(empty.errors?.[0]?.field).toBe("file");
    const unknown = await problem(await post("/api/subscribers/import?mode=confirmed&from=2", file), 400);
    expect(unknown.errors?.[0]?.field).toBe("from");
    expect(await count()).toBe(before);
  });
});

describe("POST /api/subscribers/import with a hostile form", () => {
  const form = (entries: [string, string | File][]) => {
    const body = new FormData();
    for (const [name, value] of entries) body.append(name, value);
    return request("/api/subscribers/import", { method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body });
  };
  const file = () => new File([`email\n${address("hostile-form")}\n`], "list.csv", { type: "text/csv" });

  it("refuses a field given twice, two files, a file field that is text and an unknown field, writing nothing", async () => {
    const before = await count();
    const cases: [[string, string | File][], string][] = [
      [
        [
          ["file", file()],
          ["mode", "confirmed"],
          ["mode", "confirm"],
        ],
        "mode",
      ],
      [
        [
          ["file", file()],
          ["file", file()],
          ["mode", "confirmed"],
        ],
        "file",
      ],
      [
        [
          ["file", "email\nx@example.org\n"],
          ["mode", "confirmed"],
        ],
        "file",
      ],
      [
        [
          ["file", file()],
          ["mode", "confirmed"],
          ["admin", "yes"],
        ],
        "admin",
      ],
    ];
    for (const [entries, field] of cases) {
      const body = await problem(await form(entries), 400);
      expect(
        body.errors?.map((e) => e.field),
        field,
      ).toEqual([field]);
    }
    // The same file twice at once: one adds, the other finds it there; never two rows.
    const twice = `email\n${address("race")}\n`;
    const [a, b] = await Promise.all([
      post("/api/subscribers/import?mode=confirmed", twice),
      post("/api/subscribers/import?mode=confirmed", twice),
    ]);
    const added = [(await a.json()) as { added: number }, (await b.json()) as { added: number }].map((r) => r.added);
    expect(added.sort()).toEqual([0, 1]);
    expect(await count()).toBe(before + 1);
  });
});
