// The composition root: everything a handler needs, built from `env` in one place and shared by
// the Worker's entry points. Configuration is parsed per feature on first use, so a setting that
// a route does not use never breaks it. Routes receive these services; they never read `env`.

import {
  type AccessConfig,
  ConfigError,
  type DeliveryConfig,
  type DigestConfig,
  digestTimeZoneOrNull,
  type MailConfig,
  parseAccessConfig,
  parseAdminToken,
  parseDeliveryConfig,
  parseDigestConfig,
  parseMailConfig,
  parsePostmarkWebhookCredentials,
  parseResendWebhookKey,
  parseSigningSecret,
  parseSiteConfig,
  parseVerificationSecrets,
  parseWebSubHub,
  type SettingName,
  type SiteConfig,
} from "../core/config.js";
import type { DeliveryMessage } from "../core/delivery.js";
import { fnv1a } from "../core/hash.js";
import { sessionAware } from "./d1-session.js";
import { createMailer } from "./mail/index.js";
import type { Mailer } from "./mail/mailer.js";
import { AddressHash } from "./store/address-hash.js";
import { ArchiveDays } from "./store/archive.js";
import { ArticleStore } from "./store/articles.js";
import { AudienceStore } from "./store/audience.js";
import { DashboardStore } from "./store/dashboard.js";
import { DeliveryStore } from "./store/deliveries.js";
import { EditionStore } from "./store/editions.js";
import { ImportStore } from "./store/imports.js";
import { AUTHORS, NameIndex, TAGS } from "./store/names.js";
import { OutboxStore } from "./store/outbox.js";
import { SearchStore } from "./store/search.js";
import { SitemapStore } from "./store/sitemaps.js";
import { SubscriberExport } from "./store/subscriber-export.js";
import { SubscriberList } from "./store/subscriber-list.js";
import { SubscriberStore } from "./store/subscribers.js";
import { SuppressionStore } from "./store/suppressions.js";
import { ContentVersion } from "./store/version.js";
import { WebSubCutoff } from "./store/websub.js";

/**
 * The Worker's environment, one typed view of it: bindings and [vars] from `wrangler types`
 * (worker-env.d.ts), plus each other setting core/config.ts reads (secrets, listed in
 * .dev.vars.example, and optional [vars]), a string when set.
 */
export interface Bindings extends Env, OptionalSettings {}

type OptionalSettings = { [Name in Exclude<SettingName, keyof Env>]?: string };

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
  private addressHash?: AddressHash;
  private subscriberStore?: SubscriberStore;
  private suppressionStore?: SuppressionStore;
  private audienceStore?: AudienceStore;
  private deliveryStore?: DeliveryStore;
  private editionStore?: EditionStore;
  private importStore?: ImportStore;
  private dashboardStore?: DashboardStore;
  private outboxStore?: OutboxStore;
  private subscriberListStore?: SubscriberList;
  private subscriberExportStore?: SubscriberExport;
  private deliveryConfig?: DeliveryConfig;
  private hub?: string | null;
  private accessConfig?: AccessConfig | null;

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
    const archive = new ArchiveDays(this.db, () => digestTimeZoneOrNull(env));
    this.articles = new ArticleStore(this.db, this.version, () => this.site.siteUrl, archive);
    this.tags = new NameIndex(this.db, TAGS);
    this.authors = new NameIndex(this.db, AUTHORS);
    this.search = new SearchStore(this.db, () => this.site.siteUrl);
    this.sitemaps = new SitemapStore(this.db);
    this.websubCutoff = new WebSubCutoff(this.db);
  }

  get site(): SiteConfig {
    this.siteConfig ??= parseSiteConfig(this.env);
    return this.siteConfig;
  }

  get digest(): DigestConfig {
    this.digestConfig ??= parseDigestConfig(this.env);
    return this.digestConfig;
  }

  get mail(): MailConfig {
    this.mailConfig ??= parseMailConfig(this.env);
    return this.mailConfig;
  }

  /** The mailer MAILER names; its settings are checked here, on first use, naming the bad one. */
  mailer(): Mailer {
    this.builtMailer ??= createMailer({
      config: this.mail,
      siteUrl: this.site.siteUrl,
      now: this.now,
      outbox: this.outbox,
    });
    return this.builtMailer;
  }

  /** The salted address hash both subscriber stores use: the salt is read once. */
  private get hashes(): AddressHash {
    this.addressHash ??= new AddressHash(this.db);
    return this.addressHash;
  }

  get subscribers(): SubscriberStore {
    this.subscriberStore ??= new SubscriberStore(this.db, this.now, this.hashes);
    return this.subscriberStore;
  }

  get suppressions(): SuppressionStore {
    this.suppressionStore ??= new SuppressionStore(this.db, this.now, this.hashes);
    return this.suppressionStore;
  }

  get audience(): AudienceStore {
    this.audienceStore ??= new AudienceStore(this.db);
    return this.audienceStore;
  }

  get deliveries(): DeliveryStore {
    this.deliveryStore ??= new DeliveryStore(this.db, this.now);
    return this.deliveryStore;
  }

  /** Imported subscribers and suppressions, and the confirmations a "confirm" import owes. */
  get imports(): ImportStore {
    this.importStore ??= new ImportStore(this.db, this.now, this.hashes);
    return this.importStore;
  }

  get dashboard(): DashboardStore {
    this.dashboardStore ??= new DashboardStore(this.db);
    return this.dashboardStore;
  }

  /** The console's subscriber list, consent records and delivery histories. */
  get subscriberList(): SubscriberList {
    this.subscriberListStore ??= new SubscriberList(this.db);
    return this.subscriberListStore;
  }

  get subscriberExport(): SubscriberExport {
    this.subscriberExportStore ??= new SubscriberExport(this.db);
    return this.subscriberExportStore;
  }

  get editions(): EditionStore {
    this.editionStore ??= new EditionStore(this.db, this.now);
    return this.editionStore;
  }

  /** What the log mailer has "sent", the newest 200, for the console. */
  get outbox(): OutboxStore {
    this.outboxStore ??= new OutboxStore(this.db, this.now);
    return this.outboxStore;
  }

  get delivery(): DeliveryConfig {
    this.deliveryConfig ??= parseDeliveryConfig(this.env);
    return this.deliveryConfig;
  }

  /** The WebSub hub feeds advertise and pings go to; null when WEBSUB_HUB is unset. */
  get websubHub(): string | null {
    if (this.hub === undefined) this.hub = parseWebSubHub(this.env);
    return this.hub;
  }

  /** The queue that carries digest sends (see [[queues.producers]] in wrangler.toml). */
  deliveryQueue(): Queue<DeliveryMessage> {
    // wrangler types declares it bound; a configuration without it still gets an error naming it.
    const queue: Queue<DeliveryMessage> | undefined = this.env.DELIVERIES;
    if (!queue) throw new ConfigError("DELIVERIES", "is not bound; see [[queues.producers]] in wrangler.toml");
    return queue;
  }

  /** The key of subscribers' signed links; required once subscriptions are used. */
  signingSecret(): string {
    return parseSigningSecret(this.env);
  }

  /** SIGNING_SECRET, then each of SIGNING_SECRET_PREVIOUS: links signed before a rotation still verify. */
  verificationSecrets(): string[] {
    return parseVerificationSecrets(this.env);
  }

  /** The key of Resend's webhook signatures, decoded. */
  resendWebhookKey(): Uint8Array {
    return parseResendWebhookKey(this.env);
  }

  /** The HTTP Basic credentials Postmark's webhook URL carries. */
  postmarkWebhookCredentials(): { user: string; pass: string } {
    return parsePostmarkWebhookCredentials(this.env);
  }

  /** The admin token, or null when the admin API is off. */
  adminToken(): string | null {
    return parseAdminToken(this.env, () => this.site.siteUrl);
  }

  /**
   * Cloudflare Access sign-in's settings, or null when it is off (ACCESS_TEAM_DOMAIN and ACCESS_AUD
   * unset). The same object for the isolate's life: access.ts keeps the team's keys with it.
   */
  access(): AccessConfig | null {
    if (this.accessConfig === undefined) this.accessConfig = parseAccessConfig(this.env);
    return this.accessConfig;
  }

  /** Whether a client (by IP address) may ask for another subscription now: see [[ratelimits]] in wrangler.toml. */
  async allowSubscribeRequest(client: string): Promise<boolean> {
    return allowed(this.env.SUBSCRIBE_LIMITER, "SUBSCRIBE_LIMITER", client);
  }

  /** Whether a client (by IP address) may try another console sign-in now: see [[ratelimits]] in wrangler.toml. */
  async allowSignInAttempt(client: string): Promise<boolean> {
    return allowed(this.env.SIGNIN_LIMITER, "SIGNIN_LIMITER", client);
  }

  /** Whether the console may send another test of an edition now (one bucket for the whole console). */
  async allowTestSend(): Promise<boolean> {
    return allowed(this.env.TEST_SEND_LIMITER, "TEST_SEND_LIMITER", "console");
  }
}

async function allowed(limiter: RateLimit | undefined, name: string, client: string): Promise<boolean> {
  // wrangler types declares it bound; a configuration without it still gets an error naming it.
  if (!limiter) throw new ConfigError(name, "is not bound; see [[ratelimits]] in wrangler.toml");
  return (await limiter.limit({ key: client })).success;
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
