// The composition root: everything a handler needs, built from `env` in one place and shared by
// the Worker's entry points. Configuration is parsed per feature on first use, so a setting that
// a route does not use never breaks it. Routes receive these services; they never read `env`.

import {
  ConfigError,
  type DeliveryConfig,
  type DigestConfig,
  digestTimeZoneOrNull,
  type MailConfig,
  parseDeliveryConfig,
  parseDigestConfig,
  parseMailConfig,
  parseSiteConfig,
  parseWebSubHub,
  type SiteConfig,
} from "../core/config.js";
import type { DeliveryMessage } from "../core/delivery.js";
import { fnv1a } from "../core/hash.js";
import { svixKeyBytes } from "../core/webhooks.js";
import { sessionAware } from "./d1-session.js";
import { createMailer } from "./mail/index.js";
import type { Mailer } from "./mail/mailer.js";
import { ArchiveDays } from "./store/archive.js";
import { ArticleStore } from "./store/articles.js";
import { DeliveryStore } from "./store/deliveries.js";
import { EditionStore } from "./store/editions.js";
import { AUTHORS, NameIndex, TAGS } from "./store/names.js";
import { SearchStore } from "./store/search.js";
import { SitemapStore } from "./store/sitemaps.js";
import { SubscriberStore } from "./store/subscribers.js";
import { ContentVersion } from "./store/version.js";
import { WebSubCutoff } from "./store/websub.js";

/** Bindings and secrets: vars and D1 from `wrangler types`; secrets are listed in .dev.vars.example. */
export interface Bindings extends Env {
  ADMIN_TOKEN?: string;
  SIGNING_SECRET?: string;
  /** Secrets SIGNING_SECRET had before, comma-separated: links they signed still verify. */
  SIGNING_SECRET_PREVIOUS?: string;
  // Optional [vars] of the mailers (see wrangler.toml).
  EMAIL_API_BASE?: string;
  POSTMARK_STREAM?: string;
  SMTP_HOST?: string;
  SMTP_PORT?: string;
  SMTP_SECURE?: string;
  // Mailer secrets.
  SMTP_USER?: string;
  SMTP_PASS?: string;
  RESEND_API_KEY?: string;
  POSTMARK_TOKEN?: string;
  // Bounce and complaint webhooks.
  RESEND_WEBHOOK_SECRET?: string;
  POSTMARK_WEBHOOK_USER?: string;
  POSTMARK_WEBHOOK_PASS?: string;
  // Scheduled delivery (see wrangler.toml).
  MAIL_RATE?: string;
  MAIL_RETRY_DELAY?: string;
  // WebSub (see wrangler.toml).
  WEBSUB_HUB?: string;
}

const MIN_TOKEN_LENGTH = 16;
const MIN_SIGNING_SECRET_LENGTH = 32;
/** A Svix signing secret is 24 random bytes or more. */
const MIN_WEBHOOK_KEY_BYTES = 16;
/** The example value in .dev.vars.example: accepted on a local SITE_URL only. */
const PLACEHOLDER_TOKEN = "change-me-to-a-long-random-string";

interface KnownNotModified {
  token: string;
  etag: string;
  headers: Record<string, string>;
}

export class Services {
  readonly version: ContentVersion;
  readonly articles: ArticleStore;
  readonly tags: NameIndex;
  readonly authors: NameIndex;
  readonly search: SearchStore;
  readonly sitemaps: SitemapStore;
  /** Up to when the hourly run has pinged the WebSub hub. */
  readonly websubCutoff: WebSubCutoff;
  /** 304s this isolate has given, by URL: answered again before routing (see http-cache.ts). */
  readonly notModified = new Map<string, KnownNotModified>();
  /** Names this deployment: part of every cache key, so new code never serves old renders. */
  readonly deployment: string;
  /** D1, through the current request's session. */
  readonly db: D1Database;
  private siteConfig?: SiteConfig;
  private digestConfig?: DigestConfig;
  private mailConfig?: MailConfig;
  private builtMailer?: Mailer;
  private subscriberStore?: SubscriberStore;
  private deliveryStore?: DeliveryStore;
  private editionStore?: EditionStore;
  private deliveryConfig?: DeliveryConfig;
  private hub?: string | null;

  constructor(
    private readonly env: Bindings,
    // Read at call time, so a test clock (vi.setSystemTime) reaches it.
    readonly now: () => number = () => Date.now(),
  ) {
    this.deployment = (env.CF_VERSION_METADATA?.id ?? "dev").slice(0, 8);
    // Renders depend on these settings too: a change (a restarted `wrangler dev --var …`)
    // must not serve renders made under the old ones, which the Cache API keeps.
    const rendering = [
      env.SITE_URL,
      env.SITE_TITLE,
      env.SITE_DESCRIPTION,
      env.SITE_LANGUAGE,
      env.FEED_ITEMS,
      env.DIGEST_TZ,
      // Only when set, so a deployment without WebSub keeps its cache keys.
      ...(env.WEBSUB_HUB ? [env.WEBSUB_HUB] : []),
    ];
    // Every store reads through the request's D1 session (d1-session.ts), the primary outside one.
    this.db = sessionAware(env.DB);
    this.version = new ContentVersion(this.db, now, `${this.deployment}.${fnv1a(JSON.stringify(rendering))}`);
    const archive = new ArchiveDays(this.db, () => digestTimeZoneOrNull(env as unknown as Record<string, unknown>));
    this.articles = new ArticleStore(this.db, this.version, () => this.site.siteUrl, archive);
    this.tags = new NameIndex(this.db, TAGS);
    this.authors = new NameIndex(this.db, AUTHORS);
    this.search = new SearchStore(this.db, () => this.site.siteUrl);
    this.sitemaps = new SitemapStore(this.db);
    this.websubCutoff = new WebSubCutoff(this.db);
  }

  get site(): SiteConfig {
    this.siteConfig ??= parseSiteConfig(this.env as unknown as Record<string, unknown>);
    return this.siteConfig;
  }

  get digest(): DigestConfig {
    this.digestConfig ??= parseDigestConfig(this.env as unknown as Record<string, unknown>);
    return this.digestConfig;
  }

  get mail(): MailConfig {
    this.mailConfig ??= parseMailConfig(this.env as unknown as Record<string, unknown>);
    return this.mailConfig;
  }

  /** The mailer MAILER names; its settings are checked here, on first use, naming the bad one. */
  mailer(): Mailer {
    this.builtMailer ??= createMailer({ config: this.mail, siteUrl: this.site.siteUrl, now: this.now });
    return this.builtMailer;
  }

  get subscribers(): SubscriberStore {
    this.subscriberStore ??= new SubscriberStore(this.db, this.now);
    return this.subscriberStore;
  }

  get deliveries(): DeliveryStore {
    this.deliveryStore ??= new DeliveryStore(this.db, this.now);
    return this.deliveryStore;
  }

  get editions(): EditionStore {
    this.editionStore ??= new EditionStore(this.db, this.now);
    return this.editionStore;
  }

  get delivery(): DeliveryConfig {
    this.deliveryConfig ??= parseDeliveryConfig(this.env as unknown as Record<string, unknown>);
    return this.deliveryConfig;
  }

  /** The WebSub hub feeds advertise and pings go to; null when WEBSUB_HUB is unset. */
  get websubHub(): string | null {
    if (this.hub === undefined) this.hub = parseWebSubHub(this.env as unknown as Record<string, unknown>);
    return this.hub;
  }

  /** The queue that carries digest sends (see [[queues.producers]] in wrangler.toml). */
  deliveryQueue(): Queue<DeliveryMessage> {
    const queue = this.env.DELIVERIES as Queue<DeliveryMessage> | undefined;
    if (!queue) throw new ConfigError("DELIVERIES", "is not bound; see [[queues.producers]] in wrangler.toml");
    return queue;
  }

  /** The key of subscribers' signed links; required once subscriptions are used. */
  signingSecret(): string {
    const secret = this.env.SIGNING_SECRET;
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
   * SIGNING_SECRET_PREVIOUS, so a rotation does not break links already sent (unsubscribe links
   * above all). Only the first ever signs.
   */
  verificationSecrets(): string[] {
    const current = this.signingSecret();
    const previous = (this.env.SIGNING_SECRET_PREVIOUS ?? "")
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
  resendWebhookKey(): Uint8Array {
    const secret = this.env.RESEND_WEBHOOK_SECRET;
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
  postmarkWebhookCredentials(): { user: string; pass: string } {
    const user = this.env.POSTMARK_WEBHOOK_USER;
    const pass = this.env.POSTMARK_WEBHOOK_PASS;
    for (const [name, value] of [
      ["POSTMARK_WEBHOOK_USER", user],
      ["POSTMARK_WEBHOOK_PASS", pass],
    ] as const) {
      if (!value) {
        throw new ConfigError(name, "is not set; POST /webhooks/postmark needs POSTMARK_WEBHOOK_USER and _PASS");
      }
    }
    if ((pass ?? "").length < MIN_TOKEN_LENGTH) {
      throw new ConfigError("POSTMARK_WEBHOOK_PASS", `is shorter than ${MIN_TOKEN_LENGTH} characters`);
    }
    return { user: user ?? "", pass: pass ?? "" };
  }

  /** The admin token, or null when the admin API is off; a weak token is a configuration error. */
  adminToken(): string | null {
    const token = this.env.ADMIN_TOKEN;
    if (!token) return null;
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new ConfigError("ADMIN_TOKEN", `is shorter than ${MIN_TOKEN_LENGTH} characters`);
    }
    if (token === PLACEHOLDER_TOKEN && !isLoopback(this.site.siteUrl)) {
      throw new ConfigError(
        "ADMIN_TOKEN",
        "is the example value from .dev.vars.example; set a long random secret (npx wrangler secret put ADMIN_TOKEN)",
      );
    }
    return token;
  }

  /** Whether a client (by IP address) may ask for another subscription now: see [[ratelimits]] in wrangler.toml. */
  async allowSubscribeRequest(client: string): Promise<boolean> {
    const limiter = this.env.SUBSCRIBE_LIMITER as RateLimit | undefined;
    if (!limiter) throw new ConfigError("SUBSCRIBE_LIMITER", "is not bound; see [[ratelimits]] in wrangler.toml");
    return (await limiter.limit({ key: client })).success;
  }
}

function isLoopback(origin: string): boolean {
  const host = new URL(origin).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

// Bindings are fixed for an isolate's life: one Services per env object (the last one at hand).
const built = new WeakMap<object, Services>();
let last: { env: object; services: Services } | null = null;

export function services(env: Bindings): Services {
  if (last?.env === env) return last.services;
  let s = built.get(env);
  if (!s) {
    s = new Services(env);
    built.set(env, s);
  }
  last = { env, services: s };
  return s;
}
