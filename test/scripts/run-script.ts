// Runs one of scripts/*.ts as its npm script does (tsx, wrangler kept offline): its exit code and
// what it printed; applies the migrations to a local D1 of a test's own, and reads rows back the
// way the Worker sees them. For the tests of the scripts that write a D1 (content sync, imports,
// export).

import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { getPlatformProxy } from "wrangler";
import { OFFLINE_ENV, WRANGLER_BIN } from "../../scripts/wrangler.js";

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, "../..");
export const CONFIG = join(ROOT, "wrangler.toml");
const tsx = join(ROOT, "node_modules/tsx/dist/cli.mjs");

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runScript(
  name: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [tsx, join(ROOT, "scripts", name), ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...OFFLINE_ENV, ...options.env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as ScriptResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `wrangler d1 migrations apply --local` into `state` (a --persist-to directory). */
export async function migrateLocal(state: string, cwd: string): Promise<void> {
  await run(
    process.execPath,
    [WRANGLER_BIN, "d1", "migrations", "apply", "DB", "--local", "--config", CONFIG, "--persist-to", state],
    { cwd, env: { ...process.env, ...OFFLINE_ENV } },
  );
}

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
  await migrateLocal(state, dir);
  return { dir, state };
}

/** Runs scripts/<name> on `at`'s database, from its directory. */
export function runOnState(at: LocalState, name: string, args: readonly string[] = []): Promise<ScriptResult> {
  return runScript(name, ["--config", CONFIG, "--persist-to", at.state, ...args], { cwd: at.dir });
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
