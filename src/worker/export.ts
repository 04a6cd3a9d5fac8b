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

/** Rows one page of a paged export (`limit`) takes at most. */
export const PAGED_MAX = 5000;

/** A list's key as a page's `after` gives it, or null when it is not one this export wrote. */
export function afterKey(list: ExportList, after: string): number | string | null {
  if (list === "subscribers") return /^\d{1,15}$/.test(after) ? Number(after) : null;
  return /^[0-9a-f]{64}$/.test(after) ? after : null;
}

/** One page of one list, after `after` (the list's start when null): its column names, rows, and the next page's key. */
export async function exportPage(
  store: SubscriberExport,
  list: ExportList,
  after: number | string | null,
  limit: number,
): Promise<{ names: string[]; rows: Value[][]; next: string | null }> {
  if (list === "subscribers") {
    const page = await store.subscribers(typeof after === "number" ? after : 0, limit);
    return {
      names: SUBSCRIBER_COLUMNS.map(([name]) => name),
      rows: page.items.map((r) => valuesOf(SUBSCRIBER_COLUMNS, r)),
      next: page.next === null ? null : String(page.next),
    };
  }
  const page = await store.suppressions(typeof after === "string" ? after : "", limit);
  return {
    names: SUPPRESSION_COLUMNS.map(([name]) => name),
    rows: page.items.map((r) => valuesOf(SUPPRESSION_COLUMNS, r)),
    next: page.next,
  };
}

/** One list as CSV: a header row, then a row per record. */
export async function* exportCsv(store: SubscriberExport, list: ExportList, size = EXPORT_PAGE) {
  const { names, pages } = tableOf(store, list, size);
  yield csvRow(names);
  for await (const page of pages) yield page.map(csvValues).join("");
}

/** The lists as one JSON object, `{"subscribers": [...], "suppressions": [...]}`, a record a line. */
export function exportJson(store: SubscriberExport, lists: readonly ExportList[], size = EXPORT_PAGE) {
  return jsonDocument(
    lists.map((list) => {
      const { names, pages } = tableOf(store, list, size);
      return [list, jsonPages(names, pages)] as const;
    }),
  );
}

async function* jsonPages(names: string[], pages: AsyncIterable<Value[][]>): AsyncGenerator<string[]> {
  for await (const page of pages) yield page.map((values) => jsonValues(names, values));
}

/** Named lists of JSON records (each list as pages of records) as one object, a record a line. */
export async function* jsonDocument(lists: readonly (readonly [string, AsyncIterable<string[]>])[]) {
  yield "{";
  for (const [i, [name, pages]] of lists.entries()) {
    yield `${i === 0 ? "" : ",\n"}${JSON.stringify(name)}: [`;
    let first = true;
    for await (const page of pages) {
      if (page.length === 0) continue;
      yield `${first ? "\n" : ",\n"}${page.join(",\n")}`;
      first = false;
    }
    yield first ? "]" : "\n]";
  }
  yield "}\n";
}
