// The first step of `npm run deploy`: refuses to deploy (exit code 1, before any remote change)
// unless the production Worker has a SIGNING_SECRET, which signs every link in subscription emails.
// Asks `wrangler secret list` (JSON); only the names of secrets are ever listed, never values.

import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { WRANGLER_BIN } from "./wrangler.js";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

const PUT = "npx wrangler secret put SIGNING_SECRET";
const HOW =
  `Set it first: \`${PUT}\` and paste at least 32 random characters ` +
  "(for example the output of `node -e \"console.log(crypto.randomBytes(32).toString('hex'))\"`).";

/** Why the deploy must not go ahead, from `wrangler secret list --format json`'s result; null when it may. */
export function signingSecretProblem(result: CommandResult): string | null {
  if (result.code !== 0) {
    const said = `${result.stderr}\n${result.stdout}`;
    if (/not found|does not exist/i.test(said) && /worker/i.test(said)) {
      return `the Worker does not exist yet, so it has no SIGNING_SECRET. ${HOW} (it offers to create the Worker).`;
    }
    const reason = errorLine(said);
    return `could not list the Worker's secrets (wrangler secret list exited with code ${result.code}${reason ? `: ${reason}` : ""}). Check \`npx wrangler login\` (or CLOUDFLARE_API_TOKEN), then run npm run deploy again.`;
  }
  const names = secretNames(result.stdout);
  if (!names) return "could not read the output of `wrangler secret list --format json`.";
  if (!names.includes("SIGNING_SECRET")) return `SIGNING_SECRET is not set for the production Worker. ${HOW}`;
  return null;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: wrangler colours its errors with ANSI escapes.
const ANSI = /\u001b\[[0-9;]*m/g;

/** Wrangler's own error line ("✘ [ERROR] …"), or else its first line but the log file's. */
function errorLine(text: string): string {
  const lines = text
    .replace(ANSI, "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("🪵"));
  const error = lines.find((l) => l.includes("[ERROR]"));
  return (error ? error.slice(error.indexOf("[ERROR]") + 7).trim() : (lines[0] ?? "")).slice(0, 400);
}

/** The names in wrangler's JSON list (`[{"name": ..., "type": "secret_text"}]`), or null if it is not one. */
function secretNames(stdout: string): string[] | null {
  const start = stdout.indexOf("[");
  const end = stdout.lastIndexOf("]");
  if (start < 0 || end < start) return null;
  let list: unknown;
  try {
    list = JSON.parse(stdout.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  return list.flatMap((entry) =>
    typeof entry === "object" && entry !== null && typeof (entry as { name?: unknown }).name === "string"
      ? [(entry as { name: string }).name]
      : [],
  );
}

function listSecrets(): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    // Deploying needs the network: only metrics are switched off here.
    const child = spawn(process.execPath, [WRANGLER_BIN, "secret", "list", "--format", "json"], {
      stdio: ["inherit", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr }));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const problem = signingSecretProblem(await listSecrets());
  if (problem) {
    console.error(`npm run deploy: not deploying: ${problem}`);
    process.exit(1);
  }
  console.log("npm run deploy: SIGNING_SECRET is set for the production Worker.");
}
