// The headers every answer carries (app.ts sets them; cached answers and error pages too), and the
// policies of the few pages that need another one: the pages that run the site's own script, and
// the console's pages that show an email in a frame (the outbox, the edition preview).

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
 * A console page that shows an email in a sandboxed frame of this origin (the outbox, the edition
 * preview): the same policy, framing this origin's pages only.
 */
export const CONSOLE_FRAMES_CSP = SITE_CSP.replace("frame-src https:", "frame-src 'self'");

/**
 * An email's HTML as the console shows it, inside that frame: its inline style and its images,
 * nothing else (no script, no form, no plugin), and only a page of this origin may frame it.
 */
export const EMAIL_FRAME_CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

/** Policies a route sets for itself, which the app's middleware keeps instead of the default. */
export const OWN_POLICIES: ReadonlySet<string> = new Set([OWN_SCRIPT_CSP, CONSOLE_FRAMES_CSP, EMAIL_FRAME_CSP]);
