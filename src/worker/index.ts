// Worker entry: wires the handlers. A 304 this isolate already knows is answered before routing;
// every answer to a subscriber's token URL is made private here, the one place all answers pass.
// The hourly Cron Trigger plans the digests due and pings WebSub for articles that came out;
// the queue consumer sends them.

import { app } from "./app.js";
import { BOOKMARK_HEADER } from "./d1-session.js";
import { notModifiedBeforeRouting, privateIfTokenUrl } from "./http-cache.js";
import { consume } from "./jobs/queue.js";
import { runSchedule } from "./jobs/schedule.js";
import { runWebSubSchedule } from "./jobs/websub.js";
import { type Bindings, services } from "./services.js";

export default {
  async fetch(request, env, ctx) {
    // A request asking to read its own write (X-D1-Bookmark) never gets a memo's 304.
    const own = request.headers.has(BOOKMARK_HEADER);
    const answer =
      (own ? null : notModifiedBeforeRouting(request, services(env))) ?? (await app.fetch(request, env, ctx));
    return privateIfTokenUrl(request, answer);
  },

  async scheduled(controller, env, _ctx) {
    const s = services(env);
    // WebSub's pings for articles that came out this hour do not wait on, or fail with, the digests.
    const websub = runWebSubSchedule(s, s.now()).then(
      (result) => console.log(JSON.stringify({ event: "schedule.websub", ...result })),
      (error: unknown) =>
        console.error(
          JSON.stringify({
            event: "schedule.websub-error",
            error: error instanceof Error ? error.message : String(error),
          }),
        ),
    );
    const result = await runSchedule(s, controller.scheduledTime).finally(() => websub);
    console.log(
      JSON.stringify({
        event: "schedule",
        runHour: result.runHour,
        fanouts: result.fanouts.length,
        requeued: result.requeued,
        pruned: result.pruned,
        unconfirmed: result.unconfirmed,
        confirmations: result.confirmations,
      }),
    );
  },

  async queue(batch, env, _ctx) {
    await consume(batch, services(env));
  },
} satisfies ExportedHandler<Bindings>;
