// Reading a request body with a bound: the bytes are refused as soon as they pass the limit, by
// the declared length or while streaming, so an oversized body is never read into memory.
//
// An oversized body is drained, not cancelled: its rest is read and thrown away (at most
// DRAIN_BYTES, and only while it keeps arriving) before the refusal is answered. Cancelling the
// stream mid-body leaves the HTTP/1.1 connection that carried it with a request half sent; in
// `wrangler dev` that is the dev proxy's pooled connection to the Worker, so the next request on
// it fails with "Network connection lost" (a 500, or the proxy's 503), which wrangler reports as a
// fatal error and exits. In production the edge owns the client connection: the refusal is the
// same, and draining costs only the discarded bytes (never kept) and, at most, a short wait.

/** Bytes of an oversized body read and discarded before answering, at most. */
export const DRAIN_BYTES = 1024 * 1024;
/** A drained body that sends nothing for this long is left as it is: a stalled client waits for no one. */
const DRAIN_IDLE_MS = 250;

/** The body's bytes, at most `max`; `tooLarge` is thrown past that (the rest is never kept). */
export async function readBounded(request: Request, max: number, tooLarge: () => Error): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > max) {
    // A declared length the drain can take is read out; a larger one is refused unread.
    if (request.body && Number(declared) <= DRAIN_BYTES) await drain(request.body.getReader());
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  // Chunks are kept and copied once at the end: no buffer of the limit's size for a small body.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      chunks.length = 0;
      await drain(reader);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads and discards the rest of a body until it ends, DRAIN_BYTES have gone, or nothing has come
 * for DRAIN_IDLE_MS. Never cancels (see the header); errors (the client went away) end it quietly.
 */
export async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let left = DRAIN_BYTES;
  try {
    while (left > 0) {
      let stop = () => {};
      const idle = new Promise<"idle">((resolve) => {
        const timer = setTimeout(() => resolve("idle"), DRAIN_IDLE_MS);
        stop = () => clearTimeout(timer);
      });
      const read = reader.read();
      const next = await Promise.race([read, idle]);
      stop();
      if (next === "idle") {
        read.catch(() => {});
        return;
      }
      if (next.done) return;
      left -= next.value.byteLength;
    }
  } catch {
    // The client is gone: nothing left to drain.
  }
}
