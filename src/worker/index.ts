// Worker entry: wires the handlers. A 304 this isolate already knows is answered before routing.

import { app } from "./app.js";
import { notModifiedBeforeRouting } from "./http-cache.js";
import { type Bindings, services } from "./services.js";

export default {
  fetch(request, env, ctx) {
    return notModifiedBeforeRouting(request, services(env)) ?? app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Bindings>;
