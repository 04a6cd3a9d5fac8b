// Subscriber import files: adversarial CSV of 1 MB through the reader, each against 1 MB of an
// ordinary export and against the same pattern at a quarter of the size (near 4 when the reader is
// linear, near 16 for a quadratic pattern), then a 100 000-row export through the whole import;
// and `npm run import:subscribers` of that file into a fresh local D1 and again, against the
// issue's target (under 60 s) and against the in-process read of the same file.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { OFFLINE_ENV, WRANGLER_BIN } from "../scripts/wrangler.js";
import { CsvReader, SubscriberImport } from "../src/core/import/index.js";
import { median, settle } from "./lib.js";

const TSX = createRequire(import.meta.url).resolve("tsx/cli");
const LOCAL_TARGET_S = 60;

const SIZE = 1 << 20;
const CHUNK = 65_536;
const encode = (text: string) => new TextEncoder().encode(text);
const repeatTo = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** A Buttondown-style export of `rows` rows, every 20th unsubscribed, the last 5% repeating earlier addresses. */
export function exportFile(rows: number): Uint8Array {
  const lines = ["email,creation_date,subscriber_type,tags"];
  const distinct = Math.floor(rows * 0.95);
  for (let i = 0; i < rows; i++) {
    const n = i < distinct ? i : i - distinct;
    lines.push(
      `reader${n}@example.com,2020-01-01T00:00:00Z,${n % 20 === 0 ? "unsubscribed" : "regular"},"Transit, politics"`,
    );
  }
  return encode(`${lines.join("\r\n")}\r\n`);
}

function cases(size: number): { name: string; bytes: Uint8Array }[] {
  const fill = (unit: string) => encode(repeatTo(unit, size));
  return [
    { name: '" run', bytes: fill('"') },
    { name: ", run", bytes: fill(",") },
    { name: "line break run", bytes: fill("\n") },
    { name: "one quoted field of doubled quotes", bytes: encode(`"${repeatTo('""', size - 2)}"`) },
    { name: "one quoted field of CRLF lines", bytes: encode(`"${repeatTo("ab\r\n", size - 2)}"`) },
    { name: "one unquoted field", bytes: fill("a") },
    { name: '"," pairs', bytes: fill('",') },
    { name: "bytes that are not UTF-8 (Windows-1252)", bytes: Uint8Array.from({ length: size }, () => 0xe9) },
  ];
}

function readAll(bytes: Uint8Array): () => void {
  return () => {
    const reader = new CsvReader();
    for (let i = 0; i < bytes.length; i += CHUNK) reader.push(bytes.subarray(i, i + CHUNK));
    reader.end();
  };
}

function importAll(bytes: Uint8Array): () => number {
  return () => {
    const run = new SubscriberImport({ siteTags: [{ name: "Transit", slug: "transit" }] });
    for (let i = 0; i < bytes.length; i += CHUNK) run.push(bytes.subarray(i, i + CHUNK));
    return run.end().records.length;
  };
}

/** Milliseconds of one call, after collecting the previous one's garbage. */
function time(fn: () => unknown): number {
  settle();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Each case (A), 1 MB of an ordinary export (P) and the case at a quarter size (Q), alternating. */
export function run(rounds = 5): void {
  const ordinary = readAll(exportFile(Math.ceil(SIZE / 74)).subarray(0, SIZE));
  const quarter = cases(SIZE / 4);
  console.log(`${"case (1 MB)".padEnd(44)}${"ms".padStart(9)}${"export".padStart(9)}  vs export  1 MB / 256 KB`);
  cases(SIZE).forEach((c, index) => {
    const a = readAll(c.bytes);
    const q = readAll(quarter[index]?.bytes ?? new Uint8Array(0));
    const as: number[] = [];
    const ps: number[] = [];
    const qs: number[] = [];
    // One warm-up of each, so the first timed round is not the compiler's.
    a();
    q();
    for (let r = 0; r < rounds; r++) {
      as.push(time(a));
      ps.push(time(ordinary));
      qs.push(time(q));
    }
    const [ma, mp, mq] = [median(as), median(ps), median(qs)];
    console.log(
      `${c.name.padEnd(44)}${ma.toFixed(1).padStart(9)}${mp.toFixed(1).padStart(9)}${(ma / mp).toFixed(2).padStart(9)}x${(ma / mq).toFixed(2).padStart(13)}x`,
    );
  });
  const full = importAll(exportFile(100_000));
  const small = importAll(exportFile(25_000));
  const fulls: number[] = [];
  const smalls: number[] = [];
  small();
  for (let r = 0; r < rounds; r++) {
    fulls.push(time(full));
    smalls.push(time(small));
  }
  console.log(
    `${"100 000-row export, whole import".padEnd(44)}${median(fulls).toFixed(1).padStart(9)} ms; 100 000 / 25 000 rows: ${(median(fulls) / median(smalls)).toFixed(2)}x`,
  );
}

/** `npm run import:subscribers` of a 100 000-row export into a fresh local D1, then again (nothing to change). */
export function localImport(rows = 100_000): void {
  const dir = mkdtempSync(join(tmpdir(), "bench-import-"));
  try {
    const bytes = exportFile(rows);
    const file = join(dir, "export.csv");
    writeFileSync(file, bytes);
    const state = join(dir, "state");
    const config = resolve("wrangler.toml");
    execFileSync(
      process.execPath,
      [WRANGLER_BIN, "d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", state],
      { cwd: dir, env: { ...process.env, ...OFFLINE_ENV }, stdio: "ignore" },
    );
    const inProcess = time(importAll(bytes)) / 1000;
    const once = () => {
      const begin = performance.now();
      const result = spawnSync(
        process.execPath,
        [
          TSX,
          resolve("scripts/import-subscribers.ts"),
          file,
          "--mode",
          "confirmed",
          "--config",
          config,
          "--persist-to",
          state,
        ],
        { cwd: dir, env: { ...process.env, ...OFFLINE_ENV }, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
      );
      const seconds = (performance.now() - begin) / 1000;
      if (result.status !== 0)
        throw new Error(`import:subscribers exited with ${result.status}: ${result.stderr.slice(0, 2000)}`);
      return { seconds, last: result.stdout.trim().split("\n").pop() ?? "" };
    };
    console.log(
      `\nnpm run import:subscribers of a ${String(rows).replace(/\B(?=(\d{3})+$)/g, " ")}-row export into a local D1, wall time of the whole command:`,
    );
    for (const [name, run] of [
      ["fresh database", once()],
      ["the same file again", once()],
    ] as const) {
      console.log(`  ${run.last}`);
      console.log(
        `  ${name}: ${run.seconds.toFixed(1)} s (target under ${LOCAL_TARGET_S} s: ${run.seconds < LOCAL_TARGET_S ? "met" : "MISSED"}); ${(run.seconds / inProcess).toFixed(1)}x the in-process read (${inProcess.toFixed(2)} s)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
