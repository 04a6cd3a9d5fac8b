// The subscribe form (on the home, article and tag pages, and on /subscribe), the page that shows
// it again with what was wrong, and the "check your inbox" page every accepted request gets.

import type { Tag } from "../../core/article.js";
import type { FieldError } from "../../core/errors.js";
import { feedFamily } from "../../core/feeds/family.js";
import { sentence } from "../../core/text.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./pages.js";

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

/** How a message about a field starts: the field's messages are fragments ("is required"). */
const FIELD_NAMES: Record<string, string> = {
  email: "The address",
  frequency: "The frequency",
  tags: "The topic list",
};

const FREQUENCIES = [
  { value: "daily", label: "Daily" },
  { value: "weekly", label: "Weekly" },
] as const;

/** The error message next to a field, and the attributes that tie the field to it. */
function fieldError(errors: readonly FieldError[], field: string) {
  const messages = errors.filter((e) => e.field === field).map((e) => `${FIELD_NAMES[field]} ${e.message}`);
  if (messages.length === 0) return { message: null, attributes: {} };
  const id = `${FIELD_IDS[field] ?? `subscribe-${field}`}-error`;
  return {
    message: (
      <p class="field-error" id={id}>
        {messages.map(sentence).join(". ")}.
      </p>
    ),
    attributes: { "aria-invalid": "true", "aria-describedby": id },
  };
}

export function SubscribeForm(props: SubscribeFormProps) {
  const { values, tags } = props;
  const errors = props.errors ?? [];
  const email = fieldError(errors, "email");
  const frequency = fieldError(errors, "frequency");
  const tagError = fieldError(errors, "tags");
  const checked = new Set(values.tags);
  // Errors about fields this form has no input for (a hand-made post) are listed above it.
  const elsewhere = errors.filter((e) => !(e.field in FIELD_IDS));
  return (
    <section class="subscribe" lang={props.lang} aria-labelledby={props.heading ? undefined : "subscribe-heading"}>
      {props.heading ? null : <h2 id="subscribe-heading">Get the digest by email</h2>}
      <form method="post" action="/subscribe">
        {errors.length > 0 ? (
          <div class="error-summary" role="alert">
            <p>
              {elsewhere.length === errors.length ? "This could not be sent:" : "Please correct what is marked below."}
            </p>
            {elsewhere.length > 0 ? (
              <ul>
                {elsewhere.map((e) => (
                  <li>
                    <code>{e.field}</code>: {e.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
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
        <fieldset>
          <legend>How often</legend>
          {FREQUENCIES.map((f) => (
            <label>
              <input
                type="radio"
                id={`subscribe-frequency-${f.value}`}
                name="frequency"
                value={f.value}
                checked={values.frequency === f.value}
                {...frequency.attributes}
              />{" "}
              {f.label}
            </label>
          ))}
          {frequency.message}
        </fieldset>
        {tags.length > 0 || tagError.message ? (
          <fieldset id="subscribe-tags">
            <legend>Topics</legend>
            <p class="meta">Leave every box empty to get all articles.</p>
            {tags.map((tag) => (
              <label>
                <input
                  type="checkbox"
                  name="tags"
                  value={tag.slug}
                  checked={checked.has(tag.slug)}
                  {...tagError.attributes}
                />{" "}
                {tag.name}
              </label>
            ))}
            {tagError.message}
          </fieldset>
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
