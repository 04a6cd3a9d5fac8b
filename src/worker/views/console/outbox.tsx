// The console's outbox (MAILER=log): the messages kept, newest first, and one message as its reader
// would see it: the headers, the HTML in a sandboxed frame, the text part, and the .eml to download.

import type { SiteConfig } from "../../../core/config.js";
import { dateTimeFormat } from "../../../core/intl.js";
import type { OutboxItem } from "../../store/outbox.js";
import { ConsoleLayout } from "./layout.js";

const when = (ms: number, timeZone: string) =>
  dateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone,
  }).format(ms);

const KINDS: Record<string, string> = { transactional: "Confirmation", broadcast: "Digest" };
const kindOf = (item: OutboxItem) => (item.subject.startsWith("[Test] ") ? "Test" : (KINDS[item.kind] ?? item.kind));
const KB = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const kb = (bytes: number) => `${KB.format(bytes / 1024)} KB`;

export interface OutboxListProps {
  site: SiteConfig;
  timeZone: string;
  items: OutboxItem[];
  next: number | null;
  /** The configured mailer: the outbox fills only with log. */
  mailer: string;
}

export function OutboxListPage(props: OutboxListProps) {
  return (
    <ConsoleLayout site={props.site} title="Outbox" signedIn={true}>
      <h1>Outbox</h1>
      <p>
        {props.mailer === "log" ? (
          <>
            <code>MAILER</code> is <code>log</code>: nothing leaves this machine. Every message is kept here (the newest
            200) as its reader would see it.
          </>
        ) : (
          <>
            <code>MAILER</code> is <code>{props.mailer}</code>: messages go out and are not kept here. The outbox fills
            only with <code>MAILER=log</code>.
          </>
        )}
      </p>
      {props.items.length === 0 ? (
        <p>No message has been kept.</p>
      ) : (
        <div class="table">
          <table class="data stack">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">Kind</th>
                <th scope="col">Kept</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((item) => (
                <tr data-id={String(item.id)}>
                  <td class="wrap">
                    <a href={`/admin/outbox/${item.id}`}>{item.subject}</a>
                  </td>
                  <td data-label="To">{item.to}</td>
                  <td data-label="Kind">{kindOf(item)}</td>
                  <td data-label="Kept">{when(item.createdAt, props.timeZone)}</td>
                  <td data-label="Size">{kb(item.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.next !== null ? (
        <nav class="pager" aria-label="Pages">
          <span />
          <a href={`/admin/outbox?cursor=${props.next}`} rel="next">
            Older messages
          </a>
        </nav>
      ) : null}
    </ConsoleLayout>
  );
}

export interface OutboxMessageProps {
  site: SiteConfig;
  timeZone: string;
  item: OutboxItem;
  headers: (readonly [string, string])[];
  text: string | null;
  hasHtml: boolean;
}

/** The headers a publisher checks: who, what, and the list headers inboxes act on. */
const SHOWN = ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"];

export function OutboxMessagePage(props: OutboxMessageProps) {
  const { item } = props;
  const shown = SHOWN.flatMap((name) =>
    props.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, value]) => [name, value] as const),
  );
  return (
    <ConsoleLayout site={props.site} title={item.subject} signedIn={true}>
      <p class="meta">
        <a href="/admin/outbox">Outbox</a> · {kindOf(item)} · kept {when(item.createdAt, props.timeZone)} ·{" "}
        {kb(item.size)}
      </p>
      <h1>{item.subject}</h1>
      <div class="table">
        <table class="data headers">
          <tbody>
            {shown.map(([name, value]) => (
              <tr>
                <th scope="row">{name}</th>
                <td class="wrap">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={`/admin/outbox/${item.id}.eml`} download={`message-${item.id}.eml`}>
          Download .eml
        </a>{" "}
        (opens in any mail program)
      </p>
      {props.hasHtml ? (
        <section aria-labelledby="html-part">
          <h2 id="html-part">As it shows in an inbox</h2>
          <iframe
            class="email"
            title={`The email: ${item.subject}`}
            src={`/admin/outbox/${item.id}/html`}
            sandbox=""
            referrerpolicy="no-referrer"
          />
        </section>
      ) : null}
      {props.text !== null ? (
        <section aria-labelledby="text-part">
          <h2 id="text-part">Plain-text part</h2>
          <pre class="text-part">{props.text}</pre>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
