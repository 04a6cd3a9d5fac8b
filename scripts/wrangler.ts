// Runs the project's own wrangler (never a global one) with the network-free settings.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const wranglerPackage = createRequire(import.meta.url).resolve("wrangler/package.json");
export const WRANGLER_BIN = join(dirname(wranglerPackage), "bin", "wrangler.js");

export const OFFLINE_ENV = {
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
};

/** Runs `node <script> ...args` with inherited stdio; resolves with the exit code. */
export function run(script: string, args: string[], forwardSignals = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: "inherit",
      env: { ...process.env, ...OFFLINE_ENV },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    if (forwardSignals) {
      process.on("SIGINT", forward);
      process.on("SIGTERM", forward);
    }
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const wrangler = (args: string[], forwardSignals = false) => run(WRANGLER_BIN, args, forwardSignals);
