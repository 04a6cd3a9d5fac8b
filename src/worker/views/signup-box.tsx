// The compact sign-up form: one address field and a button, on the home, article, tag and author
// pages and on a digest's web edition. It posts to /subscribe like the full form: a daily digest,
// the tags it carries (none: every article), the browser's time zone when public/zone.js ran (an
// empty one keeps the site's), and the honeypot.

import { wordsOf } from "../../core/words/catalogue.js";
import { siteWords } from "../../core/words/site.js";
import type { PageContext } from "./page-context.js";
import { HONEYPOT_FIELD } from "./subscribe.js";

/** The script that fills `data-browser-zone` fields; a page that loads it sends OWN_SCRIPT_CSP. */
export const ZONE_SCRIPT = "/zone.js";

export interface SignupBoxProps {
  p: PageContext;
  /** The path of the page the form is on. */
  source: string;
  /** Slugs of tags the sign-up asks for (a tag's page); none means every article. */
  tags?: readonly string[];
  /** The tag's name as shown, for the line that says what the reader gets. */
  tagName?: string;
  /** Prefix of the box's element ids: another one for each box when a page has two. */
  id?: string;
}

export function SignupBox(props: SignupBoxProps) {
  const { p } = props;
  const words = wordsOf(siteWords, p.site.siteLanguage);
  const id = props.id ?? "signup";
  const promise = props.tagName ? words.signupTagPromise(props.tagName) : words.signupPromise;
  return (
    // Its own lang: on an article in another language, the box still speaks the site's.
    <section class="signup" lang={p.site.siteLanguage} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{words.signupHeading}</h2>
      <form method="post" action="/subscribe">
        <label for={`${id}-email`}>{words.signupEmail}</label>
        <div class="signup-row">
          <input
            id={`${id}-email`}
            type="email"
            name="email"
            required
            maxlength={254}
            autocomplete="email"
            aria-describedby={`${id}-promise`}
          />
          <button type="submit">{words.signupButton}</button>
        </div>
        <p class="meta" id={`${id}-promise`}>
          {promise}
        </p>
        {(props.tags ?? []).map((slug) => (
          <input type="hidden" name="tags" value={slug} />
        ))}
        <input type="hidden" name="browser_zone" value="" data-browser-zone />
        <input type="hidden" name="source" value={props.source} />
        <div class="hp" aria-hidden="true">
          <label for={`${id}-comment`}>{words.honeypot}</label>
          <input id={`${id}-comment`} type="text" name={HONEYPOT_FIELD} value="" tabindex={-1} autocomplete="off" />
        </div>
      </form>
    </section>
  );
}

/** Loads public/zone.js after the page is parsed; without it the time zone stays the site's. */
export function ZoneScript() {
  return <script src={ZONE_SCRIPT} defer />;
}
