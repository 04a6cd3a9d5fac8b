// Runs `scripts/import-subscribers.ts` as `npm run import:subscribers` does, against a real local
// D1 on disk: what a publisher reads in the terminal, what lands in the database, that the same file
// twice changes nothing, and the errors for a bad command or a file that is not an export.

import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalState, localState, queryState, ROOT, runOnState } from "./run-script.js";

const fixtures = join(ROOT, "test/fixtures/import");
let at: LocalState;

const importFile = (...args: string[]) => runOnState(at, "import-subscribers.ts", args);
const query = <T>(sql: string) => queryState<T>(at, sql);

beforeAll(async () => {
  at = await localState("import-subscribers-");
});
afterAll(async () => {
  await rm(at.dir, { recursive: true, force: true });
});

describe("npm run import:subscribers", () => {
  it("imports a Mailchimp audience, its unsubscribed and cleaned sections as suppressions, and says what it did", async () => {
    const subscribed = await importFile(join(fixtures, "mailchimp-subscribed.csv"), "--mode", "confirmed");
    expect(subscribed.code, subscribed.stderr).toBe(0);
    expect(subscribed.stdout).toContain("mailchimp-subscribed.csv: Mailchimp (subscribed export)");
    expect(subscribed.stdout).toMatch(/import:subscribers \(local D1\): \d+ added as active/);
    const added = Number(/(\d+) added as active/.exec(subscribed.stdout)?.[1]);
    expect(added).toBeGreaterThan(0);
    const rows = await query<{ status: string; source: string; imported_json: string }>(
      "SELECT status, source, imported_json FROM subscribers",
    );
    expect(rows.length).toBe(added);
    for (const row of rows) {
      expect(row.status).toBe("active");
      expect(row.source).toBe("import: Mailchimp");
      expect(JSON.parse(row.imported_json)).toMatchObject({ file: "mailchimp-subscribed.csv", mode: "confirmed" });
    }
    for (const section of ["unsubscribed", "cleaned"]) {
      const out = await importFile(join(fixtures, `mailchimp-${section}.csv`), "--mode", "confirmed");
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/0 added as active/);
      expect(out.stdout).toMatch(/[1-9]\d* suppressions added/);
    }
    const reasons = await query<{ reason: string }>("SELECT DISTINCT reason FROM suppressions ORDER BY reason");
    expect(reasons.map((r) => r.reason)).toEqual(["import:cleaned", "import:unsubscribed"]);
  });

  it("changes nothing when the same file comes in again", async () => {
    const before = await query("SELECT * FROM subscribers ORDER BY id");
    const again = await importFile(join(fixtures, "mailchimp-subscribed.csv"), "--mode", "confirmed");
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: 0 added as active; \d+ already on the list/);
    expect(await query("SELECT * FROM subscribers ORDER BY id")).toEqual(before);
  });

  it("says what is wrong with the command, or with a file that is no export, and writes nothing", async () => {
    const count = async () => (await query<{ n: number }>("SELECT count(*) AS n FROM subscribers"))[0]?.n;
    const before = await count();
    const noMode = await importFile(join(fixtures, "substack.csv"));
    expect(noMode.code).toBe(2);
    expect(noMode.stderr).toContain('--mode must be "confirmed" or "confirm"');
    const empty = await importFile(join(fixtures, "empty.csv"), "--mode", "confirm");
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("nothing was imported");
    const notAnExport = join(at.dir, "orders.csv");
    await writeFile(notAnExport, "order,total\n1,20\n");
    const other = await importFile(notAnExport, "--mode", "confirmed");
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("nothing was imported");
    expect(await count()).toBe(before);
  });
});
