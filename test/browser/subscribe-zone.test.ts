// The /subscribe page's time zone in a real Chromium (Debian's, driven by playwright-core) against
// the real `npm run dev`: public/zone.js selects the browser's zone in the grouped list, by the
// option's canonical value or by one of its old spellings (Chromium's ICU may name Kolkata
// "Asia/Calcutta"); without script the site's zone stays selected; the form fits a phone.

import { type Browser, type BrowserContextOptions, chromium } from "playwright-core";
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
    ADMIN_TOKEN: "zone-test-admin-token-0123456789",
    SIGNING_SECRET: "zone-test-signing-secret-0123456789abcdef",
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

async function subscribePage(options: BrowserContextOptions) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const refused: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") refused.push(m.text());
  });
  await page.goto(`${server.origin}/subscribe`, { waitUntil: "load" });
  return { context, page, refused };
}

describe("the /subscribe page's time zone in Chromium", () => {
  it.each([
    ["Asia/Kolkata", "Asia/Kolkata"],
    ["Asia/Calcutta", "Asia/Kolkata"],
    ["Europe/Kyiv", "Europe/Kyiv"],
    ["America/Sao_Paulo", "America/Sao_Paulo"],
    ["UTC", "UTC"],
  ])("selects the browser's zone %s as %s, under the page's own policy", async (timezoneId, selected) => {
    const { context, page, refused } = await subscribePage({ timezoneId });
    expect(await page.inputValue("select[name=time_zone]")).toBe(selected);
    expect(refused).toEqual([]);
    await context.close();
  });

  it("without script, keeps the site's zone selected", async () => {
    const { context, page } = await subscribePage({ timezoneId: "America/Sao_Paulo", javaScriptEnabled: false });
    expect(await page.inputValue("select[name=time_zone]")).toBe("Asia/Almaty");
    await context.close();
  });

  it("fits a phone, 375 wide, in light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const { context, page } = await subscribePage({ viewport: { width: 375, height: 667 }, colorScheme });
      const zone = await page.locator("select[name=time_zone]").boundingBox();
      expect(zone).not.toBeNull();
      expect((zone?.x ?? 0) + (zone?.width ?? 0)).toBeLessThanOrEqual(375);
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
      await context.close();
    }
  });
});
