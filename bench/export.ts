// The subscriber export's CPU in the Worker for 100 000 subscribers: D1's pages decoded (JSON,
// as the binding hands them over), each row formatted and encoded, CSV and JSON, against the
// least a Worker could do (one JSON.stringify of the rows as read). D1's own time is not CPU
// time of the invocation and is not here.

import type { ExportedSubscriber, ExportedSuppression } from "../src/core/subscriber-export.js";
import { EXPORT_PAGE, exportCsv, exportJson, textStream } from "../src/worker/export.js";
import type { ExportPage, SubscriberExport } from "../src/worker/store/subscriber-export.js";
import { compareAsync, report } from "./lib.js";

const COUNT = 100_000;

const subscriber = (i: number): ExportedSubscriber => ({
  email: `reader-${i}@example.com`,
  status: i % 10 === 0 ? "unsubscribed" : "active",
  frequency: i % 3 === 0 ? "weekly" : "daily",
  tags: i % 2 === 0 ? ["transit", "city-hall"] : [],
  timeZone: "Asia/Almaty",
  sendHour: 7,
  requestedAt: 1641800000000 + i,
  confirmedAt: 1641800060000 + i,
  source: "/articles/tokayev-csto-summit",
  unsubscribedAt: i % 10 === 0 ? 1641900000000 : null,
  ipHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
});

/** Pages held as the JSON text D1 sends, decoded on each read as the binding would. */
function memoryStore(): SubscriberExport {
  const pages: string[] = [];
  for (let from = 0; from < COUNT; from += EXPORT_PAGE) {
    const rows = Array.from({ length: Math.min(EXPORT_PAGE, COUNT - from) }, (_, k) => subscriber(from + k + 1));
    pages.push(JSON.stringify(rows));
  }
  return {
    async subscribers(after: number): Promise<ExportPage<ExportedSubscriber, number>> {
      const index = after / EXPORT_PAGE;
      const items = JSON.parse(pages[index] ?? "[]") as ExportedSubscriber[];
      return { items, next: index + 1 < pages.length ? after + EXPORT_PAGE : null };
    },
    async suppressions(): Promise<ExportPage<ExportedSuppression, string>> {
      return { items: [], next: null };
    },
  } as unknown as SubscriberExport;
}

async function drain(body: ReadableStream<Uint8Array>): Promise<void> {
  const reader = body.getReader();
  while (!(await reader.read()).done);
}

export async function run(): Promise<void> {
  const store = memoryStore();
  const all = JSON.stringify(Array.from({ length: COUNT }, (_, i) => subscriber(i + 1)));
  const baseline = async () => {
    const rows = JSON.parse(all) as unknown[];
    new TextEncoder().encode(JSON.stringify(rows));
  };
  const csv = await compareAsync({ a: () => drain(textStream(exportCsv(store, "subscribers"))), b: baseline }, 5, 1);
  const json = await compareAsync(
    { a: () => drain(textStream(exportJson(store, ["subscribers", "suppressions"]))), b: baseline },
    5,
    1,
  );
  report([
    {
      name: "Subscriber export, 100 000 rows, CSV vs the rows as read, re-serialized",
      ...csv,
      unit: "ms",
      better: "lower",
    },
    {
      name: "Subscriber export, 100 000 rows, JSON vs the rows as read, re-serialized",
      ...json,
      unit: "ms",
      better: "lower",
    },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
