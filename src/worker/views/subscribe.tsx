// The subscribe form (on /subscribe with every field, and still on some other pages), the page
// that shows it again with what was wrong, and the "check your inbox" page every accepted request
// gets. Words in the site's language (core/words/subscribe.ts).

import type { Tag } from "../../core/article.js";
import type { FieldError } from "../../core/errors.js";
import { feedFamily } from "../../core/feeds/family.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { subscribeWords } from "../../core/words/subscribe.js";
import { Layout } from "./layout.js";
import type { PageContext } from "./page-context.js";
import {
  ErrorSummary,
  FrequencyField,
  fieldError,
  SendHourField,
  TagsField,
  TimeZoneField,
} from "./subscriber-fields.js";

/**
 * The honeypot's name: a field people never see and autofill has no rule for ("email", "name",
 * "url", "website", "phone" and "company" would all be filled in), so only a bot fills it.
 */
export const HONEYPOT_FIELD = "comment";

/** The script that selects the browser's time zone in the form (served from public/). */
export const ZONE_SCRIPT = "/zone.js";

/** What the form shows: as first served, or as posted when it comes back with errors. */
export interface SubscribeValues {
  email: string;
  frequency: string;
  /** Slugs checked. */
  tags: readonly string[];
  /** As posted; "" when the reader has not chosen (the site's is shown, or the browser's). */
  timeZone?: string;
  /** The hour as posted; "" for the site's. */
  sendHour?: string;
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
  /** The site's language, which the form's words are in (English when not given). */
  language?: string;
  /** Given on /subscribe: the time zone and send hour are asked too, these the site's defaults. */
  schedule?: { timeZone: string; sendHour: number; now: number };
}

const FIELD_IDS: Record<string, string> = {
  email: "subscribe-email",
  frequency: "subscribe-frequency-daily",
  tags: "subscribe-tags",
  time_zone: "subscribe-time-zone",
  send_hour: "subscribe-send-hour",
};

/** Fields only the full form has: elsewhere their errors are listed above the form. */
const SCHEDULE_FIELDS = { time_zone: true, send_hour: true };

export function SubscribeForm(props: SubscribeFormProps) {
  const { values, tags, schedule } = props;
  const language = props.language ?? "en";
  const words = wordsOf(subscribeWords, language);
  const errors = props.errors ?? [];
  const error = (field: string) => fieldError(errors, field, FIELD_IDS[field] ?? field, language);
  const emailError = error("email");
  const tagError = error("tags");
  // Errors about fields this form has no input for (a hand-made post) are listed above it.
  const elsewhere = errors.filter((e) => !(e.field in FIELD_IDS) || (!schedule && e.field in SCHEDULE_FIELDS));
  return (
    <section class="subscribe" lang={props.lang} aria-labelledby={props.heading ? undefined : "subscribe-heading"}>
      {props.heading ? null : <h2 id="subscribe-heading">{words.formHeading}</h2>}
      <form method="post" action="/subscribe">
        {errors.length > 0 ? (
          <ErrorSummary
            lead={elsewhere.length === errors.length ? words.notSent : words.correctBelow}
            elsewhere={elsewhere}
            lang={language}
          />
        ) : null}
        <div class="field">
          <label for="subscribe-email">{words.emailLabel}</label>
          <input
            id="subscribe-email"
            type="email"
            name="email"
            value={values.email}
            required
            maxlength={254}
            autocomplete="email"
            {...emailError.attributes}
          />
          {emailError.message}
        </div>
        <FrequencyField
          idPrefix="subscribe-frequency-"
          value={values.frequency}
          error={error("frequency")}
          lang={language}
        />
        {tags.length > 0 || tagError.message ? (
          <TagsField id="subscribe-tags" tags={tags} checked={values.tags} error={tagError} lang={language} />
        ) : null}
        {schedule ? (
          <>
            <TimeZoneField
              id={FIELD_IDS.time_zone as string}
              value={values.timeZone || schedule.timeZone}
              fallback={schedule.timeZone}
              browserZone={!values.timeZone}
              now={schedule.now}
              error={error("time_zone")}
              lang={language}
            />
            <SendHourField
              id={FIELD_IDS.send_hour as string}
              value={values.sendHour || String(schedule.sendHour)}
              error={error("send_hour")}
              lang={language}
            />
            {runsZoneScript(values) ? <script src={ZONE_SCRIPT} defer /> : null}
          </>
        ) : null}
        <div class="hp" aria-hidden="true">
          <label for="subscribe-comment">{words.honeypotLabel}</label>
          <input id="subscribe-comment" type="text" name={HONEYPOT_FIELD} value="" tabindex={-1} autocomplete="off" />
        </div>
        <input type="hidden" name="source" value={values.source} />
        <p>
          <button type="submit">{words.button}</button>
        </p>
        <p class="meta">{words.afterButton}</p>
      </form>
    </section>
  );
}

const render = async (page: { toString(): string | Promise<string> }) => String(await page.toString());

/** Whether the page runs the zone script, and so needs OWN_SCRIPT_CSP: the reader has not chosen a zone. */
export const runsZoneScript = (values: SubscribeValues) => !values.timeZone;

/** GET /subscribe, and the same form again with messages when a post was refused. */
export function subscribePage(
  p: PageContext,
  form: {
    tags: readonly Tag[];
    values: SubscribeValues;
    errors?: readonly FieldError[];
    schedule: { timeZone: string; sendHour: number; now: number };
  },
): Promise<string> {
  const words = wordsOf(subscribeWords, p.site.siteLanguage);
  const refused = (form.errors ?? []).length > 0;
  return render(
    <Layout
      config={p.site}
      title={refused ? words.titleRefused : words.title}
      canonical={`${p.site.siteUrl}/subscribe`}
      feeds={[feedFamily(p.site, { kind: "site" })]}
      noindex={refused}
    >
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      <SubscribeForm
        tags={form.tags}
        values={form.values}
        errors={form.errors ?? []}
        heading
        language={p.site.siteLanguage}
        schedule={form.schedule}
      />
    </Layout>,
  );
}

/** The one answer to every accepted request: it never says whether the address was known. */
export function acceptedPage(p: PageContext): Promise<string> {
  const words = wordsOf(subscribeWords, p.site.siteLanguage).checkInbox;
  return render(
    <Layout config={p.site} title={words.title} feeds={[feedFamily(p.site, { kind: "site" })]} noindex>
      <h1>{words.title}</h1>
      <p>{words.sent}</p>
      <p class="meta">{words.nothingThere}</p>
      <p>
        <a href="/">{words.back}</a>
      </p>
    </Layout>,
  );
}
