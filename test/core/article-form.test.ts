// The console editor's form as data: datetime-local text in the site's zone, and a form that
// becomes the admin API's JSON object, its errors named by the form's fields.

import { describe, expect, it } from "vitest";
import { articleFromMarkdown, served } from "../../src/core/article.js";
import { articleFromForm, BLANK_FORM, instantOfLocal, localDateTime } from "../../src/core/article-form.js";
import { ArticleError } from "../../src/core/errors.js";

const SITE = "https://news.example.com";

describe("datetime-local in the site's zone", () => {
  it("reads a wall-clock time in the zone, and writes it back", () => {
    expect(instantOfLocal("2022-01-10T16:00", "Asia/Almaty")).toBe(Date.parse("2022-01-10T10:00:00Z"));
    expect(instantOfLocal("2022-01-10T16:00:05", "Asia/Almaty")).toBe(Date.parse("2022-01-10T10:00:05Z"));
    expect(localDateTime(Date.parse("2022-01-10T10:00:00Z"), "Asia/Almaty")).toBe("2022-01-10T16:00");
    expect(localDateTime(Date.parse("2022-01-10T10:00:05Z"), "Asia/Almaty")).toBe("2022-01-10T16:00:05");
  });

  it("reads a time the clocks skip with the offset before the gap, behind or ahead of UTC", () => {
    // Berlin skips 02:00 to 03:00 on 27 March 2022 (+01:00 before).
    expect(instantOfLocal("2022-03-27T02:30", "Europe/Berlin")).toBe(Date.parse("2022-03-27T01:30:00Z"));
    expect(instantOfLocal("2022-03-27T03:30", "Europe/Berlin")).toBe(Date.parse("2022-03-27T01:30:00Z"));
    expect(instantOfLocal("2022-03-27T01:59", "Europe/Berlin")).toBe(Date.parse("2022-03-27T00:59:00Z"));
    // New York skips 02:00 to 03:00 on 13 March 2022 (-05:00 before).
    expect(instantOfLocal("2022-03-13T02:30", "America/New_York")).toBe(Date.parse("2022-03-13T07:30:00Z"));
  });

  it("refuses days and times that do not exist, and other text", () => {
    for (const text of ["2022-02-30T10:00", "2022-01-10T24:00", "2022-01-10T10:60", "2022-01-10 10:00", "", "soon"]) {
      expect(instantOfLocal(text, "Asia/Almaty"), text).toBeNull();
    }
  });
});

describe("a form as the API's article", () => {
  const context = { siteUrl: SITE, now: Date.parse("2022-06-01T00:00:00Z"), timeZone: "Asia/Almaty", existing: null };

  it("names the form's fields in its errors", () => {
    const values = { ...BLANK_FORM, title: "", date: "2022-01-10T16:00", tags: "x".repeat(101), image: "/a.png" };
    try {
      articleFromForm(values, "draft", context);
      expect.unreachable();
    } catch (error) {
      if (!(error instanceof ArticleError)) throw error;
      expect(error.errors.map((e) => e.field).sort()).toEqual(["image_alt", "tags", "title"]);
    }
  });

  it("schedules only after now: a minute after is enough, the same minute is not", () => {
    const values = { ...BLANK_FORM, title: "T", body: "B" };
    const at = (date: string) => articleFromForm({ ...values, date }, "schedule", context).publishedAt;
    expect(at("2022-06-01T06:01")).toBe(Date.parse("2022-06-01T00:01:00Z"));
    expect(() => at("2022-06-01T06:00")).toThrow(ArticleError);
  });

  it("keeps an edited article's old paths (aliases), which the form does not show", () => {
    // As the console reads it from the store: served, with SITE_URL written back.
    const stored = articleFromMarkdown(
      '---\ntitle: "Moved"\ndate: "2022-01-10T16:00:00+06:00"\naliases: ["/2019/05/moved/"]\n---\nBody.\n',
      { siteUrl: SITE, slug: "moved" },
    );
    const existing = served(stored, SITE);
    const values = { ...BLANK_FORM, title: "Moved, edited", date: "2022-01-10T16:00", body: "Body." };
    const edited = articleFromForm(values, "publish", { ...context, existing });
    expect(edited.aliases).toEqual(["/2019/05/moved"]);
  });
});
