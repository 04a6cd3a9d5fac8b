// The console's dashboard: subscribers, recent consent and suppressions, the recent editions with
// their sends by status (and a retry of the dead ones), the next run and the mailer.

import type { SiteConfig } from "../../../core/config.js";
import type { Frequency, SubscriberStatus } from "../../../core/subscription.js";
import { COUNT_CAP, type DashboardFigures } from "../../store/dashboard.js";
import type { DeliveryStatus, EditionPage } from "../../store/deliveries.js";
import { ConsoleLayout, dateTime, Notice, number } from "./layout.js";

export interface DashboardProps {
  site: SiteConfig;
  figures: DashboardFigures;
  editions: EditionPage["items"];
  /** The next top of the hour, when the Cron Trigger runs the delivery. */
  nextRun: number;
  timeZone: string;
  mailer: string;
  /** MAILER is log on a site that is not on this machine: nothing reaches readers. */
  mailerWarning: boolean;
  /** What the last action did, from the URL it came back to. */
  notice?: string;
}

const STATUSES: [SubscriberStatus, string][] = [
  ["active", "Active"],
  ["pending", "Awaiting confirmation"],
  ["unsubscribed", "Unsubscribed"],
  ["suppressed", "Suppressed"],
];
const FREQUENCIES: Frequency[] = ["daily", "weekly"];
const SEND_STATUSES: DeliveryStatus[] = ["queued", "sending", "sent", "failed", "dead"];

/** A windowed count, which the store stops at COUNT_CAP. */
const capped = (n: number) => (n >= COUNT_CAP ? `${number(COUNT_CAP)} or more` : number(n));

export function DashboardPage(props: DashboardProps) {
  const { figures } = props;
  const when = dateTime(props.timeZone);
  return (
    <ConsoleLayout site={props.site} title="Dashboard" signedIn={true}>
      <h1>Dashboard</h1>
      <Notice text={props.notice} />
      {props.mailerWarning ? (
        <p class="warning" role="alert">
          Email is not being sent: <code>MAILER</code> is <code>log</code>, which only prints messages in the Worker's
          log. Set <code>MAILER</code> to <code>smtp</code>, <code>resend</code> or <code>postmark</code> (see
          docs/delivery.md).
        </p>
      ) : null}
      <div class="figures">
        <section aria-labelledby="subscribers" class="wide">
          <h2 id="subscribers">Subscribers</h2>
          <div class="table">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Daily</th>
                  <th scope="col">Weekly</th>
                  <th scope="col">All</th>
                </tr>
              </thead>
              <tbody>
                {STATUSES.map(([status, label]) => {
                  const row = figures.subscribers[status];
                  return (
                    <tr data-status={status}>
                      <th scope="row">{label}</th>
                      {FREQUENCIES.map((f) => (
                        <td data-frequency={f}>{number(row[f])}</td>
                      ))}
                      <td data-frequency="all">{number(row.daily + row.weekly)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="consent">
          <h2 id="consent">Confirmations</h2>
          <dl>
            <dt>Last 7 days</dt>
            <dd data-figure="confirmed-7">{capped(figures.confirmed.days7)}</dd>
            <dt>Last 30 days</dt>
            <dd data-figure="confirmed-30">{capped(figures.confirmed.days30)}</dd>
          </dl>
        </section>
        <section aria-labelledby="suppressed">
          <h2 id="suppressed">Last 30 days</h2>
          <dl>
            <dt>Bounces</dt>
            <dd data-figure="bounces-30">{capped(figures.suppressed30.bounce)}</dd>
            <dt>Complaints</dt>
            <dd data-figure="complaints-30">{capped(figures.suppressed30.complaint)}</dd>
          </dl>
        </section>
        <section aria-labelledby="delivery">
          <h2 id="delivery">Delivery</h2>
          <dl>
            <dt>Next run</dt>
            <dd>
              <time datetime={new Date(props.nextRun).toISOString()}>{when(props.nextRun)}</time>
            </dd>
            <dt>Mailer</dt>
            <dd data-figure="mailer">{props.mailer}</dd>
          </dl>
        </section>
      </div>
      <section aria-labelledby="editions">
        <h2 id="editions">Recent editions</h2>
        {props.editions.length === 0 ? (
          <p>No edition has been sent yet.</p>
        ) : (
          <div class="table">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Edition</th>
                  {SEND_STATUSES.map((s) => (
                    <th scope="col">{s[0]?.toUpperCase() + s.slice(1)}</th>
                  ))}
                  <th scope="col">
                    <span class="vh">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.editions.map((e) => (
                  <tr data-edition={e.edition}>
                    <th scope="row">{e.edition}</th>
                    {SEND_STATUSES.map((s) => (
                      <td data-status={s}>{number(e.counts[s])}</td>
                    ))}
                    <td>
                      {e.counts.dead > 0 ? (
                        <form method="post" action="/admin/editions/retry" class="inline">
                          <input type="hidden" name="edition" value={e.edition} />
                          <button type="submit">Retry dead</button>
                        </form>
                      ) : null}
                    </td>
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
