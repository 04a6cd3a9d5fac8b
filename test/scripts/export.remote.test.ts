// `npm run export -- DIR --remote` against the real `npm run dev` (its own port and local D1): the
// articles come through the public API, page by page along `next`, the subscribers through the
// admin export; loaded into a fresh D1 by the content sync, every article gives the same API item
// as the site it came from. Drafts and scheduled articles are not in the public API, so not here.

import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalD1 } from "../../scripts/local-d1.js";
import { apiItem } from "../../src/core/api-item.js";
import { served } from "../../src/core/article.js";
import { fromRow, META_COLUMNS, type Row } from "../../src/worker/store/articles.js";
import { type DevServer, startDevServer } from "./dev-server.js";
import { CONFIG as config, migrateLocal, ROOT as root, runScript } from "./run-script.js";

const ADMIN_TOKEN = "export-remote-test-admin-token-0123";

let server: DevServer;
let dir: string;

const script = (name: string, args: string[], env: Record<string, string> = {}) =>
  runScript(name, args, { cwd: root, env });

const put = (slug: string, body: Record<string, unknown>) =>
  fetch(`${server.origin}/api/articles/${slug}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ slug, ...body }),
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "export-remote-"));
  server = await startDevServer({
    ADMIN_TOKEN,
    SIGNING_SECRET: "export-remote-test-signing-secret-0123456789abcdef",
  });
  const html = "Lead <p>a</p>\n\n\n<pre>x\n\n y</pre>\n";
  const aliases = ["/old/from-api.html"];
  expect((await put("from-api", { title: "From the API", date: "2022-05-01T10:00:00Z", html, aliases })).status).toBe(
    201,
  );
  const draft = { title: "A draft", date: "2022-05-02T10:00:00Z", draft: true, markdown: "x" };
  expect((await put("a-draft", draft)).status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("npm run export -- DIR --remote", () => {
  it("needs SITE_URL and ADMIN_TOKEN, and a page size from 1 to 100, and says so", async () => {
    const none = await script("export.ts", [join(dir, "none"), "--remote"], { SITE_URL: "", ADMIN_TOKEN: "" });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--remote needs SITE_URL");
    const env = { SITE_URL: server.origin, ADMIN_TOKEN };
    for (const limit of ["0", "101", "1e2"]) {
      const bad = await script("export.ts", [join(dir, "none"), "--remote", "--limit", limit], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`--limit: must be a whole number of articles from 1 to 100, not "${limit}"`);
    }
  });

  it("exports every published article through the API, and they load back to the same items", async () => {
    const out = join(dir, "out");
    // Pages of 3, so `next` is followed several times.
    const result = await script("export.ts", [out, "--remote", "--limit", "3"], {
      SITE_URL: server.origin,
      ADMIN_TOKEN,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);

    // Every published article, as the API lists them.
    const listed: Record<string, unknown>[] = [];
    for (let next: string | null = `${server.origin}/api/articles?limit=100`; next !== null; ) {
      const page = (await (await fetch(next)).json()) as { items: Record<string, unknown>[]; next: string | null };
      listed.push(...page.items);
      next = page.next;
    }
    const files = (await readdir(join(out, "content"))).sort();
    expect(files).toEqual(listed.map((item) => `${item.slug}.md`).sort());
    expect(files.length).toBeGreaterThan(3 * 2);
    expect(files).toContain("from-api.md");
    expect(files).not.toContain("a-draft.md");

    const state = join(dir, "state");
    await migrateLocal(state, root);
    const sync = await script("content-sync.ts", [
      "--config",
      config,
      "--persist-to",
      state,
      "--content",
      join(out, "content"),
      "--site-url",
      server.origin,
    ]);
    expect(sync.stderr).toBe("");
    const d1 = await openLocalD1(config, state);
    try {
      const { results } = await d1.db
        .prepare(`SELECT ${META_COLUMNS}, a.content_html FROM articles a ORDER BY a.published_at DESC, a.id DESC`)
        .all<Row>();
      const reloaded = results.map((row) => JSON.parse(JSON.stringify(apiItem(served(fromRow(row), server.origin)))));
      expect(reloaded.map((item) => item.slug).sort()).toEqual(listed.map((item) => item.slug).sort());
      for (const item of listed) expect(reloaded.find((r) => r.slug === item.slug)).toEqual(item);
    } finally {
      await d1.dispose();
    }
  });

  it("writes the subscribers file as the admin export gives it", async () => {
    const expected = await (
      await fetch(`${server.origin}/api/subscribers/export?format=json`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).text();
    // npm run dev's sample readers.
    const body = JSON.parse(expected) as { subscribers: unknown[]; suppressions: unknown[] };
    expect(body.subscribers.length).toBeGreaterThan(0);
    expect(await readFile(join(dir, "out", "subscribers.json"), "utf8")).toBe(expected);
  });
});
