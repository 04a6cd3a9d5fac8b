// Bindings and secrets. Vars and D1 come from `wrangler types` (worker-configuration.d.ts);
// secrets are optional and listed in .dev.vars.example.

import type { Config } from "../core/config.js";
import type { ArticleStore } from "./store.js";

export interface Bindings extends Env {
  ADMIN_TOKEN?: string;
  SIGNING_SECRET?: string;
  SMTP_USER?: string;
  SMTP_PASS?: string;
  RESEND_API_KEY?: string;
  POSTMARK_TOKEN?: string;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: { config: Config; store: ArticleStore };
}
