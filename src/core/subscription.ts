// A subscriber's data as it comes in: the address rule (normalisation and a strict, tested
// syntax) and the parsing of a subscribe or preference request, from JSON or from a form, into
// typed values or errors that name the input field.

import type { FieldError } from "./errors.js";
import { canonicalTimeZone } from "./intl.js";
import { slugError } from "./slug.js";
import { canonicalZone } from "./time-zones.js";

export type SubscriberStatus = "pending" | "active" | "unsubscribed" | "suppressed";
export type Frequency = "daily" | "weekly";

export interface Preferences {
  frequency: Frequency;
  /** Tag slugs wanted; [] means everything. */
  tags: string[];
  timeZone: string;
  sendHour: number;
}

/** The errors' `field` is the input's name: email, frequency, tags, time_zone, send_hour. */
export type { FieldError };

/**
 * The kinds of problem, as each error's `code`: a form says them in its own language from the
 * code (and the error's `value`); `message` is the English fragment the API answers with.
 */
export type ProblemCode = "required" | "invalid" | "line-break" | "too-many" | "unknown";

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface PreferenceDefaults {
  timeZone: string;
  sendHour: number;
}

/** RFC 5321 section 4.5.3.1.3: a path holds at most 256 octets, so an address at most 254. */
export const ADDRESS_MAX_LENGTH = 254;
export const MAX_TAGS = 20;
const LOCAL_MAX_LENGTH = 64;
const LABEL_MAX_LENGTH = 63;
// Inputs are cut off before any work: nothing longer can become a valid value.
const RAW_ADDRESS_MAX_LENGTH = 512;
const RAW_TAGS_MAX_LENGTH = 4096;
const RAW_FIELD_MAX_LENGTH = 64;

// RFC 5322 section 3.2.3 atext; dots are checked separately.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const ASCII = /^[\x20-\x7e]*$/;
// In a non-ASCII domain, the only ASCII allowed is what a host name may hold: the URL parser
// would otherwise decode "%41" or stop at "/" and hand back a different host than the one typed.
const NON_LDH_ASCII = /[!-,/:-@[-`{-~]/; // whitespace and control characters are refused before
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;
const LINE_BREAK_OR_NUL = /[\r\n\0]/;
const HOUR = /^[0-9]{1,2}$/;

/**
 * The address as stored and compared: trimmed, the local part kept as typed, the domain
 * lower-cased (and in punycode when it is not ASCII). Null when it breaks the rule: one "@";
 * a dot-atom local part of 1-64 characters; a domain of at least two LDH labels of 1-63
 * characters whose last is not all digits; at most 254 characters in all. Quoted local parts,
 * IP literals, whitespace and control characters are refused.
 */
export function normaliseAddress(raw: string): string | null {
  if (raw.length > RAW_ADDRESS_MAX_LENGTH) return null;
  const trimmed = raw.trim();
  if (trimmed.length > ADDRESS_MAX_LENGTH || WHITESPACE_OR_CONTROL.test(trimmed)) return null;
  const at = trimmed.indexOf("@");
  if (at < 0 || trimmed.indexOf("@", at + 1) >= 0) return null;
  const local = trimmed.slice(0, at);
  if (local.length > LOCAL_MAX_LENGTH || !LOCAL_PART.test(local)) return null;
  const domain = asciiDomain(trimmed.slice(at + 1));
  if (domain === null) return null;
  const address = `${local}@${domain}`;
  return address.length <= ADDRESS_MAX_LENGTH ? address : null;
}

/**
 * Who an address is: the one key every lookup of a subscriber or a suppression goes through, so
 * "Victim@x", "VICTIM@x" and "victim@x" are one mailbox (providers ignore the local part's case in
 * practice). It folds A-Z only, exactly as SQLite's lower() does, so the key computed here and
 * the one D1 derives from a stored address (migration 0012) are equal for any string. On what
 * normaliseAddress returns that is full case folding: its local part is ASCII atext and its
 * domain ASCII or punycode.
 */
export function addressKey(address: string): string {
  return address.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

function asciiDomain(raw: string): string | null {
  let domain: string;
  if (ASCII.test(raw)) {
    domain = raw.toLowerCase();
  } else {
    if (NON_LDH_ASCII.test(raw)) return null;
    try {
      // The WHATWG URL parser applies UTS 46 (IDNA) mapping and punycode.
      domain = new URL(`http://${raw}`).hostname;
    } catch {
      return null;
    }
  }
  const labels = domain.split(".");
  if (labels.length < 2) return null;
  for (const label of labels) {
    if (label.length > LABEL_MAX_LENGTH || !LABEL.test(label)) return null;
  }
  // An all-numeric top-level label would make this an IP address written without brackets.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? "")) return null;
  return domain;
}

/**
 * The error naming the first of `tags` the site does not have (`found[i]` is null for `tags[i]`),
 * or none: the sign-up and the preference form say it the same way.
 */
export function unknownTags(tags: readonly string[], found: readonly unknown[]): FieldError[] {
  const unknown = tags.find((_, i) => (found[i] ?? null) === null);
  if (unknown === undefined) return [];
  const value = unknown.slice(0, 60);
  return [{ field: "tags", message: `has "${value}", which is not a tag on this site`, code: "unknown", value }];
}

/**
 * A subscribe request: the address and the preferences, with defaults for what is left out
 * (frequency: daily, so `{"email": …}` alone subscribes).
 */
export function parseSubscription(
  raw: Record<string, unknown>,
  defaults: PreferenceDefaults,
): Parsed<{ email: string; preferences: Preferences }> {
  const errors: FieldError[] = [];
  const email = field(raw, "email", errors, parseEmail);
  const preferences = preferenceFields(raw, defaults, errors, "daily");
  if (errors.length > 0 || email === undefined || preferences === null) return { ok: false, errors };
  return { ok: true, value: { email, preferences } };
}

/**
 * The preference form: frequency, tags, time zone and send hour. Frequency has no default here:
 * a form that lost it must not turn a weekly subscriber daily.
 */
export function parsePreferences(raw: Record<string, unknown>, defaults: PreferenceDefaults): Parsed<Preferences> {
  const errors: FieldError[] = [];
  const preferences = preferenceFields(raw, defaults, errors, null);
  if (errors.length > 0 || preferences === null) return { ok: false, errors };
  return { ok: true, value: preferences };
}

function preferenceFields(
  raw: Record<string, unknown>,
  defaults: PreferenceDefaults,
  errors: FieldError[],
  frequencyDefault: Frequency | null,
): Preferences | null {
  const frequency = field(raw, "frequency", errors, (value) => parseFrequency(value, frequencyDefault));
  const tags = field(raw, "tags", errors, parseTags);
  const timeZone = field(raw, "time_zone", errors, (value) => parseTimeZone(value, defaults.timeZone));
  const sendHour = field(raw, "send_hour", errors, (value) => parseHour(value, defaults.sendHour));
  if (frequency === undefined || tags === undefined || timeZone === undefined || sendHour === undefined) return null;
  return { frequency, tags, timeZone, sendHour };
}

type Result<T> = { value: T } | { error: string; code: ProblemCode; given?: string };

/** Runs one field's parser after the checks every field shares, recording its error. */
function field<T>(
  raw: Record<string, unknown>,
  name: string,
  errors: FieldError[],
  parse: (value: unknown) => Result<T>,
): T | undefined {
  const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
  const result: Result<T> = hasLineBreak(value)
    ? { error: "must not contain line breaks or NUL characters", code: "line-break" }
    : parse(value);
  if ("error" in result) {
    const given = result.given === undefined ? {} : { value: result.given.slice(0, 60) };
    errors.push({ field: name, message: result.error, code: result.code, ...given });
    return undefined;
  }
  return result.value;
}

// Header injection guard: a value with CR, LF or NUL is refused whatever the field.
function hasLineBreak(value: unknown): boolean {
  if (typeof value === "string") return LINE_BREAK_OR_NUL.test(value);
  if (Array.isArray(value)) {
    // Bounded by parseTags's count check; elements past it are never read.
    const n = Math.min(value.length, MAX_TAGS + 1);
    for (let i = 0; i < n; i++) {
      const item: unknown = value[i];
      if (typeof item === "string" && LINE_BREAK_OR_NUL.test(item)) return true;
    }
  }
  return false;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

function parseEmail(value: unknown): Result<string> {
  if (isBlank(value)) return { error: "is required", code: "required" };
  if (typeof value !== "string") return { error: "must be a string", code: "invalid" };
  const address = normaliseAddress(value);
  if (address === null) return { error: "is not a valid email address", code: "invalid" };
  return { value: address };
}

function parseFrequency(value: unknown, fallback: Frequency | null): Result<Frequency> {
  if (isBlank(value)) {
    return fallback === null ? { error: 'is required: "daily" or "weekly"', code: "required" } : { value: fallback };
  }
  if (value === "daily" || value === "weekly") return { value };
  return { error: 'must be "daily" or "weekly"', code: "invalid" };
}

function parseTags(value: unknown): Result<string[]> {
  if (isBlank(value)) return { value: [] };
  let items: unknown[];
  if (typeof value === "string") {
    if (value.length > RAW_TAGS_MAX_LENGTH) return tooManyTags;
    // A form's text field may list them with commas: "transit, politics".
    items = value
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
  } else if (Array.isArray(value)) {
    items = value;
  } else {
    return { error: "must be a list of tag slugs", code: "invalid" };
  }
  if (items.length > MAX_TAGS) return tooManyTags;
  const tags = new Set<string>();
  for (const item of items) {
    if (typeof item !== "string") return { error: "must be a list of tag slugs", code: "invalid" };
    const problem = slugError(item);
    if (problem !== null)
      return { error: `has "${item.slice(0, 60)}", which ${problem}`, code: "unknown", given: item };
    tags.add(item);
  }
  return { value: [...tags] };
}

const tooManyTags = { error: `must be at most ${MAX_TAGS} tags`, code: "too-many" } as const;

/**
 * A zone of the list in any of its spellings, stored as its canonical name; a zone the runtime
 * knows that the list has not (Etc/GMT-5) is kept as the runtime spells it.
 */
function parseTimeZone(value: unknown, fallback: string): Result<string> {
  if (isBlank(value)) return { value: fallback };
  if (typeof value !== "string" || value.length > RAW_FIELD_MAX_LENGTH) {
    return { error: 'must be an IANA time zone like "Asia/Almaty"', code: "invalid" };
  }
  const zone = canonicalZone(value) ?? canonicalTimeZone(value);
  if (zone === null) {
    return { error: `is "${value}"; expected an IANA time zone like "Asia/Almaty"`, code: "unknown", given: value };
  }
  return { value: zone };
}

function parseHour(value: unknown, fallback: number): Result<number> {
  if (isBlank(value)) return { value: fallback };
  let hour: number;
  if (typeof value === "number") {
    hour = value;
  } else if (typeof value === "string" && HOUR.test(value)) {
    hour = Number(value);
  } else {
    return { error: "must be a whole hour from 0 to 23", code: "invalid" };
  }
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    return { error: "must be a whole hour from 0 to 23", code: "invalid" };
  }
  return { value: hour };
}

/** A subscriber's own links, from their signed "manage" token (already URL-safe or encoded). */
export function subscriberLinks(siteUrl: string, token: string): { unsubscribe: string; preferences: string } {
  return { unsubscribe: `${siteUrl}/unsubscribe?token=${token}`, preferences: `${siteUrl}/preferences?token=${token}` };
}
