// An article's image through the admin API: a URL, or {url, alt, width, height} with a pixel size
// that is checked, stored and returned, so GET sent back with PUT still changes nothing.

import { parseFeed } from "@rowanmanning/feed-parser";
import { describe, expect, it } from "vitest";
import { admin, fixture, request, stored, testServices } from "../../worker/helpers.js";

describe("the image of an article in the API", () => {
  it("takes a pixel size and returns it with the image", async () => {
    const image = { url: "/images/tram.png", alt: "A tram", width: 1600, height: 900 };
    expect((await admin("PUT", "/api/articles/sized", fixture({ slug: "sized", image }))).status).toBe(201);
    const got = (await (await request("/api/articles/sized")).json()) as { image: unknown };
    expect(got.image).toEqual({ ...image, url: "https://news.example.com/images/tram.png" });
    const plain = fixture({ slug: "unsized", image: "/images/tram.png" });
    expect((await admin("PUT", "/api/articles/unsized", plain)).status).toBe(201);
    const unsized = (await (await request("/api/articles/unsized")).json()) as { image: unknown };
    expect(unsized.image).toEqual({
      url: "https://news.example.com/images/tram.png",
      alt: "",
      width: null,
      height: null,
    });
  });

  it.each([
    [{ url: "/a.png", width: 0, height: 10 }, "image.width", "must be at least 1"],
    [{ url: "/a.png", width: 10, height: 65536 }, "image.height", "must be at most 65535"],
    [{ url: "/a.png", width: "10", height: 10 }, "image.width", "must be a number of pixels"],
    [{ url: "/a.png", width: 10 }, "image.height", "give both width and height, or neither"],
    [{ url: "/a.png", size: 10 }, "image.size", "is not a known field"],
  ])("refuses %j with a 400 naming %s, and changes nothing stored", async (image, field, detail) => {
    const before = await stored("sized");
    const res = await admin("PUT", "/api/articles/sized", fixture({ slug: "sized", image }));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    const body = (await res.json()) as { errors: { field: string; detail: string }[] };
    expect(body.errors).toContainEqual({ field, detail });
    expect(await stored("sized")).toEqual(before);
  });
});

describe("the length of a local image in the feeds", () => {
  it("is the file's length content sync stored: the RSS enclosure's and media:content's, and Atom's", async () => {
    // As content sync writes an article whose image is a 30 551-byte file under public/.
    await admin("PUT", "/api/articles/pic-seed", fixture({ slug: "pic-seed", tags: ["Pictures"] }));
    const seed = await stored("pic-seed");
    if (!seed) throw new Error("seed missing");
    await admin("DELETE", "/api/articles/pic-seed");
    const image = { url: "https://news.example.com/images/tram-line.png", alt: "A tram", width: 1024, height: 576 };
    await testServices().articles.put(
      { ...seed, slug: "pic-file", image: { ...image, bytes: 30551 } },
      { kind: "file", path: "content/pic-file.md", hash: "h" },
    );
    await testServices().articles.put(
      {
        ...seed,
        slug: "pic-remote",
        publishedAt: seed.publishedAt - 1000,
        image: { ...image, url: "https://elsewhere.example/a.png" },
      },
      { kind: "file", path: "content/pic-remote.md", hash: "h" },
    );
    expect((await stored("pic-file"))?.image).toEqual({ ...image, bytes: 30551 });

    const rss = await (await request("/tags/pictures/feed.xml")).text();
    expect(rss).toMatch(
      /<enclosure length="30551" type="image\/png" url="https:\/\/news\.example\.com\/images\/tram-line\.png"\/>/,
    );
    expect(rss).toMatch(/<enclosure length="0" type="image\/png" url="https:\/\/elsewhere\.example\/a\.png"\/>/);
    const atom = await (await request("/tags/pictures/atom.xml")).text();
    for (const xml of [rss, atom]) {
      const [file, remote] = parseFeed(xml).items;
      expect(file?.media.map((m) => m.length)).toContain(30551);
      expect(remote?.media.map((m) => m.length)).not.toContain(30551);
    }
    // The API's image is what a publisher gives, so a GET sent back with PUT changes nothing.
    const api = (await (await request("/api/articles/pic-file")).json()) as { image: unknown };
    expect(api.image).toEqual(image);
  });
});
