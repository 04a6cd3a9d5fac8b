import { describe, expect, it } from "vitest";
import { localImageFile, withImageFile } from "../../src/core/content.js";
import { imageSize } from "../../src/core/image-size.js";
import { SITE_MARK } from "../../src/core/text.js";
import { article } from "./digest/fixture.js";

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

const png = bytes([0x89], "PNG\r\n\x1a\n", [0, 0, 0, 13], "IHDR", [0, 0, 2, 0x80], [0, 0, 1, 0xe0], [8, 6, 0, 0, 0]);
const gif = bytes("GIF87a", [0x2c, 0x01, 0xc8, 0x00], [0xf7, 0, 0]);
// SOI, an APP0 segment, fill bytes, then a baseline frame of 400 × 300.
const jpeg = bytes(
  [0xff, 0xd8],
  [0xff, 0xe0, 0, 16],
  "JFIF\0",
  [1, 1, 0, 0, 1, 0, 1, 0, 0],
  [0xff, 0xff, 0xff, 0xc0, 0, 17, 8, 0x01, 0x2c, 0x01, 0x90, 3],
);
const riff = (chunk: string, data: number[]) => bytes("RIFF", [0, 0, 0, 0], "WEBP", chunk, [0, 0, 0, 0], data);
const webpLossy = riff("VP8 ", [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x20, 0x03, 0x58, 0x02]);
// Lossless 1000 × 600: (width - 1) and (height - 1) in 14 bits each, little-endian.
const lossless = (999 | (599 << 14)) >>> 0;
const webpLossless = riff("VP8L", [
  0x2f,
  lossless & 0xff,
  (lossless >> 8) & 0xff,
  (lossless >> 16) & 0xff,
  lossless >>> 24,
]);
const webpExtended = riff("VP8X", [0x10, 0, 0, 0, 0x7f, 0x07, 0x00, 0x37, 0x04, 0x00]);

describe("imageSize", () => {
  it("reads the size from PNG, GIF, JPEG and WebP headers", () => {
    expect(imageSize(png)).toEqual({ width: 640, height: 480, type: "png" });
    expect(imageSize(gif)).toEqual({ width: 300, height: 200, type: "gif" });
    expect(imageSize(jpeg)).toEqual({ width: 400, height: 300, type: "jpeg" });
    expect(imageSize(webpLossy)).toEqual({ width: 800, height: 600, type: "webp" });
    expect(imageSize(webpLossless)).toEqual({ width: 1000, height: 600, type: "webp" });
    expect(imageSize(webpExtended)).toEqual({ width: 1920, height: 1080, type: "webp" });
  });

  it("reads a progressive JPEG's frame, skipping segments before it", () => {
    const progressive = jpeg.slice();
    progressive[progressive.length - 9] = 0xc2;
    expect(imageSize(progressive)).toEqual({ width: 400, height: 300, type: "jpeg" });
  });

  it("gives null, never a throw, for every truncation of a valid header", () => {
    for (const image of [png, gif, jpeg, webpLossy, webpLossless, webpExtended]) {
      for (let end = 0; end < image.length; end++) {
        const size = imageSize(image.subarray(0, end));
        // A prefix either lacks the size or already holds all of it.
        if (size !== null) expect(size).toEqual(imageSize(image));
      }
    }
    expect(imageSize(png.subarray(0, 23))).toBeNull();
    expect(imageSize(jpeg.subarray(0, jpeg.length - 3))).toBeNull();
  });

  it("gives null for garbage, zero sizes and JPEG segments that lie about their length", () => {
    expect(imageSize(new Uint8Array())).toBeNull();
    expect(imageSize(bytes("not an image at all, just some text"))).toBeNull();
    expect(imageSize(bytes("GIF89a", [0, 0, 5, 0]))).toBeNull();
    expect(imageSize(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 1]))).toBeNull();
    expect(imageSize(bytes([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 1, 2, 3, 4]))).toBeNull();
    expect(imageSize(bytes([0xff, 0xd8, 0xff, 0xda, 0, 8, 0, 0, 0, 0]))).toBeNull();
    expect(imageSize(riff("VP8 ", [0, 0, 0, 0, 0, 0, 0x20, 0x03, 0x58, 0x02]))).toBeNull();
    // Deterministic noise, with each format's signature in front of it.
    let seed = 42;
    const noise = (n: number) =>
      Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed & 0xff;
      });
    for (let i = 0; i < 300; i++) {
      for (const head of [[0xff, 0xd8], [0x89, 0x50, 0x4e, 0x47], [...bytes("RIFF")], []]) {
        const size = imageSize(Uint8Array.from([...head, ...noise(i)]));
        if (size) {
          expect(size.width).toBeGreaterThan(0);
          expect(size.height).toBeGreaterThan(0);
        }
      }
    }
  });

  it("walks a megabyte of JPEG fill bytes to its end", () => {
    const fill = new Uint8Array(1024 * 1024).fill(0xff);
    fill[1] = 0xd8;
    expect(imageSize(fill)).toBeNull();
  });
});

describe("local images of content files", () => {
  const withImage = (url: string, width: number | null = null) =>
    article(1, { image: { url, alt: "", width, height: width } });

  it("names the file under public/ for an image on this site, its size given or not", () => {
    expect(localImageFile(withImage(`${SITE_MARK}/images/tram%20line.png?v=2`))).toBe("images/tram line.png");
    expect(localImageFile(withImage(`${SITE_MARK}/images/a.png`, 10))).toBe("images/a.png");
    expect(localImageFile(withImage("https://elsewhere.example/a.png"))).toBeNull();
    expect(localImageFile(withImage(`${SITE_MARK}/images/%2e%2e/%2e%2e/secret`))).toBeNull();
    expect(localImageFile(withImage(`${SITE_MARK}/images/%E0`))).toBeNull();
    expect(localImageFile(withImage(`${SITE_MARK}/`))).toBeNull();
  });

  it("fills in the file's length, and the pixel size the header gives when none was given", () => {
    const a = withImage(`${SITE_MARK}/images/a.gif`);
    expect(withImageFile(a, { header: gif, bytes: 30551 }).image).toEqual({
      url: `${SITE_MARK}/images/a.gif`,
      alt: "",
      width: 300,
      height: 200,
      bytes: 30551,
    });
    const given = withImage(`${SITE_MARK}/images/a.gif`, 10);
    expect(withImageFile(given, { header: gif, bytes: 30551 }).image).toEqual({
      url: `${SITE_MARK}/images/a.gif`,
      alt: "",
      width: 10,
      height: 10,
      bytes: 30551,
    });
    expect(withImageFile(a, { header: bytes("junk"), bytes: 4 }).image).toEqual({
      url: `${SITE_MARK}/images/a.gif`,
      alt: "",
      width: null,
      height: null,
      bytes: 4,
    });
    const none = article(1, { image: null });
    expect(withImageFile(none, { header: gif, bytes: 30551 })).toBe(none);
  });
});
