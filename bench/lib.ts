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

function time(fn: () => unknown, iterations: number): number {
  settle();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - start) / iterations;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;

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

export function report(rows: { name: string; a: number; b: number; unit: string; better: "lower" | "higher" }[]): void {
  for (const row of rows) {
    const ratio = row.better === "lower" ? row.b / row.a : row.a / row.b;
    console.log(
      `${row.name.padEnd(58)} ours ${row.a.toFixed(3).padStart(9)} ${row.unit}  baseline ${row.b.toFixed(3).padStart(9)} ${row.unit}  -> ${ratio.toFixed(2)}x`,
    );
  }
}
