import { describe, expect, it } from "vitest";
import { imageSize } from "../../src/core/image-size.js";
import { bytes, gif, jpeg, png, riff, webpExtended, webpLossless, webpLossy } from "./images.js";

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
