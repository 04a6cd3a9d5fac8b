import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { Pacer } from "../../../src/core/delivery.js";
import { headerOf, readEml } from "../../../src/core/eml.js";
import { sendConfirmation } from "../../../src/worker/jobs/confirm.js";
import { renderGroup } from "../../../src/worker/jobs/fanout.js";
import { sendRows } from "../../../src/worker/jobs/send.js";
import { LogMailer } from "../../../src/worker/mail/log.js";
import { Services } from "../../../src/worker/services.js";
import { admin, fixture, SITE } from "../helpers.js";
import { address, mailbox, mailSetup, mailVars } from "../mailbox.js";
import { FROM, fixed, letter, NOW, SUBJECT } from "./letters.js";

/** The outbox rows kept for `to`, newest first, read straight from D1. */
async function kept(to: string) {
  const { results } = await env.DB.prepare("SELECT * FROM outbox WHERE recipient = ?1 ORDER BY id DESC")
    .bind(to)
    .all<{ id: number; kind: string; sender: string; subject: string; size: number; eml: string }>();
  return results;
}

/** A subscriber's sign-up through the store; active once confirmed. */
async function signUp(s: Services, label: string, confirm: boolean) {
  const email = address(label);
  const outcome = await s.subscribers.request({
    email,
    preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
    source: "/subscribe",
    ip: null,
  });
  if (outcome.kind !== "send") throw new Error("expected a new subscriber");
  if (confirm) await s.subscribers.confirm(outcome.subscriberId, outcome.nonce);
  return { email, id: outcome.subscriberId, nonce: outcome.nonce };
}

describe("the log mailer", () => {
  it("prints the headers, the text and every link on a line of its own", async () => {
    const lines: string[] = [];
    const mailer = new LogMailer(mailSetup("log", { MAIL_FROM: FROM }, fixed), (line) => lines.push(line));
    const confirm = `${SITE}/subscribe/confirm?token=abc.def`;
    await mailer.send(
      letter("reader@example.net", {
        kind: "transactional",
        text: `Confirm: ${confirm}`,
        html: `<html xmlns="http://www.w3.org/1999/xhtml"><a href="${confirm}">Confirm</a> <a href="${SITE}/preferences?token=x&amp;y=1">Prefs</a></html>`,
      }),
      { idempotencyKey: "confirm:1" },
    );
    const printed = lines.join("\n").split("\n");
    expect(printed).toContain(`From: ${FROM}`);
    expect(printed).toContain("To: reader@example.net");
    expect(printed).toContain(`Subject: ${SUBJECT}`);
    expect(printed).toContain(`Confirm: ${confirm}`);
    expect(printed).toContain(confirm);
    expect(printed).toContain(`${SITE}/preferences?token=x&y=1`);
    // A namespace URI is not a link anyone can follow.
    expect(printed).not.toContain("http://www.w3.org/1999/xhtml");
    expect(printed).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  });
});

describe("the log mailer's outbox", () => {
  it("keeps a confirmation as its .eml, with the list's fields beside it", async () => {
    const s = new Services(mailVars("log"));
    const reader = await signUp(s, "outbox-confirm", false);
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const outcome = await sendConfirmation(
      s,
      { type: "confirm", subscriber: reader.id, nonce: reader.nonce },
      async () => {},
    );
    const terminal = printed.mock.calls.join("\n");
    printed.mockRestore();
    expect(outcome).toEqual({ kind: "sent" });
    // The terminal still gets the summary.
    expect(terminal).toContain(`To: ${reader.email}`);
    const [row, ...more] = await kept(reader.email);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      kind: "transactional",
      sender: "The Steppe Ledger <digest@example.com>",
      subject: "Confirm your subscription to The Steppe Ledger",
      size: new TextEncoder().encode(row?.eml).length,
    });
    const eml = readEml(row?.eml ?? "");
    expect(headerOf(eml.headers, "Subject")).toBe("Confirm your subscription to The Steppe Ledger");
    expect(headerOf(eml.headers, "To")).toBe(reader.email);
    expect(eml.text).toContain(`${SITE}/subscribe/confirm?token=`);
    expect(eml.html).toContain(`href="${SITE}/subscribe/confirm?token=`);
    expect(headerOf(eml.headers, "List-Unsubscribe")).toBeNull();
  });

  it("keeps a digest with its subject, both parts and the reader's own List-Unsubscribe", async () => {
    const s = new Services(mailVars("log"));
    const reader = await signUp(s, "outbox-digest", true);
    expect(
      (await admin("POST", "/api/articles", fixture({ title: "Степь: новости", date: "2022-03-01T10:00:00+06:00" })))
        .status,
    ).toBe(201);
    const edition = "daily/2022-03-01";
    const render = await renderGroup(s, edition, "[]");
    await s.editions.put([render]);
    const rows = await s.deliveries.enqueue(edition, [{ subscriberId: reader.id, tagsKey: "[]" }]);
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const result = await sendRows(
      { services: s, mailer: () => s.mailer(), pacer: new Pacer(1000, 30_000, Date.now()), sleep: async () => {} },
      rows,
    );
    printed.mockRestore();
    expect(result).toMatchObject({ sent: 1, failed: 0, released: 0 });
    const [row, ...more] = await kept(reader.email);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ kind: "broadcast", subject: render.subject });
    const eml = readEml(row?.eml ?? "");
    expect(headerOf(eml.headers, "Subject")).toBe(render.subject);
    const unsubscribe = /^<(https:\/\/news\.example\.com\/unsubscribe\?token=[^>]+)>$/.exec(
      headerOf(eml.headers, "List-Unsubscribe") ?? "",
    )?.[1];
    expect(unsubscribe).toBeDefined();
    expect(headerOf(eml.headers, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    // The parts as the reader gets them: the article, and this reader's link, not the render's mark.
    expect(eml.text).toContain("Степь: новости");
    expect(eml.html).toContain("Степь: новости");
    expect(eml.text).toContain(String(unsubscribe));
    expect(eml.text).not.toContain(render.recipientMark);
  });

  it("keeps nothing when the mailer is smtp", async () => {
    const to = address("outbox-smtp");
    await new Services(mailVars("smtp")).mailer().send(letter(to), { idempotencyKey: `smtp/${to}` });
    expect(await mailbox.smtp(to)).toMatchObject({ subject: SUBJECT });
    expect(await kept(to)).toEqual([]);
  });

  it("still sends when the message cannot be kept, and logs why", async () => {
    const to = address("outbox-too-big");
    const s = new Services(mailVars("log", { MAIL_FROM: FROM }), () => NOW);
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // 400 000 Cyrillic letters are 2.4 MB as quoted-printable: over the outbox's 1 MB.
    const sent = await s.mailer().send(letter(to, { text: "Ж".repeat(400_000) }), { idempotencyKey: `big/${to}` });
    const terminal = printed.mock.calls.join("\n");
    const logged = errors.mock.calls.map((call) => JSON.parse(String(call[0])));
    printed.mockRestore();
    errors.mockRestore();
    expect(sent.id).toMatch(/^<[0-9a-f]{32}@news\.example\.com>$/);
    expect(await kept(to)).toEqual([]);
    expect(logged).toEqual([
      { event: "outbox.not_kept", messageId: sent.id, error: expect.stringMatching(/^the message is \d+ bytes/) },
    ]);
    expect(terminal).toContain(`To: ${to}`);
  });
});
