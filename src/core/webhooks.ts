// Bounce and complaint webhooks, the pure part: checking a Svix signature (Resend's scheme) and
// HTTP Basic credentials (Postmark's), and reading from each provider's event the addresses that
// must never be mailed again. Time is an argument; only WebCrypto is used.

import { normaliseAddress } from "./subscription.js";

/** Svix refuses a message whose timestamp is further than this from now, either way (replays). */
export const SVIX_TOLERANCE_SECONDS = 5 * 60;
/** Bounds on what is parsed from headers: anything longer is not a real signature. */
const MAX_SVIX_ID_LENGTH = 200;
const MAX_SIGNATURE_HEADER_LENGTH = 2000;
const MAX_SIGNATURES = 10;
/** Resend lists an event's recipients in data.to: a digest goes to one. */
const MAX_RECIPIENTS = 50;

export type SuppressionReason = "bounce" | "complaint";

export interface Suppression {
  email: string;
  reason: SuppressionReason;
}

/** What a verified event asks for: addresses to suppress, or nothing (with why, for the answer). */
export type WebhookAction = { kind: "suppress"; suppressions: Suppression[] } | { kind: "ignore"; why: string };

/** An event that is signed correctly but does not say what it must: a 400 naming the field. */
export class WebhookPayloadError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field} ${detail}`);
    this.name = "WebhookPayloadError";
  }
}

/** The key a "whsec_<base64>" secret stands for, or null when it is not one. */
export function svixKeyBytes(secret: string): Uint8Array | null {
  return secret.startsWith("whsec_") ? decodeBase64(secret.slice("whsec_".length)) : null;
}

export interface SvixHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

/**
 * Whether `body` was signed by the holder of `key` (see svixKeyBytes) within the tolerance of
 * `nowMs`. Each "v1,<base64>" entry of the signature header is checked with crypto.subtle.verify,
 * which compares in constant time; one match is enough (Svix lists several while a key rotates).
 */
export async function verifySvix(key: Uint8Array, headers: SvixHeaders, body: Uint8Array, nowMs: number) {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return false;
  if (id.length > MAX_SVIX_ID_LENGTH || signature.length > MAX_SIGNATURE_HEADER_LENGTH) return false;
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SVIX_TOLERANCE_SECONDS) return false;

  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.byteLength + body.byteLength);
  signed.set(prefix, 0);
  signed.set(body, prefix.byteLength);
  const hmac = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);

  const entries = signature.split(" ").slice(0, MAX_SIGNATURES);
  for (const entry of entries) {
    const [version, encoded] = entry.split(",", 2);
    if (version !== "v1" || !encoded) continue;
    const mac = decodeBase64(encoded);
    if (mac === null) continue;
    if (await crypto.subtle.verify("HMAC", hmac, mac, signed)) return true;
  }
  return false;
}

/**
 * Whether an Authorization header carries exactly this user and password (RFC 7617). Both sides
 * are hashed first, so the comparison takes the same time whatever the guess and its length.
 */
export async function basicAuthMatches(header: string | null, user: string, pass: string): Promise<boolean> {
  if (!header || header.length > 1000) return false;
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) return false;
  let given: string;
  try {
    given = atob(match[1]);
  } catch {
    return false;
  }
  const [a, b] = await Promise.all([sha256(given), sha256(`${user}:${pass}`)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/**
 * A Resend event (https://resend.com/docs/webhooks): `email.bounced` with `data.bounce.type`
 * "Permanent" (a hard bounce) and `email.complained` suppress each address in `data.to`. A
 * "Transient" or "Undetermined" bounce may deliver later, so it changes nothing; nor do other events.
 */
export function resendAction(event: unknown): WebhookAction {
  const root = object(event, "body");
  const type = root.type;
  if (typeof type !== "string") throw new WebhookPayloadError("type", "must be a string");
  if (type !== "email.bounced" && type !== "email.complained") return { kind: "ignore", why: `event ${type}` };
  const data = object(root.data, "data");
  let reason: SuppressionReason = "complaint";
  if (type === "email.bounced") {
    const bounceType = data.bounce === undefined ? undefined : object(data.bounce, "data.bounce").type;
    if (bounceType !== "Permanent") return { kind: "ignore", why: `bounce type ${String(bounceType).slice(0, 40)}` };
    reason = "bounce";
  }
  const to = typeof data.to === "string" ? [data.to] : data.to;
  if (!Array.isArray(to) || to.length === 0 || to.length > MAX_RECIPIENTS) {
    throw new WebhookPayloadError("data.to", `must list 1 to ${MAX_RECIPIENTS} addresses`);
  }
  return { kind: "suppress", suppressions: to.map((value) => ({ email: address(value, "data.to"), reason })) };
}

/**
 * A Postmark event (https://postmarkapp.com/developer/webhooks): RecordType "Bounce" of a hard
 * type (Type "HardBounce" or TypeCode 1) and "SpamComplaint" suppress `Email`; others change nothing.
 */
export function postmarkAction(event: unknown): WebhookAction {
  const root = object(event, "body");
  const recordType = root.RecordType;
  if (typeof recordType !== "string") throw new WebhookPayloadError("RecordType", "must be a string");
  let reason: SuppressionReason;
  if (recordType === "SpamComplaint") reason = "complaint";
  else if (recordType === "Bounce") {
    if (root.Type !== "HardBounce" && root.TypeCode !== 1) {
      return { kind: "ignore", why: `bounce type ${String(root.Type).slice(0, 40)}` };
    }
    reason = "bounce";
  } else return { kind: "ignore", why: `record type ${recordType.slice(0, 40)}` };
  return { kind: "suppress", suppressions: [{ email: address(root.Email, "Email"), reason }] };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new WebhookPayloadError(field, "must be a JSON object");
  }
  return value as Record<string, unknown>;
}

function address(value: unknown, field: string): string {
  const normalised = typeof value === "string" ? normaliseAddress(value) : null;
  if (normalised === null) throw new WebhookPayloadError(field, "must be an email address");
  return normalised;
}

function decodeBase64(encoded: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  try {
    return Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}
