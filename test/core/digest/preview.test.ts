// The edition preview's additions to a digest: Gmail's clip at its boundary, the byte size, the
// dark variant and the preheader as an inbox reads it.

import { DomUtils, parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { clipped, darkVariant, htmlBytes, preheaderOf } from "../../../src/core/digest/preview.js";

describe("clipped", () => {
  it("is false up to 102 KB (104 448 bytes) and true one byte over", () => {
    expect(clipped(104_447)).toBe(false);
    expect(clipped(104_448)).toBe(false);
    expect(clipped(104_449)).toBe(true);
  });
});

describe("htmlBytes", () => {
  it("counts UTF-8 bytes, not characters", () => {
    expect(htmlBytes("a")).toBe(1);
    expect(htmlBytes("é")).toBe(2);
    expect(htmlBytes("Алматы 🚋")).toBe(17);
  });
});

describe("darkVariant", () => {
  const html =
    "<html><head><style>a{color:blue}\n@media (prefers-color-scheme: dark) { a{color:white} }\n@media only screen and (prefers-color-scheme:light){a{color:navy}}</style></head><body><a href=x>x</a></body></html>";

  it("applies the dark rules unconditionally, never the light-only ones, and sets a dark colour scheme", () => {
    expect(darkVariant(html)).toBe(
      "<html><head><style>a{color:blue}\n@media (min-width: 0px) { a{color:white} }\n@media only screen and (max-width: -1px){a{color:navy}}</style><style>:root{color-scheme:dark !important}</style></head><body><a href=x>x</a></body></html>",
    );
  });

  it("leaves an email without dark rules as it is but for the colour scheme", () => {
    expect(darkVariant("<p>plain</p>")).toBe("<style>:root{color-scheme:dark !important}</style><p>plain</p>");
  });
});

describe("preheaderOf", () => {
  it("reads the hidden block at the top of the body, entities decoded", () => {
    const html =
      '<html><body class="body"><div style="display:none;font-size:1px">Trams &amp; buses, and 3 more</div><div>Heading</div></body></html>';
    expect(preheaderOf(html)).toBe("Trams & buses, and 3 more");
  });

  it("is empty when the body does not open with a hidden block", () => {
    expect(preheaderOf("<html><body><div>Heading</div></body></html>")).toBe("");
  });

  it("takes the first div among the body's children, whole, not one nested in an earlier element", () => {
    const html = [
      '<html><head><style>div{display:none}</style></head><body><table><tr><td><div style="display:none">nested</div>',
      '</td></tr></table><div style="display: none"><span>Trams <b>&amp;</b> buses</span><br>and 3 more</div>',
      "<div>Heading</div></body></html>",
    ].join("");
    expect(preheaderOf(html)).toBe("Trams & busesand 3 more");
    // The same answer as reading the whole document's tree.
    const body = DomUtils.findOne((e) => e.name === "body", parseDocument(html).children);
    const first = body ? DomUtils.findOne((e) => e.name === "div", body.children, false) : null;
    expect(first ? DomUtils.textContent(first).trim() : null).toBe("Trams & busesand 3 more");
  });

  it("is empty for a document without a body or whose body has no div", () => {
    expect(preheaderOf('<div style="display:none">no body</div>')).toBe("");
    expect(preheaderOf("<html><body><p>text</p></body></html><div style='display:none'>after</div>")).toBe("");
  });
});
