// The headers every answer carries (app.ts sets them; cached answers and error pages too), and the
// wider Content-Security-Policy of the pages that run the site's own script.

/** Defence in depth on every response: stored content is sanitized, and no page needs script. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; img-src 'self' https: http: data:; media-src 'self' https: http:; style-src 'unsafe-inline'; frame-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/**
 * The policy of a page that runs the site's own script file (the feed pages' copy buttons): the
 * same, plus script files from this origin only. Nothing inline, so injected markup still cannot
 * run script; the Worker's own answers (feeds, JSON) carry nosniff, so none of them runs as one.
 */
export const OWN_SCRIPT_CSP = `${SECURITY_HEADERS["content-security-policy"]}; script-src 'self'`;
