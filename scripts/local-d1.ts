// The local D1 database of `wrangler dev` (same files, same id), for scripts that write many
// statements. Through getPlatformProxy every `prepare` and `bind` is a synchronous round trip to
// workerd (about 4 ms each: 20 000 articles took minutes); here statements are built in Node as
// SQL and parameters and each query or batch is one request to a small Worker that runs it on the
// real D1 binding. Implements the part of D1Database the stores use: prepare/bind, all, raw,
// first, run and batch. The database and the vars are read from the wrangler configuration as
// `wrangler dev` reads them: the first [[d1_databases]] (preview_database_id, else database_id)
// and [vars], overridden by .dev.vars beside it.

import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseEnv } from "node:util";
import { Miniflare } from "miniflare";
import { parse as parseToml } from "smol-toml";

interface Statement {
  sql: string;
  params: unknown[];
}

type Op = "all" | "raw" | "first" | "run" | "batch";

// Plain JavaScript run by workerd: executes the statements it is sent on env.DB.
const EXECUTOR = `
export default {
  async fetch(request, env) {
    const { op, statements } = await request.json();
    try {
      const prepared = statements.map((s) => env.DB.prepare(s.sql).bind(...s.params));
      if (op === "batch") return Response.json(await env.DB.batch(prepared));
      const [one] = prepared;
      if (op === "raw") return Response.json(await one.raw());
      if (op === "first") return Response.json(await one.first());
      return Response.json(await one[op]());
    } catch (error) {
      return Response.json({ error: String(error && error.message || error) }, { status: 500 });
    }
  },
};
`;

export interface LocalD1 {
  /** The Worker's vars as `wrangler dev` gives them. */
  env: Record<string, unknown>;
  db: D1Database;
  dispose(): Promise<void>;
}

interface WranglerConfig {
  vars?: Record<string, unknown>;
  d1_databases?: { binding: string; database_id?: string; preview_database_id?: string }[];
}

/**
 * Opens the local D1 database of the wrangler configuration at `configPath` (TOML or JSON) kept
 * under `persistRoot` (wrangler's `--persist-to`, by default .wrangler/state beside the config).
 */
export async function openLocalD1(configPath: string, persistRoot: string): Promise<LocalD1> {
  const text = readFileSync(configPath, "utf8");
  const config = (configPath.endsWith(".toml") ? parseToml(text) : JSON.parse(text)) as WranglerConfig;
  const [d1] = config.d1_databases ?? [];
  if (!d1) throw new Error(`${configPath} has no [[d1_databases]]`);
  const devVars = join(dirname(configPath), ".dev.vars");
  const env = { ...config.vars, ...(existsSync(devVars) ? parseEnv(readFileSync(devVars, "utf8")) : {}) };
  const id = d1.preview_database_id ?? d1.database_id ?? d1.binding;
  const mf = new Miniflare({
    modules: true,
    script: EXECUTOR,
    d1Persist: join(persistRoot, "v3", "d1"),
    d1Databases: { DB: id },
  });
  const send = async (op: Op, statements: Statement[]): Promise<unknown> => {
    const response = await mf.dispatchFetch("http://d1.local/", {
      method: "POST",
      body: JSON.stringify({ op, statements }),
    });
    const body = (await response.json()) as unknown;
    if (!response.ok) throw new Error((body as { error: string }).error);
    return body;
  };
  const statement = (sql: string, params: unknown[]) => {
    const self: Statement = { sql, params };
    return Object.assign(self, {
      bind: (...values: unknown[]) => statement(sql, values),
      all: () => send("all", [self]),
      raw: () => send("raw", [self]),
      first: async (column?: string) => {
        const row = (await send("first", [self])) as Record<string, unknown> | null;
        return column === undefined || row === null ? row : row[column];
      },
      run: () => send("run", [self]),
    });
  };
  const db = {
    prepare: (sql: string) => statement(sql, []),
    batch: (statements: Statement[]) =>
      send(
        "batch",
        statements.map(({ sql, params }) => ({ sql, params })),
      ),
  };
  await mf.ready;
  // Only the methods above exist; the stores use no others.
  return { env, db: db as unknown as D1Database, dispose: () => mf.dispose() };
}

/**
 * The D1 a script writes to: the local one `wrangler dev` uses (`persistTo`: wrangler's
 * --persist-to, by default .wrangler/state beside the configuration), or with `remote` the
 * deployed database, through the platform proxy (needs `wrangler login`).
 */
export async function openD1(options: { remote: boolean; config: string; persistTo?: string }): Promise<LocalD1> {
  const config = resolve(options.config);
  if (!options.remote) {
    // Written without the platform proxy (see the top of this file); wrangler itself is not
    // loaded, which would take seconds of a start with nothing to do.
    return openLocalD1(
      config,
      options.persistTo ? resolve(options.persistTo) : join(dirname(config), ".wrangler/state"),
    );
  }
  // The same binding marked remote, in a copy of the configuration.
  const { experimental_readRawConfig, getPlatformProxy } = await import("wrangler");
  const { rawConfig } = experimental_readRawConfig({ config: options.config });
  const copy = join(dirname(config), ".d1-remote.wrangler.json");
  const d1 = (rawConfig.d1_databases ?? []).map((db: object) => ({ ...db, remote: true }));
  await writeFile(copy, JSON.stringify({ ...rawConfig, d1_databases: d1 }));
  try {
    const proxy = await getPlatformProxy<Env>({ configPath: copy, remoteBindings: true });
    return { env: proxy.env as unknown as Record<string, unknown>, db: proxy.env.DB, dispose: proxy.dispose };
  } finally {
    await rm(copy, { force: true });
  }
}
