// Error pages for people: a real 404 page, a 400 page saying what was wrong, and the rest.
// When the site's own settings are broken, a bare page that still names the setting.

import type { Context } from "hono";
import { ConfigError, type SiteConfig } from "../../core/config.js";
import { feedFamily } from "../../core/feeds/family.js";
import { sentence } from "../../core/text.js";
import type { AppEnv } from "../env.js";
import type { ProblemFields } from "../errors.js";
import { Layout } from "./layout.js";

const HEADINGS: Record<number, string> = {
  400: "That request did not work",
  403: "Not allowed",
  404: "Page not found",
  405: "Not allowed here",
  500: "Something went wrong on our side",
};

export async function errorPage(c: Context<AppEnv>, status: number, fields: ProblemFields): Promise<Response> {
  const heading = HEADINGS[status] ?? fields.title;
  let site: SiteConfig | null = null;
  try {
    site = c.var.services?.site ?? null;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  const body = (
    <>
      <h1>{heading}</h1>
      {status === 404 ? (
        <p>
          There is nothing at <code>{c.req.path}</code>. It may have moved, or the link may be mistyped.
        </p>
      ) : null}
      {fields.detail &&
      !fields.errors?.length &&
      !(status === 404 && fields.detail.startsWith("there is nothing at")) ? (
        <p>{sentence(fields.detail)}.</p>
      ) : null}
      {fields.errors && fields.errors.length > 0 ? (
        <ul>
          {fields.errors.map((e) => (
            <li>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/">Go to the latest articles</a>
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
