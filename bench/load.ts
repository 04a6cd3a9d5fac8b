// The load generator, in a process of its own: autocannon against one URL, its result printed
// as one line of JSON. bench/http.ts starts one per round, so the Node process that hosts the
// Workers (Miniflare) never shares an event loop or a core's time slices with the load it measures.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  seconds: number;
  connections: number;
  /** Every response must have this status, or the round fails. */
  status: 200 | 304;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  /** Response bytes (headers and body) per request, as autocannon read them off the socket. */
  bytesPerRequest: number;
}

const SELF = fileURLToPath(import.meta.url);

/** Runs one load round in a child process and resolves with what it measured. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SELF, JSON.stringify(spec)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`bench/load.ts exited with ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out) as LoadResult);
    });
  });
}

async function main(spec: LoadSpec): Promise<void> {
  const result = await autocannon({
    url: spec.url,
    headers: spec.headers,
    connections: spec.connections,
    duration: spec.seconds,
  });
  const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  const expected = spec.status === 200 ? result["2xx"] : result["3xx"];
  if (result.errors > 0 || answered === 0 || expected !== answered) {
    throw new Error(
      `${spec.url}: want every answer ${spec.status}; got ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors`,
    );
  }
  const output: LoadResult = {
    requestsPerSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    bytesPerRequest: result.throughput.total / result.requests.total,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

if (process.argv[1] === SELF) await main(JSON.parse(process.argv[2] ?? "{}") as LoadSpec);
