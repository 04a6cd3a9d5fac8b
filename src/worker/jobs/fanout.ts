// One page of an edition's fan-out: the due subscribers of one zone and send hour, grouped by the
// tags they follow; each group's edition is rendered once (and stored), groups with no articles
// are skipped, and the rest get ledger rows (written before anything is queued) and send messages.
// A retried page writes no row twice (the ledger's unique key) and so queues nothing twice.

import { type FanOutMessage, SEND_MESSAGE_MAX, sendMessages } from "../../core/delivery.js";
import { renderDigest } from "../../core/digest/render.js";
import { parseWindow, type WindowKind } from "../../core/digest/window.js";
import { subscriberLinks } from "../../core/subscription.js";
import { templates } from "../../generated/templates.js";
import type { Services } from "../services.js";
import type { EditionRender } from "../store/editions.js";
import { queueMessages } from "./enqueue.js";

/** Subscribers per fan-out page: ten send messages. */
export const FANOUT_PAGE = 1000;
/** The web version and the email's "more" count see this many articles of a window. */
const MAX_EDITION_ARTICLES = 500;

export interface FanOutResult {
  /** Ledger rows written and queued by this page. */
  queued: number;
  /** Groups rendered by this page (not those found already rendered). */
  rendered: number;
  /** Due subscribers left out because their group's edition has no articles. */
  skipped: number;
}

/** The group a subscriber's tags put them in: their slugs, sorted, as JSON. */
export function tagsKey(tags: readonly string[]): string {
  return JSON.stringify([...new Set(tags)].sort());
}

export async function fanOut(s: Services, message: FanOutMessage, idsPerMessage: number): Promise<FanOutResult> {
  const page = await s.audience.due(message, FANOUT_PAGE);
  const result: FanOutResult = { queued: 0, rendered: 0, skipped: 0 };
  if (page.length === 0) return result;
  const queue = s.deliveryQueue();

  const byGroup = new Map<string, number[]>();
  for (const subscriber of page) {
    const key = tagsKey(subscriber.tags);
    const ids = byGroup.get(key) ?? [];
    ids.push(subscriber.id);
    byGroup.set(key, ids);
  }
  const renders = await s.editions.get(message.edition, [...byGroup.keys()]);
  const fresh: EditionRender[] = [];
  for (const key of byGroup.keys()) {
    if (renders.has(key)) continue;
    const render = await renderGroup(s, message.edition, key);
    renders.set(key, render);
    fresh.push(render);
  }
  await s.editions.put(fresh);
  result.rendered = fresh.length;

  const rows: { subscriberId: number; tagsKey: string }[] = [];
  for (const [key, ids] of byGroup) {
    if ((renders.get(key)?.articles ?? 0) === 0) {
      result.skipped += ids.length;
      continue;
    }
    for (const id of ids) rows.push({ subscriberId: id, tagsKey: key });
  }
  const queued = await s.deliveries.enqueue(message.edition, rows);
  result.queued = queued.length;
  await queueMessages(queue, sendMessages(queued, Math.min(SEND_MESSAGE_MAX, Math.max(1, idsPerMessage))));
  // The next page once this one is done, so a retried page does not start a second chain.
  const last = page[page.length - 1];
  if (page.length === FANOUT_PAGE && last) await queue.send({ ...message, after: last.id });
  return result;
}

/** What rendering a group reads: the settings, the articles and the tag names, at the clock's time. */
export type RenderSources = Pick<Services, "site" | "digest" | "articles" | "tags" | "now">;

/** Renders `edition` for one tag group, with a mark where each recipient's token goes. */
export async function renderGroup(s: RenderSources, edition: string, key: string): Promise<EditionRender> {
  const [kind, label] = edition.split("/") as [WindowKind, string];
  const timeZone = s.digest.timeZone;
  const window = parseWindow(kind, label, timeZone);
  if (!window) throw new RangeError(`not an edition: ${edition}`);
  const slugs = JSON.parse(key) as string[];
  const now = s.now();
  const articles = await s.articles.inWindow(window.start, Math.min(window.end, now + 1), slugs, MAX_EDITION_ARTICLES);
  const empty: EditionRender = {
    edition,
    tagsKey: key,
    articles: 0,
    subject: "",
    html: "",
    text: "",
    recipientMark: "",
  };
  if (articles.length === 0) return empty;
  const site = s.site;
  const tags = await s.tags.findAll(slugs, now);
  const names = tags.flatMap((t) => (t ? [t.name] : []));
  const query = slugs.length > 0 ? `?tags=${slugs.map(encodeURIComponent).join(",")}` : "";
  // Letters and digits only: no escaping, in HTML, text or a URL, changes it.
  const mark = `recipient${crypto.randomUUID().replace(/-/g, "")}`;
  const links = subscriberLinks(site.siteUrl, mark);
  const digest = renderDigest(
    {
      site: { title: site.siteTitle, url: site.siteUrl, language: site.siteLanguage, timeZone },
      window,
      articles,
      tags: names,
      webUrl: `${site.siteUrl}/digests/${kind}/${label}${query}`,
      unsubscribeUrl: links.unsubscribe,
      preferencesUrl: links.preferences,
      // For whoever the email is forwarded to; the sign-up records the edition it came from.
      subscribeUrl: `${site.siteUrl}/subscribe?${new URLSearchParams({ source: `/digests/${kind}/${label}` })}`,
      forEmail: true,
    },
    templates.digest,
  );
  return {
    ...empty,
    articles: articles.length,
    subject: digest.subject,
    html: digest.html,
    text: digest.text,
    recipientMark: mark,
  };
}
