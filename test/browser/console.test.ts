// The publisher's console in a real Chromium (Debian's, driven by playwright-core; scripts/browser.ts
// finds or installs it) against the real `npm run dev`, mailing through SMTP to a local test
// server: a reader signs up and confirms from the email; the publisher signs in, sees them on the
// dashboard at 1280 and 375 px, previews an edition on the phone and sends a test to the SMTP
// server, retries the sample edition's dead send, writes and schedules an article, finds the reader
// and unsubscribes them, imports a Mailchimp export, and signs out. What only a browser shows is checked here: the cookie's
// flags as stored, the redirects followed, the page's width on a phone.

import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { simpleParser } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../scripts/dev-server.js";
import { launchChromium } from "./chromium.js";

const ADMIN_TOKEN = "browser-test-admin-token-0123456789";
const READER = "browser-reader@example.com";

interface Mail {
  to: string;
  subject: string;
  text: string;
}

const inbox: Mail[] = [];
let smtp: SMTPServer;
let server: DevServer;
let browser: Browser;

/** A plain SMTP server on loopback that keeps every message it is given. */
async function startSmtp(): Promise<number> {
  smtp = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          for (const rcpt of session.envelope.rcptTo) {
            inbox.push({ to: rcpt.address, subject: parsed.subject ?? "", text: parsed.text ?? "" });
          }
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((done) => smtp.listen(0, "127.0.0.1", done));
  return (smtp.server.address() as AddressInfo).port;
}

/** The first message for `to` whose subject matches, waiting for the queue consumer to send it. */
async function mailFor(to: string, subject: RegExp): Promise<Mail> {
  for (let i = 0; i < 300; i++) {
    const found = inbox.find((m) => m.to === to && subject.test(m.subject));
    if (found) return found;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no message for ${to} matching ${subject}; got ${JSON.stringify(inbox.map((m) => m.subject))}`);
}

beforeAll(async () => {
  const smtpPort = await startSmtp();
  server = await startDevServer({
    ADMIN_TOKEN,
    SIGNING_SECRET: "browser-test-signing-secret-0123456789abcdef",
    MAILER: "smtp",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtpPort),
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((done) => (smtp ? smtp.close(() => done()) : done()));
});

/** No page wider than the screen: nothing to scroll sideways but the tables meant to. */
const pageWidth = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth");

describe("the console in Chromium", () => {
  it("a reader signs up and confirms; the publisher signs in, sees them, and signs out", async () => {
    const origin = server.origin;
    const reader = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const readerPage = await reader.newPage();
    await readerPage.goto(`${origin}/subscribe`);
    await readerPage.fill("main input[type=email]", READER);
    await readerPage.click("main form[method=post] button[type=submit]");
    await readerPage.waitForLoadState("load");
    const confirmation = await mailFor(READER, /confirm/i);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/subscribe\/confirm\?token=[\w.-]+)/.exec(confirmation.text)?.[1];
    expect(link).toBeDefined();
    await readerPage.goto(link ?? "");
    await readerPage.click("main form[method=post] button[type=submit]");
    await readerPage.waitForLoadState("load");
    await reader.close();

    const publisher = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await publisher.newPage();
    await page.goto(`${origin}/admin`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await page.fill("#token", "not-the-token-0123456789");
    await page.click("main form button[type=submit]");
    expect(await page.textContent("#token-error")).toBe("That is not the admin token.");
    await page.fill("#token", ADMIN_TOKEN);
    await page.click("main form button[type=submit]");
    await page.waitForURL(`${origin}/admin`);
    expect(await page.textContent("h1")).toBe("Dashboard");
    // The reader beside the sample readers and editions `npm run dev` wrote (scripts/sample-readers.ts).
    expect(await page.textContent('tr[data-status="active"] td[data-frequency="daily"]')).toBe("7");
    expect(await page.textContent('tr[data-edition="daily/2022-04-28"] td[data-status="dead"]')).toBe("1");
    // Retrying the sample's dead send mails it through the queue consumer `npm run dev` runs.
    await page.click('tr[data-edition="daily/2022-04-28"] button:has-text("Retry dead")');
    await page.waitForLoadState("load");
    const retried = await mailFor("ivan.orlov@example.org", /./);
    expect(retried.text).toContain("/articles/");

    const [cookie] = (await publisher.cookies()).filter((c) => c.name === "console_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin", secure: false });
    const hours = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);

    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);

    // Previews the edition of 11 January 2022 (the sample articles) on the phone, and sends a test.
    await page.click("nav >> text=Editions");
    await page.fill("#date", "2022-01-11");
    await page.click('button:has-text("Preview")');
    await page.waitForSelector("iframe");
    expect(await page.locator("iframe").count()).toBeGreaterThanOrEqual(3);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await page.fill("#address", "publisher@example.com");
    await page.click('button:has-text("Send a test")');
    await page.waitForLoadState("load");
    const test = await mailFor("publisher@example.com", /^\[Test\] /);
    expect(test.text).toContain("/articles/");

    // Writes an article and schedules it for next year: listed as scheduled, not yet on the site.
    await page.goto(`${origin}/admin/articles/new`);
    await page.fill("#article-title", "Browser test: the ice road opens");
    await page.fill("#article-slug", "browser-ice-road");
    await page.fill("#article-date", `${new Date().getUTCFullYear() + 1}-01-15T09:00`);
    await page.fill("#article-authors", "Dana Kim");
    await page.fill("#article-tags", "Transit");
    await page.fill("#article-body", "The ice road across the lake opens for light vehicles.");
    await page.click('button[value="schedule"]');
    await page.goto(`${origin}/admin/articles?status=scheduled`);
    expect(await page.textContent("main")).toContain("Browser test: the ice road opens");
    const home = await (await fetch(`${origin}/`)).text();
    expect(home).not.toContain("the ice road opens");

    // Finds the reader by the start of their address, in capitals, and unsubscribes them.
    await page.click("nav >> text=Subscribers");
    await page.fill("#q", "BROWSER-READ");
    await page.click("main form button[type=submit]");
    await page.click(`a:has-text("${READER}")`);
    await page.click('button:has-text("Unsubscribe")');
    expect(await page.textContent("p.notice")).toMatch(/unsubscribed/i);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    // Imports a Mailchimp export from the subscribers page, on the phone.
    await page.click("nav >> text=Subscribers");
    await page.click("text=Import a list");
    await page.setInputFiles("#file", resolve(import.meta.dirname, "../fixtures/import/mailchimp-subscribed.csv"));
    await page.check('input[name=mode][value="confirmed"]');
    await page.click('main form button:has-text("Import")');
    await page.waitForLoadState("load");
    expect(await page.textContent('tr[data-count="added"] td')).toBe("2");
    expect(await page.textContent("main")).toContain("Mailchimp (subscribed export)");
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await page.click("nav >> text=Dashboard");
    expect(await page.textContent('tr[data-status="unsubscribed"] td[data-frequency="daily"]')).toBe("2");
    expect(await page.textContent('tr[data-status="active"] td[data-frequency="daily"]')).toBe("8");

    await page.click("text=Sign out");
    await page.waitForURL(`${origin}/admin/login`);
    expect((await publisher.cookies()).filter((c) => c.name === "console_session")).toEqual([]);
    await page.goto(`${origin}/admin`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await publisher.close();
  });
});
