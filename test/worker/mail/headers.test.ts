import { describe, expect, it } from "vitest";
import { listHeaders } from "../../../src/worker/mail/headers.js";
import { SITE } from "../helpers.js";
import { UNSUBSCRIBE } from "./letters.js";

describe("list headers", () => {
  it("name the list by the site's host and unsubscribe with one click", () => {
    expect(listHeaders({ siteUrl: SITE, unsubscribeUrl: UNSUBSCRIBE })).toEqual({
      "List-Id": "<digest.news.example.com>",
      "List-Unsubscribe": "<https://news.example.com/unsubscribe?token=tok-123>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
});
