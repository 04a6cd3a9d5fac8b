// A feed with a WebSub hub differs from the same feed without one by the hub link alone.

import { describe, expect, it } from "vitest";
import { renderAtom } from "../../../src/core/feeds/atom.js";
import { renderJson } from "../../../src/core/feeds/json.js";
import type { Feed } from "../../../src/core/feeds/model.js";
import { renderRss } from "../../../src/core/feeds/rss.js";
import { feed, item } from "./fixture.js";

const HUB = "https://hub.example/publish?a=1&b=2";

function withHub(f: Feed): Feed {
  return { ...f, links: { ...f.links, hub: HUB } };
}

describe("the hub link", () => {
  const plain = feed([item()]);

  it("is one atom:link after rel=self in RSS, its URL escaped", () => {
    const without = renderRss(plain);
    const hubLink = '\n        <atom:link href="https://hub.example/publish?a=1&amp;b=2" rel="hub"/>';
    expect(renderRss(withHub(plain))).toBe(
      without.replace(/(<atom:link href="[^"]*" rel="self" type="application\/rss\+xml"\/>)/, `$1${hubLink}`),
    );
  });

  it("is one link after rel=self in Atom", () => {
    const without = renderAtom(plain);
    const hubLink = '\n    <link rel="hub" href="https://hub.example/publish?a=1&amp;b=2"/>';
    expect(renderAtom(withHub(plain))).toBe(without.replace(/(<link rel="self" href="[^"]*"\/>)/, `$1${hubLink}`));
  });

  it("is the hubs member in JSON Feed", () => {
    const without = JSON.parse(renderJson(plain)) as Record<string, unknown>;
    const withIt = JSON.parse(renderJson(withHub(plain))) as Record<string, unknown>;
    expect(without.hubs).toBeUndefined();
    expect(withIt).toEqual({ ...without, hubs: [{ type: "WebSub", url: HUB }] });
  });
});
