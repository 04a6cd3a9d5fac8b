// Feeds and writes of a deployment without WEBSUB_HUB (this project sets none), and one whose
// WEBSUB_HUB is malformed. The feeds' bodies stay as they were: the render snapshots cover them.

import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, fixture, isolate, request, stored, TOKEN } from "../../worker/helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("without WEBSUB_HUB", () => {
  it("feeds advertise no hub, in the body or in a Link header", async () => {
    expect((await admin("POST", "/api/articles", fixture({ tags: ["No Hub"] }))).status).toBe(201);
    for (const path of [
      "/feed.xml",
      "/atom.xml",
      "/feed.json",
      "/tags/no-hub/atom.xml",
      "/authors/dana-kim/feed.json",
    ]) {
      const res = await request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("link")).toBeNull();
      const body = await res.text();
      expect(body).not.toContain('rel="hub"');
      expect(body).not.toContain('"hubs"');
    }
  });
});

describe("a malformed WEBSUB_HUB", () => {
  it("fails the feeds loudly, naming the setting", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await isolate({ WEBSUB_HUB: "http://hub.example.com/" }).fetch("/feed.xml");
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("WEBSUB_HUB");
    expect(errors).toHaveBeenCalled();
  });

  it("never fails a write: the article is stored and the problem logged", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const article = fixture();
    const res = await isolate({ WEBSUB_HUB: "not a url" }).fetch("/api/articles", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(article),
    });
    expect(res.status).toBe(201);
    expect((await stored(String(article.slug)))?.title).toBe(article.title);
    expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/websub\.not-queued.*WEBSUB_HUB/);
  });
});
