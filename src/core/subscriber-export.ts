// The subscriber export's records (GET /api/subscribers/export, `npm run export`): one list of
// columns, written as CSV rows (csv.ts) or JSON objects. Suppressions are kept only as salted
// hashes, so that is all the export can give, and all it gives.

import { csvRow } from "./csv.js";
import type { SubscriberStatus } from "./subscription.js";

export interface ExportedSubscriber {
  email: string;
  status: SubscriberStatus;
  frequency: "daily" | "weekly";
  /** Tag slugs; none = every tag. */
  tags: string[];
  timeZone: string;
  sendHour: number;
  requestedAt: number;
  confirmedAt: number | null;
  source: string;
  unsubscribedAt: number | null;
  /** The salted hash of the client's IP address at sign-up, as stored. */
  ipHash: string | null;
}

export interface ExportedSuppression {
  emailHash: string;
  reason: string;
  createdAt: number;
}

/** A cell's value: JSON writes it as it is; CSV writes tags joined by commas and null as "". */
export type Value = string | number | string[] | null;

/** Each column: its name (the CSV header and the JSON key) and its value. */
export type Columns<T> = readonly (readonly [string, (record: T) => Value])[];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const SUBSCRIBER_COLUMNS: Columns<ExportedSubscriber> = [
  ["email", (s) => s.email],
  ["status", (s) => s.status],
  ["frequency", (s) => s.frequency],
  ["tags", (s) => s.tags],
  ["time_zone", (s) => s.timeZone],
  ["send_hour", (s) => s.sendHour],
  ["requested_at", (s) => iso(s.requestedAt)],
  ["confirmed_at", (s) => iso(s.confirmedAt)],
  ["source", (s) => s.source],
  ["unsubscribed_at", (s) => iso(s.unsubscribedAt)],
  ["ip_hash", (s) => s.ipHash],
];

export const SUPPRESSION_COLUMNS: Columns<ExportedSuppression> = [
  ["email_hash", (s) => s.emailHash],
  ["reason", (s) => s.reason],
  ["created_at", (s) => iso(s.createdAt)],
];

/** One record's values, in its columns' order. */
export const valuesOf = <T>(columns: Columns<T>, record: T): Value[] => columns.map(([, value]) => value(record));

/** A CSV row of values. */
export const csvValues = (values: readonly Value[]): string =>
  csvRow(values.map((v) => (v === null ? "" : Array.isArray(v) ? v.join(",") : String(v))));

/** A JSON object of values under their column names. */
export function jsonValues(names: readonly string[], values: readonly Value[]): string {
  const out: Record<string, Value> = {};
  names.forEach((name, i) => {
    out[name] = values[i] ?? null;
  });
  return JSON.stringify(out);
}
