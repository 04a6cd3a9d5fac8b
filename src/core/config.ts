// Configuration read from the Worker's vars, one group per feature, each checked when a request
// first needs it: a bad mail setting never breaks a feed. Every error names its setting.

import { isTimeZone } from "./intl.js";

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

/** Outgoing email. */
export interface MailConfig {
  from: string;
  mailer: MailerKind;
}

export class ConfigError extends Error {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(`${setting} ${message}`);
    this.name = "ConfigError";
    this.setting = setting;
  }
}

type Vars = Partial<Record<string, unknown>>;

export function parseSiteConfig(vars: Vars): SiteConfig {
  return {
    siteUrl: siteUrl(vars),
    siteTitle: required(vars, "SITE_TITLE"),
    siteDescription: required(vars, "SITE_DESCRIPTION"),
    siteLanguage: languageTag(vars, "SITE_LANGUAGE"),
    feedItems: integer(vars, "FEED_ITEMS", 1, 100),
  };
}

export function parseDigestConfig(vars: Vars): DigestConfig {
  const timeZone = required(vars, "DIGEST_TZ");
  if (!isTimeZone(timeZone)) {
    throw new ConfigError("DIGEST_TZ", `is "${timeZone}"; expected an IANA time zone like "Asia/Almaty"`);
  }
  return { timeZone, sendHour: integer(vars, "DIGEST_SEND_HOUR", 0, 23) };
}

export function parseMailConfig(vars: Vars): MailConfig {
  return {
    from: matching(
      vars,
      "MAIL_FROM",
      /^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/,
      '"Name <address@example.com>"',
    ),
    mailer: oneOf(vars, "MAILER", ["log", "smtp", "resend", "postmark"] as const),
  };
}

function required(vars: Vars, name: string): string {
  const value = vars[name];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(name, "is not set: add it to [vars] in wrangler.toml");
  }
  return value.trim();
}

function matching(vars: Vars, name: string, pattern: RegExp, expected: string): string {
  const value = required(vars, name);
  if (value.length > 320 || !pattern.test(value)) throw new ConfigError(name, `is "${value}"; expected ${expected}`);
  return value;
}

function languageTag(vars: Vars, name: string): string {
  const value = required(vars, name);
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    if (canonical && value.length <= 35) return canonical;
  } catch {
    // reported below
  }
  throw new ConfigError(name, `is "${value}"; expected a language tag like "en" or "kk-KZ"`);
}

function integer(vars: Vars, name: string, min: number, max: number): number {
  const value = required(vars, name);
  const n = Number(value);
  if (!/^\d{1,6}$/.test(value) || n < min || n > max) {
    throw new ConfigError(name, `is "${value}"; expected a whole number from ${min} to ${max}`);
  }
  return n;
}

function oneOf<const T extends readonly string[]>(vars: Vars, name: string, allowed: T): T[number] {
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
