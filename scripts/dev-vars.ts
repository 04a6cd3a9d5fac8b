// Gives `npm run dev` a SIGNING_SECRET (the key that signs subscription links) when the local
// secrets file has none, so subscriptions work with nothing set up. A value already there is
// never replaced, and every other line is kept as it is.

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { MIN_SIGNING_SECRET_LENGTH } from "../src/core/config.js";

const NAME = "SIGNING_SECRET";

// A line that sets the secret, as dotenv (which wrangler uses) reads it: `NAME=value`,
// optionally `export `, spaces around `=`.
const ASSIGNMENT = new RegExp(`^\\s*(?:export\\s+)?${NAME}\\s*=(.*)$`);

/** A value as dotenv reads it: quoted up to the closing quote, otherwise up to a `#`, trimmed. */
function dotenvValue(raw: string): string {
  const text = raw.trim();
  const quote = text[0];
  if (quote === '"' || quote === "'" || quote === "`") {
    const end = text.indexOf(quote, 1);
    if (end > 0) return text.slice(1, end);
  }
  return (text.split("#", 1)[0] ?? "").trim();
}

export type SecretEdit = { action: "kept"; value: string } | { action: "written"; text: string };

/**
 * The file's text with `SIGNING_SECRET=<secret>` added when it sets none with a value (dotenv
 * keeps the last assignment, so that is the one that counts): an empty `SIGNING_SECRET=` line, as
 * in .dev.vars.example, is filled in place; otherwise the line is appended.
 */
export function addSigningSecret(text: string, secret: string): SecretEdit {
  // Split on LF and leave a CR at a line's end out of the match, so CRLF files work too.
  const lines = text.split("\n");
  const body = (i: number) => (lines[i] ?? "").replace(/\r$/, "");
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    if (ASSIGNMENT.test(body(i))) last = i;
  }
  const line = `${NAME}=${secret}`;
  if (last >= 0) {
    const value = dotenvValue(ASSIGNMENT.exec(body(last))?.[1] ?? "");
    if (value) return { action: "kept", value };
    lines[last] = (lines[last] ?? "").endsWith("\r") ? `${line}\r` : line;
    return { action: "written", text: lines.join("\n") };
  }
  const separator = text === "" || text.endsWith("\n") ? "" : "\n";
  return { action: "written", text: `${text}${separator}${line}\n` };
}

/**
 * The file `wrangler dev` reads secrets from in `dir`: `.dev.vars`, or `.env` when only that
 * exists (creating a `.dev.vars` then would make wrangler ignore the `.env`).
 */
export function devVarsFile(dir: string): string {
  const devVars = join(dir, ".dev.vars");
  const dotEnv = join(dir, ".env");
  return !existsSync(devVars) && existsSync(dotEnv) ? dotEnv : devVars;
}

/**
 * Starts `dir`'s local secrets file from .dev.vars.example when there is none (neither .dev.vars
 * nor .env): its example ADMIN_TOKEN signs the publisher in to the console on a local address.
 * Returns the line to tell the developer, or null when a file was there already.
 */
export async function ensureDevVars(dir: string): Promise<string | null> {
  const example = join(dir, ".dev.vars.example");
  if (existsSync(join(dir, ".dev.vars")) || existsSync(join(dir, ".env")) || !existsSync(example)) return null;
  await copyFile(example, join(dir, ".dev.vars"));
  return "Copied .dev.vars.example to .dev.vars (local secrets; its ADMIN_TOKEN signs you in at /admin).";
}

/**
 * Makes sure the local secrets file in `dir` sets SIGNING_SECRET. Returns the line to tell the
 * developer (a secret was written, or the one there is too short), or null when all is well.
 */
export async function ensureSigningSecret(
  dir: string,
  secret: string = randomBytes(32).toString("hex"),
): Promise<string | null> {
  const file = devVarsFile(dir);
  const name = file.endsWith(".env") ? ".env" : ".dev.vars";
  const text = existsSync(file) ? await readFile(file, "utf8") : "";
  const edit = addSigningSecret(text, secret);
  if (edit.action === "written") {
    await writeFile(file, edit.text);
    return `Wrote a random ${NAME} to ${name} (it signs the links in subscription emails; keep the file out of git).`;
  }
  if (edit.value.length < MIN_SIGNING_SECRET_LENGTH) {
    return `${NAME} in ${name} is ${edit.value.length} characters long; subscriptions need at least ${MIN_SIGNING_SECRET_LENGTH}. Delete the line and a random one is written next time.`;
  }
  return null;
}
