// Cloudflare Access sign-in against a local key server: test/global-setup.ts serves the keys a
// test publishes at /cdn-cgi/access/certs and counts the requests, and the team domain is that
// server's origin. Each test builds its own settings, so each starts with no keys cached.

import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { AccessConfig } from "../../src/core/config.js";
import { accessIdentity } from "../../src/worker/access.js";
import { app } from "../../src/worker/app.js";
import { Services } from "../../src/worker/services.js";
import { AUD, claims, EXPIRES, ISSUED, type SigningKey, signingKey, signToken } from "../access-tokens.js";

/** An hour after the tokens were issued, in milliseconds. */
const T = (ISSUED + 3600) * 1000;
let current: SigningKey;
let rotatedIn: SigningKey;

beforeAll(async () => {
  [current, rotatedIn] = await Promise.all([signingKey("current-kid"), signingKey("rotated-in-kid")]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Access sign-in's settings as the Worker reads them, the team domain being the key server. */
function settings(teamDomain = env.MAIL_TEST_HTTP): AccessConfig {
  const config = new Services({ ...env, ACCESS_TEAM_DOMAIN: teamDomain, ACCESS_AUD: AUD }).access();
  if (!config) throw new Error("Access sign-in is off");
  return config;
}

async function publish(document: unknown): Promise<void> {
  const response = await fetch(`${env.MAIL_TEST_HTTP}/control/access-keys`, {
    method: "POST",
    body: JSON.stringify(document),
  });
  expect(response.status).toBe(200);
}

async function keyRequests(): Promise<number> {
  const response = await fetch(`${env.MAIL_TEST_HTTP}/control/access-requests`);
  return ((await response.json()) as { count: number }).count;
}

/** A token as Access issues it for this team (iss is the team domain). */
function token(key: SigningKey, overrides: Record<string, unknown> = {}): Promise<string> {
  return signToken(key, claims(overrides, env.MAIL_TEST_HTTP));
}

function withToken(jwt: string): Request {
  return new Request("https://news.example.com/admin", { headers: { "Cf-Access-Jwt-Assertion": jwt } });
}

/** The JSON lines console.warn was given. */
function warnings(): { lines: unknown[]; raw: string[] } {
  const raw: string[] = [];
  const lines: unknown[] = [];
  vi.spyOn(console, "warn").mockImplementation((line: unknown) => {
    raw.push(String(line));
    lines.push(JSON.parse(String(line)));
  });
  return { lines, raw };
}

describe("Services.access()", () => {
  it("is null while ACCESS_TEAM_DOMAIN and ACCESS_AUD are unset", () => {
    expect(new Services(env).access()).toBeNull();
  });

  it("gives the settings, the same object each time (the keys are kept with it)", () => {
    const services = new Services({ ...env, ACCESS_TEAM_DOMAIN: env.MAIL_TEST_HTTP, ACCESS_AUD: AUD });
    expect(services.access()).toEqual({ teamDomain: env.MAIL_TEST_HTTP, audience: AUD });
    expect(services.access()).toBe(services.access());
  });
});

describe("accessIdentity", () => {
  it("signs in the person a valid token names", async () => {
    await publish({ keys: [current.publicJwk] });
    expect(await accessIdentity(withToken(await token(current)), settings(), T)).toEqual({
      email: "editor@example.com",
    });
    expect(await keyRequests()).toBe(1);
  });

  it("reads the header only: no token, or the CF_Authorization cookie alone, is no one, and fetches nothing", async () => {
    await publish({ keys: [current.publicJwk] });
    const log = warnings();
    const config = settings();
    expect(await accessIdentity(new Request("https://news.example.com/admin"), config, T)).toBeNull();
    const cookie = new Request("https://news.example.com/admin", {
      headers: { cookie: `CF_Authorization=${await token(current)}` },
    });
    expect(await accessIdentity(cookie, config, T)).toBeNull();
    expect(await keyRequests()).toBe(0);
    expect(log.lines).toEqual([]);
  });

  it("refuses an expired token, logging why but never the token", async () => {
    await publish({ keys: [current.publicJwk] });
    const log = warnings();
    const jwt = await token(current);
    // exp is a day after ISSUED; 60 s of skew after that it is refused.
    expect(await accessIdentity(withToken(jwt), settings(), (EXPIRES + 60) * 1000)).toBeNull();
    expect(log.lines).toEqual([{ event: "access.refused", reason: "expired" }]);
    expect(log.raw.join("\n")).not.toContain(jwt.split(".")[2]);
  });

  it("refuses a token for another application", async () => {
    await publish({ keys: [current.publicJwk] });
    const log = warnings();
    const jwt = await token(current, { aud: ["another-application-aud"] });
    expect(await accessIdentity(withToken(jwt), settings(), T)).toBeNull();
    expect(log.lines).toEqual([{ event: "access.refused", reason: "wrong-audience" }]);
  });

  it("keeps the keys for 10 minutes: two sign-ins, one fetch; a fetch again at 10 minutes", async () => {
    await publish({ keys: [current.publicJwk] });
    const config = settings();
    const jwt = await token(current);
    expect(await accessIdentity(withToken(jwt), config, T)).not.toBeNull();
    expect(await accessIdentity(withToken(jwt), config, T + 599_999)).not.toBeNull();
    expect(await keyRequests()).toBe(1);
    expect(await accessIdentity(withToken(jwt), config, T + 600_000)).not.toBeNull();
    expect(await keyRequests()).toBe(2);
  });

  it("fetches the keys again once for a kid it does not know (a rotation), not sooner than a minute after the last fetch", async () => {
    await publish({ keys: [current.publicJwk] });
    const config = settings();
    expect(await accessIdentity(withToken(await token(current)), config, T)).not.toBeNull();
    // Access rotates its key: the certs now list the new one too (the count starts again).
    await publish({ keys: [rotatedIn.publicJwk, current.publicJwk] });
    const log = warnings();
    const rotated = withToken(await token(rotatedIn));
    expect(await accessIdentity(rotated, config, T + 59_999)).toBeNull();
    expect(await keyRequests()).toBe(0);
    expect(log.lines).toEqual([{ event: "access.refused", reason: "unknown-key" }]);
    expect(await accessIdentity(rotated, config, T + 60_000)).toEqual({ email: "editor@example.com" });
    expect(await keyRequests()).toBe(1);
  });

  it("turns a flood of made-up kids into at most one fetch a minute", async () => {
    await publish({ keys: [current.publicJwk] });
    const config = settings();
    expect(await accessIdentity(withToken(await token(current)), config, T)).not.toBeNull();
    warnings();
    const madeUp = withToken(await signToken(current, claims({}, env.MAIL_TEST_HTTP), { kid: "made-up" }));
    for (const at of [T + 60_000, T + 60_001, T + 90_000, T + 119_999]) {
      expect(await accessIdentity(madeUp, config, at)).toBeNull();
    }
    expect(await keyRequests()).toBe(2);
    // At once, too: the first one to ask holds the others back before its fetch has answered.
    const flood = await Promise.all(Array.from({ length: 5 }, () => accessIdentity(madeUp, config, T + 120_000)));
    expect(flood).toEqual([null, null, null, null, null]);
    expect(await keyRequests()).toBe(3);
  });

  it("is no one, without a throw, while the key server is down", async () => {
    const log = warnings();
    const down = settings(`http://127.0.0.1:${env.MAIL_TEST_CLOSED_PORT}`);
    expect(await accessIdentity(withToken(await token(current)), down, T)).toBeNull();
    expect(log.lines).toMatchObject([{ event: "access.refused", reason: "keys-unavailable" }]);
  });

  it("after a bad answer from the key server, asks again only a minute later", async () => {
    await publish({ keys: "not a list" });
    const log = warnings();
    const config = settings();
    const jwt = withToken(await token(current));
    expect(await accessIdentity(jwt, config, T)).toBeNull();
    expect(await accessIdentity(jwt, config, T + 59_999)).toBeNull();
    expect(await keyRequests()).toBe(1);
    expect(log.lines).toEqual([
      {
        event: "access.refused",
        reason: "keys-unavailable",
        detail: "the certs endpoint's answer has no keys array",
      },
      { event: "access.refused", reason: "keys-unavailable", detail: "the last fetch failed" },
    ]);
    await publish({ keys: [current.publicJwk] });
    expect(await accessIdentity(jwt, config, T + 60_000)).toEqual({ email: "editor@example.com" });
    expect(await keyRequests()).toBe(1);
  });

  it("skips entries of the certs document that are not keys", async () => {
    await publish({ keys: ["junk", null, [1], { kid: "current-kid", kty: "EC" }, current.publicJwk] });
    expect(await accessIdentity(withToken(await token(current)), settings(), T)).toEqual({
      email: "editor@example.com",
    });
  });
});

describe("signing in to the console with Access", () => {
  /** The Worker with Access sign-in on, the key server as the team. */
  const accessEnv = () => ({ ...env, ACCESS_TEAM_DOMAIN: env.MAIL_TEST_HTTP, ACCESS_AUD: AUD });
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const live = (key: SigningKey, overrides: Record<string, unknown> = {}) =>
    token(key, { iat: nowSeconds() - 10, nbf: nowSeconds() - 10, exp: nowSeconds() + 3600, ...overrides });

  it("opens the dashboard for a valid Access token, and starts a session that needs it no more", async () => {
    await publish({ keys: [current.publicJwk] });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const res = await app.request(
      "/admin",
      { headers: { "Cf-Access-Jwt-Assertion": await live(current) } },
      accessEnv(),
    );
    expect(res.status).toBe(200);
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^console_session=v1\.\d{13}\.access\./);
    expect(log).toHaveBeenCalledWith(JSON.stringify({ event: "console.sign-in", via: "access" }));
    const again = await app.request("/admin", { headers: { cookie } }, accessEnv());
    expect(again.status).toBe(200);
  });

  it("sends a request with an expired or another application's token to the sign-in page", async () => {
    await publish({ keys: [current.publicJwk] });
    warnings();
    for (const jwt of [
      await live(current, { exp: nowSeconds() - 120 }),
      await live(current, { aud: ["another-application"] }),
    ]) {
      const res = await app.request("/admin", { headers: { "Cf-Access-Jwt-Assertion": jwt } }, accessEnv());
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("ignores the header while Access sign-in is off", async () => {
    await publish({ keys: [current.publicJwk] });
    const res = await app.request("/admin", { headers: { "Cf-Access-Jwt-Assertion": await live(current) } }, env);
    expect(res.status).toBe(303);
    expect(await keyRequests()).toBe(0);
  });

  it("signs in through Access when there is no admin token at all", async () => {
    await publish({ keys: [current.publicJwk] });
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { ADMIN_TOKEN: _, ...noToken } = accessEnv();
    const form = await app.request("/admin/login", {}, noToken);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain("signs you in through Cloudflare Access");
    const res = await app.request("/admin", { headers: { "Cf-Access-Jwt-Assertion": await live(current) } }, noToken);
    expect(res.status).toBe(200);
  });
});
