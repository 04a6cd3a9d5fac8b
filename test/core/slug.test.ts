import { describe, expect, it } from "vitest";
import { isSlug, slugify } from "../../src/core/slug.js";

describe("slugify", () => {
  it.each([
    ["Protests in Kazakhstan", "protests-in-kazakhstan"],
    ["Zoë Ortega", "zoe-ortega"],
    ["  City Hall / Budget 2022 ", "city-hall-budget-2022"],
    ["Straße & Ærø", "strasse-aero"],
    ["Q&A: <b> tags", "q-a-b-tags"],
  ])("turns %j into %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it("gives a name without Latin letters a stable fallback that is a valid path segment", () => {
    const slug = slugify("Қоғам");
    expect(slug).toMatch(/^x-[0-9a-z]{13}$/);
    expect(slugify("Қоғам")).toBe(slug);
    expect(slugify("Культура")).not.toBe(slug);
    expect(encodeURIComponent(slug)).toBe(slug);
    expect(isSlug(slug)).toBe(true);
  });

  it("treats digits alone as no Latin letters", () => {
    expect(slugify("2022")).toMatch(/^x-/);
  });

  it("keeps slugs short, cutting at a word", () => {
    const slug = slugify("word ".repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.endsWith("-")).toBe(false);
  });
});
