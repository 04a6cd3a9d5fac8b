// A logic-less template filler for the compiled email templates, a subset of mustache:
// {{name}} (escaped text), {{#name}}...{{/name}} (a list repeats, an object or true shows once,
// with the value as the innermost context) and {{^name}}...{{/name}} (shown when the value is
// empty). No raw output, no expressions, no eval. Templates are parsed once, at build time,
// into segments; filling pushes strings into an array and joins once, so the result is a flat
// string (mustache's += builds a deep rope that costs more to flatten than to fill).

import { escapeHtml } from "./text.js";

export type Segment = string | { name: string } | { section: string; inverted: boolean; body: Segment[] };

export class TemplateError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.name = "TemplateError";
    this.line = line;
  }
}

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][\w]*)\s*\}\}/g;

export function parseTemplate(source: string): Segment[] {
  const root: Segment[] = [];
  const stack: { name: string; body: Segment[]; line: number }[] = [];
  let current = root;
  let position = 0;
  const lineAt = (index: number) => source.slice(0, index).split("\n").length;
  const text = (from: number, to: number) => {
    const chunk = source.slice(from, to);
    const stray = chunk.indexOf("{{");
    if (stray >= 0) throw new TemplateError("a {{ tag is not a valid placeholder", lineAt(from + stray));
    if (chunk) current.push(chunk);
  };
  for (const match of source.matchAll(TAG)) {
    const [whole, kind, name = ""] = match;
    const index = match.index ?? 0;
    text(position, index);
    position = index + whole.length;
    if (kind === "#" || kind === "^") {
      const section = { section: name, inverted: kind === "^", body: [] as Segment[] };
      current.push(section);
      stack.push({ name, body: current, line: lineAt(index) });
      current = section.body;
    } else if (kind === "/") {
      const open = stack.pop();
      if (!open) throw new TemplateError(`{{/${name}}} closes no section`, lineAt(index));
      if (open.name !== name) {
        throw new TemplateError(`{{/${name}}} closes {{#${open.name}}} opened on line ${open.line}`, lineAt(index));
      }
      current = open.body;
    } else {
      current.push({ name });
    }
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateError(`{{#${unclosed.name}}} is never closed`, unclosed.line);
  const rest = source.slice(position);
  if (rest.includes("{{"))
    throw new TemplateError("a {{ tag is not a valid placeholder", lineAt(position + rest.indexOf("{{")));
  if (rest) current.push(rest);
  return root;
}

type Context = Record<string, unknown>;

export function fillTemplate(template: readonly Segment[], view: Context): string {
  const out: string[] = [];
  fill(template, [view], out);
  return out.join("");
}

function lookup(stack: readonly Context[], name: string): unknown {
  for (let i = stack.length - 1; i >= 0; i--) {
    const context = stack[i];
    if (context && Object.hasOwn(context, name)) return context[name];
  }
  return undefined;
}

function fill(segments: readonly Segment[], stack: Context[], out: string[]): void {
  for (const segment of segments) {
    if (typeof segment === "string") {
      out.push(segment);
    } else if ("name" in segment) {
      const value = lookup(stack, segment.name);
      if (value !== undefined && value !== null) out.push(escapeHtml(String(value)));
    } else {
      const value = lookup(stack, segment.section);
      const empty = !value || (Array.isArray(value) && value.length === 0);
      if (segment.inverted) {
        if (empty) fill(segment.body, stack, out);
      } else if (!empty) {
        for (const item of Array.isArray(value) ? value : [value]) {
          fill(segment.body, typeof item === "object" && item !== null ? [...stack, item as Context] : stack, out);
        }
      }
    }
  }
}
