// The inputs issue 21 added, as a careless or hostile client sends them: the compact forms'
// browser_zone hint and /subscribe's ?source= (where a forwarded email's link came from). A hint
// never turns into an error about a field the reader did not see, nor into a stored zone this
// site does not know; a source that is not a short path on this site is refused.

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../../src/worker/app.js";
import { request, SITE } from "../helpers.js";
import { address } from "../mailbox.js";

let ip = 0;
async function post(body: string, type = "application/x-www-form-urlencoded"): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${SITE}/subscribe`, {
      method: "POST",
      headers: { "content-type": type, "cf-connecting-ip": `2001:db8:2121:${(++ip).toString(16)}::1` },
      body,
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const zoneOf = async (email: string) =>
  (
    await env.DB.prepare("SELECT time_zone FROM subscribers WHERE email = ?1")
      .bind(email)
      .first<{ time_zone: string }>()
  )?.time_zone ?? null;

const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();

describe("the browser_zone hint", () => {
  it.each([
    ["empty", ""],
    ["7 000 characters", "Asia/".padEnd(7000, "x")],
    ["a path", "../../etc/passwd"],
    ["a NUL", "Asia/Almaty\u0000"],
    ["a line break", "Europe/Berlin\n"],
    ["an offset", "+05:00"],
    ["an alias-shaped lookalike", "Asia/Calcuttа"], // Cyrillic а
  ])("%s: accepted, the site's zone stored", async (_, zone) => {
    const email = address("hint");
    const res = await post(
      form([
        ["email", email],
        ["browser_zone", zone],
      ]),
    );
    expect(res.status).toBe(202);
    expect(await zoneOf(email)).toBe("Asia/Almaty");
  });

  it("given twice: refused like any other field given twice, nothing stored", async () => {
    const email = address("hint-twice");
    const res = await post(
      form([
        ["email", email],
        ["browser_zone", "Europe/Berlin"],
        ["browser_zone", "Asia/Tokyo"],
      ]),
    );
    expect(res.status).toBe(400);
    expect(await zoneOf(email)).toBeNull();
  });

  it("in JSON as an object or a number: ignored; an explicit time_zone wins over it", async () => {
    const nested = address("hint-json");
    const deep = JSON.stringify({ email: nested, browser_zone: { a: { b: { c: ["Asia/Tokyo"] } } } });
    expect((await post(deep, "application/json")).status).toBe(202);
    expect(await zoneOf(nested)).toBe("Asia/Almaty");
    const number = address("hint-number");
    expect((await post(JSON.stringify({ email: number, browser_zone: 5 }), "application/json")).status).toBe(202);
    expect(await zoneOf(number)).toBe("Asia/Almaty");
    const both = address("hint-both");
    expect(
      (
        await post(
          form([
            ["email", both],
            ["time_zone", "Europe/Berlin"],
            ["browser_zone", "Asia/Tokyo"],
          ]),
        )
      ).status,
    ).toBe(202);
    expect(await zoneOf(both)).toBe("Europe/Berlin");
  });
});

describe("/subscribe?source=", () => {
  it.each([
    ["a URL elsewhere", "https://elsewhere.example/"],
    ["201 characters", `/${"a".repeat(200)}`],
    ["markup", '/"><script>x</script>'],
    ["a line break", "/digests\n"],
    ["a relative path", "digests/daily/2022-01-10"],
  ])("%s: 400, named", async (_, source) => {
    const res = await request(`/subscribe?source=${encodeURIComponent(source)}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("source");
  });

  it("200 characters, the longest path it keeps, is the form's source", async () => {
    const source = `/${"a".repeat(199)}`;
    const res = await request(`/subscribe?source=${encodeURIComponent(source)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`name="source" value="${source}"`);
  });

  it("empty, malformed percent-encoding or given twice: a clear answer, never a 500", async () => {
    const statuses: string[] = [];
    for (const query of ["source=", "source=%zz", "source=%", "source=/a&source=/b"]) {
      const res = await request(`/subscribe?${query}`);
      statuses.push(`${query} ${res.status}`);
    }
    expect(statuses).toEqual(["source= 400", "source=%zz 400", "source=% 400", "source=/a&source=/b 400"]);
  });
});
