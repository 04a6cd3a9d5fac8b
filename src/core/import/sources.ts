// The export formats a subscriber list arrives in, recognised from the header row: which column
// holds the address, the name, the tags and the opt-in time, and what each service's status values
// mean here. Where each column and value comes from is in test/fixtures/import/README.md.

import { parseInstant } from "../dates.js";
import { SUBSCRIBER_COLUMNS } from "../subscriber-export.js";
import { CsvTokenizer } from "./csv.js";

export type Source = "mailchimp" | "substack" | "buttondown" | "ghost" | "listmonk" | "edge-feeds" | "plain";
/** Mailchimp writes one file per audience section; the others have one file with a status column. */
export type ExportKind = "subscribed" | "unsubscribed" | "cleaned";
export type SuppressReason = "unsubscribed" | "cleaned" | "bounced" | "complained";
export type Outcome = { action: "subscribe" } | { action: "suppress"; reason: SuppressReason };

export interface Layout {
  source: Source;
  kind: ExportKind | null;
  /** Whether the first row is a header (a plain file may start with an address). */
  header: boolean;
  email: number;
  /** Name columns, joined with a space (Mailchimp's first and last name). */
  name: number[];
  tags: number | null;
  /** Opt-in time columns, the first non-empty one taken (Mailchimp's CONFIRM_TIME, then OPTIN_TIME). */
  optIn: number[];
  status: number | null;
  /** The header's text of each column, for messages. */
  columnNames: string[];
  /** Header cells this import does not know, as written. */
  unknownColumns: string[];
  /** The outcome of a row from its status cell (or "" without one), or why the value is refused. */
  outcome(status: string): Outcome | { problem: string };
  splitTags(value: string): string[];
  /** Epoch milliseconds, or null when the text is not a time as this service writes it. */
  parseTime(value: string): number | null;
  /** How this service writes a time, for the message when one does not parse. */
  timeExample: string;
}

const SUBSCRIBE: Outcome = { action: "subscribe" };
const suppress = (reason: SuppressReason): Outcome => ({ action: "suppress", reason });

// Mailchimp's audience export: the columns every audience has (merge fields beyond the name,
// such as Address or Company, are the audience's own and reported as unknown).
const MAILCHIMP_COLUMNS = [
  "email address",
  "first name",
  "last name",
  "member_rating",
  "optin_time",
  "optin_ip",
  "confirm_time",
  "confirm_ip",
  "latitude",
  "longitude",
  "gmtoff",
  "dstoff",
  "timezone",
  "cc",
  "region",
  "last_changed",
  "leid",
  "euid",
  "notes",
  "tags",
  "unsub_time",
  "unsub_campaign_title",
  "unsub_campaign_id",
  "unsub_reason",
  "unsub_reason_other",
  "clean_time",
  "clean_campaign_title",
  "clean_campaign_id",
];
const SUBSTACK_COLUMNS = [
  "email",
  "name",
  "active_subscription",
  "expiry",
  "email_disabled",
  "created_at",
  "stripe_connected_customer_id",
  "type",
];
const GHOST_COLUMNS = [
  "id",
  "email",
  "name",
  "note",
  "subscribed_to_emails",
  "complimentary_plan",
  "stripe_customer_id",
  "created_at",
  "deleted_at",
  "labels",
  "tiers",
  "products",
  "gift_id",
];
// This project's own subscriber export (GET /api/subscribers/export): the columns it writes.
const EDGE_FEEDS_COLUMNS = SUBSCRIBER_COLUMNS.map(([name]) => name);
const LISTMONK_COLUMNS = ["uuid", "email", "name", "attributes", "status", "created_at", "updated_at"];
const BUTTONDOWN_COLUMNS = [
  "id",
  "email",
  "email_address",
  "creation_date",
  "subscriber_type",
  "type",
  "tags",
  "notes",
  "metadata",
  "referrer_url",
  "secondary_id",
  "source",
  "utm_campaign",
  "utm_medium",
  "utm_source",
];
const PLAIN_EMAIL = ["email", "email address", "e-mail", "e-mail address", "mail"];
const PLAIN_COLUMNS = [...PLAIN_EMAIL, "name", "tags"];

// Buttondown's subscriber types (API reference, "Subscriber types"): the paying and free kinds
// receive the newsletter; these do not.
const BUTTONDOWN_SUPPRESSED: Record<string, SuppressReason> = {
  unsubscribed: "unsubscribed",
  removed: "unsubscribed",
  undeliverable: "bounced",
  complained: "complained",
};
const BUTTONDOWN_REFUSED: Record<string, string> = {
  unactivated: "the subscriber never confirmed the subscription in Buttondown",
  blocked: "Buttondown blocked the subscriber as likely spam",
  spammy: "Buttondown marked the subscriber as likely spam",
};
const BUTTONDOWN_RECEIVING = ["regular", "premium", "trialed", "gifted", "churning", "unpaid", "past_due", "paused"];

const MAILCHIMP_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;
// Go's time.Time.String(), which listmonk's export writes: "2006-01-02 15:04:05.999999999 -0700 MST".
const GO_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{1,9})? ([+-]\d{2})(\d{2}) [A-Za-z0-9+-]{1,8}$/;
const ISO_TIME_MAX = 40;

const isoTime = (value: string): number | null => (value.length > ISO_TIME_MAX ? null : parseInstant(value));

/** Mailchimp writes "2018-02-12 10:54:27" without a zone; read as UTC (its export docs do not say). */
function mailchimpTime(value: string): number | null {
  const m = MAILCHIMP_TIME.exec(value);
  return m ? parseInstant(`${m[1]}T${m[2]}Z`) : null;
}

function goTime(value: string): number | null {
  const m = GO_TIME.exec(value);
  return m ? parseInstant(`${m[1]}T${m[2]}${m[3] ?? ""}${m[4]}:${m[5]}`) : null;
}

function commaList(value: string): string[] {
  return value.split(",");
}

/** Mailchimp's TAGS cell is itself a CSV record of quoted names: "Editors","Early readers". */
function mailchimpTags(value: string): string[] {
  const tokenizer = new CsvTokenizer();
  const rows = [...tokenizer.push(value), ...tokenizer.end()];
  const first = rows[0];
  return first && "fields" in first ? first.fields : [value];
}

function booleanOutcome(column: string, whenTrue: Outcome, whenFalse: Outcome) {
  return (value: string): Outcome | { problem: string } => {
    const v = value.trim().toLowerCase();
    if (v === "true") return whenTrue;
    if (v === "false") return whenFalse;
    if (v === "") return SUBSCRIBE;
    return { problem: `${column} is "${v.slice(0, 40)}"; expected true or false` };
  };
}

/**
 * The layout of a file from its first row, or null when the row names no address column and is
 * not itself an address (`looksLikeAddress` decides that, so this module needs no address rule).
 */
export function detectLayout(first: readonly string[], looksLikeAddress: (value: string) => boolean): Layout | null {
  const names = first.map((cell) => cell.trim().toLowerCase());
  const at = (name: string): number | null => {
    const i = names.indexOf(name);
    return i < 0 ? null : i;
  };
  const has = (...wanted: string[]) => wanted.every((name) => at(name) !== null);
  const base = (source: Source, known: readonly string[], email: number) => ({
    source,
    kind: null,
    header: true,
    email,
    name: [] as number[],
    tags: null,
    optIn: [] as number[],
    status: null,
    columnNames: first.map((cell) => cell.trim()),
    unknownColumns: first.filter((_, i) => !known.includes(names[i] ?? "")).map((cell) => cell.trim()),
    outcome: (): Outcome | { problem: string } => SUBSCRIBE,
    splitTags: commaList,
    parseTime: isoTime,
    timeExample: "2019-10-30T14:52:08.000Z",
  });
  const indices = (...wanted: string[]) => wanted.map(at).filter((i): i is number => i !== null);

  const email = at("email address");
  if (email !== null && ["optin_time", "confirm_time", "member_rating", "leid", "euid"].some((n) => at(n) !== null)) {
    const kind: ExportKind = has("clean_time") ? "cleaned" : has("unsub_time") ? "unsubscribed" : "subscribed";
    const outcome = kind === "subscribed" ? SUBSCRIBE : suppress(kind === "cleaned" ? "cleaned" : "unsubscribed");
    return {
      ...base("mailchimp", MAILCHIMP_COLUMNS, email),
      kind,
      name: indices("first name", "last name"),
      tags: at("tags"),
      optIn: indices("confirm_time", "optin_time"),
      outcome: () => outcome,
      splitTags: mailchimpTags,
      parseTime: mailchimpTime,
      timeExample: "2018-02-12 10:54:27",
    };
  }

  const plainEmail = at("email");
  if (plainEmail !== null && has("uuid", "attributes", "status")) {
    const status = at("status");
    return {
      ...base("listmonk", LISTMONK_COLUMNS, plainEmail),
      name: indices("name"),
      optIn: indices("created_at"),
      status,
      outcome: (value) => {
        const v = value.trim().toLowerCase();
        if (v === "enabled") return SUBSCRIBE;
        // Older listmonk versions called it "blacklisted".
        if (v === "blocklisted" || v === "blacklisted") return suppress("unsubscribed");
        if (v === "disabled") return { problem: "the subscriber is disabled in listmonk" };
        return { problem: `status is "${v.slice(0, 40)}"; listmonk writes enabled, disabled or blocklisted` };
      },
      parseTime: goTime,
      timeExample: "2024-01-15 10:30:00.123456 +0000 UTC",
    };
  }

  const buttondownEmail = at("email_address") ?? plainEmail;
  const buttondownType = at("subscriber_type") ?? at("type");
  if (buttondownEmail !== null && buttondownType !== null && has("creation_date")) {
    return {
      ...base("buttondown", BUTTONDOWN_COLUMNS, buttondownEmail),
      tags: at("tags"),
      optIn: indices("creation_date"),
      status: buttondownType,
      outcome: (value) => {
        const v = value.trim().toLowerCase();
        if (BUTTONDOWN_RECEIVING.includes(v)) return SUBSCRIBE;
        const reason = BUTTONDOWN_SUPPRESSED[v];
        if (reason) return suppress(reason);
        return {
          problem: BUTTONDOWN_REFUSED[v] ?? `subscriber type is "${v.slice(0, 40)}", which Buttondown does not write`,
        };
      },
    };
  }

  if (plainEmail !== null && has("subscribed_to_emails")) {
    return {
      ...base("ghost", GHOST_COLUMNS, plainEmail),
      name: indices("name"),
      tags: at("labels"),
      optIn: indices("created_at"),
      status: at("subscribed_to_emails"),
      outcome: booleanOutcome("subscribed_to_emails", SUBSCRIBE, suppress("unsubscribed")),
    };
  }

  if (plainEmail !== null && has("email_disabled")) {
    return {
      ...base("substack", SUBSTACK_COLUMNS, plainEmail),
      name: indices("name"),
      optIn: indices("created_at"),
      status: at("email_disabled"),
      outcome: booleanOutcome("email_disabled", suppress("unsubscribed"), SUBSCRIBE),
    };
  }

  // Before the plain list, which would read every row as a subscriber, status aside.
  if (plainEmail !== null && has("status", "frequency", "send_hour", "confirmed_at", "unsubscribed_at")) {
    return {
      ...base("edge-feeds", EDGE_FEEDS_COLUMNS, plainEmail),
      tags: at("tags"),
      optIn: indices("confirmed_at", "requested_at"),
      status: at("status"),
      outcome: (value) => {
        const v = value.trim().toLowerCase();
        if (v === "active") return SUBSCRIBE;
        if (v === "unsubscribed") return suppress("unsubscribed");
        // The export does not say why an address was suppressed: bounced and complained alike.
        if (v === "suppressed") return suppress("cleaned");
        if (v === "pending") return { problem: "the subscriber never confirmed the subscription there" };
        return {
          problem: `status is "${v.slice(0, 40)}"; the export writes active, pending, unsubscribed or suppressed`,
        };
      },
    };
  }

  const anyEmail = PLAIN_EMAIL.map(at).find((i) => i !== null && i !== undefined);
  if (anyEmail !== undefined && anyEmail !== null) {
    return { ...base("plain", PLAIN_COLUMNS, anyEmail), name: indices("name"), tags: at("tags") };
  }

  if (first[0] !== undefined && looksLikeAddress(first[0])) {
    return {
      ...base("plain", [], 0),
      header: false,
      name: [1],
      tags: 2,
      columnNames: ["email", "name", "tags"],
      unknownColumns: first.slice(3).map((_, i) => `column ${i + 4}`),
    };
  }
  return null;
}
