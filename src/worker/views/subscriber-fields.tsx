// The fields the subscribe form and the preference page share: how often, which topics, and the
// error message tied to a field (aria-invalid, aria-describedby).

import type { Tag } from "../../core/article.js";
import type { FieldError } from "../../core/errors.js";
import { sentence } from "../../core/text.js";

/** How a message about a field starts: the field's messages are fragments ("is required"). */
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

/** The error message shown under the field whose input has id `inputId`, and the attributes tying them. */
export function fieldError(errors: readonly FieldError[], field: string, inputId: string): FieldMessage {
  const name = FIELD_NAMES[field];
  const messages = errors
    .filter((e) => e.field === field)
    .map((e) => (name ? `${name} ${e.message}` : sentence(e.message)));
  if (messages.length === 0) return { message: null, attributes: {} };
  const id = `${inputId}-error`;
  return {
    message: (
      <p class="field-error" id={id}>
        {messages.map(sentence).join(". ")}.
      </p>
    ),
    attributes: { "aria-invalid": "true", "aria-describedby": id },
  };
}

/**
 * Above a form shown again: `lead` says what happened; errors about fields the form has no
 * input for (a hand-made post) are listed by name.
 */
export function ErrorSummary(props: { lead: string; elsewhere: readonly FieldError[] }) {
  return (
    <div class="error-summary" role="alert">
      <p>{props.lead}</p>
      {props.elsewhere.length > 0 ? (
        <ul>
          {props.elsewhere.map((e) => (
            <li>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const FREQUENCIES = [
  { value: "daily", label: "Daily" },
  { value: "weekly", label: "Weekly" },
] as const;

/** Daily or weekly, as radio buttons whose ids are `<idPrefix>daily` and `<idPrefix>weekly`. */
export function FrequencyField(props: { idPrefix: string; value: string; error: FieldMessage }) {
  return (
    <fieldset>
      <legend>How often</legend>
      {FREQUENCIES.map((f) => (
        <label>
          <input
            type="radio"
            id={`${props.idPrefix}${f.value}`}
            name="frequency"
            value={f.value}
            checked={props.value === f.value}
            {...props.error.attributes}
          />{" "}
          {f.label}
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
}) {
  const checked = new Set(props.checked);
  return (
    <fieldset id={props.id}>
      <legend>Topics</legend>
      <p class="meta">Leave every box empty to get all articles.</p>
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
