// Local images of content files: the path a content file names under public/, and the article
// that carries its size.

import { describe, expect, it } from "vitest";
import { localImageFile, withImageFile } from "../../src/core/content.js";
import { SITE_MARK } from "../../src/core/text.js";
import { article } from "./digest/fixture.js";
import { bytes, gif } from "./images.js";

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
