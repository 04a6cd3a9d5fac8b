// Site configuration read from the Worker's vars, checked once; every error names its setting.

export type MailerKind = "log" | "smtp" | "resend" | "postmark";

export interface Config {
  /** Origin without a trailing slash: "https://news.example.com". */
  siteUrl: string;
  siteTitle: string;
  siteDescription: string;
  siteLanguage: string;
  feedItems: number;
  digestTz: string;
  digestSendHour: number;
  mailFrom: string;
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

export function parseConfig(vars: Vars): Config {
  return {
    siteUrl: siteUrl(vars),
    siteTitle: required(vars, "SITE_TITLE"),
    siteDescription: required(vars, "SITE_DESCRIPTION"),
    siteLanguage: matching(vars, "SITE_LANGUAGE", /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'a language tag like "en"'),
    feedItems: integer(vars, "FEED_ITEMS", 1, 100),
    digestTz: timeZone(vars),
    digestSendHour: integer(vars, "DIGEST_SEND_HOUR", 0, 23),
    mailFrom: matching(
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
  if (!pattern.test(value)) throw new ConfigError(name, `is "${value}"; expected ${expected}`);
  return value;
}

function integer(vars: Vars, name: string, min: number, max: number): number {
  const value = required(vars, name);
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
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

function timeZone(vars: Vars): string {
  const value = required(vars, "DIGEST_TZ");
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
  } catch {
    throw new ConfigError("DIGEST_TZ", `is "${value}"; expected an IANA time zone like "Asia/Almaty"`);
  }
  return value;
}
