// The console's sign-in page: the admin token, once; then a session cookie (console-auth.ts).

import type { SiteConfig } from "../../../core/config.js";
import { ConsoleLayout } from "./layout.js";

export interface LoginProps {
  site: SiteConfig;
  /** Where to go after signing in (a console path). */
  next: string;
  /** What went wrong with the last attempt, shown next to the field. */
  error?: string;
  /** No ADMIN_TOKEN: nobody can sign in with a token. */
  off?: boolean;
  /** Cloudflare Access signs people in (ACCESS_TEAM_DOMAIN and ACCESS_AUD are set). */
  access?: boolean;
}

export function LoginPage(props: LoginProps) {
  return (
    <ConsoleLayout site={props.site} title="Sign in" signedIn={false}>
      <h1>Sign in</h1>
      {props.access ? (
        <p class="notice">
          This console signs you in through Cloudflare Access: open it through your Access application and you are
          signed in{props.off ? "." : ", or sign in with the admin token below."}
        </p>
      ) : null}
      {props.off ? (
        props.access ? null : (
          <p class="warning">
            The console is off: set the <code>ADMIN_TOKEN</code> secret to turn it on (locally, in{" "}
            <code>.dev.vars</code>).
          </p>
        )
      ) : (
        <form method="post" action="/admin/login">
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="token">Admin token</label>
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              maxlength={1024}
              aria-invalid={props.error ? "true" : undefined}
              aria-describedby={props.error ? "token-error" : undefined}
            />
            {props.error ? (
              <p class="error" id="token-error" role="alert">
                {props.error}
              </p>
            ) : null}
          </div>
          <button type="submit">Sign in</button>
        </form>
      )}
      <p class="meta">
        The token is the <code>ADMIN_TOKEN</code> secret. Signing in keeps you signed in on this browser for 12 hours.
      </p>
    </ConsoleLayout>
  );
}
