// The console's test sends: at most 10 a minute for the whole console (TEST_SEND_LIMITER), a file
// of its own so that no other test's sends count against the bucket.

import { describe, expect, it } from "vitest";
import { consoleSession as session } from "../console.js";
import { admin, fixture, request, SITE } from "../helpers.js";
import { address, mailbox } from "../mailbox.js";
import { htmlProblems, parsePage } from "../page.js";

describe("the limit on test sends", () => {
  it("sends 10 tests in a minute and refuses the 11th (429), which sends nothing", async () => {
    const cookie = await session();
    expect((await admin("POST", "/api/articles", fixture({ date: "2022-04-01T09:00:00+06:00" }))).status).toBe(201);
    const to = address("limit");
    const send = () =>
      request("/admin/editions/test", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: SITE, cookie },
        body: new URLSearchParams({ address: to, kind: "daily", label: "2022-04-01" }).toString(),
        redirect: "manual",
      });
    for (let i = 1; i <= 10; i++) expect((await send()).status, `send ${i}`).toBe(303);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    const html = await refused.text();
    expect(await htmlProblems(html)).toEqual([]);
    expect(parsePage(html).text).toContain("At most 10 test sends a minute");
    expect((await mailbox.messages(to)).length).toBe(10);
  });
});
