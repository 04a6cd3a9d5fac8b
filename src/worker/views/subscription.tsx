// The subscriber's own pages, reached from links in emails: confirm a subscription, change its
// preferences, unsubscribe (or get less: weekly instead, fewer topics), delete the data. Every
// state change is a form with one button that posts to a page's own URL (its token is in the
// query string); the pages themselves change nothing, since mail scanners fetch every link they
// find. Each page a token opens names its address, masked: such a link may be forwarded.

import type { Tag } from "../../core/article.js";
import type { SiteConfig } from "../../core/config.js";
import { formatDay, messages } from "../../core/i18n.js";
import { maskAddress } from "../../core/mask-address.js";
import type { FieldError, Preferences, SubscriberStatus } from "../../core/subscription.js";
import { canonicalZone } from "../../core/time-zones.js";
import { CONFIRM_TOKEN_TTL_MS } from "../../core/token.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { type SubscriberWords, subscriberWords } from "../../core/words/subscriber.js";
import { Layout } from "./layout.js";
import {
  ErrorSummary,
  FrequencyField,
  fieldError,
  hourLabel,
  SendHourField,
  TagsField,
  TimeZoneField,
} from "./subscriber-fields.js";

const render = async (page: { toString(): string | Promise<string> }) => String(await page.toString());

const wordsFor = (site: SiteConfig): SubscriberWords => wordsOf(subscriberWords, site.siteLanguage);

/** Where someone whose link no longer works can start over. */
export const SUBSCRIBE_PAGE = "/subscribe";

/** The field a form posted from the unsubscribe page carries, so the answer is the "weekly" page. */
export const WEEKLY_INSTEAD = { name: "then", value: "weekly" } as const;

/** The id of the topics on the preference page: the unsubscribe page's "Choose topics" links there. */
export const TOPICS_ID = "tags";

function Page(props: { site: SiteConfig; title: string; email?: string | null; children?: unknown }) {
  const w = wordsFor(props.site);
  return (
    <Layout config={props.site} title={props.title} feeds={[]} noindex>
      <div class="subscription">
        <h1>{props.title}</h1>
        {props.email ? (
          <p class="address">
            {w.address} <strong>{maskAddress(props.email)}</strong>
          </p>
        ) : null}
        {props.children}
      </div>
    </Layout>
  );
}

/** Why a link from an email cannot be used. */
export type LinkProblem = "invalid" | "expired" | "used" | "gone";

export function linkProblemPage(site: SiteConfig, problem: LinkProblem): Promise<string> {
  const w = wordsFor(site);
  const { title, text } =
    problem === "expired" ? w.expired(messages(site.siteLanguage).hours(CONFIRM_TOKEN_TTL_MS / 3_600_000)) : w[problem];
  return render(
    <Page site={site} title={title}>
      <p>{text}</p>
      <p>
        <a href={SUBSCRIBE_PAGE}>{w.subscribeAgain}</a>
      </p>
    </Page>,
  );
}

/** The tags a subscriber chose, by name (slugs of tags since removed stay as they are). */
export type TagNames = ReadonlyMap<string, string>;

/** "Daily, at 07:00", the zone by its IANA name (English place names: marked so), and the topics. */
function Summary(props: { site: SiteConfig; preferences: Preferences; tagNames: TagNames }) {
  const w = wordsFor(props.site);
  const { frequency, tags, timeZone, sendHour } = props.preferences;
  const names = tags.map((slug) => props.tagNames.get(slug) ?? slug);
  return (
    <dl class="summary">
      <dt>{w.howOften}</dt>
      <dd>{w.schedule(frequency, hourLabel(sendHour))}</dd>
      <dt>{w.timeZone}</dt>
      <dd>
        <span lang="en" translate="no">
          {canonicalZone(timeZone) ?? timeZone}
        </span>
      </dd>
      <dt>{w.topics}</dt>
      <dd>{names.length === 0 ? w.everyArticle : w.tagged(names.join(", "))}</dd>
    </dl>
  );
}

/** GET /subscribe/confirm: what the link will apply, and the one button that applies it. */
export function confirmPage(
  site: SiteConfig,
  props: { action: string; email: string; preferences: Preferences; tagNames: TagNames; existing: boolean },
): Promise<string> {
  const w = wordsFor(site);
  return render(
    <Page site={site} title={w.confirmTitle(props.existing)} email={props.email}>
      <p>{w.confirmLead(site.siteTitle, props.existing)}</p>
      <Summary site={site} preferences={props.preferences} tagNames={props.tagNames} />
      <form method="post" action={props.action}>
        <button type="submit">{w.confirmButton(props.existing)}</button>
      </form>
    </Page>,
  );
}

/** A link to the preference page, and a word that every digest has it. */
function ManageLink(props: { site: SiteConfig; preferencesUrl: string }) {
  const w = wordsFor(props.site);
  return (
    <p>
      <a href={props.preferencesUrl}>{w.manageLink}</a>. {w.manageNote}
    </p>
  );
}

/** After the confirming POST. */
export function subscribedPage(
  site: SiteConfig,
  props: { email: string; preferences: Preferences; tagNames: TagNames; preferencesUrl: string },
): Promise<string> {
  const w = wordsFor(site);
  return render(
    <Page site={site} title={w.subscribedTitle} email={props.email}>
      <p>{w.subscribedLead(site.siteTitle)}</p>
      <Summary site={site} preferences={props.preferences} tagNames={props.tagNames} />
      <ManageLink site={site} preferencesUrl={props.preferencesUrl} />
    </Page>,
  );
}

/** "Delete my data": after the page's main actions, and styled as the destructive one it is. */
function EraseForm(props: { site: SiteConfig; action: string; blocked?: boolean }) {
  const w = wordsFor(props.site);
  return (
    <section class="erase">
      <h2>{w.erase}</h2>
      <p>{w.eraseText}</p>
      {props.blocked ? <p>{w.blockedKept}</p> : null}
      <form method="post" action={props.action}>
        <input type="hidden" name="action" value="erase" />
        <button type="submit" class="danger">
          {w.erase}
        </button>
      </form>
    </section>
  );
}

function UnsubscribeForm(props: { site: SiteConfig; action: string }) {
  return (
    <form method="post" action={props.action}>
      <button type="submit">{messages(props.site.siteLanguage).unsubscribe}</button>
    </form>
  );
}

export interface PreferencesForm {
  email: string;
  status: SubscriberStatus;
  /** When the subscription was confirmed, and the stored zone its day is told in; null while pending. */
  since: { at: number; timeZone: string } | null;
  /** The values shown: the stored ones, or the ones posted when they come back with errors. */
  values: { frequency: string; tags: readonly string[]; timeZone: string; sendHour: string };
  errors?: readonly FieldError[];
  saved?: boolean;
  /** Every tag, offered as a checkbox. */
  tags: readonly Tag[];
  /** The time the zones' offsets are shown for. */
  now: number;
  /** URLs of this page and of the unsubscribe page, tokens included. */
  action: string;
  unsubscribeAction: string;
}

const FIELD_IDS: Record<string, string> = {
  frequency: "frequency-daily",
  tags: TOPICS_ID,
  time_zone: "time_zone",
  send_hour: "send_hour",
};

/** GET and POST /preferences for a pending or active subscriber. */
export function preferencesPage(site: SiteConfig, form: PreferencesForm): Promise<string> {
  const w = wordsFor(site);
  const { values } = form;
  const errors = form.errors ?? [];
  const lang = site.siteLanguage;
  const frequency = fieldError(errors, "frequency", "frequency-daily", lang);
  const tagError = fieldError(errors, "tags", TOPICS_ID, lang);
  const zone = fieldError(errors, "time_zone", "time_zone", lang);
  const hour = fieldError(errors, "send_hour", "send_hour", lang);
  const elsewhere = errors.filter((e) => !(e.field in FIELD_IDS));
  return render(
    <Page site={site} title={w.preferencesTitle} email={form.email}>
      {form.saved ? (
        <p class="notice" role="status">
          {w.saved}
        </p>
      ) : null}
      {form.status === "pending" ? <p class="notice">{w.pending}</p> : null}
      {form.since ? (
        <p class="meta">
          {w.subscribedOn}: {formatDay(form.since.at, site.siteLanguage, form.since.timeZone)}
        </p>
      ) : null}
      <form method="post" action={form.action} class="preferences">
        {errors.length > 0 ? <ErrorSummary lead={w.notSaved} elsewhere={elsewhere} lang={lang} /> : null}
        <FrequencyField idPrefix="frequency-" value={values.frequency} error={frequency} lang={lang} />
        <TagsField id={TOPICS_ID} tags={form.tags} checked={values.tags} error={tagError} lang={lang} />
        <TimeZoneField id="time_zone" value={values.timeZone} now={form.now} error={zone} lang={lang} />
        <SendHourField id="send_hour" value={values.sendHour} error={hour} lang={lang} />
        <p>
          <button type="submit">{w.save}</button>
        </p>
      </form>
      <section>
        <h2>{messages(site.siteLanguage).unsubscribe}</h2>
        <p>{w.unsubscribeText}</p>
        <UnsubscribeForm site={site} action={form.unsubscribeAction} />
      </section>
      <EraseForm site={site} action={form.unsubscribeAction} />
    </Page>,
  );
}

/** For an address that no longer gets mail: unsubscribed, or blocked after a bounce or complaint. */
export function notSubscribedPage(
  site: SiteConfig,
  props: { email: string; status: "unsubscribed" | "suppressed"; unsubscribeAction: string; justNow?: boolean },
): Promise<string> {
  const w = wordsFor(site);
  const unsubscribed = props.status === "unsubscribed";
  return render(
    <Page site={site} title={unsubscribed ? w.unsubscribedTitle : w.suppressedTitle} email={props.email}>
      <p>{unsubscribed ? w.noMoreDigests(site.siteTitle, props.justNow === true) : w.suppressedText(site.siteTitle)}</p>
      {unsubscribed ? (
        <p>
          <a href={SUBSCRIBE_PAGE}>{w.subscribeAgain}</a>
        </p>
      ) : null}
      <EraseForm site={site} action={props.unsubscribeAction} blocked={!unsubscribed} />
    </Page>,
  );
}

export interface UnsubscribeChoices {
  email: string;
  preferences: Preferences;
  /** This page's URL: its forms post here (RFC 8058: any POST unsubscribes). */
  action: string;
  /** The preference page's URL: "weekly instead" posts its form there, "choose topics" links to it. */
  preferencesUrl: string;
}

/**
 * "Weekly instead": the preference form with the stored values and the frequency weekly, so
 * the switch is saved by the same code as any preference change.
 */
function WeeklyInsteadForm(props: { site: SiteConfig; preferences: Preferences; action: string }) {
  const w = wordsFor(props.site);
  const p = props.preferences;
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="frequency" value="weekly" />
      {p.tags.map((slug) => (
        <input type="hidden" name="tags" value={slug} />
      ))}
      <input type="hidden" name="time_zone" value={p.timeZone} />
      <input type="hidden" name="send_hour" value={String(p.sendHour)} />
      <input type="hidden" name={WEEKLY_INSTEAD.name} value={WEEKLY_INSTEAD.value} />
      <button type="submit">{w.weeklyInstead}</button>
    </form>
  );
}

/** GET /unsubscribe: less mail first (weekly, fewer topics), then unsubscribe, then "delete my data". */
export function unsubscribePage(site: SiteConfig, props: UnsubscribeChoices): Promise<string> {
  const w = wordsFor(site);
  const unsubscribe = messages(site.siteLanguage).unsubscribe;
  return render(
    <Page site={site} title={unsubscribe} email={props.email}>
      <section class="choices" aria-labelledby="fewer">
        <h2 id="fewer">{w.fewerEmails}</h2>
        {props.preferences.frequency === "daily" ? (
          <div class="choice">
            <p>{w.weeklyText}</p>
            <WeeklyInsteadForm site={site} preferences={props.preferences} action={props.preferencesUrl} />
          </div>
        ) : null}
        <div class="choice">
          <p>{w.topicsText}</p>
          <p>
            <a href={`${props.preferencesUrl}#${TOPICS_ID}`}>{w.chooseTopics}</a>
          </p>
        </div>
      </section>
      <section aria-labelledby="stop">
        <h2 id="stop">{unsubscribe}</h2>
        <p>{w.unsubscribeLead(site.siteTitle)}</p>
        <UnsubscribeForm site={site} action={props.action} />
      </section>
      <EraseForm site={site} action={props.action} />
    </Page>,
  );
}

/** After "weekly instead": done, what the subscription is now, and the way to change it. */
export function weeklyDonePage(
  site: SiteConfig,
  props: { email: string; preferences: Preferences; tagNames: TagNames; preferencesUrl: string },
): Promise<string> {
  const w = wordsFor(site);
  return render(
    <Page site={site} title={w.weeklyDoneTitle} email={props.email}>
      <p role="status">{w.weeklyDoneText(site.siteTitle)}</p>
      <Summary site={site} preferences={props.preferences} tagNames={props.tagNames} />
      <ManageLink site={site} preferencesUrl={props.preferencesUrl} />
    </Page>,
  );
}

/** After a one-click unsubscribe for a subscriber whose data is already gone. */
export function unsubscribedGonePage(site: SiteConfig): Promise<string> {
  const w = wordsFor(site);
  return render(
    <Page site={site} title={w.unsubscribedTitle}>
      <p>{w.goneUnsubscribed(site.siteTitle)}</p>
      <p>
        <a href={SUBSCRIBE_PAGE}>{w.subscribeAgain}</a>
      </p>
    </Page>,
  );
}

/** After "delete my data"; `email` is the address just deleted, when there was one. */
export function erasedPage(site: SiteConfig, props: { email: string | null; blocked: boolean }): Promise<string> {
  const w = wordsFor(site);
  return render(
    <Page site={site} title={w.erasedTitle} email={props.email}>
      <p>{w.erasedText(site.siteTitle)}</p>
      {props.blocked ? <p>{w.blockedKept}</p> : null}
      <p>
        <a href="/">{w.latestArticles}</a>
      </p>
    </Page>,
  );
}
