// The subscriber's own pages, reached from links in emails: confirm a subscription, change its
// preferences, unsubscribe, delete the data. Every state change is a form with one button that
// posts back to the page's own URL (its token is in the query string); the pages themselves
// change nothing, since mail scanners fetch every link they find.

import type { Tag } from "../../core/article.js";
import type { SiteConfig } from "../../core/config.js";
import type { FieldError, Preferences, SubscriberStatus } from "../../core/subscription.js";
import { Layout } from "./layout.js";
import {
  ErrorSummary,
  FrequencyField,
  fieldError,
  SendHourField,
  TagsField,
  TimeZoneField,
} from "./subscriber-fields.js";

const render = async (page: { toString(): string | Promise<string> }) => String(await page.toString());

/** Where someone whose link no longer works can start over. */
export const SUBSCRIBE_PAGE = "/subscribe";

function Page(props: { site: SiteConfig; title: string; children?: unknown }) {
  return (
    <Layout config={props.site} title={props.title} feeds={[]} noindex>
      <div class="subscription">
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </Layout>
  );
}

/** Why a link from an email cannot be used. */
export type LinkProblem = "invalid" | "expired" | "used" | "gone";

const LINK_PROBLEMS: Record<LinkProblem, { title: string; text: string }> = {
  invalid: {
    title: "This link is not valid",
    text: "It may have been cut short or changed on its way here. Open it again from the email, or subscribe again.",
  },
  expired: {
    title: "This link has expired",
    text: "A confirmation link works for 48 hours after it is sent, and this one is older. Subscribe again to get a new one.",
  },
  used: {
    title: "This link was already used",
    text: "A confirmation link works once. If you confirmed with it, your subscription is active: every digest has a link to change what you get.",
  },
  gone: {
    title: "There is no subscription for this link",
    text: "Its data has been deleted. You can subscribe again at any time.",
  },
};

export function linkProblemPage(site: SiteConfig, problem: LinkProblem): Promise<string> {
  const { title, text } = LINK_PROBLEMS[problem];
  return render(
    <Page site={site} title={title}>
      <p>{text}</p>
      <p>
        <a href={SUBSCRIBE_PAGE}>Subscribe again</a>
      </p>
    </Page>,
  );
}

/** The tags a subscriber chose, by name (slugs of tags since removed stay as they are). */
export type TagNames = ReadonlyMap<string, string>;

const twoDigits = (n: number) => String(n).padStart(2, "0");
/** A send hour as a time of day: 7 is "07:00". */
export const hourLabel = (hour: number) => `${twoDigits(hour)}:00`;

/** "The daily digest, every day at 07:00 Asia/Almaty time, with every article." */
function Summary(props: { preferences: Preferences; tagNames: TagNames }) {
  const { frequency, tags, timeZone, sendHour } = props.preferences;
  const names = tags.map((slug) => props.tagNames.get(slug) ?? slug);
  return (
    <dl class="summary">
      <dt>How often</dt>
      <dd>
        {frequency === "daily" ? "Daily" : "Weekly"}, at {hourLabel(sendHour)} {timeZone} time
      </dd>
      <dt>Topics</dt>
      <dd>{names.length === 0 ? "Every article" : `Articles tagged ${names.join(", ")}`}</dd>
    </dl>
  );
}

/** GET /subscribe/confirm: what the link will apply, and the one button that applies it. */
export function confirmPage(
  site: SiteConfig,
  props: { action: string; preferences: Preferences; tagNames: TagNames; existing: boolean },
): Promise<string> {
  return render(
    <Page site={site} title={props.existing ? "Confirm your new preferences" : "Confirm your subscription"}>
      <p>
        {props.existing
          ? `Press the button to get the digest of ${site.siteTitle} this way from now on:`
          : `Press the button to start getting the digest of ${site.siteTitle} by email:`}
      </p>
      <Summary preferences={props.preferences} tagNames={props.tagNames} />
      <form method="post" action={props.action}>
        <button type="submit">{props.existing ? "Confirm my new preferences" : "Confirm my subscription"}</button>
      </form>
    </Page>,
  );
}

/** After the confirming POST. */
export function subscribedPage(
  site: SiteConfig,
  props: { preferences: Preferences; tagNames: TagNames; preferencesUrl: string },
): Promise<string> {
  return render(
    <Page site={site} title="You are subscribed">
      <p>Thank you. You will get the digest of {site.siteTitle} by email:</p>
      <Summary preferences={props.preferences} tagNames={props.tagNames} />
      <p>
        <a href={props.preferencesUrl}>Change your preferences or unsubscribe</a> (every digest has this link too).
      </p>
    </Page>,
  );
}

/** The "delete my data" form: on the preference and unsubscribe pages. */
function EraseForm(props: { action: string }) {
  return (
    <section class="erase">
      <h2>Delete my data</h2>
      <p>
        This deletes your email address, your preferences and the record of when you subscribed. If email to your
        address ever bounced for good or was reported as spam, a salted hash of the address (not the address itself) is
        kept, so that it stays blocked.
      </p>
      <form method="post" action={props.action}>
        <input type="hidden" name="action" value="erase" />
        <button type="submit">Delete my data</button>
      </form>
    </section>
  );
}

function UnsubscribeForm(props: { action: string }) {
  return (
    <form method="post" action={props.action}>
      <button type="submit">Unsubscribe</button>
    </form>
  );
}

export interface PreferencesForm {
  status: SubscriberStatus;
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
  tags: "tags",
  time_zone: "time_zone",
  send_hour: "send_hour",
};

/** GET and POST /preferences for a pending or active subscriber. */
export function preferencesPage(site: SiteConfig, form: PreferencesForm): Promise<string> {
  const { values } = form;
  const errors = form.errors ?? [];
  const lang = site.siteLanguage;
  const frequency = fieldError(errors, "frequency", "frequency-daily", lang);
  const tagError = fieldError(errors, "tags", "tags", lang);
  const zone = fieldError(errors, "time_zone", "time_zone", lang);
  const hour = fieldError(errors, "send_hour", "send_hour", lang);
  const elsewhere = errors.filter((e) => !(e.field in FIELD_IDS));
  return render(
    <Page site={site} title="Your subscription">
      {form.saved ? (
        <p class="notice" role="status">
          Saved. The next digest follows these preferences.
        </p>
      ) : null}
      {form.status === "pending" ? (
        <p class="notice">
          Your subscription is not confirmed yet: open the link in the confirmation email to start getting the digest.
          You can choose what you get now.
        </p>
      ) : null}
      <form method="post" action={form.action} class="preferences">
        {errors.length > 0 ? (
          <ErrorSummary
            lead="Nothing was saved. Please correct what is marked below."
            elsewhere={elsewhere}
            lang={lang}
          />
        ) : null}
        <FrequencyField idPrefix="frequency-" value={values.frequency} error={frequency} lang={lang} />
        <TagsField id="tags" tags={form.tags} checked={values.tags} error={tagError} lang={lang} />
        <TimeZoneField id="time_zone" value={values.timeZone} now={form.now} error={zone} lang={lang} />
        <SendHourField id="send_hour" value={values.sendHour} error={hour} lang={lang} />
        <p>
          <button type="submit">Save preferences</button>
        </p>
      </form>
      <section>
        <h2>Unsubscribe</h2>
        <p>Stop getting the digest. You can subscribe again at any time.</p>
        <UnsubscribeForm action={form.unsubscribeAction} />
      </section>
      <EraseForm action={form.unsubscribeAction} />
    </Page>,
  );
}

/** For an address that no longer gets mail: unsubscribed, or blocked after a bounce or complaint. */
export function notSubscribedPage(
  site: SiteConfig,
  props: { status: "unsubscribed" | "suppressed"; unsubscribeAction: string; justNow?: boolean },
): Promise<string> {
  return render(
    <Page site={site} title={props.status === "unsubscribed" ? "You are unsubscribed" : "This address gets no email"}>
      {props.status === "unsubscribed" ? (
        <p>
          {props.justNow ? "Done: you" : "You"} will get no more digests from {site.siteTitle}.{" "}
          <a href={SUBSCRIBE_PAGE}>Subscribe again</a> whenever you like.
        </p>
      ) : (
        <p>Email to this address bounced or was reported as spam, so {site.siteTitle} sends it nothing more.</p>
      )}
      <EraseForm action={props.unsubscribeAction} />
    </Page>,
  );
}

/** GET /unsubscribe: one button, and the "delete my data" one. */
export function unsubscribePage(site: SiteConfig, action: string): Promise<string> {
  return render(
    <Page site={site} title="Unsubscribe">
      <p>Stop getting the digest of {site.siteTitle} by email? You can subscribe again at any time.</p>
      <UnsubscribeForm action={action} />
      <EraseForm action={action} />
    </Page>,
  );
}

/** After a one-click unsubscribe for a subscriber whose data is already gone. */
export function unsubscribedGonePage(site: SiteConfig): Promise<string> {
  return render(
    <Page site={site} title="You are unsubscribed">
      <p>
        {site.siteTitle} has no subscription for this link and sends it nothing.{" "}
        <a href={SUBSCRIBE_PAGE}>Subscribe again</a> whenever you like.
      </p>
    </Page>,
  );
}

export function erasedPage(site: SiteConfig): Promise<string> {
  return render(
    <Page site={site} title="Your data is deleted">
      <p>
        Your email address, your preferences and the record of your subscription are deleted. If the address was blocked
        after a bounce or a spam report, only a salted hash of it remains, so that it stays blocked.
      </p>
      <p>
        <a href="/">Go to the latest articles</a>
      </p>
    </Page>,
  );
}
