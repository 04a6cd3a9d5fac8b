// Reading pages as a person would: htmlparser2 for what is on them (forms, fields, headings),
// html-validate (its browser build, which runs in workerd) for whether they are valid HTML.

import { HtmlValidate } from "html-validate/browser";
import { DomUtils, parseDocument } from "htmlparser2";

type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];

const validator = new HtmlValidate({
  extends: ["html-validate:recommended"],
  rules: {
    // Hono's JSX writes <input/>, required="", hidden="" and a lower-case doctype: style, not meaning.
    "void-style": "off",
    "attribute-boolean-style": "off",
    "attribute-empty-style": "off",
    "doctype-style": "off",
    // The stylesheet is inline by design (no request for it, and the CSP allows only inline style).
    "no-inline-style": "off",
    // A headline is as long as its newsroom writes it; search engines cut a long <title> themselves.
    "long-title": "off",
    // Checkboxes share a name: a form posts every checked one (tags=a&tags=b).
    "form-dup-name": ["error", { shared: ["radio", "checkbox", "button", "reset", "submit"] }],
  },
});

/** Everything html-validate finds wrong with a page, as "line:column rule: message". */
export async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}

export interface Field {
  name: string;
  type: string;
  value: string;
  checked: boolean;
  attributes: Record<string, string>;
  /** The text of the elements its aria-describedby names, if any. */
  description: string | null;
}

export interface ParsedPage {
  title: string;
  headings: string[];
  /** The page's text, whitespace collapsed. */
  text: string;
  forms: { action: string; method: string; fields: Field[]; buttons: string[]; element: Element }[];
  links: string[];
  /** The element with this id's text. */
  textOf(id: string): string | null;
  /** Whether the element is inside one that hides it from assistive technology. */
  hiddenFromScreenReaders(element: Element): boolean;
}

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

export function parsePage(html: string): ParsedPage {
  const document = parseDocument(html);
  const all = (predicate: (e: Element) => boolean, root: Element[] = document.children as Element[]) =>
    DomUtils.findAll(predicate, root);
  const textOf = (id: string) => {
    const element = DomUtils.findOne((e) => e.attribs.id === id, document.children);
    return element ? squash(DomUtils.textContent(element)) : null;
  };
  // aria-describedby lists one or more ids: their texts, in that order.
  const describedBy = (ids: string | undefined) => {
    const texts = (ids ?? "").split(/\s+/).filter(Boolean).map(textOf);
    return texts.length === 0 || texts.includes(null) ? null : texts.join(" ");
  };
  // The page's own forms: the site header's search form is on every page and is not one of them.
  const inHeader = (e: Element): boolean => {
    for (let p = e.parent as Element | null; p; p = p.parent as Element | null) if (p.name === "header") return true;
    return false;
  };
  const forms = all((e) => e.name === "form" && !inHeader(e)).map((form) => ({
    action: form.attribs.action ?? "",
    method: (form.attribs.method ?? "get").toLowerCase(),
    fields: all((e) => e.name === "input" || e.name === "textarea" || e.name === "select", [form]).map((e) => ({
      name: e.attribs.name ?? "",
      type: e.attribs.type ?? "text",
      value: e.attribs.value ?? "",
      checked: e.attribs.checked !== undefined,
      attributes: { ...e.attribs },
      description: describedBy(e.attribs["aria-describedby"]),
    })),
    buttons: all((e) => e.name === "button", [form]).map((b) => squash(DomUtils.textContent(b))),
    element: form,
  }));
  const body = DomUtils.findOne((e) => e.name === "body", document.children);
  return {
    title: squash(DomUtils.textContent(all((e) => e.name === "title")[0] ?? [])),
    headings: all((e) => /^h[1-6]$/.test(e.name)).map((h) => squash(DomUtils.textContent(h))),
    text: body ? squash(DomUtils.textContent(body)) : "",
    forms,
    links: all((e) => e.name === "a").map((a) => a.attribs.href ?? ""),
    textOf,
    hiddenFromScreenReaders(element) {
      for (let e: Element | null = element; e; e = e.parent as Element | null) {
        if (e.attribs?.["aria-hidden"] === "true" || e.attribs?.hidden !== undefined) return true;
      }
      return false;
    },
  };
}
