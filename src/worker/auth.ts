// The admin token's check: a bearer token compared in constant time, shared by the admin write
// API (routes/admin.ts) and the operator routes (routes/operator.ts).

import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env.js";
import { HttpProblem } from "./errors.js";

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.var.services.adminToken();
  if (!token) {
    throw new HttpProblem(403, {
      title: "Forbidden",
      detail: "the admin API is off: set the ADMIN_TOKEN secret to turn it on",
    });
  }
  const given = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!given || !(await sameSecret(given, token))) {
    // RFC 6750 section 3: a request without credentials gets no error code.
    const challenge = given ? 'Bearer realm="admin", error="invalid_token"' : 'Bearer realm="admin"';
    throw new HttpProblem(401, {
      title: "Unauthorized",
      detail: "send Authorization: Bearer <ADMIN_TOKEN>",
      headers: { "WWW-Authenticate": challenge },
    });
  }
  await next();
});

/** Constant-time comparison: both sides are hashed first, so lengths leak nothing either. */
export async function sameSecret(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
