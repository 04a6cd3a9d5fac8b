import { describe, expect, it } from "vitest";
import { fillTemplate, parseTemplate, TemplateError } from "../../src/core/template.js";

const fill = (source: string, view: Record<string, unknown>) => fillTemplate(parseTemplate(source), view);

describe("the email template filler", () => {
  it("escapes every value", () => {
    expect(
      fill('<a href="{{url}}">{{ title }}</a>', { url: 'https://x.example/?a=1&b="2"', title: "<b>Q&A</b>" }),
    ).toBe('<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">&lt;b&gt;Q&amp;A&lt;/b&gt;</a>');
  });

  it("repeats a section for a list, with each item as the innermost context", () => {
    expect(
      fill("{{#items}}[{{title}} of {{site}}]{{/items}}", { site: "S", items: [{ title: "a" }, { title: "b" }] }),
    ).toBe("[a of S][b of S]");
  });

  it("shows a section once for an object or true, and an inverted one for empty values", () => {
    const source = "{{#image}}<img src={{src}}>{{/image}}{{^image}}none{{/image}}";
    expect(fill(source, { image: { src: "p.png" } })).toBe("<img src=p.png>");
    expect(fill(source, { image: null })).toBe("none");
    expect(fill("{{^items}}empty{{/items}}", { items: [] })).toBe("empty");
  });

  it("writes nothing for a missing value", () => {
    expect(fill("a{{missing}}b", {})).toBe("ab");
  });

  it.each([
    ["line one\n{{#items}}\nnever closed", /{{#items}} is never closed/, 2],
    ["{{#a}}\n{{/b}}", /{{\/b}} closes {{#a}} opened on line 1/, 2],
    ["ok\nok\n{{/a}}", /{{\/a}} closes no section/, 3],
    ["x\n{{ bad-name }}", /not a valid placeholder/, 2],
    ["{{ bad-name }}\n{{ok}}", /not a valid placeholder/, 1],
  ])("reports a broken template with its line: %j", (source, message, line) => {
    try {
      parseTemplate(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).message).toMatch(message);
      expect((error as TemplateError).line).toBe(line);
    }
  });
});
