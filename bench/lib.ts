// Side-by-side timing: A and B alternate in one run, on the same machine, and only the
// ratio of their medians is reported (absolute numbers on shared machines mean little).

export interface Comparison {
  name: string;
  /** ours */
  a: () => unknown;
  /** baseline */
  b: () => unknown;
}

/** Collects garbage between rounds (npm run bench passes --expose-gc), so one side's garbage is not timed against the other. */
export function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((x, y) => x - y);
  const upper = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const lower = sorted.length % 2 === 0 ? (sorted[sorted.length / 2 - 1] ?? upper) : upper;
  return (lower + upper) / 2;
}

function time(fn: () => unknown, iterations: number): number {
  settle();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - start) / iterations;
}

async function timeAsync(fn: () => unknown, iterations: number): Promise<number> {
  settle();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - start) / iterations;
}

/** Milliseconds per call for A and B, median of `rounds` alternating rounds. */
export function compare({ a, b }: Comparison, rounds = 15, iterations = 20): { a: number; b: number } {
  for (let i = 0; i < 5; i++) {
    a();
    b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    as.push(time(a, iterations));
    bs.push(time(b, iterations));
  }
  return { a: median(as), b: median(bs) };
}

/**
 * Like `compare`, for functions that may return promises (each call is awaited). Both sides
 * run the same number of calls per round, so neither gets a different share of warm-up or GC.
 */
export async function compareAsync(
  { a, b }: Omit<Comparison, "name">,
  rounds: number,
  iterations: number,
  warmup = 5,
): Promise<{ a: number; b: number }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    as.push(await timeAsync(a, iterations));
    bs.push(await timeAsync(b, iterations));
  }
  return { a: median(as), b: median(bs) };
}

export function report(rows: { name: string; a: number; b: number; unit: string; better: "lower" | "higher" }[]): void {
  for (const row of rows) {
    const ratio = row.better === "lower" ? row.b / row.a : row.a / row.b;
    console.log(
      `${row.name.padEnd(58)} ours ${row.a.toFixed(3).padStart(9)} ${row.unit}  baseline ${row.b.toFixed(3).padStart(9)} ${row.unit}  -> ${ratio.toFixed(2)}x`,
    );
  }
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws ranks 0..n-1 with weight 1 / (rank + 1)^s. */
export function zipf(n: number, s: number, rand: () => number): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cumulative.push(sum);
  }
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? sum) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
