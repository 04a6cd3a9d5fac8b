// Streamed exports: a response body written one keyset page per pull, so an export never holds
// more than a page however long the list (the console's CSV and GET /api/subscribers/export), and
// the subscriber export's two lists as CSV or one JSON document (also written by `npm run export`).
//
// Pages are large because a Worker invocation may run only 50 D1 queries on the Free plan (1 000
// on Paid; https://developers.cloudflare.com/d1/platform/limits/): at 5 000 rows a page, 100 000
// subscribers are 20 queries. docs/operator.md says what an export costs.

import { csvRow } from "../core/csv.js";
import {
  type Columns,
  csvValues,
  jsonValues,
  SUBSCRIBER_COLUMNS,
  SUPPRESSION_COLUMNS,
  type Value,
  valuesOf,
} from "../core/subscriber-export.js";
import type { ExportPage, SubscriberExport } from "./store/subscriber-export.js";

/** Rows a page of an export reads: one D1 query each. */
export const EXPORT_PAGE = 5000;

export const EXPORT_LISTS = ["subscribers", "suppressions"] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

/** A body that asks `chunks` for the next piece only when the client has taken the last. */
export function textStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return controller.close();
        if (next.value === "") continue;
        return controller.enqueue(encoder.encode(next.value));
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Every page from the first key on, following each page's `next`. */
export async function* keysetPages<T, K>(first: K, read: (after: K) => Promise<ExportPage<T, K>>) {
  let after: K | null = first;
  while (after !== null) {
    const page: ExportPage<T, K> = await read(after);
    yield page.items;
    after = page.next;
  }
}

interface Table {
  names: string[];
  pages: AsyncIterable<Value[][]>;
}

async function* valuePages<T>(columns: Columns<T>, source: AsyncIterable<T[]>) {
  for await (const page of source) yield page.map((record) => valuesOf(columns, record));
}

const table = <T>(columns: Columns<T>, source: AsyncIterable<T[]>): Table => ({
  names: columns.map(([name]) => name),
  pages: valuePages(columns, source),
});

function tableOf(store: SubscriberExport, list: ExportList, size: number): Table {
  return list === "subscribers"
    ? table(
        SUBSCRIBER_COLUMNS,
        keysetPages(0, (after) => store.subscribers(after, size)),
      )
    : table(
        SUPPRESSION_COLUMNS,
        keysetPages("", (after) => store.suppressions(after, size)),
      );
}

/** One list as CSV: a header row, then a row per record. */
export async function* exportCsv(store: SubscriberExport, list: ExportList, size = EXPORT_PAGE) {
  const { names, pages } = tableOf(store, list, size);
  yield csvRow(names);
  for await (const page of pages) yield page.map(csvValues).join("");
}

/** The lists as one JSON object, `{"subscribers": [...], "suppressions": [...]}`, a record a line. */
export async function* exportJson(store: SubscriberExport, lists: readonly ExportList[], size = EXPORT_PAGE) {
  yield "{";
  for (const [i, list] of lists.entries()) {
    yield `${i === 0 ? "" : ",\n"}${JSON.stringify(list)}: [`;
    const { names, pages } = tableOf(store, list, size);
    let first = true;
    for await (const page of pages) {
      if (page.length === 0) continue;
      yield `${first ? "\n" : ",\n"}${page.map((values) => jsonValues(names, values)).join(",\n")}`;
      first = false;
    }
    yield first ? "]" : "\n]";
  }
  yield "}\n";
}
