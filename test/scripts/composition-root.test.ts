// One composition root: stores and mailers are built in src/worker/services.ts, and routes, jobs
// and views only ask Services for them. Every `new X` outside it, where X is imported from a
// module under store/ or mail/, is found with TypeScript's parser and fails the test.

import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { sourceFiles, withFiles } from "./source-tree.js";

/** The folders whose classes only services.ts builds; their own modules may build each other. */
const BUILT_BY_SERVICES = ["store", "mail"];

/** "file: new Name" for each construction of a store or mailer class outside services.ts. */
function constructionsOutsideRoot(worker: string): string[] {
  const inside = (file: string, folder: string) => file.startsWith(join(worker, folder) + sep);
  const found: string[] = [];
  for (const file of sourceFiles(worker)) {
    if (file === join(worker, "services.ts") || BUILT_BY_SERVICES.some((folder) => inside(file, folder))) continue;
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    // Local names imported from store/ or mail/.
    const classes = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const target = resolve(dirname(file), statement.moduleSpecifier.text);
      if (!BUILT_BY_SERVICES.some((folder) => inside(target, folder))) continue;
      const clause = statement.importClause;
      if (!clause) continue;
      if (clause.name) classes.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) classes.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) classes.add(element.name.text);
      }
    }
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node)) {
        // `new SearchStore(…)` or `new stores.SearchStore(…)`.
        let head: ts.Expression = node.expression;
        while (ts.isPropertyAccessExpression(head)) head = head.expression;
        if (ts.isIdentifier(head) && classes.has(head.text)) {
          found.push(`${relative(worker, file)}: new ${node.expression.getText(source)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort();
}

describe("one composition root", () => {
  it("no route, job or view in src/worker builds a store or mailer: services.ts does", () => {
    expect(constructionsOutsideRoot(resolve("src/worker"))).toEqual([]);
  });

  describe("the check", () => {
    it("names each store or mailer built outside services.ts, aliased or through a namespace", () => {
      withFiles(
        {
          "store/search.ts": "export class SearchStore {}\n",
          "mail/smtp.ts": "export class SmtpMailer {}\n",
          "routes/search.tsx": 'import { SearchStore as S } from "../store/search.js";\nnew S();\n',
          "jobs/send.ts": 'import * as smtp from "../mail/smtp.js";\nconst m = new smtp.SmtpMailer();\n',
        },
        (root) =>
          expect(constructionsOutsideRoot(root)).toEqual([
            "jobs/send.ts: new smtp.SmtpMailer",
            "routes/search.tsx: new S",
          ]),
      );
    });

    it("allows services.ts, the stores' own modules and classes from elsewhere", () => {
      withFiles(
        {
          "store/search.ts": "export class SearchStore {}\n",
          "store/articles.ts": 'import { SearchStore } from "./search.js";\nnew SearchStore();\n',
          "services.ts": 'import { SearchStore } from "./store/search.js";\nnew SearchStore();\n',
          "routes/feeds.ts": 'import { Feed } from "../core/feed.js";\nnew Feed();\nnew URL("x");\n',
        },
        (root) => expect(constructionsOutsideRoot(root)).toEqual([]),
      );
    });
  });
});
