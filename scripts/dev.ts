// `npm run dev [-- <wrangler dev flags>]`: starts .dev.vars from .dev.vars.example when there is
// none and gives it a random SIGNING_SECRET when it has none, applies D1 migrations locally, syncs
// content/ into the local D1, writes the sample readers (scripts/sample-readers.ts) into a local
// audience that has never had anyone (`--no-samples` leaves them out), then starts
// `wrangler dev --test-scheduled` with the other flags given, so
// `curl "http://127.0.0.1:8787/__scheduled?cron=0+*+*+*+*"` runs the hourly delivery. Safe to
// run again (idempotent).
//
// SITE_URL follows the local address (http://127.0.0.1:<port>) so that links and the absolute
// URLs stored with each article work in the browser; `--var SITE_URL:<url>` overrides it.

import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { ensureDevVars, ensureSigningSecret } from "./dev-vars.js";
import { openLocalD1 } from "./local-d1.js";
import { seedSampleReaders } from "./sample-readers.js";
import { run, wrangler } from "./wrangler.js";

const samples = !process.argv.includes("--no-samples");
const args = process.argv.slice(2).filter((arg) => arg !== "--no-samples");

function flag(name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === name) return args[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

function siteUrlVar(): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === "--var" ? args[i + 1] : args[i]?.startsWith("--var=") ? args[i]?.slice(6) : undefined;
    if (value?.startsWith("SITE_URL:")) return value.slice("SITE_URL:".length);
  }
  return undefined;
}

const port = flag("--port") ?? "8787";
const persistTo = flag("--persist-to");
const siteUrl = siteUrlVar() ?? `http://127.0.0.1:${port}`;
const persist = persistTo ? ["--persist-to", persistTo] : [];

async function sampleReaders(): Promise<number> {
  if (!samples) return 0;
  const d1 = await openLocalD1(resolve("wrangler.toml"), resolve(persistTo ?? ".wrangler/state"));
  try {
    const result = await seedSampleReaders(d1.db, { ...d1.env, SITE_URL: siteUrl }, Date.now());
    if (result) {
      console.log(
        `npm run dev: wrote ${result.subscribers} sample readers at example domains and ${result.editions.length} sent editions (${result.editions.join(", ")}) for the console; erase them there, or start with --no-samples.`,
      );
    }
    return 0;
  } catch (error) {
    console.error(`npm run dev: sample readers: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await d1.dispose();
  }
}

const steps: [string, () => Promise<number>][] = [
  ["D1 migrations", () => wrangler(["d1", "migrations", "apply", "DB", "--local", ...persist])],
  [
    "content sync",
    () => {
      const tsx = join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "cli.mjs");
      return run(tsx, ["scripts/content-sync.ts", "--site-url", siteUrl, ...persist]);
    },
  ],
  ["sample readers", sampleReaders],
];

const varsNote = await ensureDevVars(process.cwd());
if (varsNote) console.log(`npm run dev: ${varsNote}`);
const secretNote = await ensureSigningSecret(process.cwd());
if (secretNote) console.log(`npm run dev: ${secretNote}`);

for (const [name, step] of steps) {
  const code = await step();
  if (code !== 0) {
    console.error(`npm run dev: ${name} failed (exit code ${code}); not starting the server.`);
    process.exit(code);
  }
}

const devArgs = [
  ...(args.includes("--test-scheduled") ? [] : ["--test-scheduled"]),
  ...(siteUrlVar() ? args : [...args, "--var", `SITE_URL:${siteUrl}`]),
];
process.exit(await wrangler(["dev", ...devArgs], true));
