// Scheduled delivery at scale: one daily edition to 5 000 confirmed subscribers in 20 tag groups,
// all due in the same zone and hour, through the real cron handler, the real queues (Miniflare)
// and the queue consumer, once into the local SMTP server and once into the local Resend server
// (test/global-setup.ts). Reported per mailer: messages per second from the cron call to the last
// row sent, provider requests, renders per edition, D1 statements per message (counted by
// bench/delivery-entry.ts around the Worker's D1 binding) and workerd's peak resident memory.
// Baseline for Resend: the same 50 batch requests of 100 posted by a plain Node loop straight to
// the local server, i.e. the most that server allows.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Miniflare } from "miniflare";
import type { TestProject } from "vitest/node";
import { experimental_readRawConfig } from "wrangler";
import setupMail, { type MailServers, RESEND_API_KEY, SMTP_PASS, SMTP_USER } from "../test/global-setup.js";
import { ADMIN_TOKEN, bundle, COMPATIBILITY, migrate, start, VARS, workerOptions } from "./http.js";
import { report } from "./lib.js";

const SUBSCRIBERS = 5000;
const GROUPS = 20;
const ARTICLES_PER_GROUP = 2;
const EDITION = "daily/2022-02-01";
// 07:00 in Tokyo on 2 February: the publisher's (Asia/Almaty) 1 February is the newest complete day.
const CRON_AT = "2022-02-01T22:00:00Z";
const TIMEOUT_MS = 600_000;
const POLL_MS = 50;

interface Run {
  mailer: "smtp" | "resend";
  /** From the cron call to the last row sent. */
  seconds: number;
  /** From the cron call to the first ledger row written, and to the first row sent. */
  ledgerSeconds: number;
  firstSentSeconds: number;
  sent: number;
  renders: number;
  statements: number;
  /** How much the database grew per ledger row (with the edition's renders). */
  bytesPerDelivery: number;
  requests: { single: number; batch: number } | null;
  peakMb: number | null;
  errors: number;
}

const { rawConfig } = experimental_readRawConfig({ config: "wrangler.toml" });

/** wrangler.toml's queues, as Miniflare takes them. */
function queues(): { queueProducers: Record<string, string>; queueConsumers: Record<string, object> } {
  const producers: { binding: string; queue: string }[] = rawConfig.queues?.producers ?? [];
  const consumers: {
    queue: string;
    max_batch_size?: number;
    max_batch_timeout?: number;
    max_retries?: number;
    dead_letter_queue?: string;
  }[] = rawConfig.queues?.consumers ?? [];
  return {
    queueProducers: Object.fromEntries(producers.map((p) => [p.binding, p.queue])),
    queueConsumers: Object.fromEntries(
      consumers.map((c) => [
        c.queue,
        {
          ...(c.max_batch_size === undefined ? {} : { maxBatchSize: c.max_batch_size }),
          ...(c.max_batch_timeout === undefined ? {} : { maxBatchTimeout: c.max_batch_timeout }),
          ...(c.max_retries === undefined ? {} : { maxRetries: c.max_retries }),
          ...(c.dead_letter_queue === undefined ? {} : { deadLetterQueue: c.dead_letter_queue }),
        },
      ]),
    ),
  };
}

const tag = (i: number) => `t${String(i).padStart(2, "0")}`;

/** Two articles per tag on the edition's day, through the admin API. */
async function publish(base: URL): Promise<void> {
  const paragraph =
    "The regional council met on Tuesday to discuss the budget for road repairs, tram lines and the new bus depot; members asked for a public hearing before the vote.";
  for (let g = 1; g <= GROUPS; g++) {
    for (let a = 1; a <= ARTICLES_PER_GROUP; a++) {
      const response = await fetch(new URL("/api/articles", base), {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          title: `Story ${a} about ${tag(g)}`,
          slug: `story-${a}-${tag(g)}`,
          date: `2022-02-01T${String(8 + a).padStart(2, "0")}:00:00+06:00`,
          authors: ["Dana Kim"],
          tags: [tag(g)],
          markdown: `${paragraph}\n\n${paragraph}\n\n${paragraph}`,
        }),
      });
      if (response.status !== 201) throw new Error(`POST /api/articles: ${response.status} ${await response.text()}`);
    }
  }
}

/** 5 000 active daily subscribers in Tokyo at 07:00, each following one of the 20 tags. */
async function seedSubscribers(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB");
  await db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO subscribers (email, status, frequency, tags_json, time_zone, send_hour,
         requested_at, confirmed_at, source, updated_at)
       SELECT 'reader' || i || '@bench.example.com', 'active', 'daily',
         '["t' || printf('%02d', (i % ?2) + 1) || '"]', 'Asia/Tokyo', 7, 0, 0, '/subscribe', 0
       FROM n`,
    )
    .bind(SUBSCRIBERS, GROUPS)
    .run();
}

/** The peak resident set (VmHWM) of this process's workerd children, in MB; null if none found. */
function workerdPeakMb(): number | null {
  let peak: number | null = null;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${entry}/status`, "utf8");
    } catch {
      continue;
    }
    if (!/^Name:\s*workerd$/m.test(status) || !new RegExp(`^PPid:\\s*${process.pid}$`, "m").test(status)) continue;
    const kb = Number(/^VmHWM:\s*(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
    if (Number.isFinite(kb)) peak = Math.max(peak ?? 0, kb / 1024);
  }
  return peak;
}

async function providerRequests(mail: MailServers): Promise<{ single: number; batch: number }> {
  const response = await fetch(`${mail.httpBase}/control/requests?provider=resend`);
  return (await response.json()) as { single: number; batch: number };
}

async function deliver(mailer: Run["mailer"], script: string, dir: string, mail: MailServers): Promise<Run> {
  let errors = 0;
  const { mf, url } = await start({
    ...workerOptions(script, dir),
    ...queues(),
    d1Databases: ["DB"],
    bindings: {
      ...VARS,
      SIGNING_SECRET: "bench-signing-secret-0123456789-abcdefghijklmnop",
      MAILER: mailer,
      MAIL_RATE: "100000",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(mail.smtpPort),
      SMTP_USER,
      SMTP_PASS,
      RESEND_API_KEY,
      EMAIL_API_BASE: `${mail.httpBase}/resend`,
    },
    // The Worker logs a line per queue message; only errors are worth counting here.
    handleRuntimeStdio(stdout, stderr) {
      stdout.resume();
      stderr.on("data", (chunk: Buffer) => {
        errors += chunk.toString("utf8").split("delivery.error").length - 1;
      });
    },
  });
  try {
    await migrate(mf);
    await publish(url);
    await seedSubscribers(mf);
    const db = await mf.getD1Database("DB");
    const before = mailer === "resend" ? await providerRequests(mail) : null;
    const sizeBefore = (await db.prepare("SELECT 1").run()).meta.size_after;
    // Miniflare's Fetcher runs the handler as the runtime would; the project's Fetcher type omits it.
    const worker = (await mf.getWorker()) as unknown as {
      scheduled(options: { scheduledTime: Date; cron: string }): Promise<{ outcome: string }>;
    };
    const begin = Date.now();
    const outcome = await worker.scheduled({ scheduledTime: new Date(CRON_AT), cron: "0 * * * *" });
    if (outcome.outcome !== "ok") throw new Error(`scheduled(): ${outcome.outcome}`);
    let sent = 0;
    for (;;) {
      sent = (await db.prepare("SELECT count(*) AS n FROM deliveries WHERE status = 'sent'").first<number>("n")) ?? 0;
      if (sent >= SUBSCRIBERS) break;
      const stuck =
        (await db
          .prepare("SELECT count(*) AS n FROM deliveries WHERE status IN ('failed', 'dead')")
          .first<number>("n")) ?? 0;
      if (stuck > 0) throw new Error(`${mailer}: ${stuck} rows failed or dead (${sent} sent)`);
      if (errors > 0) throw new Error(`${mailer}: the queue consumer logged ${errors} errors (${sent} sent)`);
      if (Date.now() - begin > TIMEOUT_MS)
        throw new Error(`${mailer}: ${sent} of ${SUBSCRIBERS} sent after ${TIMEOUT_MS} ms`);
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
    // The Worker stamps each row when it settles it: the last stamp is when the last mail was out.
    const times = await db
      .prepare("SELECT min(created_at) AS ledger, min(sent_at) AS first, max(sent_at) AS last FROM deliveries")
      .first<{ ledger: number; first: number; last: number }>();
    if (!times) throw new Error(`${mailer}: no delivery rows`);
    const renders =
      (await db
        .prepare("SELECT count(*) AS n FROM edition_renders WHERE edition = ?1")
        .bind(EDITION)
        .first<number>("n")) ?? 0;
    const sizeAfter = (await db.prepare("SELECT 1").run()).meta.size_after;
    const counter = await fetch(new URL("/__bench/d1", url));
    const { statements } = (await counter.json()) as { statements: number };
    const after = mailer === "resend" ? await providerRequests(mail) : null;
    return {
      mailer,
      seconds: (times.last - begin) / 1000,
      ledgerSeconds: (times.ledger - begin) / 1000,
      firstSentSeconds: (times.first - begin) / 1000,
      sent,
      renders,
      statements,
      bytesPerDelivery: (sizeAfter - sizeBefore) / sent,
      requests: before && after ? { single: after.single - before.single, batch: after.batch - before.batch } : null,
      peakMb: workerdPeakMb(),
      errors,
    };
  } finally {
    await mf.dispose();
  }
}

/** The same 5 000 emails (one real digest as the model) as 50 batch requests of 100, one after another. */
async function directBatches(mail: MailServers): Promise<{ seconds: number; requests: number }> {
  const response = await fetch(`${mail.httpBase}/control/messages?to=reader1@bench.example.com`);
  const [model] = ((await response.json()) as { via: string; request?: { body: Record<string, unknown> } }[]).filter(
    (m) => m.via === "resend",
  );
  if (!model?.request) throw new Error("no Resend digest to copy for the baseline");
  const body = model.request.body;
  const begin = performance.now();
  let requests = 0;
  for (let start = 0; start < SUBSCRIBERS; start += 100) {
    const emails = Array.from({ length: 100 }, (_, i) => ({ ...body, to: `direct${start + i}@bench.example.com` }));
    const answer = await fetch(`${mail.httpBase}/resend/emails/batch`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${RESEND_API_KEY}`,
        "content-type": "application/json",
        "idempotency-key": `direct/${start}`,
      },
      body: JSON.stringify(emails),
    });
    if (answer.status !== 200) throw new Error(`direct batch: ${answer.status} ${await answer.text()}`);
    await answer.arrayBuffer();
    requests++;
  }
  return { seconds: (performance.now() - begin) / 1000, requests };
}

export async function run(): Promise<void> {
  let mail: MailServers | undefined;
  const project = {
    provide: (key: string, value: MailServers) => {
      if (key === "mail") mail = value;
    },
  };
  const teardown = await setupMail(project as unknown as TestProject);
  const dir = mkdtempSync(join(tmpdir(), "bench-delivery-"));
  try {
    if (!mail) throw new Error("the mail servers did not start");
    const config = join(dir, "wrangler.toml");
    writeFileSync(
      config,
      `name = "bench-delivery"\nmain = ${JSON.stringify(resolve("bench/delivery-entry.ts"))}\ncompatibility_date = "${COMPATIBILITY.compatibilityDate}"\ncompatibility_flags = ${JSON.stringify(COMPATIBILITY.compatibilityFlags)}\n`,
    );
    const out = join(dir, "out");
    bundle(config, out);
    // wrangler names the bundle after the entry module.
    const script = join(out, "delivery-entry.js");
    const runs: Run[] = [];
    for (const mailer of ["smtp", "resend"] as const) {
      const r = await deliver(mailer, script, out, mail);
      runs.push(r);
      const rate = r.sent / r.seconds;
      const requests = r.requests ? `; Resend requests: ${r.requests.batch} batch, ${r.requests.single} single` : "";
      console.log(
        `${r.mailer.padEnd(6)} ${r.sent} digests in ${r.seconds.toFixed(2)} s from the cron call: ${rate.toFixed(0)} msgs/s${requests}`,
      );
      console.log(
        `       first ledger row after ${r.ledgerSeconds.toFixed(2)} s, first digest sent after ${r.firstSentSeconds.toFixed(2)} s`,
      );
      console.log(
        `       renders for ${EDITION}: ${r.renders} (want ${GROUPS}); D1 statements: ${r.statements}, ${(r.statements / r.sent).toFixed(3)} per message; D1 grew ${r.bytesPerDelivery.toFixed(0)} bytes per delivery; workerd peak RSS (VmHWM): ${r.peakMb === null ? "workerd process not found" : `${r.peakMb.toFixed(0)} MB`}; consumer errors logged: ${r.errors}`,
      );
    }
    const resend = runs.find((r) => r.mailer === "resend");
    if (resend) {
      const direct = await directBatches(mail);
      report([
        {
          name: "Resend: digests/s vs 50 batch posts of 100 from Node",
          a: resend.sent / resend.seconds,
          b: SUBSCRIBERS / direct.seconds,
          unit: "msg/s",
          better: "higher",
        },
      ]);
    }
  } finally {
    await teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
