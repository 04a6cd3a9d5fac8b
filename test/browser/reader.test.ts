// The reader's side in a real Chromium (Debian's, driven by playwright-core; scripts/browser.ts
// finds or installs it) against the real `npm run dev` with its sample articles: on a phone the
// home page's sign-up form is within the first screen, and public/zone.js gives the form the
// browser's time zone (without script the field stays empty: the site's zone), on /subscribe by
// selecting it in the grouped list, by the option's value or one of its old spellings; a digest's
// web edition is a page of the site (its header, a sign-up form, the editions around it) and
// neither it nor the archive is wider than a phone. What only a browser shows is checked here:
// the layout's boxes and the script run under the page's policy.

import type { Browser, BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../scripts/dev-server.js";
import { launchChromium } from "./chromium.js";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer({
    ADMIN_TOKEN: "reader-test-admin-token-0123456789",
    SIGNING_SECRET: "reader-test-signing-secret-0123456789abcdef",
    MAILER: "log",
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page in a fresh context, loaded with its deferred script run. */
async function open(path: string, options: BrowserContextOptions) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const refused: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") refused.push(m.text());
  });
  await page.goto(`${server.origin}${path}`, { waitUntil: "load" });
  return { context, page, refused };
}

const home = (options: BrowserContextOptions) => open("/", options);

describe("the home page's sign-up form in Chromium", () => {
  it("is within the first screen of a phone, 375 by 667, in light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { context, page } = await home({ viewport: { width: 375, height: 667 }, colorScheme });
      const email = await page.locator("main section.signup input[type=email]").boundingBox();
      const button = await page.locator("main section.signup button[type=submit]").boundingBox();
      expect(email).not.toBeNull();
      expect(button).not.toBeNull();
      expect((email?.y ?? 0) + (email?.height ?? 0)).toBeLessThanOrEqual(667);
      expect((button?.y ?? 0) + (button?.height ?? 0)).toBeLessThanOrEqual(667);
      // Stacked on a phone: the button under the field, as wide as it.
      expect(button?.y ?? 0).toBeGreaterThan((email?.y ?? 0) + (email?.height ?? 0) - 1);
      // Nothing wider than the screen.
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
      await context.close();
    }
  });

  it("puts the field and the button on one row on a wide screen", async () => {
    const { context, page } = await home({ viewport: { width: 1280, height: 800 } });
    const email = await page.locator("main section.signup input[type=email]").boundingBox();
    const button = await page.locator("main section.signup button[type=submit]").boundingBox();
    expect(Math.abs((email?.y ?? 0) - (button?.y ?? 100))).toBeLessThan(8);
    expect((button?.y ?? 0) + (button?.height ?? 0)).toBeLessThanOrEqual(800);
    await context.close();
  });

  it("takes the browser's time zone, by the site's own script under its policy", async () => {
    const { context, page, refused } = await home({
      viewport: { width: 375, height: 667 },
      timezoneId: "America/Sao_Paulo",
    });
    expect(await page.inputValue("main section.signup input[name=browser_zone]")).toBe("America/Sao_Paulo");
    // The policy let the script run and refused nothing.
    expect(refused).toEqual([]);
    await context.close();
  });

  it("without script, leaves the zone empty: the site's zone", async () => {
    const { context, page } = await home({ timezoneId: "America/Sao_Paulo", javaScriptEnabled: false });
    expect(await page.inputValue("main section.signup input[name=browser_zone]")).toBe("");
    await context.close();
  });
});

describe("the /subscribe page's time zone in Chromium", () => {
  // Chromium's ICU may name Kolkata "Asia/Calcutta": the option lists it in data-aliases.
  it.each([
    ["Asia/Kolkata", "Asia/Kolkata"],
    ["Asia/Calcutta", "Asia/Kolkata"],
    ["Europe/Kyiv", "Europe/Kyiv"],
    ["America/Sao_Paulo", "America/Sao_Paulo"],
    ["UTC", "UTC"],
  ])("selects the browser's zone %s as %s, under the page's own policy", async (timezoneId, selected) => {
    const { context, page, refused } = await open("/subscribe", { timezoneId });
    expect(await page.inputValue("select[name=time_zone]")).toBe(selected);
    expect(refused).toEqual([]);
    await context.close();
  });

  it("without script, keeps the site's zone selected", async () => {
    const { context, page } = await open("/subscribe", { timezoneId: "America/Sao_Paulo", javaScriptEnabled: false });
    expect(await page.inputValue("select[name=time_zone]")).toBe("Asia/Almaty");
    await context.close();
  });

  it("fits a phone, 375 wide, in light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { context, page } = await open("/subscribe", { viewport: { width: 375, height: 667 }, colorScheme });
      const zone = await page.locator("select[name=time_zone]").boundingBox();
      expect(zone).not.toBeNull();
      expect((zone?.x ?? 0) + (zone?.width ?? 0)).toBeLessThanOrEqual(375);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
      await context.close();
    }
  });
});

describe("a digest's web edition in Chromium", () => {
  it("has the site's header, a sign-up form and the editions around it on a phone, light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport: { width: 375, height: 667 }, colorScheme });
      const page = await context.newPage();
      // 19 January 2022 in the sample articles: editions before and after it.
      await page.goto(`${server.origin}/digests/daily/2022-01-19`, { waitUntil: "load" });
      expect(await page.isVisible("header.site a.brand")).toBe(true);
      expect(await page.isVisible("header.site nav")).toBe(true);
      expect(await page.textContent("main h1")).toMatch(/^Daily digest, Wednesday, January 19, 2022$/);
      const form = page.locator("main form[action='/subscribe'][method=post]");
      expect(await form.count()).toBe(1);
      expect(await form.locator("input[type=email]").isVisible()).toBe(true);
      expect(await page.isVisible("main a[rel=prev]")).toBe(true);
      expect(await page.isVisible("main a[rel=next]")).toBe(true);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth"), colorScheme).toBeLessThanOrEqual(375);
      await page.goto(`${server.origin}/digests/2022`, { waitUntil: "load" });
      expect(await page.locator("main ul.headlines").count()).toBeGreaterThan(0);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth"), colorScheme).toBeLessThanOrEqual(375);
      await context.close();
    }
  });
});
