// Request path benchmarks against the Worker's own workerd socket (Miniflare), not wrangler
// dev's proxy: cached GET /feed.xml, and the 304 path, each vs a Worker that returns the same
// bytes from memory. Rounds alternate A B A B; requests per second, ratio of medians.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import { OFFLINE_ENV, WRANGLER_BIN } from "../scripts/wrangler.js";
import { parseSiteConfig } from "../src/core/config.js";
import { planSync } from "../src/core/content.js";
import { ArticleStore } from "../src/worker/store/articles.js";
import { ContentVersion } from "../src/worker/store/version.js";
import { report } from "./lib.js";

// The project's own [vars], served where the bench serves them.
const VARS = {
  ...(experimental_readRawConfig({ config: "wrangler.toml" }).rawConfig.vars as Record<string, string>),
  SITE_URL: "http://127.0.0.1:8787",
};
const COMPATIBILITY = { compatibilityDate: "2026-04-01", compatibilityFlags: ["nodejs_compat"] };

/** The Worker as `wrangler deploy` would bundle it. */
function bundle(dir: string): string {
  execFileSync(process.execPath, [WRANGLER_BIN, "deploy", "--dry-run", "--outdir", dir], {
    env: { ...process.env, ...OFFLINE_ENV },
    stdio: "ignore",
  });
  return join(dir, "index.js");
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
  const result = await autocannon({ url, headers, connections: 16, duration: seconds });
  if (result.errors > 0 || result["5xx"] > 0 || result["4xx"] > 0) throw new Error(`errors from ${url}`);
  return result.requests.average;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function run(seconds = 3, rounds = 3): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-http-"));
  try {
    const script = bundle(dir);
    const code = readFileSync(script);
    console.log(
      `Worker bundle: ${(code.length / 1024).toFixed(0)} KiB, ${(gzipSync(code).length / 1024).toFixed(0)} KiB gzip; mjml in it: ${/node_modules\/mjml/.test(code.toString()) ? "YES" : "no"}`,
    );
    const ours = new Miniflare({
      ...COMPATIBILITY,
      modules: true,
      scriptPath: script,
      modulesRoot: dir,
      modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
      d1Databases: ["DB"],
      bindings: VARS,
      cache: true,
    });
    const oursUrl = await ours.ready;
    const db = await ours.getD1Database("DB");
    for (const file of readdirSync("migrations").sort()) {
      const sql = readFileSync(join("migrations", file), "utf8").replace(/--.*$/gm, "");
      for (const statement of sql
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean))
        await db.prepare(statement).run();
    }
    const files = readdirSync("content")
      .filter((f) => f.endsWith(".md"))
      .map((f) => ({ path: `content/${f}`, text: readFileSync(join("content", f), "utf8") }));
    const { siteUrl } = parseSiteConfig(VARS);
    const d1 = db as unknown as D1Database;
    const store = new ArticleStore(d1, new ContentVersion(d1, Date.now, "bench"), () => siteUrl);
    const plan = await planSync(files, [], siteUrl);
    await store.sync(plan.upserts, plan.deletions);

    const feedUrl = new URL("/feed.xml", oursUrl).href;
    const first = await fetch(feedUrl);
    const body = await first.text();
    const etag = first.headers.get("etag") ?? "";
    const headers = Object.fromEntries(
      ["content-type", "etag", "last-modified", "cache-control", "access-control-allow-origin"].map((h) => [
        h,
        first.headers.get(h) ?? "",
      ]),
    );
    const baseline = new Miniflare({
      ...COMPATIBILITY,
      modules: true,
      script: `
        const BODY = ${JSON.stringify(body)};
        const HEADERS = ${JSON.stringify(headers)};
        export default {
          fetch(request) {
            if (request.headers.get("if-none-match") === HEADERS.etag) return new Response(null, { status: 304, headers: HEADERS });
            return new Response(BODY, { headers: HEADERS });
          },
        };`,
    });
    const baselineUrl = new URL("/feed.xml", await baseline.ready).href;

    const rows = [];
    for (const [name, extra] of [
      ["GET /feed.xml, cached, vs the same bytes from memory", {}],
      ["304 for If-None-Match vs the same 304 from memory", { "if-none-match": etag }],
    ] as const) {
      const a: number[] = [];
      const b: number[] = [];
      await load(feedUrl, extra, 1); // warm both
      await load(baselineUrl, extra, 1);
      for (let r = 0; r < rounds; r++) {
        a.push(await load(feedUrl, extra, seconds));
        b.push(await load(baselineUrl, extra, seconds));
      }
      rows.push({ name, a: median(a), b: median(b), unit: "req/s", better: "higher" as const });
    }
    report(rows);
    await Promise.all([ours.dispose(), baseline.dispose()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
