// Runs the template build step as `npm run build:templates` does, on a template tree of its own.

import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
let dir: string;

async function build(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "scripts/build-templates.ts")],
      { cwd: dir },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

async function copyTemplates(): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), "templates-"));
  await cp(join(root, "templates"), join(dir, "templates"), { recursive: true });
}

async function removeCopy(): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

// The repository's templates, built once (MJML takes about a second and a half) for the checks
// of what the build writes.
describe("npm run build:templates, on the repository's templates", () => {
  let result: { code: number; stdout: string; stderr: string };
  let module: string;

  beforeAll(async () => {
    await copyTemplates();
    result = await build();
    module = await readFile(join(dir, "src/generated/templates.ts"), "utf8");
  });

  afterAll(removeCopy);

  it("compiles every template into a module of segments, with no mjml left in it", () => {
    expect(result.code).toBe(0);
    expect(module).toContain("export const templates = { confirm, digest };");
    expect(module).toContain('{"section":"items","inverted":false');
    expect(module).not.toMatch(/<mj-/);
  });

  it("compiles emails that load nothing from a third party (no web fonts)", () => {
    expect(module).not.toContain("<link");
    expect(module).not.toContain("@import");
    expect(module).not.toContain("fonts.googleapis.com");
    // The only absolute URL MJML writes itself is the XHTML namespace, which nothing fetches;
    // every other URL in an email comes from the data (site links, article images).
    const urls = [...module.matchAll(/https?:\/\/[^\s"'<>()\\]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(["http://www.w3.org/1999/xhtml"]));
  });

  it('writes no height="auto" on images (invalid HTML that MJML emits for mj-image)', () => {
    expect(module).toContain("<img");
    expect(module).not.toMatch(/height=\\"auto\\"/);
  });
});

describe("npm run build:templates, on a broken template", () => {
  beforeEach(copyTemplates);
  afterEach(removeCopy);

  it("refuses a template that would load a font or style sheet from another host", async () => {
    await writeFile(
      join(dir, "templates/fonty.mjml"),
      '<mjml>\n<mj-head>\n<mj-font name="Lora" href="https://fonts.example.net/css?family=Lora" />\n<mj-attributes><mj-all font-family="Lora, serif" /></mj-attributes>\n</mj-head>\n<mj-body><mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section></mj-body>\n</mjml>\n',
    );
    const result = await build();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("templates/fonty.mjml: loads https://fonts.example.net/css?family=Lora");
  });

  it("fails with the template's name and line for an unknown MJML element", async () => {
    await writeFile(
      join(dir, "templates/broken.mjml"),
      "<mjml>\n<mj-body>\n<mj-section><mj-column>\n<mj-textt>x</mj-textt>\n</mj-column></mj-section>\n</mj-body>\n</mjml>\n",
    );
    const result = await build();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/templates\/broken\.mjml: .*Line 4 .*mj-textt/s);
  });

  it("fails with the template's name and line for a broken placeholder", async () => {
    await writeFile(join(dir, "templates/unclosed.mjml"), "<mjml>\n<mj-body>\n{{#items}}\n</mj-body>\n</mjml>\n");
    const result = await build();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("templates/unclosed.mjml:3: {{#items}} is never closed");
  });
});
