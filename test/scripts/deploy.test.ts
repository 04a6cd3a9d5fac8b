// `npm run deploy` refuses to run unless production has a SIGNING_SECRET: the decision on sample
// outputs of `wrangler secret list --format json`, and the script itself when wrangler cannot answer.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { signingSecretProblem } from "../../scripts/deploy.js";

const root = resolve(import.meta.dirname, "../..");
const ok = (stdout: string) => signingSecretProblem({ code: 0, stdout, stderr: "" });

describe("the deploy's SIGNING_SECRET check", () => {
  it("lets the deploy go ahead when the secret is listed", () => {
    const listed = JSON.stringify(
      [
        { name: "ADMIN_TOKEN", type: "secret_text" },
        { name: "SIGNING_SECRET", type: "secret_text" },
      ],
      null,
      "  ",
    );
    expect(ok(listed)).toBeNull();
  });

  it("refuses when it is not, saying how to set it", () => {
    expect(ok('[\n  {\n    "name": "ADMIN_TOKEN",\n    "type": "secret_text"\n  }\n]\n')).toBe(
      "SIGNING_SECRET is not set for the production Worker. Set it first: `npx wrangler secret put SIGNING_SECRET` and paste at least 32 random characters (for example the output of `node -e \"console.log(crypto.randomBytes(32).toString('hex'))\"`).",
    );
    expect(ok("[]")).toContain("SIGNING_SECRET is not set");
    expect(ok('[{"name": "SIGNING_SECRET_OLD", "type": "secret_text"}]')).toContain("SIGNING_SECRET is not set");
  });

  it("refuses when the output is not a list it can read", () => {
    for (const stdout of ["", "Secret Name: SIGNING_SECRET\n", '{"name": "SIGNING_SECRET"}', "[SIGNING_SECRET]"]) {
      expect(ok(stdout)).toBe("could not read the output of `wrangler secret list --format json`.");
    }
  });

  it("refuses when the Worker does not exist yet, pointing at the command that creates it", () => {
    const problem = signingSecretProblem({
      code: 1,
      stdout: "",
      stderr:
        '\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1mWorker "edge-feeds" not found.\n\nIf this is a new Worker, run `wrangler deploy` first to create it.\u001b[0m\n',
    });
    expect(problem).toContain("the Worker does not exist yet");
    expect(problem).toContain("`npx wrangler secret put SIGNING_SECRET`");
  });

  it("refuses when wrangler fails, quoting wrangler's error without its colours", () => {
    const problem = signingSecretProblem({
      code: 1,
      stdout: "\n",
      stderr:
        '\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1mAuthentication error [code: 10000]\u001b[0m\n\n🪵  Logs were written to "/x.log"\n',
    });
    expect(problem).toBe(
      "could not list the Worker's secrets (wrangler secret list exited with code 1: Authentication error [code: 10000]). Check `npx wrangler login` (or CLOUDFLARE_API_TOKEN), then run npm run deploy again.",
    );
  });
});

describe("npm run deploy", () => {
  it("runs the check before anything remote", async () => {
    const scripts = JSON.parse(await readFile(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    const steps = (scripts.deploy ?? "").split("&&").map((s) => s.trim());
    const check = steps.findIndex((s) => s.endsWith("tsx scripts/deploy.ts"));
    const firstRemote = steps.findIndex((s) => /wrangler |--remote/.test(s));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(firstRemote);
  });

  it("exits 1 with the reason when wrangler has no credentials (no network used)", async () => {
    const home = await mkdtemp(join(tmpdir(), "deploy-home-"));
    try {
      // No credentials and a home of its own: wrangler fails before it reaches the network.
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: home,
        CI: "true",
      } as unknown as NodeJS.ProcessEnv;
      const result = await promisify(execFile)(
        process.execPath,
        [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "scripts/deploy.ts")],
        { cwd: root, env },
      ).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("npm run deploy: not deploying: could not list the Worker's secrets");
      expect(result.stderr).toContain("CLOUDFLARE_API_TOKEN");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
