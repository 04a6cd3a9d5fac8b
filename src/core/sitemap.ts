// Sitemaps (sitemaps.org protocol 0.9): the index, the small sitemaps it lists, and their names.
// Articles are listed by UTC month of publication, a month past URLS_PER_SITEMAP split into
// parts, so that every sitemap is one bounded index read and a small render; the site's other
// indexable pages and its tag and author pages have their own sitemaps.

import { formatInstant } from "./dates.js";
import { escapeXml } from "./feeds/xml.js";

/**
 * URLs per sitemap. The protocol allows 50 000 (and 50 MB), but a sitemap that size is megabytes
 * of XML rendered in the Worker; this many keep each one a small read and render.
 */
export const URLS_PER_SITEMAP = 500;

export interface SitemapEntry {
  loc: string;
  /** Epoch milliseconds; left out when unknown. */
  lastmod?: number | null;
}

/** Which sitemap a file under /sitemaps/ names. */
export type SitemapName =
  | { kind: "pages" }
  | { kind: "articles"; month: string; part: number }
  | { kind: "tags" | "authors"; part: number };

const NAME = /^(?:(pages)|articles-(\d{4})-(\d{2})(?:-(\d{1,6}))?|(tags|authors)-(\d{1,6}))\.xml$/;

/** The sitemap a file name names, or null. Parts count from 1 and part 1 of a month has no suffix. */
export function parseSitemapName(file: string): SitemapName | null {
  const m = NAME.exec(file);
  if (!m) return null;
  if (m[1]) return { kind: "pages" };
  if (m[2] && m[3]) {
    const year = Number(m[2]);
    const month = Number(m[3]);
    const part = m[4] === undefined ? 1 : Number(m[4]);
    // One spelling per sitemap: no "-1" suffix, no leading zeros, a real month.
    if (year < 1000 || month < 1 || month > 12 || part < 1 || (m[4] !== undefined && (part === 1 || m[4][0] === "0")))
      return null;
    return { kind: "articles", month: `${m[2]}-${m[3]}`, part };
  }
  const part = Number(m[6]);
  if (part < 1 || m[6]?.[0] === "0") return null;
  return { kind: m[5] === "tags" ? "tags" : "authors", part };
}

/** The file name of a sitemap (under /sitemaps/). */
export function sitemapFile(name: SitemapName): string {
  if (name.kind === "pages") return "pages.xml";
  if (name.kind === "articles") return `articles-${name.month}${name.part > 1 ? `-${name.part}` : ""}.xml`;
  return `${name.kind}-${name.part}.xml`;
}

/** The UTC month ("2022-01") that holds an instant. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The instants [start, end) of a UTC month "YYYY-MM". */
export function monthRange(month: string): { start: number; end: number } {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7)) - 1;
  return { start: Date.UTC(year, index, 1), end: Date.UTC(year, index + 1, 1) };
}

/** How many sitemaps `count` URLs take (at least one, so that an empty list still has its page). */
export const partsOf = (count: number): number => Math.max(1, Math.ceil(count / URLS_PER_SITEMAP));

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

function entry(tag: "url" | "sitemap", e: SitemapEntry): string {
  const lastmod = e.lastmod ? `<lastmod>${formatInstant(e.lastmod)}</lastmod>` : "";
  return `<${tag}><loc>${escapeXml(e.loc)}</loc>${lastmod}</${tag}>\n`;
}

/** A sitemap: a `urlset` of these pages. */
export function renderUrlSet(entries: readonly SitemapEntry[]): string {
  let xml = `${HEAD}<urlset ${NS}>\n`;
  for (const e of entries) xml += entry("url", e);
  return `${xml}</urlset>\n`;
}

/** The sitemap index: a `sitemapindex` of these sitemaps. */
export function renderSitemapIndex(entries: readonly SitemapEntry[]): string {
  let xml = `${HEAD}<sitemapindex ${NS}>\n`;
  for (const e of entries) xml += entry("sitemap", e);
  return `${xml}</sitemapindex>\n`;
}

/** robots.txt: everything public may be crawled but the API and the subscriber's own pages. */
export function renderRobots(siteUrl: string): string {
  return [
    "User-agent: *",
    "Disallow: /api/",
    // Pages reached by a signed link in an email: one reader's own, never for an index.
    "Disallow: /subscribe/confirm",
    "Disallow: /preferences",
    "Disallow: /unsubscribe",
    "",
    `Sitemap: ${siteUrl}/sitemap.xml`,
    "",
  ].join("\n");
}
