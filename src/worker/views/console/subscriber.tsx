// One subscriber in the console: status, consent record, preferences, the actions (unsubscribe,
// resend the confirmation, erase) and the delivery history; the erase confirmation; the 404.

import type { SiteConfig } from "../../../core/config.js";
import type { ConsentRecord, HistoryRow } from "../../store/subscriber-list.js";
import { hourLabel } from "../subscriber-fields.js";
import { ConsoleLayout, dateTime, Notice } from "./layout.js";

export interface SubscriberProps {
  site: SiteConfig;
  timeZone: string;
  record: ConsentRecord;
  history: HistoryRow[];
  notice?: string;
}

export function SubscriberPage(props: SubscriberProps) {
  const { subscriber: s, ipHashKept, confirmSentAt, awaitingConfirmation, imported } = props.record;
  const when = dateTime(props.timeZone);
  const hour = hourLabel(s.preferences.sendHour);
  const base = `/admin/subscribers/${s.id}`;
  return (
    <ConsoleLayout site={props.site} title={s.email} signedIn={true}>
      <p>
        <a href="/admin/subscribers">All subscribers</a>
      </p>
      <h1>{s.email}</h1>
      <Notice text={props.notice} />
      <div class="figures">
        <section aria-labelledby="consent">
          <h2 id="consent">Consent</h2>
          <dl>
            <dt>Status</dt>
            <dd data-field="status">{s.status}</dd>
            <dt>Requested</dt>
            <dd data-field="requested">{when(s.requestedAt)}</dd>
            <dt>Confirmed</dt>
            <dd data-field="confirmed">{s.confirmedAt === null ? "not yet" : when(s.confirmedAt)}</dd>
            <dt>From the page</dt>
            <dd data-field="source">
              <code>{s.source}</code>
            </dd>
            {imported ? (
              <>
                <dt>Imported</dt>
                <dd data-field="imported">
                  {when(imported.importedAt)} from {imported.service}, file <code>{imported.file}</code>,{" "}
                  {imported.mode === "confirmed" ? "as opted in there" : "asked to confirm here"}
                </dd>
              </>
            ) : null}
            <dt>Client address</dt>
            <dd data-field="ip">{ipHashKept ? "a salted hash is kept" : "not kept"}</dd>
            {confirmSentAt !== null ? (
              <>
                <dt>Last confirmation email</dt>
                <dd data-field="confirm-sent">{when(confirmSentAt)}</dd>
              </>
            ) : null}
            {s.unsubscribedAt !== null ? (
              <>
                <dt>Unsubscribed</dt>
                <dd data-field="unsubscribed">{when(s.unsubscribedAt)}</dd>
              </>
            ) : null}
          </dl>
        </section>
        <section aria-labelledby="preferences">
          <h2 id="preferences">Preferences</h2>
          <dl>
            <dt>Frequency</dt>
            <dd data-field="frequency">{s.preferences.frequency}</dd>
            <dt>Tags</dt>
            <dd data-field="tags">
              {s.preferences.tags.length === 0 ? "every article" : s.preferences.tags.join(", ")}
            </dd>
            <dt>Time zone</dt>
            <dd data-field="zone">{s.preferences.timeZone}</dd>
            <dt>Hour</dt>
            <dd data-field="hour">{hour}</dd>
          </dl>
          {awaitingConfirmation && s.status === "active" ? (
            <p class="meta">New preferences wait for their confirmation link.</p>
          ) : null}
        </section>
      </div>
      <section aria-labelledby="actions">
        <h2 id="actions">Actions</h2>
        <div>
          {s.status === "pending" || s.status === "active" ? (
            <>
              <form method="post" action={`${base}/unsubscribe`} class="inline">
                <button type="submit">Unsubscribe</button>
              </form>{" "}
            </>
          ) : null}
          {s.status === "pending" ? (
            <>
              <form method="post" action={`${base}/resend`} class="inline">
                <button type="submit">Resend the confirmation</button>
              </form>{" "}
            </>
          ) : null}
          <form method="post" action={`${base}/erase`} class="inline">
            <button type="submit" class="danger">
              Erase…
            </button>
          </form>
        </div>
      </section>
      <section aria-labelledby="history">
        <h2 id="history">Deliveries</h2>
        {props.history.length === 0 ? (
          <p>No edition has been sent to this subscriber in the retention period.</p>
        ) : (
          <div class="table">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Edition</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {props.history.map((d) => (
                  <tr data-edition={d.edition}>
                    <td>{d.edition}</td>
                    <td>{d.status}</td>
                    <td>{d.attempts}</td>
                    <td>{d.lastError ?? ""}</td>
                    <td>{d.sentAt === null ? "" : when(d.sentAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </ConsoleLayout>
  );
}

export function EraseConfirmPage(props: { site: SiteConfig; id: number; email: string }) {
  return (
    <ConsoleLayout site={props.site} title={`Erase ${props.email}?`} signedIn={true}>
      <h1>Erase {props.email}?</h1>
      <p>
        This deletes the subscriber, their consent record and their unsent deliveries. It cannot be undone. An address
        that bounced or complained stays blocked (only a salted hash of it is kept).
      </p>
      <form method="post" action={`/admin/subscribers/${props.id}/erase`}>
        <input type="hidden" name="confirm" value="erase" />
        <button type="submit" class="danger">
          Erase {props.email}
        </button>{" "}
        <a href={`/admin/subscribers/${props.id}`}>Cancel</a>
      </form>
    </ConsoleLayout>
  );
}

export function NoSubscriberPage(props: { site: SiteConfig; id: string }) {
  return (
    <ConsoleLayout site={props.site} title="No such subscriber" signedIn={true}>
      <h1>No such subscriber</h1>
      <p>
        There is no subscriber {props.id.slice(0, 40)}: they may have been erased.{" "}
        <a href="/admin/subscribers">Find a subscriber</a>.
      </p>
    </ConsoleLayout>
  );
}
