// A local D1 on disk for the tests of scripts that write one (the content sync, the subscriber
// import): the migrations applied as `npm run db:migrate` applies them, a script run as its npm
// script runs it, and rows read back the way the Worker sees them.

import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { getPlatformProxy } from "wrangler";
import { OFFLINE_ENV, WRANGLER_BIN } from "../../scripts/wrangler.js";

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, "../..");
const CONFIG = join(ROOT, "wrangler.toml");
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");

export interface LocalState {
  /** A fresh directory to run in. */
  dir: string;
  /** wrangler's --persist-to under it, migrated. */
  state: string;
}

/** A fresh directory with a migrated local D1 in it. */
export async function localState(prefix: string): Promise<LocalState> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const state = join(dir, "state");
  await run(
    process.execPath,
    [WRANGLER_BIN, "d1", "migrations", "apply", "DB", "--local", "--config", CONFIG, "--persist-to", state],
    { cwd: dir, env: { ...process.env, ...OFFLINE_ENV } },
  );
  return { dir, state };
}

/** Runs scripts/<script> on `at`'s database, from its directory; its exit code and output. */
export async function runScript(
  at: LocalState,
  script: string,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [TSX, join(ROOT, "scripts", script), "--config", CONFIG, "--persist-to", at.state, ...args],
      { cwd: at.dir, env: { ...process.env, ...OFFLINE_ENV } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The rows of `sql` in `at`'s database. */
export async function queryState<T>(at: LocalState, sql: string): Promise<T[]> {
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: CONFIG,
    persist: { path: join(at.state, "v3") },
    remoteBindings: false,
  });
  try {
    return (await proxy.env.DB.prepare(sql).all<T>()).results;
  } finally {
    await proxy.dispose();
  }
}
