// Runs one of scripts/*.ts as its npm script does (tsx, wrangler kept offline), for the export
// tests: its exit code and what it printed; and applies the migrations to a local D1 of a test's own.

import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
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
