// The subscribe form (on the home, article and tag pages, and on /subscribe), the page that shows
// it again with what was wrong, and the "check your inbox" page every accepted request gets.

import type { Tag } from "../../core/article.js";
import type { FieldError } from "../../core/errors.js";
import { feedFamily } from "../../core/feeds/family.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import { ErrorSummary, FrequencyField, fieldError, TagsField } from "./subscriber-fields.js";

/**
 * The honeypot's name: a field people never see and autofill has no rule for ("email", "name",
 * "url", "website", "phone" and "company" would all be filled in), so only a bot fills it.
 */
export const HONEYPOT_FIELD = "comment";

/** What the form shows: as first served, or as posted when it comes back with errors. */
export interface SubscribeValues {
  email: string;
  frequency: string;
  /** Slugs checked. */
  tags: readonly string[];
  /** The page the form was on. */
  source: string;
}

export interface SubscribeFormProps {
  /** Tags offered as checkboxes. */
  tags: readonly Tag[];
  values: SubscribeValues;
  errors?: readonly FieldError[];
  /** The form has its own h2 on pages about something else; /subscribe gives it the page's h1. */
  heading?: boolean;
  /** Set inside content in another language (an article's `lang`): the form is in the site's. */
  lang?: string;
}

const FIELD_IDS: Record<string, string> = {
  email: "subscribe-email",
  frequency: "subscribe-frequency-daily",
  tags: "subscribe-tags",
};

export function SubscribeForm(props: SubscribeFormProps) {
  const { values, tags } = props;
  const errors = props.errors ?? [];
  const email = fieldError(errors, "email", "subscribe-email");
  const frequency = fieldError(errors, "frequency", "subscribe-frequency-daily");
  const tagError = fieldError(errors, "tags", "subscribe-tags");
  // Errors about fields this form has no input for (a hand-made post) are listed above it.
  const elsewhere = errors.filter((e) => !(e.field in FIELD_IDS));
  return (
    <section class="subscribe" lang={props.lang} aria-labelledby={props.heading ? undefined : "subscribe-heading"}>
      {props.heading ? null : <h2 id="subscribe-heading">Get the digest by email</h2>}
      <form method="post" action="/subscribe">
        {errors.length > 0 ? (
          <ErrorSummary
            lead={
              elsewhere.length === errors.length ? "This could not be sent:" : "Please correct what is marked below."
            }
            elsewhere={elsewhere}
          />
        ) : null}
        <div class="field">
          <label for="subscribe-email">Email address</label>
          <input
            id="subscribe-email"
            type="email"
            name="email"
            value={values.email}
            required
            maxlength={254}
            autocomplete="email"
            {...email.attributes}
          />
          {email.message}
        </div>
        <FrequencyField idPrefix="subscribe-frequency-" value={values.frequency} error={frequency} />
        {tags.length > 0 || tagError.message ? (
          <TagsField id="subscribe-tags" tags={tags} checked={values.tags} error={tagError} />
        ) : null}
        <div class="hp" aria-hidden="true">
          <label for="subscribe-comment">Leave this field empty</label>
          <input id="subscribe-comment" type="text" name={HONEYPOT_FIELD} value="" tabindex={-1} autocomplete="off" />
        </div>
        <input type="hidden" name="source" value={values.source} />
        <p>
          <button type="submit">Subscribe</button>
        </p>
        <p class="meta">
          We email you a link to confirm first. Every digest has a link to change what you get or to unsubscribe.
        </p>
      </form>
    </section>
  );
}

const render = async (page: { toString(): string | Promise<string> }) => String(await page.toString());

/** GET /subscribe, and the same form again with messages when a post was refused. */
export function subscribePage(
  p: PageContext,
  form: { tags: readonly Tag[]; values: SubscribeValues; errors?: readonly FieldError[] },
): Promise<string> {
  const refused = (form.errors ?? []).length > 0;
  return render(
    <Layout
      config={p.site}
      title={refused ? "Subscribe: please check the form" : "Subscribe"}
      canonical={`${p.site.siteUrl}/subscribe`}
      feeds={[feedFamily(p.site, { kind: "site" })]}
      noindex={refused}
    >
      <h1>Subscribe</h1>
      <p>Get the latest articles by email, every day or once a week.</p>
      <SubscribeForm tags={form.tags} values={form.values} errors={form.errors ?? []} heading />
    </Layout>,
  );
}

/** The one answer to every accepted request: it never says whether the address was known. */
export function acceptedPage(p: PageContext): Promise<string> {
  return render(
    <Layout config={p.site} title="Check your inbox" feeds={[feedFamily(p.site, { kind: "site" })]} noindex>
      <h1>Check your inbox</h1>
      <p>If the address can receive mail, a confirmation link is on its way. Open it to start your subscription.</p>
      <p class="meta">
        Nothing there after a few minutes? Look in your spam folder. If you did not mean to subscribe, ignore the email:
        no digest is sent until the link is confirmed.
      </p>
      <p>
        <a href="/">Back to the latest articles</a>
      </p>
    </Layout>,
  );
}
