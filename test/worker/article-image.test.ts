// An article's image through the admin API: a URL, or {url, alt, width, height} with a pixel size
// that is checked, stored and returned, so GET sent back with PUT still changes nothing.

import { describe, expect, it } from "vitest";
import { admin, fixture, request, stored } from "./helpers.js";

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
