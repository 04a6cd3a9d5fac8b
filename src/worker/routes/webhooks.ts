// Bounce and complaint webhooks: POST /webhooks/resend (Svix signature, RESEND_WEBHOOK_SECRET) and
// POST /webhooks/postmark (HTTP Basic, POSTMARK_WEBHOOK_USER/_PASS). A hard bounce or a complaint
// suppresses the address at once, known or not. Checks run in an order that keeps D1 untouched
// until the request is proven: settings, size, signature, then the JSON.

import { Hono } from "hono";
import {
  basicAuthMatches,
  postmarkAction,
  resendAction,
  verifySvix,
  type WebhookAction,
  WebhookPayloadError,
} from "../../core/webhooks.js";
import { parseJson, readBytes, readJson } from "../body.js";
import type { AppEnv } from "../env.js";
import { fieldProblem, HttpProblem } from "../errors.js";
import type { Services } from "../services.js";

/** Largest body accepted, in bytes: a provider's event is a few kilobytes. */
const MAX_BODY_BYTES = 64 * 1024;

export const webhooks = new Hono<AppEnv>();

webhooks.post("/webhooks/resend", async (c) => {
  const s = c.var.services;
  const key = s.resendWebhookKey();
  const headers = {
    id: c.req.header("svix-id") ?? null,
    timestamp: c.req.header("svix-timestamp") ?? null,
    signature: c.req.header("svix-signature") ?? null,
  };
  if (!headers.id || !headers.timestamp || !headers.signature) {
    throw unauthorized("the svix-id, svix-timestamp and svix-signature headers are required");
  }
  const body = await readBytes(c.req.raw, { max: MAX_BODY_BYTES });
  // The signature is over the bytes as sent: they are checked before they are decoded.
  if (!(await verifySvix(key, headers, body, s.now()))) {
    throw unauthorized("the svix-signature does not match this body and timestamp, or the timestamp is stale");
  }
  return apply(s, actionOf(resendAction, parseJson(body)));
});

webhooks.post("/webhooks/postmark", async (c) => {
  const s = c.var.services;
  const { user, pass } = s.postmarkWebhookCredentials();
  if (!(await basicAuthMatches(c.req.header("authorization") ?? null, user, pass))) {
    throw unauthorized("the webhook's user and password (HTTP Basic) are missing or wrong", {
      "www-authenticate": 'Basic realm="webhooks", charset="UTF-8"',
    });
  }
  return apply(s, actionOf(postmarkAction, await readJson(c.req.raw, { max: MAX_BODY_BYTES })));
});

async function apply(s: Services, action: WebhookAction): Promise<Response> {
  if (action.kind === "ignore") return Response.json({ status: "ignored", reason: action.why });
  // One address at a time: each suppression is one idempotent batch, so a redelivery repeats nothing harmful.
  for (const { email, reason } of action.suppressions) await s.suppressions.suppress(email, reason);
  return Response.json({ status: "suppressed", count: action.suppressions.length });
}

/** What a verified event asks for; a payload that does not say it is a 400 naming the field. */
function actionOf(read: (event: unknown) => WebhookAction, event: unknown): WebhookAction {
  try {
    return read(event);
  } catch (error) {
    if (error instanceof WebhookPayloadError) throw fieldProblem({ field: error.field, message: error.detail });
    throw error;
  }
}

const unauthorized = (detail: string, headers?: Record<string, string>) =>
  new HttpProblem(401, { title: "Unauthorized", detail, ...(headers ? { headers } : {}) });
