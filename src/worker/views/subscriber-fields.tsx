// The fields the subscribe form and the preference page share: how often, which topics, the time
// zone and the send hour, and the error message tied to a field (aria-invalid, aria-describedby),
// in the site's language (core/words/subscribe.ts).

import { raw } from "hono/html";
import type { Tag } from "../../core/article.js";
import type { FieldError } from "../../core/errors.js";
import { isTimeZone } from "../../core/intl.js";
import { MAX_TAGS } from "../../core/subscription.js";
import { escapeHtml, sentence } from "../../core/text.js";
import { canonicalZone, formatOffset, zoneEpoch, zoneGroups } from "../../core/time-zones.js";
import { languageOf, wordsOf } from "../../core/words/catalogue.js";
import { type SubscriberField, type SubscribeWords, subscribeWords } from "../../core/words/subscribe.js";

/** How a message about a field starts where no language is given (the console's forms). */
const FIELD_NAMES: Record<string, string> = {
  email: "The address",
  frequency: "The frequency",
  tags: "The topic list",
  time_zone: "The time zone",
  send_hour: "The send hour",
};

export interface FieldMessage {
  message: unknown;
  attributes: Record<string, string>;
}

const isSubscriberField = (field: string): field is SubscriberField => Object.hasOwn(subscribeWords.en.fields, field);

/** One error as a sentence in the form's language, from its code (core/subscription.ts). */
export function problemSentence(words: SubscribeWords, error: FieldError): string {
  const p = words.problems;
  const label = isSubscriberField(error.field) ? words.fields[error.field] : error.field;
  if (error.code === "line-break") return p.lineBreak(label);
  switch (error.code === undefined ? "" : error.field) {
    case "email":
      return error.code === "required" ? p.emailRequired : p.emailInvalid;
    case "frequency":
      return p.frequency;
    case "tags":
      return error.code === "too-many" ? p.tooManyTags(MAX_TAGS) : p.unknownTag(error.value ?? "");
    case "time_zone":
      return p.unknownTimeZone(error.value ?? "");
    case "send_hour":
      return p.sendHour;
    default:
      return p.other(label, error.message);
  }
}

/**
 * The error message shown under the field whose input has id `inputId`, and the attributes tying
 * them. With `lang`, in that language; without, in English as the field's name and message.
 */
export function fieldError(errors: readonly FieldError[], field: string, inputId: string, lang?: string): FieldMessage {
  const words = lang === undefined ? null : wordsOf(subscribeWords, lang);
  const name = FIELD_NAMES[field];
  const own = errors.filter((e) => e.field === field);
  if (own.length === 0) return { message: null, attributes: {} };
  const said = words
    ? own.map((e) => problemSentence(words, e)).join(" ")
    : `${own.map((e) => sentence(name ? `${name} ${e.message}` : e.message)).join(". ")}.`;
  const id = `${inputId}-error`;
  return {
    message: (
      <p class="field-error" id={id}>
        {said}
      </p>
    ),
    attributes: { "aria-invalid": "true", "aria-describedby": id },
  };
}

/**
 * Above a form shown again: `lead` says what happened; errors about fields the form has no
 * input for (a hand-made post) are listed by name, in English unless `lang` says otherwise.
 */
export function ErrorSummary(props: { lead: string; elsewhere: readonly FieldError[]; lang?: string }) {
  const words = props.lang === undefined ? null : wordsOf(subscribeWords, props.lang);
  const say = (e: FieldError) => (words && words !== subscribeWords.en ? words.problems.notAccepted : e.message);
  return (
    <div class="error-summary" role="alert">
      <p>{props.lead}</p>
      {props.elsewhere.length > 0 ? (
        <ul>
          {props.elsewhere.map((e) => (
            <li>
              <code>{e.field}</code>: {say(e)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Daily or weekly, as radio buttons whose ids are `<idPrefix>daily` and `<idPrefix>weekly`. */
export function FrequencyField(props: { idPrefix: string; value: string; error: FieldMessage; lang: string }) {
  const words = wordsOf(subscribeWords, props.lang);
  return (
    <fieldset>
      <legend>{words.fields.frequency}</legend>
      {(["daily", "weekly"] as const).map((value) => (
        <label>
          <input
            type="radio"
            id={`${props.idPrefix}${value}`}
            name="frequency"
            value={value}
            checked={props.value === value}
            {...props.error.attributes}
          />{" "}
          {words[value]}
        </label>
      ))}
      {props.error.message}
    </fieldset>
  );
}

/** A checkbox per tag (value: its slug); none checked means every article. */
export function TagsField(props: {
  id: string;
  tags: readonly Tag[];
  checked: readonly string[];
  error: FieldMessage;
  lang: string;
}) {
  const words = wordsOf(subscribeWords, props.lang);
  const checked = new Set(props.checked);
  return (
    <fieldset id={props.id}>
      <legend>{words.fields.tags}</legend>
      <p class="meta">{words.topicsHint}</p>
      {props.tags.map((tag) => (
        <label>
          <input
            type="checkbox"
            name="tags"
            value={tag.slug}
            checked={checked.has(tag.slug)}
            {...props.error.attributes}
          />{" "}
          {tag.name}
        </label>
      ))}
      {props.error.message}
    </fieldset>
  );
}

/** The hint's id joined to the error's, for aria-describedby. */
function described(hintId: string, error: FieldMessage): Record<string, string> {
  const errorId = error.attributes["aria-describedby"];
  return { ...error.attributes, "aria-describedby": errorId ? `${hintId} ${errorId}` : hintId };
}

export interface TimeZoneFieldProps {
  id: string;
  /** The zone shown selected, in any spelling: the reader's, or the site's when they have none. */
  value: string;
  /**
   * Set when the reader has not chosen yet (sign-up): the page's script (public/zone.js) may
   * select the browser's zone instead, matching option values and their `data-aliases`.
   */
  browserZone?: boolean;
  /** Selected when `value` is no zone at all (a post that came back): the site's zone. */
  fallback?: string;
  /** The time the offsets are shown for, in epoch milliseconds. */
  now: number;
  error: FieldMessage;
  lang: string;
}

/**
 * The options of the zone select, without a selection: an optgroup per region, each option
 * "(UTC+05:00) Almaty" whose value is the canonical name, sorted by current offset and then city;
 * with `aliases`, each option's other spellings for the browser-zone script. The labels are as
 * IANA writes the cities (English), so on a Russian or Kazakh page each option says lang="en". Rendered as one
 * string and kept until an offset changes: 419 options through JSX cost several milliseconds.
 */
function zoneOptions(now: number, lang: string, aliases: boolean): string {
  const epoch = zoneEpoch(now);
  if (optionsEpoch !== epoch) {
    optionsMemo.clear();
    optionsEpoch = epoch;
  }
  const key = `${languageOf(lang)} ${aliases}`;
  let html = optionsMemo.get(key);
  if (html === undefined) {
    const words = wordsOf(subscribeWords, lang);
    const english = languageOf(lang) === "en" ? "" : ' lang="en"';
    html = "";
    for (const group of zoneGroups(now)) {
      html += `<optgroup label="${escapeHtml(words.regions[group.region])}">`;
      for (const zone of group.zones) {
        const label = zone.name === "UTC" ? "UTC" : `(${formatOffset(zone.offset)}) ${zone.city}`;
        const other = aliases && zone.aliases.length > 0 ? ` data-aliases="${escapeHtml(zone.aliases.join(" "))}"` : "";
        html += `<option value="${escapeHtml(zone.name)}"${other}${english}>${escapeHtml(label)}</option>`;
      }
      html += "</optgroup>";
    }
    optionsMemo.set(key, html);
  }
  return html;
}

let optionsEpoch = Number.NaN;
const optionsMemo = new Map<string, string>();

/**
 * The time zone as a select of zoneOptions, `value` selected in its canonical spelling. A zone
 * outside the list that the runtime still knows (Etc/GMT-5, stored before) is offered first, as
 * it is spelled; a value posted that is no zone at all is not offered again.
 */
export function TimeZoneField(props: TimeZoneFieldProps) {
  const words = wordsOf(subscribeWords, props.lang);
  const given = canonicalZone(props.value) ?? props.value;
  const selected = given === "" || isTimeZone(given) ? given : (props.fallback ?? "");
  const options = zoneOptions(props.now, props.lang, props.browserZone === true);
  // The closing quote makes the value's mark unique: no zone name contains one.
  const mark = `<option value="${escapeHtml(selected)}"`;
  const at = selected === "" ? -1 : options.indexOf(mark);
  const extra = at < 0 && isTimeZone(selected) ? `${mark} selected>${escapeHtml(selected)}</option>` : "";
  const html =
    at < 0 ? extra + options : `${options.slice(0, at + mark.length)} selected${options.slice(at + mark.length)}`;
  const hintId = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{words.fields.time_zone}</label>
      <select
        id={props.id}
        name="time_zone"
        data-browser-zone={props.browserZone ? "" : undefined}
        {...described(hintId, props.error)}
      >
        {raw(html)}
      </select>
      <p class="meta" id={hintId}>
        {words.timeZoneHint}
      </p>
      {props.error.message}
    </div>
  );
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
/** A send hour as a time of day: 7 is "07:00". */
export const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

/** The hour the digest is sent at, 00:00 to 23:00 in the reader's zone; `value` is the hour as posted. */
export function SendHourField(props: { id: string; value: string; error: FieldMessage; lang: string }) {
  const words = wordsOf(subscribeWords, props.lang);
  const hintId = `${props.id}-hint`;
  return (
    <div class="field">
      <label for={props.id}>{words.fields.send_hour}</label>
      <select id={props.id} name="send_hour" {...described(hintId, props.error)}>
        {HOURS.map((h) => (
          <option value={String(h)} selected={String(h) === props.value}>
            {hourLabel(h)}
          </option>
        ))}
      </select>
      <p class="meta" id={hintId}>
        {words.sendHourHint}
      </p>
      {props.error.message}
    </div>
  );
}
