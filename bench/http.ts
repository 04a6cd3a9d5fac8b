// Request path benchmarks against the Worker's own workerd socket (Miniflare), not wrangler
// dev's proxy: cached GET /feed.xml, and the 304 path, each vs a Worker that returns the same
// bytes from memory. The load comes from a separate process (bench/load.ts), rounds alternate
// A B A B after a warm-up, and the ratio of medians is reported, in requests per second.
// Only the Worker bundle and HTTP are used: migrations go through Miniflare's D1, and the
// articles in content/ are written through the admin API, as a publisher could.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import { OFFLINE_ENV, WRANGLER_BIN } from "../scripts/wrangler.js";
import { median, report } from "./lib.js";
import { type LoadResult, type LoadSpec, runLoad } from "./load.js";
import { checkStartup, type Startup } from "./startup.js";

export const ADMIN_TOKEN = "bench-admin-token-0123456789";
/** Signs subscribers' links and the console's session cookie (at least 32 characters). */
export const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";
const { rawConfig } = experimental_readRawConfig({ config: "wrangler.toml" });
// The project's own [vars], served where the bench serves them.
export const VARS = {
  ...(rawConfig.vars as Record<string, string>),
  SITE_URL: "http://127.0.0.1:8787",
  ADMIN_TOKEN,
  SIGNING_SECRET,
};
export const COMPATIBILITY = {
  compatibilityDate: rawConfig.compatibility_date ?? "2026-04-01",
  compatibilityFlags: rawConfig.compatibility_flags ?? [],
};
const CONNECTIONS = 16;
const STARTUP_ROUNDS = 5;

/** Bundles a Worker as `wrangler deploy` would: an ES module for Miniflare, and the upload form for `check startup`. */
export function bundle(config: string, outdir: string): { script: string; upload: string } {
  const upload = join(outdir, "worker.bundle");
  execFileSync(
    process.execPath,
    [WRANGLER_BIN, "deploy", "--dry-run", "--config", config, "--outdir", outdir, "--outfile", upload],
    { env: { ...process.env, ...OFFLINE_ENV }, stdio: "pipe" },
  );
  return { script: join(outdir, "index.js"), upload };
}

/** Starts a Worker on its own workerd socket; also says how long `new Miniflare` took to be ready. */
export async function start(options: MiniflareOptions): Promise<{ mf: Miniflare; url: URL; readyMs: number }> {
  const begin = performance.now();
  const mf = new Miniflare(options);
  const url = await mf.ready;
  return { mf, url, readyMs: performance.now() - begin };
}

export function workerOptions(script: string, dir: string): MiniflareOptions {
  return {
    ...COMPATIBILITY,
    modules: true,
    scriptPath: script,
    modulesRoot: dir,
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
  };
}

/** A migration's statements; a trigger's body keeps its own semicolons up to its END. */
function statements(sql: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const part of sql.split(";")) {
    pending = pending ? `${pending};${part}` : part;
    const text = pending.trim();
    if (/^CREATE\s+TRIGGER\b/i.test(text) && !/\bEND$/i.test(text)) continue;
    if (text) out.push(text);
    pending = "";
  }
  return out;
}

export async function migrate(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB");
  for (const file of readdirSync("migrations").sort()) {
    const sql = readFileSync(join("migrations", file), "utf8").replace(/--.*$/gm, "");
    for (const statement of statements(sql)) await db.prepare(statement).run();
  }
}

/** Writes every article in content/ through PUT /api/articles/:slug (slug from the file name). */
async function publish(base: URL): Promise<number> {
  const files = readdirSync("content").filter((f) => f.endsWith(".md"));
  for (const file of files) {
    const slug = file.replace(/\.md$/, "").replace(/^\d{4}-\d{2}-\d{2}-/, "");
    const response = await fetch(new URL(`/api/articles/${slug}`, base), {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "text/markdown" },
      body: readFileSync(join("content", file), "utf8"),
    });
    if (response.status !== 201) throw new Error(`PUT ${slug}: ${response.status} ${await response.text()}`);
  }
  return files.length;
}

/**
 * A POST on a fresh connection (workerd may close a kept-alive one while the next request is
 * being written), answering the response's text; an upsert that broke off can be sent again
 * (`attempts`). Anything but 200 or 204 is an error.
 */
export async function post(url: URL, body: string, attempts = 1): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { status, text } = await new Promise<{ status: number; text: string }>((done, fail) => {
        const request = httpRequest(url, { method: "POST", agent: false }, (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () => done({ status: response.statusCode ?? 0, text }));
        });
        request.on("error", fail);
        request.end(body);
      });
      if (status !== 200 && status !== 204) throw new Error(`POST ${url.pathname}: ${status} ${text.slice(0, 500)}`);
      return text;
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.log(`  POST ${url.pathname} failed (${(error as Error).message}); again`);
    }
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One GET on a fresh connection, with no Accept-Encoding, as autocannon sends it (fetch would
 * ask for gzip, and reuse a keep-alive socket workerd may have closed meanwhile).
 */
function get(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => {
        const fields = Object.entries(response.headers).map(([name, value]) => [name, String(value)]);
        resolve({ status: response.statusCode ?? 0, headers: Object.fromEntries(fields), body });
      });
    }).on("error", reject);
  });
}

/**
 * Both Workers must answer the same request with the same status and body, or the comparison
 * is void. Returns the names of headers only ours sends (the baseline copies ours).
 */
async function assertSameAnswer(
  ours: string,
  baseline: string,
  headers: Record<string, string>,
  status: number,
): Promise<string[]> {
  const [a, b] = await Promise.all([get(ours, headers), get(baseline, headers)]);
  if (a.status !== status || b.status !== status || a.body !== b.body) {
    throw new Error(
      `bench/http: ${ours} and ${baseline} answer differently (${a.status} vs ${b.status}, want ${status})`,
    );
  }
  return Object.keys(a.headers).filter((name) => !(name in b.headers));
}

function printStartup(oursBundle: string, baselineBundle: string, dir: string): void {
  const ours: Startup[] = [];
  const baseline: Startup[] = [];
  for (let r = 0; r < STARTUP_ROUNDS; r++) {
    ours.push(checkStartup(oursBundle, join(dir, "ours.cpuprofile")));
    baseline.push(checkStartup(baselineBundle, join(dir, "baseline.cpuprofile")));
  }
  const ms = (xs: Startup[], key: keyof Startup) => median(xs.map((x) => x[key])).toFixed(1);
  console.log(
    `Worker startup (wrangler check startup, median of ${STARTUP_ROUNDS}): ours ${ms(ours, "busyMs")} ms CPU sampled in a ${ms(ours, "spanMs")} ms profile; from-memory Worker ${ms(baseline, "busyMs")} ms in ${ms(baseline, "spanMs")} ms`,
  );
}

export async function run(seconds = 3, rounds = 10): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-http-"));
  const running: Miniflare[] = [];
  try {
    const ours = bundle("wrangler.toml", join(dir, "ours"));
    const code = readFileSync(ours.script);
    console.log(
      `Worker bundle: ${(code.length / 1024).toFixed(0)} KiB, ${(gzipSync(code).length / 1024).toFixed(0)} KiB gzip; mjml in it: ${/node_modules\/mjml/.test(code.toString()) ? "YES" : "no"}`,
    );
    // Both Workers get the same bindings, so the runtime's own per-request work is alike.
    const bindings = { d1Databases: ["DB"], bindings: VARS, cache: true };
    const a = await start({ ...workerOptions(ours.script, join(dir, "ours")), ...bindings });
    running.push(a.mf);
    await migrate(a.mf);
    await publish(a.url);

    const feedUrl = new URL("/feed.xml", a.url).href;
    const full = await get(feedUrl, {});
    if (full.status !== 200) throw new Error(`GET /feed.xml: ${full.status}`);
    const etag = full.headers.etag ?? "";
    const notModified = await get(feedUrl, { "if-none-match": etag });
    if (notModified.status !== 304) throw new Error(`GET /feed.xml with If-None-Match: ${notModified.status}`);
    // The baseline: the same status, headers and bytes, from memory, built the same way as ours.
    // Framing headers are left to the runtime.
    const copy = ({ headers }: Answer) =>
      Object.fromEntries(
        Object.entries(headers).filter(([name]) => !["content-length", "transfer-encoding", "date"].includes(name)),
      );
    const baselineDir = join(dir, "baseline");
    mkdirSync(baselineDir);
    writeFileSync(
      join(baselineDir, "index.js"),
      `const BODY = ${JSON.stringify(full.body)};
const HEADERS = ${JSON.stringify(copy(full))};
const NOT_MODIFIED = ${JSON.stringify(copy(notModified))};
export default {
  fetch(request) {
    if (request.headers.get("if-none-match") === HEADERS.etag) return new Response(null, { status: 304, headers: NOT_MODIFIED });
    return new Response(BODY, { headers: HEADERS });
  },
};
`,
    );
    writeFileSync(
      join(baselineDir, "wrangler.toml"),
      `name = "bench-baseline"\nmain = "index.js"\ncompatibility_date = "${COMPATIBILITY.compatibilityDate}"\ncompatibility_flags = ${JSON.stringify(COMPATIBILITY.compatibilityFlags)}\n`,
    );
    const baseline = bundle(join(baselineDir, "wrangler.toml"), join(baselineDir, "out"));
    const b = await start({ ...workerOptions(baseline.script, join(baselineDir, "out")), ...bindings });
    running.push(b.mf);
    const baselineUrl = new URL("/feed.xml", b.url).href;

    const rows = [];
    const notes: string[] = [];
    for (const [name, extra, status] of [
      ["GET /feed.xml, cached, vs the same bytes from memory", {}, 200],
      ["304 for If-None-Match vs the same 304 from memory", { "if-none-match": etag }, 304],
    ] as const) {
      const extraHeaders = await assertSameAnswer(feedUrl, baselineUrl, extra, status);
      const spec = (url: string, s: number): LoadSpec => ({
        url,
        headers: extra,
        seconds: s,
        connections: CONNECTIONS,
        status,
      });
      await runLoad(spec(feedUrl, 1)); // warm both
      await runLoad(spec(baselineUrl, 1));
      const as: LoadResult[] = [];
      const bs: LoadResult[] = [];
      for (let r = 0; r < rounds; r++) {
        as.push(await runLoad(spec(feedUrl, seconds)));
        bs.push(await runLoad(spec(baselineUrl, seconds)));
      }
      const rps = (xs: LoadResult[]) => median(xs.map((x) => x.requestsPerSecond));
      rows.push({ name, a: rps(as), b: rps(bs), unit: "req/s", better: "higher" as const });
      const bytes = (xs: LoadResult[]) => median(xs.map((x) => x.bytesPerRequest)).toFixed(0);
      notes.push(
        `${status}: same status and body; ${bytes(as)} vs ${bytes(bs)} bytes per response; headers only ours sends: ${extraHeaders.join(", ") || "none"}`,
      );
    }
    report(rows);
    for (const note of notes) console.log(`  ${note}`);
    printStartup(ours.upload, baseline.upload, dir);
    console.log(
      `Miniflare new -> ready (mostly workerd's own start): ours ${a.readyMs.toFixed(0)} ms, from-memory Worker ${b.readyMs.toFixed(0)} ms`,
    );
  } finally {
    await Promise.all(running.map((mf) => mf.dispose()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
