// `npm run export -- DIR --remote` against a site that answers badly: a slug that would be a path
// out of DIR. The export stops with a message naming it, and no file is written outside DIR.

import { access, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "./run-script.js";

let dir: string;
let server: Server;
let origin: string;

const item = (slug: string) => ({
  slug,
  title: "T",
  url: `${origin}/articles/x`,
  date: "2022-01-10T00:00:00Z",
  updated: null,
  authors: [],
  tags: [],
  summary: "s",
  image: null,
  lang: null,
  draft: false,
  content_html: "<p>x</p>\n",
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "export-hostile-"));
  server = createServer((req, res) => {
    if (req.url?.startsWith("/api/articles")) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ items: [item("fine"), item("../../escaped")], next: null }));
    } else {
      res.statusCode = 401;
      res.end('{"title":"Unauthorized"}');
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

const exportFrom = (out: string) =>
  runScript("export.ts", [out, "--remote"], { cwd: dir, env: { SITE_URL: origin, ADMIN_TOKEN: "t" } });

describe("npm run export --remote from a site that answers badly", () => {
  it("stops at a slug that is not one, writing nothing outside DIR", async () => {
    const result = await exportFrom(join(dir, "a", "b", "out"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the site gave an article with the slug "../../escaped", which is not a slug');
    // Where "out/content/../../escaped.md" would be.
    await expect(access(join(dir, "a", "b", "escaped.md"))).rejects.toThrow();
    expect(await readdir(join(dir, "a", "b", "out", "content"))).toEqual(["fine.md"]);
  });
});
