// Imports through the real Worker, D1, queue and local SMTP server. Mode "confirmed": no email at
// all, and the next digest at the reader's hour. Mode "confirm": the records go in pending with no
// email; the hourly run queues the confirmations they are owed, once; the queue consumer sends them;
// the link in the email makes the reader active with the file's tags and the original opt-in time.

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { addressKey } from "../../../src/core/subscription.js";
import worker from "../../../src/worker/index.js";
import { runSchedule } from "../../../src/worker/jobs/schedule.js";
import { Services } from "../../../src/worker/services.js";
import { admin, eventually, fetchWith, fixture, SITE } from "../../worker/helpers.js";
import { address, mailbox, mailVars } from "../../worker/mailbox.js";

// One env, so the Worker keeps one Services; the consumer sends with MAILER=smtp (vitest.config.ts).
const smtpEnv = mailVars("smtp");
const OPTED_IN = Date.UTC(2020, 8, 1, 9, 0, 0);

const fetchWorker = (path: string, init: RequestInit = {}) => fetchWith(smtpEnv, path, init);

/** Runs the Cron Trigger's handler as the runtime would at `iso`. */
async function cron(iso: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ scheduledTime: Date.parse(iso), cron: "0 * * * *" }),
    smtpEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

describe("an import of readers who opted in elsewhere", () => {
  it("sends them no email, and the next digest at their hour", async () => {
    const s = new Services(smtpEnv);
    expect(
      (
        await admin(
          "POST",
          "/api/articles",
          fixture({ title: "Ferry timetable changes", date: "2022-03-01T09:00:00+06:00" }),
        )
      ).status,
    ).toBe(201);
    const reader = address("import-confirmed");
    const result = await s.imports.apply(
      [
        {
          address: reader,
          key: addressKey(reader),
          tagSlugs: [],
          optedInAt: OPTED_IN,
          outcome: { action: "subscribe" },
        },
      ],
      {
        mode: "confirmed",
        service: "Mailchimp",
        file: "subscribed.csv",
        preferences: { frequency: "daily", timeZone: "Asia/Tokyo", sendHour: 7 },
        replaceTags: false,
      },
    );
    expect(result.added).toBe(1);
    // An hour that is nobody's send hour runs the queue's sweeps: still nothing for the reader.
    await cron("2022-03-01T12:00:00Z");
    expect(await mailbox.messages(reader)).toEqual([]);
    // 07:00 in Tokyo on 2 March: the publisher's (Almaty) 1 March is the newest complete day.
    await cron("2022-03-01T22:00:00Z");
    const [digest] = await eventually(async () => {
      const all = await mailbox.messages(reader);
      expect(all).toHaveLength(1);
      return all;
    });
    expect(digest?.subject).toBe("Ferry timetable changes");
    expect(digest?.text).toContain("Ferry timetable changes");
  });
});

describe("an import that asks each reader to confirm", () => {
  it("sends each new reader one confirmation from the hourly run, and the link makes them active", async () => {
    const s = new Services(smtpEnv);
    const ann = address("import-ann");
    const bob = address("import-bob");
    const entry = (email: string, tagSlugs: string[]) => ({
      address: email,
      key: addressKey(email),
      tagSlugs,
      optedInAt: OPTED_IN,
      outcome: { action: "subscribe" as const },
    });
    const result = await s.imports.apply([entry(ann, ["transit"]), entry(bob, [])], {
      mode: "confirm",
      service: "Buttondown",
      file: "export.csv",
      preferences: { frequency: "weekly", timeZone: "Europe/Berlin", sendHour: 8 },
      replaceTags: false,
    });
    expect(result.added).toBe(2);
    expect(await mailbox.messages(ann)).toEqual([]);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "0 * * * *" }), smtpEnv, ctx);
    await waitOnExecutionContext(ctx);
    const [mail] = await eventually(async () => {
      const all = await mailbox.messages(ann);
      expect(all).toHaveLength(1);
      return all;
    });
    expect(mail?.subject).toMatch(/^Confirm your subscription/);
    await eventually(async () => expect(await mailbox.messages(bob)).toHaveLength(1));
    // Owed once: the next run queues nothing more.
    expect((await runSchedule(s, Date.now())).confirmations).toBe(0);

    const link = DomUtils.getElementsByTagName("a", parseDocument(mail?.html ?? "").children, true)
      .map((a) => a.attribs.href ?? "")
      .find((href) => href.startsWith(`${SITE}/subscribe/confirm`));
    const page = await (await fetchWorker(link ?? "")).text();
    const action = DomUtils.getElementsByTagName("form", parseDocument(page).children, true)
      .map((f) => f.attribs.action ?? "")
      .find((a) => a.includes("/subscribe/confirm"));
    expect((await fetchWorker(action ?? "", { method: "POST" })).status).toBe(200);
    const confirmed = await s.subscribers.findByEmail(ann);
    expect(confirmed).toMatchObject({
      status: "active",
      preferences: { frequency: "weekly", tags: ["transit"], timeZone: "Europe/Berlin", sendHour: 8 },
      requestedAt: OPTED_IN,
      source: "import: Buttondown",
    });
  });
});
