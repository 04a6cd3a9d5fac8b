// The Chromium the browser test drives (test/browser/): CHROMIUM_PATH, or Debian's or Google's
// usual path. `npm test` runs this first (pretest) with --install: when none is found on a Debian
// machine where it runs as root (CI), it installs Debian's chromium package; elsewhere it says
// how to get one. Browsers are never downloaded by npm here.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
];

/** The browser to drive, or null when there is none. */
export function chromiumPath(): string | null {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

function install(): void {
  const root = process.getuid?.() === 0;
  if (!root || !existsSync("/usr/bin/apt-get")) {
    console.warn(
      "Chromium not found: the browser test will fail. Install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.",
    );
    return;
  }
  console.log("Chromium not found: installing Debian's chromium package for the browser test (apt-get)...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
}

if (process.argv[1]?.endsWith("browser.ts") && process.argv.includes("--install") && chromiumPath() === null) {
  install();
}
