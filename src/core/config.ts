// Configuration read from the Worker's vars and secrets, one group per feature, each checked when a
// request first needs it: a bad mail setting never breaks a feed. Every error names its setting.

import { isTimeZone } from "./intl.js";
import { oneLineError } from "./text.js";
import { svixKeyBytes } from "./webhooks.js";

export type MailerKind = "log" | "smtp" | "resend" | "postmark";

/** What every page, feed and API answer needs. */
export interface SiteConfig {
  /** Origin without a trailing slash: "https://news.example.com". */
  siteUrl: string;
  siteTitle: string;
  siteDescription: string;
  siteLanguage: string;
  feedItems: number;
}

/** Digest windows and dates shown on pages. */
export interface DigestConfig {
  /** IANA zone of digest windows and of dates shown on pages. */
  timeZone: string;
  sendHour: number;
}

/** Outgoing email: the sender, the adapter, and that adapter's endpoint and credentials. */
export interface MailConfig {
  from: string;
  mailer: MailerKind;
  /** EMAIL_API_BASE without a trailing slash, or null for the provider's own API. */
  apiBase: string | null;
  /** Postmark's stream for broadcast mail (digests); transactional mail goes on "outbound". */
  postmarkStream: string;
  /** Set when MAILER is "smtp". */
  smtp: SmtpConfig | null;
  /** The chosen provider's secret: RESEND_API_KEY or POSTMARK_TOKEN; null for log and smtp. */
  apiKey: string | null;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS from the first byte; otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Both or neither. */
  credentials: { username: string; password: string } | null;
}

export class ConfigError extends Error {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(`${setting} ${message}`);
    this.name = "ConfigError";
    this.setting = setting;
  }
}

/** Every var and secret read here (wrangler.toml's [vars], .dev.vars.example's secrets). */
export type SettingName =
  | "SITE_URL"
  | "SITE_TITLE"
  | "SITE_DESCRIPTION"
  | "SITE_LANGUAGE"
  | "FEED_ITEMS"
  | "DIGEST_TZ"
  | "DIGEST_SEND_HOUR"
  | "MAIL_FROM"
  | "MAILER"
  | "EMAIL_API_BASE"
  | "POSTMARK_STREAM"
  | "SMTP_HOST"
  | "SMTP_PORT"
  | "SMTP_SECURE"
  | "SMTP_USER"
  | "SMTP_PASS"
  | "RESEND_API_KEY"
  | "POSTMARK_TOKEN"
  | "MAIL_RATE"
  | "MAIL_RETRY_DELAY"
  | "WEBSUB_HUB"
  | "ACCESS_TEAM_DOMAIN"
  | "ACCESS_AUD"
  | "ADMIN_TOKEN"
  | "SIGNING_SECRET"
  | "SIGNING_SECRET_PREVIOUS"
  | "RESEND_WEBHOOK_SECRET"
  | "POSTMARK_WEBHOOK_USER"
  | "POSTMARK_WEBHOOK_PASS";

/**
 * The environment as this module sees it: the Worker's Env is one. Values are `unknown` because
 * they are checked here, not trusted: a [vars] entry may be a number or a table.
 */
export type Vars = { readonly [Name in SettingName]?: unknown };

const MIN_TOKEN_LENGTH = 16;
/** The shortest SIGNING_SECRET accepted (also what `npm run dev` checks in .dev.vars). */
export const MIN_SIGNING_SECRET_LENGTH = 32;
/** A Svix signing secret is 24 random bytes or more. */
const MIN_WEBHOOK_KEY_BYTES = 16;
/** The example value in .dev.vars.example: accepted on a local SITE_URL only. */
const PLACEHOLDER_TOKEN = "change-me-to-a-long-random-string";

export function parseSiteConfig(vars: Vars): SiteConfig {
  return {
    siteUrl: siteUrl(vars),
    siteTitle: oneLine(vars, "SITE_TITLE"),
    siteDescription: required(vars, "SITE_DESCRIPTION"),
    siteLanguage: languageTag(vars, "SITE_LANGUAGE"),
    feedItems: integer(vars, "FEED_ITEMS", 1, 100),
  };
}

/** DIGEST_TZ if it is a valid zone, else null: for writes, which must not fail on a digest setting. */
export function digestTimeZoneOrNull(vars: Vars): string | null {
  const timeZone = vars.DIGEST_TZ;
  return typeof timeZone === "string" && isTimeZone(timeZone) ? timeZone : null;
}

export function parseDigestConfig(vars: Vars): DigestConfig {
  const timeZone = required(vars, "DIGEST_TZ");
  if (!isTimeZone(timeZone)) {
    throw new ConfigError("DIGEST_TZ", `is "${timeZone}"; expected an IANA time zone like "Asia/Almaty"`);
  }
  return { timeZone, sendHour: integer(vars, "DIGEST_SEND_HOUR", 0, 23) };
}

/** How scheduled delivery paces itself (MAIL_RATE, MAIL_RETRY_DELAY). */
export interface DeliveryConfig {
  /** Messages per second one queue consumer sends at most. */
  rate: number;
  /** Seconds before the first retry of a transient failure; each later retry waits twice as long. */
  retryDelaySeconds: number;
}

/** A new sender's reputation is built slowly: 10 a second is 36 000 an hour. */
export const DEFAULT_MAIL_RATE = 10;
export const DEFAULT_RETRY_DELAY_SECONDS = 30;

export function parseDeliveryConfig(vars: Vars): DeliveryConfig {
  return {
    rate: isSet(vars, "MAIL_RATE") ? integer(vars, "MAIL_RATE", 1, 100_000) : DEFAULT_MAIL_RATE,
    retryDelaySeconds: isSet(vars, "MAIL_RETRY_DELAY")
      ? integer(vars, "MAIL_RETRY_DELAY", 1, 3600)
      : DEFAULT_RETRY_DELAY_SECONDS,
  };
}

/**
 * The WebSub hub feeds advertise and pings go to (WEBSUB_HUB), or null when unset (WebSub off).
 * https, or http on a loopback host (a hub on the developer's machine or in tests).
 */
export function parseWebSubHub(vars: Vars): string | null {
  if (!isSet(vars, "WEBSUB_HUB")) return null;
  const value = required(vars, "WEBSUB_HUB");
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  const loopback = url !== null && isLoopbackHost(url.hostname);
  if (
    !url ||
    !(url.protocol === "https:" || (url.protocol === "http:" && loopback)) ||
    url.username ||
    url.password ||
    url.hash ||
    value.length > 2000
  ) {
    throw new ConfigError(
      "WEBSUB_HUB",
      `is "${value.slice(0, 100)}"; expected the hub's https URL, like https://pubsubhubbub.appspot.com/`,
    );
  }
  return url.href;
}

/** Cloudflare Access in front of the console: whose tokens are accepted, and for which application. */
export interface AccessConfig {
  /** The team domain as an origin, "https://myteam.cloudflareaccess.com": the tokens' issuer, the keys' host. */
  teamDomain: string;
  /** The Access application's audience (AUD) tag: a token must name it in aud. */
  audience: string;
}

/**
 * ACCESS_TEAM_DOMAIN and ACCESS_AUD, or null when neither is set (Access sign-in off); one without
 * the other is an error naming the missing one. The team domain is an https origin (a bare host
 * becomes one), or http on a loopback host, as WEBSUB_HUB.
 */
export function parseAccessConfig(vars: Vars): AccessConfig | null {
  const domainSet = isSet(vars, "ACCESS_TEAM_DOMAIN");
  const audSet = isSet(vars, "ACCESS_AUD");
  if (!domainSet && !audSet) return null;
  if (!domainSet || !audSet) {
    throw new ConfigError(
      domainSet ? "ACCESS_AUD" : "ACCESS_TEAM_DOMAIN",
      "is not set: Cloudflare Access sign-in needs both ACCESS_TEAM_DOMAIN and ACCESS_AUD, or neither",
    );
  }
  return {
    teamDomain: accessTeamDomain(required(vars, "ACCESS_TEAM_DOMAIN")),
    audience: matching(
      vars,
      "ACCESS_AUD",
      /^[!-~]{1,256}$/,
      "the Access application's audience (AUD) tag: 1 to 256 printable characters, no spaces",
    ),
  };
}

function accessTeamDomain(value: string): string {
  // A bare host ("myteam.cloudflareaccess.com") is the https origin, as Cloudflare's dashboard shows it.
  const text = value.includes("://") ? value : `https://${value}`;
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (
    !url ||
    !(url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname))) ||
    url.username ||
    url.password ||
    url.pathname !== "/" ||
    url.search ||
    url.hash ||
    value.length > 300
  ) {
    throw new ConfigError(
      "ACCESS_TEAM_DOMAIN",
      `is "${value.slice(0, 100)}"; expected the team domain's https origin, like https://myteam.cloudflareaccess.com`,
    );
  }
  return url.origin;
}

export function parseMailConfig(vars: Vars): MailConfig {
  const mailer = oneOf(vars, "MAILER", ["log", "smtp", "resend", "postmark"] as const);
  return {
    from: matching(
      vars,
      "MAIL_FROM",
      // The address goes into SMTP's MAIL FROM and the From header as it is: printable ASCII
      // only. The display name may be any text but control characters (it is encoded as needed).
      /^(?:[^<>\p{Cc}]*<[!-;=?A-~]+@[!-;=?A-~]+>|[!-;=?A-~]+@[!-;=?A-~]+)$/u,
      '"Name <address@example.com>"',
    ),
    mailer,
    apiBase: isSet(vars, "EMAIL_API_BASE") ? httpUrl(vars, "EMAIL_API_BASE") : null,
    postmarkStream: isSet(vars, "POSTMARK_STREAM")
      ? matching(vars, "POSTMARK_STREAM", /^[a-z0-9-]{1,30}$/, 'a Postmark stream id like "broadcast"')
      : "broadcast",
    smtp: mailer === "smtp" ? smtpConfig(vars) : null,
    apiKey:
      mailer === "resend"
        ? secret(vars, "RESEND_API_KEY", "resend")
        : mailer === "postmark"
          ? secret(vars, "POSTMARK_TOKEN", "postmark")
          : null,
  };
}

/** The key of subscribers' signed links; required once subscriptions are used. */
export function parseSigningSecret(vars: Vars): string {
  const secret = text(vars, "SIGNING_SECRET");
  if (!secret) {
    throw new ConfigError(
      "SIGNING_SECRET",
      "is not set; subscriptions need it (npx wrangler secret put SIGNING_SECRET, at least 32 random characters)",
    );
  }
  if (secret.length < MIN_SIGNING_SECRET_LENGTH) {
    throw new ConfigError("SIGNING_SECRET", `is shorter than ${MIN_SIGNING_SECRET_LENGTH} characters`);
  }
  return secret;
}

/**
 * Every key a subscriber's link may be signed with: SIGNING_SECRET, then each of
 * SIGNING_SECRET_PREVIOUS (comma-separated), so a rotation does not break links already sent
 * (unsubscribe links above all). Only the first ever signs.
 */
export function parseVerificationSecrets(vars: Vars): string[] {
  const current = parseSigningSecret(vars);
  const previous = text(vars, "SIGNING_SECRET_PREVIOUS")
    .split(",")
    .map((secret) => secret.trim())
    .filter((secret) => secret !== "");
  previous.forEach((secret, i) => {
    if (secret.length < MIN_SIGNING_SECRET_LENGTH) {
      throw new ConfigError(
        "SIGNING_SECRET_PREVIOUS",
        `has a secret (number ${i + 1} in the list) shorter than ${MIN_SIGNING_SECRET_LENGTH} characters`,
      );
    }
  });
  return [current, ...previous];
}

/** The key of Resend's webhook signatures (Svix scheme): the "whsec_<base64>" secret, decoded. */
export function parseResendWebhookKey(vars: Vars): Uint8Array {
  const secret = text(vars, "RESEND_WEBHOOK_SECRET");
  if (!secret) {
    throw new ConfigError(
      "RESEND_WEBHOOK_SECRET",
      "is not set; POST /webhooks/resend needs the webhook's signing secret from Resend (npx wrangler secret put RESEND_WEBHOOK_SECRET)",
    );
  }
  const key = svixKeyBytes(secret);
  if (!key || key.byteLength < MIN_WEBHOOK_KEY_BYTES) {
    throw new ConfigError("RESEND_WEBHOOK_SECRET", 'is not a signing secret of the form "whsec_<base64>"');
  }
  return key;
}

/** The HTTP Basic credentials Postmark's webhook URL carries. */
export function parsePostmarkWebhookCredentials(vars: Vars): { user: string; pass: string } {
  const user = text(vars, "POSTMARK_WEBHOOK_USER");
  const pass = text(vars, "POSTMARK_WEBHOOK_PASS");
  for (const [name, value] of [
    ["POSTMARK_WEBHOOK_USER", user],
    ["POSTMARK_WEBHOOK_PASS", pass],
  ] as const) {
    if (!value) {
      throw new ConfigError(name, "is not set; POST /webhooks/postmark needs POSTMARK_WEBHOOK_USER and _PASS");
    }
  }
  if (pass.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError("POSTMARK_WEBHOOK_PASS", `is shorter than ${MIN_TOKEN_LENGTH} characters`);
  }
  return { user, pass };
}

/**
 * The admin token, or null when the admin API is off; a weak token is a configuration error.
 * `siteUrl` is asked only of the example token, so a bad site setting does not lock out the rest.
 */
export function parseAdminToken(vars: Vars, siteUrl: () => string): string | null {
  const token = text(vars, "ADMIN_TOKEN");
  if (!token) return null;
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError("ADMIN_TOKEN", `is shorter than ${MIN_TOKEN_LENGTH} characters`);
  }
  if (token === PLACEHOLDER_TOKEN && !isLoopbackHost(new URL(siteUrl()).hostname)) {
    throw new ConfigError(
      "ADMIN_TOKEN",
      "is the example value from .dev.vars.example; set a long random secret (npx wrangler secret put ADMIN_TOKEN)",
    );
  }
  return token;
}

/** A host on the machine itself: the developer's, or the tests'. */
export function isLoopbackHost(hostname: string): boolean {
  return /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/.test(hostname);
}

/** A secret as set, or "" when it is not: secrets are never trimmed or quoted. */
function text(vars: Vars, name: SettingName): string {
  const value = vars[name];
  return typeof value === "string" ? value : "";
}

function smtpConfig(vars: Vars): SmtpConfig {
  const user = isSet(vars, "SMTP_USER") ? secret(vars, "SMTP_USER", "smtp") : null;
  const pass = isSet(vars, "SMTP_PASS") ? secret(vars, "SMTP_PASS", "smtp") : null;
  if ((user === null) !== (pass === null)) {
    throw new ConfigError(
      user === null ? "SMTP_USER" : "SMTP_PASS",
      "is not set: set both SMTP_USER and SMTP_PASS, or neither",
    );
  }
  return {
    host: matching(vars, "SMTP_HOST", /^[A-Za-z0-9.:[\]-]{1,253}$/, "a host name or IP address"),
    port: isSet(vars, "SMTP_PORT") ? integer(vars, "SMTP_PORT", 1, 65535) : 587,
    secure: isSet(vars, "SMTP_SECURE") ? oneOf(vars, "SMTP_SECURE", ["true", "false"] as const) === "true" : false,
    credentials: user !== null && pass !== null ? { username: user, password: pass } : null,
  };
}

function isSet(vars: Vars, name: SettingName): boolean {
  const value = vars[name];
  return typeof value === "string" && value.trim() !== "";
}

/** A secret's value is never quoted in an error. */
function secret(vars: Vars, name: SettingName, mailer: string): string {
  const value = vars[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(name, `is not set; MAILER "${mailer}" needs it: npx wrangler secret put ${name}`);
  }
  if (value.length > 1000 || /[\r\n\0]/.test(value)) {
    throw new ConfigError(name, "is malformed: expected one line of at most 1000 characters");
  }
  return value.trim();
}

function httpUrl(vars: Vars, name: SettingName): string {
  const value = required(vars, name);
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (
    !url ||
    (url.protocol !== "https:" && url.protocol !== "http:") ||
    url.search ||
    url.hash ||
    value.length > 2000
  ) {
    throw new ConfigError(name, `is "${value.slice(0, 100)}"; expected an http(s) URL like https://api.resend.com`);
  }
  return url.href.replace(/\/+$/, "");
}

function required(vars: Vars, name: SettingName): string {
  const value = vars[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(name, "is not set: add it to [vars] in wrangler.toml");
  }
  return value.trim();
}

/** A setting that ends up in a header (SITE_TITLE: every email's Subject), so one line. */
function oneLine(vars: Vars, name: SettingName): string {
  const value = required(vars, name);
  const problem = oneLineError(value);
  if (problem !== null) throw new ConfigError(name, problem);
  return value;
}

function matching(vars: Vars, name: SettingName, pattern: RegExp, expected: string): string {
  const value = required(vars, name);
  if (value.length > 320 || !pattern.test(value)) throw new ConfigError(name, `is "${value}"; expected ${expected}`);
  return value;
}

function languageTag(vars: Vars, name: SettingName): string {
  const value = required(vars, name);
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    if (canonical && value.length <= 35) return canonical;
  } catch {
    // reported below
  }
  throw new ConfigError(name, `is "${value}"; expected a language tag like "en" or "kk-KZ"`);
}

function integer(vars: Vars, name: SettingName, min: number, max: number): number {
  const value = required(vars, name);
  const n = Number(value);
  if (!/^\d{1,6}$/.test(value) || n < min || n > max) {
    throw new ConfigError(name, `is "${value}"; expected a whole number from ${min} to ${max}`);
  }
  return n;
}

function oneOf<const T extends readonly string[]>(vars: Vars, name: SettingName, allowed: T): T[number] {
  const value = required(vars, name);
  if (!allowed.includes(value)) throw new ConfigError(name, `is "${value}"; expected one of ${allowed.join(", ")}`);
  return value as T[number];
}

function siteUrl(vars: Vars): string {
  const value = required(vars, "SITE_URL");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError("SITE_URL", `is "${value}"; expected an absolute URL like https://news.example.com`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.pathname !== "/" || url.search || url.hash) {
    throw new ConfigError(
      "SITE_URL",
      `is "${value}"; expected an http(s) origin with no path, like https://news.example.com`,
    );
  }
  return url.origin;
}
