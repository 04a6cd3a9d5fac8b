// The compact sign-up form: one address field and a button, on the home, article, tag and author
// pages and on a digest's web edition. (A first version: its words and look are still to come.)

import type { PageContext } from "./page-context.js";
import { HONEYPOT_FIELD } from "./subscribe.js";

export interface SignupBoxProps {
  p: PageContext;
  /** The path of the page the form is on. */
  source: string;
  /** Slugs of tags the sign-up asks for (a tag's page); none means every article. */
  tags?: readonly string[];
}

export function SignupBox(props: SignupBoxProps) {
  return (
    <section class="subscribe signup" aria-labelledby="signup-heading">
      <h2 id="signup-heading">Get the digest by email</h2>
      <form method="post" action="/subscribe">
        <label for="signup-email">Email address</label>
        <input id="signup-email" type="email" name="email" required maxlength={254} autocomplete="email" />
        {(props.tags ?? []).map((slug) => (
          <input type="hidden" name="tags" value={slug} />
        ))}
        <input type="hidden" name="time_zone" value="" data-browser-zone />
        <div class="hp" aria-hidden="true">
          <input type="text" name={HONEYPOT_FIELD} value="" tabindex={-1} autocomplete="off" />
        </div>
        <input type="hidden" name="source" value={props.source} />
        <button type="submit">Subscribe</button>
      </form>
    </section>
  );
}
