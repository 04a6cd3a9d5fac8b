// Worker startup time from `wrangler check startup`: it loads a bundle in a local workerd and
// writes a CPU profile of the startup phase (evaluating the script and its top-level code).
// Profile samples are about 1 ms apart, so read these as milliseconds, not microseconds.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { OFFLINE_ENV, WRANGLER_BIN } from "../scripts/wrangler.js";

export interface Startup {
  /** Time covered by non-idle samples: the CPU the startup phase used. */
  busyMs: number;
  /** From the profile's start to its end, idle time and the profiler's own overhead included. */
  spanMs: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `bundle` is the output of `wrangler deploy --dry-run --outfile`. */
export function checkStartup(bundle: string, profile: string): Startup {
  execFileSync(process.execPath, [WRANGLER_BIN, "check", "startup", "--worker", bundle, "--outfile", profile], {
    env: { ...process.env, ...OFFLINE_ENV },
    stdio: "pipe",
  });
  const p = JSON.parse(readFileSync(profile, "utf8")) as CpuProfile;
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  let busy = 0;
  // Sample i lasts until sample i + 1 (as Chrome DevTools reads it); the last one has no end.
  p.samples.forEach((node, i) => {
    if (!idle.has(node)) busy += p.timeDeltas[i + 1] ?? 0;
  });
  return { busyMs: busy / 1000, spanMs: (p.endTime - p.startTime) / 1000 };
}
