// The console's subscriber list filter (routes/console-subscribers.tsx): the query a publisher's
// search form sends, checked field by field, and the address-prefix range the list walks.

import type { FieldError } from "./errors.js";
import { isSlug } from "./slug.js";
import type { Frequency, SubscriberStatus } from "./subscription.js";

export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = ["pending", "active", "unsubscribed", "suppressed"];
export const FREQUENCIES: readonly Frequency[] = ["daily", "weekly"];

export interface SubscriberFilter {
  /** An address's beginning, lower-cased (stored addresses are keyed by lower(email)). */
  prefix?: string;
  status?: SubscriberStatus;
  frequency?: Frequency;
  /** Subscribers who picked this tag (those who take every article are not among them). */
  tag?: string;
}

/** Where a page starts: after this address key when searching by prefix, else after this id. */
export type ListCursor = { kind: "key"; key: string } | { kind: "id"; id: number };

/** The form's fields as sent: empty means "any". */
export interface FilterInput {
  q?: string;
  status?: string;
  frequency?: string;
  tag?: string;
  after?: string;
}

// Stored addresses are ASCII (an atext local part, an ASCII or punycode domain), so anything
// else finds nothing; refusing it also keeps the prefix's upper bound a one-byte bump.
const PREFIX = /^[\x21-\x7e]{1,254}$/;

export type ParsedFilter =
  | { ok: true; filter: SubscriberFilter; after: ListCursor | null }
  | { ok: false; errors: FieldError[] };

export function parseSubscriberFilter(input: FilterInput): ParsedFilter {
  const errors: FieldError[] = [];
  const filter: SubscriberFilter = {};
  const q = input.q?.trim() ?? "";
  if (q !== "") {
    if (PREFIX.test(q)) filter.prefix = q.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
    else errors.push({ field: "q", message: "must be the beginning of an address: up to 254 characters, no spaces" });
  }
  const status = input.status ?? "";
  if (status !== "") {
    if ((SUBSCRIBER_STATUSES as readonly string[]).includes(status)) filter.status = status as SubscriberStatus;
    else errors.push({ field: "status", message: `must be one of ${SUBSCRIBER_STATUSES.join(", ")}` });
  }
  const frequency = input.frequency ?? "";
  if (frequency !== "") {
    if ((FREQUENCIES as readonly string[]).includes(frequency)) filter.frequency = frequency as Frequency;
    else errors.push({ field: "frequency", message: `must be one of ${FREQUENCIES.join(", ")}` });
  }
  const tag = input.tag?.trim() ?? "";
  if (tag !== "") {
    if (isSlug(tag)) filter.tag = tag;
    else errors.push({ field: "tag", message: 'must be a tag slug (lower-case words joined by "-")' });
  }
  let after: ListCursor | null = null;
  const cursor = input.after ?? "";
  if (cursor !== "") {
    if (filter.prefix !== undefined) {
      // A key past the prefix's range would only end the list; one before it would reread it.
      if (cursor.startsWith(filter.prefix) && PREFIX.test(cursor)) after = { kind: "key", key: cursor };
    } else if (/^\d{1,15}$/.test(cursor)) after = { kind: "id", id: Number(cursor) };
    if (after === null) errors.push({ field: "after", message: "is not a place in this list; follow a Next link" });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, filter, after };
}

/** The first key after every key that starts with `prefix` (an ASCII string, PREFIX above). */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

/** The filter and cursor as a query string, for the Next link and the CSV link ("" when empty). */
export function filterQuery(filter: SubscriberFilter, after: string | null = null): string {
  const params = new URLSearchParams();
  if (filter.prefix !== undefined) params.set("q", filter.prefix);
  if (filter.status !== undefined) params.set("status", filter.status);
  if (filter.frequency !== undefined) params.set("frequency", filter.frequency);
  if (filter.tag !== undefined) params.set("tag", filter.tag);
  if (after !== null) params.set("after", after);
  const text = params.toString();
  return text ? `?${text}` : "";
}
