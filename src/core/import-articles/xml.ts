// A small XML tree for feeds and WordPress exports, on htmlparser2's XML mode, which never
// expands entities beyond XML's five and character references and never fetches anything. A
// document that declares entities (<!ENTITY>, as "billion laughs" and external-entity attacks do)
// is refused outright, as is nesting deeper than MAX_XML_DEPTH. Linear in the input.

import { Parser } from "htmlparser2";
import { ImportError } from "./model.js";

export interface XmlElement {
  /** The qualified name, lower-cased ("content:encoded"). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** Deeper than any feed (an Atom xhtml body is rarely 30 levels); the tree is walked recursively. */
export const MAX_XML_DEPTH = 200;

/**
 * Names where the nesting went too deep: the open elements, and how many `item`/`entry`
 * elements had opened by then (the last is the item it is in).
 */
export type DepthReport = (path: readonly string[], items: number) => string;

export function parseXml(text: string, file: string, where: DepthReport = defaultWhere): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const names: string[] = [];
  let failure: ImportError | null = null;
  let items = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (failure) return;
        if (stack.length > MAX_XML_DEPTH) {
          // Thrown out of the parser at once: htmlparser2 takes time per open element on a close.
          throw new ImportError(
            `${file}: ${where(names, items)}: is nested more than ${MAX_XML_DEPTH} elements deep; nothing was imported from the file`,
          );
        }
        const element: XmlElement = { name: name.toLowerCase(), attrs, children: [] };
        if (element.name === "item" || element.name === "entry") items++;
        (stack.at(-1) as XmlElement).children.push(element);
        stack.push(element);
        names.push(element.name);
      },
      onclosetag() {
        if (failure) return;
        if (stack.length > 1) {
          stack.pop();
          names.pop();
        }
      },
      ontext(data) {
        if (!failure) (stack.at(-1) as XmlElement).children.push(data);
      },
      oncdatastart() {},
      onprocessinginstruction(_name, data) {
        // A DOCTYPE's internal subset arrives in pieces, each up to a ">": any may declare one.
        if (/!entity/i.test(data) && !failure) {
          failure = new ImportError(
            `${file}: declares XML entities (<!ENTITY>), which this import never expands; remove the DOCTYPE's entity declarations`,
          );
        }
      },
    },
    { xmlMode: true, recognizeCDATA: true, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(text);
  if (failure) throw failure;
  return root;
}

/** `item 3: content` (the item's child element it is in), or the first elements' names. */
function defaultWhere(path: readonly string[], items: number): string {
  const at = path.findIndex((name) => name === "item" || name === "entry");
  if (at >= 0) return `item ${items}: ${path[at + 1] ?? path[at]}`;
  return `<${path.slice(0, 4).join("><")}>`;
}

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== "string";
}

/** The element's child elements named `name` (qualified, lower-case). */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => isElement(c) && c.name === name);
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

/** The text of an element and everything in it, CDATA included, entities decoded. */
export function textOf(element: XmlElement | undefined): string {
  if (!element) return "";
  const parts: string[] = [];
  const walk = (node: XmlElement) => {
    for (const c of node.children) {
      if (typeof c === "string") parts.push(c);
      else walk(c);
    }
  };
  walk(element);
  return parts.join("");
}

/** The text of the named child, trimmed; undefined when there is no such child or it is empty. */
export function childText(element: XmlElement, name: string): string | undefined {
  const text = textOf(child(element, name)).trim();
  return text === "" ? undefined : text;
}

const VOID = new Set(["br", "hr", "img", "wbr", "col", "source", "track"]);
const escapeXml = (value: string) => value.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The markup of an element's children (an Atom `type="xhtml"` body), prefixes dropped. */
export function innerXml(element: XmlElement): string {
  const out: string[] = [];
  const walk = (node: XmlElement) => {
    for (const c of node.children) {
      if (typeof c === "string") {
        out.push(escapeXml(c));
        continue;
      }
      const name = c.name.replace(/^[^:]*:/, "");
      const attrs = Object.entries(c.attrs)
        .filter(([key]) => !key.startsWith("xmlns"))
        .map(([key, value]) => ` ${key.replace(/^[^:]*:/, "")}="${escapeXml(value)}"`)
        .join("");
      out.push(`<${name}${attrs}>`);
      if (VOID.has(name)) continue;
      walk(c);
      out.push(`</${name}>`);
    }
  };
  walk(element);
  return out.join("");
}
