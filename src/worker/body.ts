// Reading a request body with a bound: the bytes are refused as soon as they pass the limit, by
// the declared length or while streaming, so an oversized body is never read into memory.

/** The body's bytes, at most `max`; `tooLarge` is thrown past that (the rest is never read). */
export async function readBounded(request: Request, max: number, tooLarge: () => Error): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > max) throw tooLarge();
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
      reader.cancel().catch(() => {});
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
