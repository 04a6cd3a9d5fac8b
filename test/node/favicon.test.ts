// /favicon.ico is a static file: public/ is served before the Worker runs (wrangler.toml
// [assets]), which the workerd tests do not reach, so the file itself is checked here.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("favicon.ico", () => {
  it("is an icon file in the assets folder holding the site's PNG", () => {
    expect(readFileSync("wrangler.toml", "utf8")).toMatch(/\[assets\]\s+directory = "\.\/public"/);
    const bytes = readFileSync("public/favicon.ico");
    // ICONDIR: reserved 0, type 1 (icon), one image; its entry says 64x64 at 32 bits.
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
    expect([bytes[6], bytes[7], bytes.readUInt16LE(12)]).toEqual([64, 64, 32]);
    const size = bytes.readUInt32LE(14);
    const offset = bytes.readUInt32LE(18);
    expect(offset + size).toBe(bytes.length);
    // The image is the PNG the pages link to (PNG in ICO: every browser since 2007 reads it).
    expect(bytes.subarray(offset).equals(readFileSync("public/favicon.png"))).toBe(true);
  });
});
