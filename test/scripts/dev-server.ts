// The real `npm run dev` (scripts/dev.ts: wrangler dev and its proxy) for Node tests: on a free
// port, with a local D1 of its own (--persist-to) and the settings a test gives as --vars, so a
// developer's .dev.vars changes nothing; stopped with its whole process group.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const tsx = join(dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist", "cli.mjs");

export interface DevServer {
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = net.createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Starts `npm run dev` with `vars` (NAME -> value) and resolves once wrangler says it is ready. */
export async function startDevServer(vars: Record<string, string>): Promise<DevServer> {
  const state = await mkdtemp(join(tmpdir(), "dev-server-"));
  const port = await freePort();
  const inspector = await freePort();
  let output = "";
  const server: ChildProcess = spawn(
    process.execPath,
    [
      tsx,
      "scripts/dev.ts",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(inspector),
      "--persist-to",
      state,
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    {
      cwd: root,
      // Its own process group, so stop() ends wrangler and workerd too.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
    },
  );
  const stop = async () => {
    if (server.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((done) => server.once("exit", done));
      process.kill(-server.pid, "SIGTERM");
      await exited;
    }
    await rm(state, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((done, fail) => {
      const look = (data: Buffer) => {
        output += data.toString();
        if (output.includes("Ready on")) done();
      };
      server.stdout?.on("data", look);
      server.stderr?.on("data", look);
      server.once("exit", (code) => fail(new Error(`npm run dev exited (${code}) before it was ready:\n${output}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, origin: `http://127.0.0.1:${port}`, output: () => output, stop };
}
