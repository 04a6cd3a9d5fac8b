// No import cycles in src/: every relative import (type-only ones too, since a type cycle still
// ties two modules' meanings together) is read with TypeScript's own pre-processor, and a cycle
// fails the test with its files in order.

import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { sourceFiles, withFiles } from "./source-tree.js";

/** The file a relative specifier names (`./x.js` is written for `./x.ts` or `./x.tsx`). */
function resolveImport(from: string, specifier: string, known: Set<string>): string | undefined {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(js|jsx|ts|tsx)$/, "");
  return [base, `${stem}.ts`, `${stem}.tsx`].find((p) => known.has(p));
}

/** Each file's imports of other files under the same root, from `import`, `export … from`, `import()`. */
function importGraph(root: string): Map<string, string[]> {
  const files = sourceFiles(root);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => resolveImport(file, name, known))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * One cycle per strongly connected component of more than one file (or a file importing itself),
 * as paths relative to `root` with the first file repeated at the end: "a.ts -> b.ts -> a.ts".
 */
function importCycles(root: string): string[] {
  const graph = importGraph(root);
  // Tarjan's algorithm: the components, then a shortest way round each one.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component.sort());
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);

  const name = (file: string) => relative(root, file);
  return components
    .map((component) => {
      const inside = new Set(component);
      const start = component[0] as string;
      // Breadth-first from the first file back to itself, staying inside the component.
      const cameFrom = new Map<string, string>();
      const queue = [start];
      while (queue.length > 0) {
        const v = queue.shift() as string;
        for (const w of graph.get(v) ?? []) {
          if (!inside.has(w) || cameFrom.has(w)) continue;
          cameFrom.set(w, v);
          if (w === start) break;
          queue.push(w);
        }
        if (cameFrom.has(start)) break;
      }
      const path = [start];
      for (let v = cameFrom.get(start); v !== undefined && v !== start; v = cameFrom.get(v)) path.unshift(v);
      path.unshift(start);
      const loop = path.map(name).join(" -> ");
      return component.length > path.length - 1 ? `${loop} (${component.length} files in all)` : loop;
    })
    .sort();
}

describe("import cycles", () => {
  it("src/ has none, type imports included", () => {
    expect(importCycles(resolve("src"))).toEqual([]);
  });

  describe("the check", () => {
    it("names a cycle made by a type-only import, in import order", () => {
      withFiles(
        {
          "app.ts": 'import { routes } from "./routes/a.js";\nexport interface AppEnv {}\n',
          "routes/a.tsx": 'import type { AppEnv } from "../app.js";\nexport const routes = 1;\n',
          "leaf.ts": 'import { routes } from "./routes/a.js";\n',
        },
        (root) => expect(importCycles(root)).toEqual(["app.ts -> routes/a.tsx -> app.ts"]),
      );
    });

    it("follows export-from and import() types, not imports in comments or strings", () => {
      withFiles(
        {
          "a.ts": 'export * from "./b.js";\n',
          "b.ts": 'type C = import("./c/index.js").C;\n',
          "c/index.ts": 'import "../a.js";\n',
          "d.ts": '// import "./e.js"\nconst s = \'import "./e.js"\';\n',
          "e.ts": 'import "./d.js";\n',
        },
        (root) => expect(importCycles(root)).toEqual(["a.ts -> b.ts -> c/index.ts -> a.ts"]),
      );
    });

    it("finds a file that imports itself, and is quiet about a tree without cycles", () => {
      withFiles({ "self.ts": 'import "./self.js";\n' }, (root) =>
        expect(importCycles(root)).toEqual(["self.ts -> self.ts"]),
      );
      withFiles({ "a.ts": 'import "./b.js";\n', "b.ts": 'import "./c.js";\n', "c.ts": "" }, (root) =>
        expect(importCycles(root)).toEqual([]),
      );
    });
  });
});
