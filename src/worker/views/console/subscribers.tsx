// The console's subscriber list: the search form (address prefix, status, frequency, tag), a page
// of subscribers, the Next link and the CSV export of the same filter.

import type { SiteConfig } from "../../../core/config.js";
import type { FieldError } from "../../../core/errors.js";
import { FREQUENCIES, SUBSCRIBER_STATUSES } from "../../../core/subscriber-filter.js";
import type { Subscriber } from "../../store/subscribers.js";
import { ConsoleLayout, dateTime, Notice, number } from "./layout.js";

export interface FilterValues {
  q: string;
  status: string;
  frequency: string;
  tag: string;
}

export interface SubscribersProps {
  site: SiteConfig;
  timeZone: string;
  values: FilterValues;
  /** A bad filter: shown next to its field, and no list. */
  errors: FieldError[];
  items: Subscriber[];
  /** The next page, filters kept; null after the last. */
  nextHref: string | null;
  /** Rows looked at when filters no index serves ran out of their window before the page filled. */
  searched: number | null;
  csvHref: string;
  notice?: string;
}

/** A form field's message, when it has one, with the ids that tie it to the field. */
export function fieldError(errors: readonly FieldError[], field: string) {
  const message = errors.find((e) => e.field === field)?.message;
  const id = `${field}-error`;
  return {
    attributes: message ? { "aria-invalid": "true", "aria-describedby": id } : {},
    element: message ? (
      <p class="error" id={id} role="alert">
        {message}
      </p>
    ) : null,
  };
}

export function SubscribersPage(props: SubscribersProps) {
  const { values, errors } = props;
  const when = dateTime(props.timeZone);
  const q = fieldError(errors, "q");
  const status = fieldError(errors, "status");
  const frequency = fieldError(errors, "frequency");
  const tag = fieldError(errors, "tag");
  const after = fieldError(errors, "after");
  return (
    <ConsoleLayout site={props.site} title="Subscribers" signedIn={true}>
      <h1>Subscribers</h1>
      <Notice text={props.notice} />
      <p>
        <a href="/admin/subscribers/import">Import a list</a> from Substack, Mailchimp, Buttondown, Ghost, listmonk or a
        CSV file.
      </p>
      <form method="get" action="/admin/subscribers">
        <div class="field">
          <label for="q">Address begins with</label>
          <input id="q" name="q" type="search" value={values.q} maxlength={254} autocomplete="off" {...q.attributes} />
          {q.element}
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status" {...status.attributes}>
            <option value="">Any</option>
            {SUBSCRIBER_STATUSES.map((s) => (
              <option value={s} selected={values.status === s}>
                {s}
              </option>
            ))}
          </select>
          {status.element}
        </div>
        <div class="field">
          <label for="frequency">Frequency</label>
          <select id="frequency" name="frequency" {...frequency.attributes}>
            <option value="">Any</option>
            {FREQUENCIES.map((f) => (
              <option value={f} selected={values.frequency === f}>
                {f}
              </option>
            ))}
          </select>
          {frequency.element}
        </div>
        <div class="field">
          <label for="tag">Picked the tag</label>
          <input id="tag" name="tag" type="text" value={values.tag} maxlength={100} {...tag.attributes} />
          {tag.element}
        </div>
        {after.element}
        <button type="submit">Search</button> <a href="/admin/subscribers">Clear</a>
      </form>
      {errors.length > 0 ? null : (
        <>
          <p>
            <a href={props.csvHref} download="subscribers.csv">
              Download these subscribers as CSV
            </a>
          </p>
          {props.searched !== null ? (
            <p class="notice" role="status">
              Searched the next {number(props.searched)} subscribers, of whom {number(props.items.length)} match: a page
              stops there so that a rare filter never reads the whole list. Next searches further.
            </p>
          ) : null}
          {props.items.length === 0 && props.searched === null ? (
            <p>No subscribers match.</p>
          ) : props.items.length === 0 ? null : (
            <div class="table">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">Status</th>
                    <th scope="col">Frequency</th>
                    <th scope="col">Tags</th>
                    <th scope="col">Confirmed</th>
                  </tr>
                </thead>
                <tbody>
                  {props.items.map((s) => (
                    <tr data-id={s.id}>
                      <td>
                        <a href={`/admin/subscribers/${s.id}`}>{s.email}</a>
                      </td>
                      <td>{s.status}</td>
                      <td>{s.preferences.frequency}</td>
                      <td>{s.preferences.tags.length === 0 ? "every article" : s.preferences.tags.join(", ")}</td>
                      <td>{s.confirmedAt === null ? "not yet" : when(s.confirmedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {props.nextHref ? (
            <p>
              <a href={props.nextHref} rel="next">
                Next
              </a>
            </p>
          ) : null}
        </>
      )}
    </ConsoleLayout>
  );
}
