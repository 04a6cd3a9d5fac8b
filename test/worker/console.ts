// A signed-in publisher for the console's tests in workerd: the session cookie a sign-in sets.
// Each sign-in comes from a client address of its own, since sign-ins are limited per client.

import { expect } from "vitest";
import { request, SITE, TOKEN } from "./helpers.js";

let clients = 0;

/** Signs in with the admin token; the `name=value` of the session cookie, for a Cookie header. */
export async function consoleSession(): Promise<string> {
  clients++;
  const res = await request("/admin/login", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: SITE,
      "cf-connecting-ip": `198.18.${(clients >> 8) & 255}.${clients & 255}`,
    },
    body: new URLSearchParams({ token: TOKEN }).toString(),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}
