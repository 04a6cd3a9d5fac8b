// `npm run content:sync [-- --remote]`: loads content/**/*.md into D1 (local by default).
// Every file is validated first; if any is invalid, each problem is printed with its path and
// field, and nothing is written. Otherwise one D1 batch upserts changed files and removes the
// articles whose files are gone (articles published through the API are never touched).

import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { experimental_readRawConfig, getPlatformProxy } from "wrangler";
import { digestTimeZoneOrNull, parseSiteConfig } from "../src/core/config.js";
import { type ContentFile, planSync } from "../src/core/content.js";
import { ArchiveDays } from "../src/worker/store/archive.js";
import { ArticleStore } from "../src/worker/store/articles.js";
import { ContentVersion } from "../src/worker/store/version.js";

const { values: args } = parseArgs({
  options: {
    remote: { type: "boolean", default: false },
    content: { type: "string", default: "content" },
    config: { type: "string", default: "wrangler.toml" },
    "persist-to": { type: "string" },
    "site-url": { type: "string" },
  },
});

const root = process.cwd();
const contentDir = resolve(root, args.content);

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function platform() {
  if (!args.remote) {
    return getPlatformProxy<Env>({
      configPath: args.config,
      persist: args["persist-to"] ? { path: join(resolve(args["persist-to"]), "v3") } : true,
      remoteBindings: false,
    });
  }
  // Remote: the same binding, marked remote in a copy of the configuration (needs `wrangler login`).
  const { rawConfig } = experimental_readRawConfig({ config: args.config });
  const copy = resolve(root, ".content-sync.wrangler.json");
  const d1 = (rawConfig.d1_databases ?? []).map((db: object) => ({ ...db, remote: true }));
  await writeFile(copy, JSON.stringify({ ...rawConfig, d1_databases: d1 }));
  try {
    return await getPlatformProxy<Env>({ configPath: copy, remoteBindings: true });
  } finally {
    await rm(copy, { force: true });
  }
}

async function main(): Promise<number> {
  const files: ContentFile[] = [];
  for (const path of await markdownFiles(contentDir)) {
    // Paths as the publisher sees them: relative to the project, e.g. "content/2022-01-10-x.md".
    const shown = relative(root, path);
    files.push({ path: shown.startsWith("..") ? path : shown, text: await readFile(path, "utf8") });
  }
  const proxy = await platform();
  try {
    const config = parseSiteConfig({ ...proxy.env, ...(args["site-url"] ? { SITE_URL: args["site-url"] } : {}) });
    const store = new ArticleStore(
      proxy.env.DB,
      new ContentVersion(proxy.env.DB, Date.now, "sync"),
      () => config.siteUrl,
      new ArchiveDays(proxy.env.DB, () => digestTimeZoneOrNull(proxy.env as unknown as Record<string, unknown>)),
    );
    const plan = await planSync(files, await store.records(), config.siteUrl);
    const where = args.remote ? "remote D1" : "local D1";
    if (plan.errors.length > 0) {
      console.error(`content sync: ${plan.errors.length} problem(s); nothing was written to the ${where}:`);
      for (const line of plan.errors) console.error(`  ${line}`);
      return 1;
    }
    await store.sync(plan.upserts, plan.deletions);
    console.log(
      `content sync (${where}): ${files.length} file(s); ${plan.upserts.length} written, ${plan.deletions.length} removed, ${plan.unchanged} unchanged`,
    );
    return 0;
  } finally {
    await proxy.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`content sync failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
