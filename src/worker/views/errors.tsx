// Error pages for people: a real 404 page, a 400 page saying what was wrong, and the rest, in
// the site's language (a detail from the program stays English, marked lang="en"). When the
// site's own settings are broken, a bare English page that still names the setting.

import type { Context } from "hono";
import { ConfigError, type SiteConfig } from "../../core/config.js";
import { feedFamily } from "../../core/feeds/family.js";
import { messages } from "../../core/i18n.js";
import { sentence } from "../../core/text.js";
import { wordsOf } from "../../core/words/catalogue.js";
import { pagesWords } from "../../core/words/pages.js";
import type { AppEnv } from "../env.js";
import type { ProblemFields } from "../errors.js";
import { Layout } from "./layout.js";

export async function errorPage(c: Context<AppEnv>, status: number, fields: ProblemFields): Promise<Response> {
  let site: SiteConfig | null = null;
  try {
    site = c.var.services?.site ?? null;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  // Without the site's settings there is no language to speak but the program's own.
  const words = wordsOf(pagesWords, site?.siteLanguage ?? "en");
  const own = status === 404 ? messages(site?.siteLanguage).pageNotFound : words.errorHeading(status);
  const heading = own ?? fields.title;
  // The detail and field messages (and a rare status's title) are the program's own words, in
  // English: marked as such on a page in another language.
  const english = words === pagesWords.en ? undefined : "en";
  const body = (
    <>
      <h1 lang={own ? undefined : english}>{heading}</h1>
      {status === 404 ? (
        <p>
          {words.nothingAt[0]} <code>{c.req.path}</code>
          {words.nothingAt[1]}
        </p>
      ) : null}
      {fields.detail &&
      !fields.errors?.length &&
      !(status === 404 && fields.detail.startsWith("there is nothing at")) ? (
        <p lang={english}>{sentence(fields.detail)}.</p>
      ) : null}
      {fields.errors && fields.errors.length > 0 ? (
        <ul lang={english}>
          {fields.errors.map((e) => (
            <li>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/">{words.goHome}</a>
      </p>
    </>
  );
  const page = site ? (
    <Layout config={site} title={heading} feeds={[feedFamily(site, { kind: "site" })]}>
      {body}
    </Layout>
  ) : (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{heading}</title>
      </head>
      <body>{body}</body>
    </html>
  );
  const html = `${site ? "" : "<!doctype html>"}${String(await page.toString())}`;
  const bytes = new TextEncoder().encode(html);
  return new Response(bytes, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-length": String(bytes.byteLength),
      "cache-control": "no-store",
      ...fields.headers,
    },
  });
}
