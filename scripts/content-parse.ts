// Parsing and rendering content files on worker threads, one per core, for the content sync: on a
// fresh database most of its time is Markdown (about 1 ms a file). Files go out in slices of
// SLICE to whichever thread is free, and results are put back by position, so the plan, its writes
// and its error lines come out in the same order whatever thread finished first.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type ContentFile, type ParsedFile, parseContentFile } from "../src/core/content.js";

/** Files per message: large enough that a message costs little, small enough to share out evenly. */
const SLICE = 250;
/** Below this many files a thread's start (loading the renderer again) costs more than it saves. */
const MIN_FILES_FOR_THREADS = 1000;

// A thread does not get tsx's loader from the flags it inherits (Node 20 reports an unknown ".ts"
// extension), so it loads the TypeScript module through tsx's API.
const BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => tsx.tsImport(${JSON.stringify(
  new URL("./content-parse-worker.ts", import.meta.url).href,
)}, ${JSON.stringify(import.meta.url)}))`;

export interface ParseRequest {
  files: ContentFile[];
  siteUrl: string;
}

/** Parses the files on up to `threads` worker threads; results in the order of `files`. */
export async function parseInThreads(
  files: ContentFile[],
  siteUrl: string,
  threads = availableParallelism(),
): Promise<ParsedFile[]> {
  const count = Math.min(threads, Math.ceil(files.length / SLICE));
  if (count < 2 || files.length < MIN_FILES_FOR_THREADS) return files.map((f) => parseContentFile(f, siteUrl));
  const results: ParsedFile[] = new Array(files.length);
  let nextSlice = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, () => {
        const worker = new Worker(BOOT, { eval: true });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          let from = 0;
          const send = () => {
            from = nextSlice;
            nextSlice += SLICE;
            if (from >= files.length) return resolve();
            const request: ParseRequest = { files: files.slice(from, from + SLICE), siteUrl };
            worker.postMessage(request);
          };
          worker.on("message", (parsed: ParsedFile[]) => {
            for (const [i, result] of parsed.entries()) results[from + i] = result;
            send();
          });
          worker.on("error", reject);
          worker.on("exit", (code) => reject(new Error(`a parse thread stopped (exit code ${code})`)));
          send();
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
