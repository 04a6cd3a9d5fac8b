// The headers every answer carries (app.ts sets them; cached answers and error pages too), and the
// policies of the few pages that need another one: the pages that run the site's own script, and
// the console's edition preview with the email it frames.

const SITE_CSP =
  "default-src 'none'; img-src 'self' https: http: data:; media-src 'self' https: http:; style-src 'unsafe-inline'; frame-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Defence in depth on every response: stored content is sanitized, and no page needs script. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": SITE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/**
 * The policy of a page that runs the site's own script file (the feed pages' copy buttons): the
 * same, plus script files from this origin only. Nothing inline, so injected markup still cannot
 * run script; the Worker's own answers (feeds, JSON) carry nosniff, so none of them runs as one.
 */
export const OWN_SCRIPT_CSP = `${SITE_CSP}; script-src 'self'`;

/**
 * The console's edition preview page: the site's policy, but it frames the email as this site
 * serves it (frame-src 'self'), where the site's pages frame only https: embeds from elsewhere.
 */
export const PREVIEW_PAGE_CSP = SITE_CSP.replace("frame-src https:", "frame-src 'self'");

/**
 * A digest's HTML as the preview frames it: inline style and images only (an email runs no script
 * and loads no fonts or frames), framed by this site's pages alone.
 */
export const EMAIL_FRAME_CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

/** Policies a route sets on its own answers, which app.ts leaves in place of the site's. */
export const ROUTE_CSPS: ReadonlySet<string> = new Set([OWN_SCRIPT_CSP, PREVIEW_PAGE_CSP, EMAIL_FRAME_CSP]);
