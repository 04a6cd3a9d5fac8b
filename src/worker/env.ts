// The Hono environment every route, view and middleware is typed with: the Worker's bindings,
// and the services app.ts puts on each request's context. A leaf, so nothing imports app.ts.

import type { Bindings, Services } from "./services.js";

export interface AppEnv {
  Bindings: Bindings;
  Variables: { services: Services };
}
