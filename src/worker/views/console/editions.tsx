// The console's editions page: the form that picks an edition (kind, day or week, tags, a
// subscriber or the sample reader), and under it the preview of that edition's email as sent,
// with the form that sends a test of it.

import type { Tag } from "../../../core/article.js";
import type { SiteConfig } from "../../../core/config.js";
import { clipped, GMAIL_CLIP_BYTES } from "../../../core/digest/preview.js";
import type { FieldError } from "../../../core/errors.js";
import { ConsoleLayout, number } from "./layout.js";

/** The form's values as typed (shown again as they were on a bad submit). */
export interface EditionChoice {
  kind: string;
  date: string;
  week: string;
  tags: string[];
  subscriber: string;
}

export interface EditionPreview {
  edition: string;
  /** The URL query of this edition's preview (?kind=&label=…), for the frames. */
  query: string;
  /** The same edition as the test form's hidden fields. */
  fields: [string, string][];
  /** Articles in the edition for this group: 0 means the send step sends nothing. */
  articles: number;
  /** Set when the preview is for a subscriber: their address, status and tags. */
  subscriber: { email: string; status: string; tags: string[] } | null;
  /** With no articles: the newest edition of the kind that has some, to preview instead (null: none). */
  newest?: { edition: string; href: string } | null;
  /** The message as the mailer writes it; null when there are no articles. */
  message: {
    from: string;
    to: string;
    subject: string;
    messageId: string;
    preheader: string;
    headers: [string, string][];
    text: string;
    htmlBytes: number;
  } | null;
}

export interface EditionsProps {
  site: SiteConfig;
  tags: readonly Tag[];
  choice: EditionChoice;
  errors: readonly FieldError[];
  preview?: EditionPreview;
  /** The test form's address and its error, if any. */
  test?: { address: string; error?: string };
  /** Above everything: a test went out, or was refused. */
  notice?: { text: string; error: boolean };
}

export function EditionsPage(props: EditionsProps) {
  const { choice, preview } = props;
  const error = (field: string) => props.errors.find((e) => e.field === field)?.message;
  return (
    <ConsoleLayout site={props.site} title="Editions" signedIn={true}>
      <h1>Editions</h1>
      {props.notice ? (
        <p class={props.notice.error ? "warning" : "notice"} role={props.notice.error ? "alert" : "status"}>
          {props.notice.text}
        </p>
      ) : null}
      <form method="get" action="/admin/editions/preview">
        <fieldset>
          <legend>Edition</legend>
          <label>
            <input type="radio" name="kind" value="daily" checked={choice.kind !== "weekly"} /> Daily
          </label>{" "}
          <label>
            <input type="radio" name="kind" value="weekly" checked={choice.kind === "weekly"} /> Weekly
          </label>
          <Field id="date" label="Day (for a daily edition)" error={error("date")}>
            <input id="date" name="date" type="date" value={choice.date} {...invalid("date", error("date"))} />
          </Field>
          <Field id="week" label="ISO week (for a weekly edition), e.g. 2022-W02" error={error("week")}>
            <input
              id="week"
              name="week"
              type="text"
              inputmode="numeric"
              pattern="\d{4}-W\d{2}"
              placeholder="2022-W02"
              value={choice.week}
              {...invalid("week", error("week"))}
            />
          </Field>
        </fieldset>
        {props.tags.length > 0 ? (
          <fieldset>
            <legend>Tags (none: every article)</legend>
            {props.tags.map((tag) => (
              <label style="display:inline-block;margin-right:1rem">
                <input type="checkbox" name="tags" value={tag.slug} checked={choice.tags.includes(tag.slug)} />{" "}
                {tag.name}
              </label>
            ))}
            {error("tags") ? <p class="error">The tags {error("tags")}.</p> : null}
          </fieldset>
        ) : null}
        <Field id="subscriber" label="Subscriber (empty: a sample reader)" error={error("subscriber")}>
          <input
            id="subscriber"
            name="subscriber"
            type="email"
            autocomplete="off"
            maxlength={254}
            value={choice.subscriber}
            {...invalid("subscriber", error("subscriber"))}
          />
        </Field>
        <p class="meta">A subscriber's preview uses their own tags and their own links, as their email will.</p>
        <button type="submit">Preview</button>
      </form>
      {preview ? <Preview preview={preview} test={props.test} /> : null}
    </ConsoleLayout>
  );
}

function invalid(field: string, error: string | undefined): Record<string, string> {
  return error ? { "aria-invalid": "true", "aria-describedby": `${field}-error` } : {};
}

function Field(props: { id: string; label: string; error: string | undefined; children?: unknown }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.error ? (
        <p class="error" id={`${props.id}-error`}>
          {`${FIELD_NAMES[props.id] ?? props.id} ${props.error}.`}
        </p>
      ) : null}
    </div>
  );
}

const FIELD_NAMES: Record<string, string> = {
  date: "The day",
  week: "The week",
  subscriber: "The subscriber",
  address: "The address",
};

function Preview(props: { preview: EditionPreview; test: EditionsProps["test"] }) {
  const { preview } = props;
  const message = preview.message;
  const frame = `/admin/editions/preview.html${preview.query}`;
  return (
    <section aria-labelledby="preview">
      <h2 id="preview">
        Preview of <code>{preview.edition}</code>
      </h2>
      {preview.subscriber ? (
        <p>
          For <strong>{preview.subscriber.email}</strong> ({preview.subscriber.status}
          {preview.subscriber.tags.length > 0 ? `; tags: ${preview.subscriber.tags.join(", ")}` : "; every article"}).
          {preview.subscriber.status !== "active" ? " The send step mails active subscribers only." : null}
        </p>
      ) : (
        <p>For a sample reader: the links carry a token that names no subscriber.</p>
      )}
      {message === null ? (
        <p class="warning" data-figure="empty">
          This edition has no articles{preview.subscriber ? " for this subscriber" : ""}: nothing would be sent.
          {preview.newest ? (
            <>
              {" "}
              The newest edition with articles is <a href={preview.newest.href}>{preview.newest.edition}</a>.
            </>
          ) : null}
        </p>
      ) : (
        <>
          <div class="table">
            <table class="data headers">
              <tbody>
                <tr>
                  <th scope="row">From</th>
                  <td data-header="from">{message.from}</td>
                </tr>
                <tr>
                  <th scope="row">To</th>
                  <td data-header="to">{message.to}</td>
                </tr>
                <tr>
                  <th scope="row">Subject</th>
                  <td data-header="subject">{message.subject}</td>
                </tr>
                <tr>
                  <th scope="row">Preheader</th>
                  <td data-header="preheader">{message.preheader}</td>
                </tr>
                <tr>
                  <th scope="row">Message-ID</th>
                  <td data-header="message-id">{message.messageId}</td>
                </tr>
                {message.headers.map(([name, value]) => (
                  <tr>
                    <th scope="row">{name}</th>
                    <td data-header={name.toLowerCase()}>{value}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">HTML size</th>
                  <td data-figure="html-bytes" data-bytes={String(message.htmlBytes)}>
                    {number(message.htmlBytes)} bytes of {number(GMAIL_CLIP_BYTES)} (Gmail's 102 KB clip)
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
          {clipped(message.htmlBytes) ? <ClipWarning /> : null}
          <h3>The email</h3>
          <div class="frames" style="display:flex;flex-wrap:wrap;gap:1rem;overflow-x:auto">
            <FrameBox title="600 px wide" src={frame} width={600} />
            <FrameBox title="375 px wide" src={frame} width={375} />
            <FrameBox title="Dark mode, 600 px" src={`${frame}&scheme=dark`} width={600} dark={true} />
          </div>
          <p class="meta">
            The dark frame applies the email's own dark-mode styles, as Apple Mail or Outlook on the web do for a reader
            who prefers dark; Gmail's apps recolour on their own.
          </p>
          <h3>The text part</h3>
          <pre style="white-space:pre-wrap;overflow-wrap:anywhere" data-part="text">
            {message.text}
          </pre>
          <h3 id="test">Send a test</h3>
          <form method="post" action="/admin/editions/test">
            {preview.fields.map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))}
            <Field id="address" label="Send to" error={props.test?.error}>
              <input
                id="address"
                name="address"
                type="email"
                autocomplete="email"
                required
                maxlength={254}
                value={props.test?.address ?? ""}
                {...invalid("address", props.test?.error)}
              />
            </Field>
            <p class="meta">
              The subject starts with [Test]; nothing is written to the delivery ledger. At most 10 a minute.
            </p>
            <button type="submit">Send a test</button>
          </form>
        </>
      )}
    </section>
  );
}

/** Shown when the HTML is over Gmail's clip (a render stays under it; a stored one from older code may not). */
export function ClipWarning() {
  return (
    <p class="warning" data-figure="clipped">
      Over 102 KB: Gmail will clip this email behind "[Message clipped] View entire message".
    </p>
  );
}

function FrameBox(props: { title: string; src: string; width: number; dark?: boolean }) {
  return (
    <figure style="margin:0">
      <figcaption>{props.title}</figcaption>
      <iframe
        title={`The email, ${props.title}`}
        src={props.src}
        sandbox=""
        width={String(props.width)}
        height="800"
        style={`border:1px solid var(--rule);max-width:none${props.dark ? ";color-scheme:dark" : ""}`}
      />
    </figure>
  );
}
