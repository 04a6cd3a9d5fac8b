// The pixel size of an image from the first bytes of its file: PNG, GIF, JPEG and WebP headers.
// Pure and safe on any bytes: a truncated, garbage or hostile file gives null, never a throw,
// and the work is linear in the bytes given (a JPEG's segments are skipped by their lengths).

export interface ImageSize {
  width: number;
  height: number;
  type: "png" | "gif" | "jpeg" | "webp";
}

/** Bytes a caller should read from the start of a file: enough for a JPEG with large metadata. */
export const IMAGE_HEADER_BYTES = 512 * 1024;

export function imageSize(bytes: Uint8Array): ImageSize | null {
  const size = png(bytes) ?? gif(bytes) ?? webp(bytes) ?? jpeg(bytes);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u16le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, at: number) => u16le(b, at) | ((b[at + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 0x10000 + u16be(b, at + 2);
const ascii = (b: Uint8Array, at: number, text: string) =>
  b.length >= at + text.length && [...text].every((c, i) => b[at + i] === c.charCodeAt(0));

function png(b: Uint8Array): ImageSize | null {
  // Signature, then the IHDR chunk, which the format requires first.
  if (b.length < 24 || !ascii(b, 1, "PNG\r\n\u001a\n") || b[0] !== 0x89 || !ascii(b, 12, "IHDR")) return null;
  return { width: u32be(b, 16), height: u32be(b, 20), type: "png" };
}

function gif(b: Uint8Array): ImageSize | null {
  if (b.length < 10 || !(ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a"))) return null;
  return { width: u16le(b, 6), height: u16le(b, 8), type: "gif" };
}

function webp(b: Uint8Array): ImageSize | null {
  if (!ascii(b, 0, "RIFF") || !ascii(b, 8, "WEBP")) return null;
  if (ascii(b, 12, "VP8 ") && b.length >= 30) {
    // Lossy: a key frame's start code, then 14-bit sizes (the top two bits are scaling).
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, type: "webp" };
  }
  if (ascii(b, 12, "VP8L") && b.length >= 25) {
    // Lossless: a signature byte, then width - 1 and height - 1 in 14 bits each.
    if (b[20] !== 0x2f) return null;
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, type: "webp" };
  }
  if (ascii(b, 12, "VP8X") && b.length >= 30) {
    // Extended: the canvas size, minus one, in 24 bits each.
    return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1, type: "webp" };
  }
  return null;
}

/** Start-of-frame markers: every SOFn but DHT (C4), JPG (C8) and DAC (CC). */
const isFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpeg(b: Uint8Array): ImageSize | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  // Every step moves forward by at least two bytes, so the walk is linear and always ends.
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte before a marker
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = u16be(b, at + 2);
    if (length < 2) return null;
    if (isFrame(marker)) {
      if (at + 9 > b.length) return null;
      return { width: u16be(b, at + 7), height: u16be(b, at + 5), type: "jpeg" };
    }
    at += 2 + length;
  }
  return null;
}
