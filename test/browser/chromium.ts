// Debian's Chromium for the browser tests, found by scripts/browser.ts (which `npm test` runs to
// install it when missing), launched headless as the guide asks: no sandbox, no network of its own.

import { type Browser, chromium } from "playwright-core";
import { chromiumPath } from "../../scripts/browser.js";

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error("no Chromium: install Debian's chromium package (npm test does as root) or set CHROMIUM_PATH");
  }
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
}
