// The digests' pages in a real Chromium (Debian's, driven by playwright-core) against the real
// `npm run dev` with its sample articles: on a phone, light and dark, a web edition is a page of
// the site (its header, a sign-up form, the links to the editions around it) and neither it nor
// the archive is wider than the screen.

import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath } from "../../scripts/browser.js";
import { type DevServer, startDevServer } from "../scripts/dev-server.js";

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error("no Chromium: install Debian's chromium package (npm test does as root) or set CHROMIUM_PATH");
  }
  server = await startDevServer({
    ADMIN_TOKEN: "digests-test-admin-token-0123456789",
    SIGNING_SECRET: "digests-test-signing-secret-0123456789abcdef",
    MAILER: "log",
  });
  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
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
