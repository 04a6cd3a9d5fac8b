// The publisher's console's page shell: the site's look, its own header (the console's pages and
// signing out), never indexed, and no feeds or link previews.

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { SiteConfig } from "../../../core/config.js";
import { dateTimeFormat } from "../../../core/intl.js";
import { SITE_STYLE } from "../layout.js";

export interface ConsoleLayoutProps {
  site: SiteConfig;
  title: string;
  /** Signed in: the console's navigation and the sign-out button. */
  signedIn: boolean;
  children?: Child;
}

export function ConsoleLayout(props: ConsoleLayoutProps) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <meta name="robots" content="noindex" />
          <link rel="icon" type="image/png" href="/favicon.png" />
          <title>{`${props.title} · Console · ${props.site.siteTitle}`}</title>
          <style>{raw(SITE_STYLE + CONSOLE_STYLE)}</style>
        </head>
        <body class="console">
          <header class="site">
            <a class="brand" href="/admin">
              {props.site.siteTitle} <span class="muted">console</span>
            </a>
            {props.signedIn ? (
              <nav aria-label="Console">
                <a href="/admin">Dashboard</a> <a href="/admin/articles">Articles</a>{" "}
                <a href="/admin/editions">Editions</a> <a href="/admin/subscribers">Subscribers</a>{" "}
                <a href="/admin/outbox">Outbox</a> <a href="/">View site</a>
                <form method="post" action="/admin/logout" class="inline">
                  <button type="submit" class="link">
                    Sign out
                  </button>
                </form>
              </nav>
            ) : null}
          </header>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

const NUMBER = new Intl.NumberFormat("en");

/** A count as the console shows it: 10,000. */
export const number = (n: number) => NUMBER.format(n);

/** Day, month, year and time in `timeZone`, with the zone's name unless a column names it already. */
export function dateTime(timeZone: string, zoneName = true): (ms: number) => string {
  const format = dateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    ...(zoneName ? { timeZoneName: "short" as const } : {}),
  });
  return (ms) => format.format(ms);
}

/** What the last action did (from the URL it came back to), said to assistive technology too. */
export function Notice(props: { text: string | undefined }) {
  return props.text ? (
    <p class="notice" role="status">
      {props.text}
    </p>
  ) : null;
}

const CONSOLE_STYLE = `
body.console main,body.console header.site{max-width:60rem}
body.console h1{overflow-wrap:anywhere}
button.danger{background:none;color:#c5221f;border:1px solid currentColor}
.muted{color:var(--muted);font-weight:400}
form.inline{display:inline;margin:0}
button.link{background:none;color:var(--accent);padding:0;text-decoration:underline}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1rem;margin:1rem 0}
.figures section{border:1px solid var(--rule);border-radius:6px;padding:.75rem 1rem;min-width:0}
.figures h2{font-size:1rem;margin:0 0 .5rem}
.figures section.wide{grid-column:1/-1}
.figures dl{display:grid;grid-template-columns:1fr auto;gap:.15rem 1rem;margin:0}
.figures dt{white-space:nowrap}
.figures dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
.table{overflow-x:auto;position:relative}
table.data{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
table.data th,table.data td{padding:.35rem .6rem;border-bottom:1px solid var(--rule);text-align:right;white-space:nowrap}
table.data th:first-child,table.data td:first-child{text-align:left}
table.data th[scope=row]{white-space:normal}
@media (max-width:40rem){table.data th,table.data td{padding:.35rem .3rem}.figures section{padding:.75rem}}
.warning{padding:.5rem .75rem;border-left:3px solid #c5221f;background:color-mix(in srgb,#c5221f 8%,transparent)}
.field{margin:1rem 0}
.field label{display:block;font-weight:600}
.field input,.field select{width:100%;max-width:24rem;font:inherit;padding:.4rem .5rem;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg)}
.error{color:#c5221f;margin:.25rem 0}
.field input[type=radio],.field input[type=checkbox],.field input[type=file]{width:auto;border:0;padding:0}
.field label.choice{font-weight:400}
table.data td.wrap{white-space:normal;overflow-wrap:anywhere;min-width:12rem;text-align:left}
table.headers th{vertical-align:top;width:1%}
table.data.headers td{text-align:left;white-space:normal;overflow-wrap:anywhere;min-width:12rem}
@media (max-width:40rem){table.stack thead{display:none}table.stack tr{display:block;padding:.5rem 0;border-bottom:1px solid var(--rule)}table.stack td{display:block;border:0;padding:.1rem 0;text-align:left;white-space:normal}table.stack td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}}
iframe.email{display:block;width:100%;max-width:640px;height:70vh;border:1px solid var(--rule);border-radius:4px;background:#fff}
pre.text-part{white-space:pre-wrap;overflow-wrap:anywhere;padding:.75rem;border:1px solid var(--rule);border-radius:4px;font-size:.9rem}
@media (prefers-color-scheme:dark){.error,button.danger{color:#f28b82}.warning{border-color:#f28b82}}
`;
