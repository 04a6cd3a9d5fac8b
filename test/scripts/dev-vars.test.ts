// The SIGNING_SECRET that `npm run dev` writes into the local secrets file, on a directory of its own.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addSigningSecret, ensureDevVars, ensureSigningSecret } from "../../scripts/dev-vars.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "dev-vars-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = (name = ".dev.vars") => readFile(join(dir, name), "utf8");
const SECRET = "ab".repeat(32);

describe("npm run dev's SIGNING_SECRET", () => {
  it("creates .dev.vars with 64 random hex characters when there is none, and says so", async () => {
    const note = await ensureSigningSecret(dir);
    expect(note).toBe(
      "Wrote a random SIGNING_SECRET to .dev.vars (it signs the links in subscription emails; keep the file out of git).",
    );
    expect(await read()).toMatch(/^SIGNING_SECRET=[0-9a-f]{64}\n$/);
  });

  it("writes a different secret in each new checkout", async () => {
    await ensureSigningSecret(dir);
    const first = await read();
    await rm(join(dir, ".dev.vars"));
    await ensureSigningSecret(dir);
    expect(await read()).not.toBe(first);
  });

  it("appends to a .dev.vars without one, keeping every other line as it was", async () => {
    const before = "# mine\nADMIN_TOKEN=change-me-to-a-long-random-string\nSMTP_USER=me";
    await writeFile(join(dir, ".dev.vars"), before);
    expect(await ensureSigningSecret(dir, SECRET)).toContain("Wrote a random SIGNING_SECRET to .dev.vars");
    expect(await read()).toBe(`${before}\nSIGNING_SECRET=${SECRET}\n`);
  });

  it("fills an empty SIGNING_SECRET= line in place, as copied from .dev.vars.example", async () => {
    const example = await readFile(join(import.meta.dirname, "../../.dev.vars.example"), "utf8");
    await writeFile(join(dir, ".dev.vars"), example);
    await ensureSigningSecret(dir, SECRET);
    const after = await read();
    expect(after.split("\n").filter((l) => l.startsWith("SIGNING_SECRET="))).toEqual([`SIGNING_SECRET=${SECRET}`]);
    expect(after.replace(`SIGNING_SECRET=${SECRET}`, "SIGNING_SECRET=")).toBe(example);
  });

  it("never replaces a value, and says nothing when it is long enough", async () => {
    const before = 'ADMIN_TOKEN=x\r\nSIGNING_SECRET="my own secret that is long enough!!"\r\n';
    await writeFile(join(dir, ".dev.vars"), before);
    expect(await ensureSigningSecret(dir, SECRET)).toBeNull();
    expect(await read()).toBe(before);
  });

  it("keeps a value that is too short, and says how long it must be", async () => {
    await writeFile(join(dir, ".dev.vars"), "SIGNING_SECRET=short\n");
    expect(await ensureSigningSecret(dir, SECRET)).toBe(
      "SIGNING_SECRET in .dev.vars is 5 characters long; subscriptions need at least 32. Delete the line and a random one is written next time.",
    );
    expect(await read()).toBe("SIGNING_SECRET=short\n");
  });

  it("is idempotent: a second run changes nothing", async () => {
    await ensureSigningSecret(dir);
    const first = await read();
    expect(await ensureSigningSecret(dir)).toBeNull();
    expect(await read()).toBe(first);
  });

  it("writes to .env when that is the only file wrangler would read", async () => {
    await writeFile(join(dir, ".env"), "ADMIN_TOKEN=x\n");
    await ensureSigningSecret(dir, SECRET);
    expect(await read(".env")).toBe(`ADMIN_TOKEN=x\nSIGNING_SECRET=${SECRET}\n`);
    await expect(read()).rejects.toThrow(/ENOENT/);
  });
});

describe("npm run dev's .dev.vars", () => {
  const EXAMPLE = "ADMIN_TOKEN=change-me-to-a-long-random-string\nSIGNING_SECRET=\n";

  it("is copied from .dev.vars.example when the checkout has none, so the console's token is there", async () => {
    await writeFile(join(dir, ".dev.vars.example"), EXAMPLE);
    expect(await ensureDevVars(dir)).toBe(
      "Copied .dev.vars.example to .dev.vars (local secrets; its ADMIN_TOKEN signs you in at /admin).",
    );
    expect(await read()).toBe(EXAMPLE);
  });

  it("is left as it is when there is one, and an .env is never shadowed", async () => {
    await writeFile(join(dir, ".dev.vars.example"), EXAMPLE);
    await writeFile(join(dir, ".dev.vars"), "ADMIN_TOKEN=mine-and-long-enough\n");
    expect(await ensureDevVars(dir)).toBeNull();
    expect(await read()).toBe("ADMIN_TOKEN=mine-and-long-enough\n");
    await rm(join(dir, ".dev.vars"));
    await writeFile(join(dir, ".env"), "ADMIN_TOKEN=from-env-file-long\n");
    expect(await ensureDevVars(dir)).toBeNull();
    await expect(read()).rejects.toThrow(/ENOENT/);
  });
});

describe("what counts as a SIGNING_SECRET with a value (as dotenv reads the file)", () => {
  const kept = (text: string) => addSigningSecret(text, SECRET).action === "kept";
  it("counts plain, quoted and exported values", () => {
    expect(kept("SIGNING_SECRET=abc")).toBe(true);
    expect(kept("  export SIGNING_SECRET = 'abc'  # note")).toBe(true);
    expect(kept('SIGNING_SECRET="a#b"')).toBe(true);
  });

  it("does not count empty values, comments, other names or a later empty line", () => {
    expect(kept("SIGNING_SECRET=")).toBe(false);
    expect(kept('SIGNING_SECRET=""')).toBe(false);
    expect(kept("SIGNING_SECRET=   # fill me in")).toBe(false);
    expect(kept("# SIGNING_SECRET=abc")).toBe(false);
    expect(kept("MY_SIGNING_SECRET=abc")).toBe(false);
    expect(kept("SIGNING_SECRETS=abc")).toBe(false);
    // dotenv keeps the last assignment: an empty one after a value leaves the secret empty.
    expect(kept("SIGNING_SECRET=abc\nSIGNING_SECRET=")).toBe(false);
  });

  it("fills the last empty line, so the value it writes is the one dotenv keeps", () => {
    expect(addSigningSecret("SIGNING_SECRET=\nA=1\nSIGNING_SECRET=\n", SECRET)).toEqual({
      action: "written",
      text: `SIGNING_SECRET=\nA=1\nSIGNING_SECRET=${SECRET}\n`,
    });
  });
});
