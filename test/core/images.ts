// Tiny images, byte by byte, that the image-size and content tests read: PNG 640 × 480, GIF
// 300 × 200, JPEG 400 × 300, and WebP lossy, lossless and extended.

export const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

export const png = bytes(
  [0x89],
  "PNG\r\n\x1a\n",
  [0, 0, 0, 13],
  "IHDR",
  [0, 0, 2, 0x80],
  [0, 0, 1, 0xe0],
  [8, 6, 0, 0, 0],
);
export const gif = bytes("GIF87a", [0x2c, 0x01, 0xc8, 0x00], [0xf7, 0, 0]);
// SOI, an APP0 segment, fill bytes, then a baseline frame of 400 × 300.
export const jpeg = bytes(
  [0xff, 0xd8],
  [0xff, 0xe0, 0, 16],
  "JFIF\0",
  [1, 1, 0, 0, 1, 0, 1, 0, 0],
  [0xff, 0xff, 0xff, 0xc0, 0, 17, 8, 0x01, 0x2c, 0x01, 0x90, 3],
);
export const riff = (chunk: string, data: number[]) => bytes("RIFF", [0, 0, 0, 0], "WEBP", chunk, [0, 0, 0, 0], data);
export const webpLossy = riff("VP8 ", [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x20, 0x03, 0x58, 0x02]);
// Lossless 1000 × 600: (width - 1) and (height - 1) in 14 bits each, little-endian.
export const lossless = (999 | (599 << 14)) >>> 0;
export const webpLossless = riff("VP8L", [
  0x2f,
  lossless & 0xff,
  (lossless >> 8) & 0xff,
  (lossless >> 16) & 0xff,
  lossless >>> 24,
]);
export const webpExtended = riff("VP8X", [0x10, 0, 0, 0, 0x7f, 0x07, 0x00, 0x37, 0x04, 0x00]);
