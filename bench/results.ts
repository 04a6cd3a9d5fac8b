// Writes what `npm run bench` printed into docs/benchmarks.md, between the markers of its section,
// so the figures the docs give are the last run's and live in one file, never in prose.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { format } from "node:util";

export const BENCHMARKS_FILE = new URL("../docs/benchmarks.md", import.meta.url);

/** `doc` with the text between `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->` replaced by `body`. */
export function replaceSection(doc: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = doc.indexOf(start);
  const to = from < 0 ? -1 : doc.indexOf(end, from);
  if (to < 0) throw new Error(`docs/benchmarks.md: no "${start}" ... "${end}" section to write the results into`);
  return `${doc.slice(0, from + start.length)}\n${body.trimEnd()}\n${doc.slice(to)}`;
}

/** The section's text: where and when it ran, then the output as printed (colours removed). */
export function sectionBody(lines: readonly string[], run: { command: string; when: Date; machine: string }): string {
  const esc = String.fromCharCode(27);
  const text = lines.join("\n").replaceAll(new RegExp(`${esc}\\[[0-9;]*m`, "g"), "");
  const day = run.when.toISOString().slice(0, 16).replace("T", " ");
  return `\`${run.command}\`, ${day} UTC, ${run.machine}:\n\n\`\`\`text\n${text.trimEnd()}\n\`\`\``;
}

/** The commit, Node, the CPUs and the load average, which the figures depend on. */
export function machine(): string {
  let commit = "an unknown commit";
  try {
    commit = `commit ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()}`;
  } catch {
    // Not a git checkout: the rest still says where it ran.
  }
  const cores = cpus();
  const load = loadavg()[0] ?? 0;
  return `${commit}, Node ${process.version}, ${cores.length} × ${cores[0]?.model.trim() ?? "CPU"}, load average ${load.toFixed(1)} at the start`;
}

/**
 * Copies every console.log line from now on (still printing it). `write` puts them into the
 * section `name` of `file`; call it only when the run finished, so a failed run leaves the last
 * good figures in place.
 */
export function recordOutput(command: string, file: URL = BENCHMARKS_FILE): { write: (name: string) => void } {
  const when = new Date();
  const where = machine();
  const lines: string[] = [];
  const original = console.log;
  const log = original.bind(console);
  console.log = (...args: unknown[]) => {
    lines.push(format(...args));
    log(...args);
  };
  return {
    write(name) {
      console.log = original;
      const doc = readFileSync(file, "utf8");
      writeFileSync(file, replaceSection(doc, name, sectionBody(lines, { command, when, machine: where })));
      log(`\nWrote these results to ${file.pathname} (section "${name}").`);
    },
  };
}
