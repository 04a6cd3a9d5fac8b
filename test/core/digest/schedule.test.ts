import { describe, expect, it } from "vitest";
import { dueHoursIn, editionFor, isDue } from "../../../src/core/digest/schedule.js";
import { parseWindow } from "../../../src/core/digest/window.js";

const at = (iso: string) => Date.parse(iso);
const daily = (timeZone: string, sendHour: number) => ({ timeZone, sendHour, frequency: "daily" as const });
const weekly = (timeZone: string, sendHour: number) => ({ timeZone, sendHour, frequency: "weekly" as const });

/** The runs (tops of UTC hours) within a local day: from its first instant to the next day's. */
function runsOfLocalDay(label: string, timeZone: string): number[] {
  const day = parseWindow("daily", label, timeZone);
  if (!day) throw new Error(`no day ${label}`);
  const runs: number[] = [];
  for (let t = Math.ceil(day.start / 3_600_000) * 3_600_000; t < day.end; t += 3_600_000) runs.push(t);
  return runs;
}

describe("who is due at a run", () => {
  it("gives Tokyo and New York subscribers their 07:00 in their own morning", () => {
    const tokyo = daily("Asia/Tokyo", 7);
    expect(isDue(tokyo, at("2022-01-09T22:00:00Z"))).toBe(true);
    expect(isDue(tokyo, at("2022-01-09T21:00:00Z"))).toBe(false);
    expect(isDue(tokyo, at("2022-01-09T23:00:00Z"))).toBe(false);
    const newYork = daily("America/New_York", 7);
    expect(isDue(newYork, at("2022-01-10T12:00:00Z"))).toBe(true);
    expect(isDue(newYork, at("2022-01-10T11:00:00Z"))).toBe(false);
    // Daylight saving time: 07:00 EDT is 11:00 UTC.
    expect(isDue(newYork, at("2022-07-11T11:00:00Z"))).toBe(true);
    expect(isDue(newYork, at("2022-07-11T12:00:00Z"))).toBe(false);
    const almaty = daily("Asia/Almaty", 7);
    expect(isDue(almaty, at("2022-01-10T01:00:00Z"))).toBe(true);
    expect(isDue(almaty, at("2022-01-10T02:00:00Z"))).toBe(false);
  });

  it("reads a late run as the top of its UTC hour", () => {
    expect(isDue(daily("Asia/Tokyo", 7), at("2022-01-09T22:59:59.999Z"))).toBe(true);
    expect(isDue(daily("Asia/Tokyo", 7), at("2022-01-09T23:00:00.000Z"))).toBe(false);
    // Kathmandu is +05:45: a run 20 minutes late reads 07:05 there, but stands for 06:45.
    expect(isDue(daily("Asia/Kathmandu", 7), at("2022-01-10T01:20:00Z"))).toBe(false);
    expect(isDue(daily("Asia/Kathmandu", 7), at("2022-01-10T02:20:00Z"))).toBe(true);
  });

  it("sends to half- and quarter-hour zones at the run whose local time is within their send hour", () => {
    const kolkata = daily("Asia/Kolkata", 7);
    expect(isDue(kolkata, at("2022-01-10T01:00:00Z"))).toBe(false); // 06:30
    expect(isDue(kolkata, at("2022-01-10T02:00:00Z"))).toBe(true); // 07:30
    expect(isDue(kolkata, at("2022-01-10T03:00:00Z"))).toBe(false); // 08:30
    const kathmandu = daily("Asia/Kathmandu", 7);
    expect(isDue(kathmandu, at("2022-01-10T01:00:00Z"))).toBe(false); // 06:45
    expect(isDue(kathmandu, at("2022-01-10T02:00:00Z"))).toBe(true); // 07:45
  });

  it("sends an hour skipped by the spring-forward once, at the first run after it", () => {
    // 2022-03-13 in New York: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    expect(isDue(daily("America/New_York", 1), at("2022-03-13T06:00:00Z"))).toBe(true);
    expect(isDue(daily("America/New_York", 2), at("2022-03-13T06:00:00Z"))).toBe(false);
    expect(isDue(daily("America/New_York", 2), at("2022-03-13T07:00:00Z"))).toBe(true);
    expect(isDue(daily("America/New_York", 3), at("2022-03-13T07:00:00Z"))).toBe(true);
    expect(isDue(daily("America/New_York", 2), at("2022-03-13T08:00:00Z"))).toBe(false);
    expect(dueHoursIn("America/New_York", at("2022-03-13T07:00:00Z")).map((d) => d.hour)).toEqual([2, 3]);
  });

  it("sends an hour that happens twice in the fall-back once, at its first pass", () => {
    // 2022-11-06 in New York: 02:00 EDT becomes 01:00 EST at 06:00 UTC.
    expect(isDue(daily("America/New_York", 1), at("2022-11-06T05:00:00Z"))).toBe(true);
    expect(isDue(daily("America/New_York", 1), at("2022-11-06T06:00:00Z"))).toBe(false);
    expect(dueHoursIn("America/New_York", at("2022-11-06T06:00:00Z"))).toEqual([]);
    expect(isDue(daily("America/New_York", 2), at("2022-11-06T07:00:00Z"))).toBe(true);
  });

  it.each([
    ["America/New_York", "2022-03-13", 23],
    ["America/New_York", "2022-11-06", 25],
    ["America/New_York", "2022-01-10", 24],
    ["Asia/Tokyo", "2022-01-10", 24],
    ["Asia/Almaty", "2022-01-10", 24],
    ["Asia/Kolkata", "2022-01-10", 24],
    ["Asia/Kathmandu", "2022-01-10", 24],
    // Lord Howe moves its clock by half an hour: days of 24.5 and 23.5 hours.
    ["Australia/Lord_Howe", "2022-04-03", 25],
    ["Australia/Lord_Howe", "2022-10-02", 23],
  ])("in %s on %s every send hour is due exactly once", (zone, day, runCount) => {
    const runs = runsOfLocalDay(day, zone);
    expect(runs).toHaveLength(runCount);
    const counts = Array.from({ length: 24 }, () => 0);
    for (const run of runs) for (const due of dueHoursIn(zone, run)) counts[due.hour] = (counts[due.hour] ?? 0) + 1;
    expect(counts).toEqual(Array.from({ length: 24 }, () => 1));
  });

  it("sends weekly subscribers only on their local Monday", () => {
    // Monday 2022-01-10 07:00 in Tokyo is Sunday 22:00 UTC.
    expect(isDue(weekly("Asia/Tokyo", 7), at("2022-01-09T22:00:00Z"))).toBe(true);
    expect(isDue(weekly("Asia/Tokyo", 7), at("2022-01-10T22:00:00Z"))).toBe(false);
    expect(isDue(daily("Asia/Tokyo", 7), at("2022-01-10T22:00:00Z"))).toBe(true);
    expect(isDue(weekly("America/New_York", 7), at("2022-01-10T12:00:00Z"))).toBe(true);
    expect(isDue(weekly("America/New_York", 7), at("2022-01-09T12:00:00Z"))).toBe(false);
    // Sunday 23:00 in New York is Monday 04:00 UTC: still Sunday there.
    expect(isDue(weekly("America/New_York", 23), at("2022-01-10T04:00:00Z"))).toBe(false);
    expect(isDue(weekly("America/New_York", 0), at("2022-01-10T05:00:00Z"))).toBe(true);
  });

  it("owes every hour of a skipped day at the first run after it", () => {
    // Samoa skipped Friday 2011-12-30: at 10:00 UTC its clock went from the 29th 23:00 to the 31st 00:00.
    const due = dueHoursIn("Pacific/Apia", at("2011-12-30T10:00:00Z"));
    expect(due.map((d) => d.hour)).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(due.some((d) => d.monday)).toBe(false);
  });

  it("refuses a zone the runtime does not know", () => {
    expect(() => dueHoursIn("Mars/Olympus_Mons", at("2022-01-10T00:00:00Z"))).toThrow(RangeError);
  });

  it("owes nothing for a send hour outside 0 to 23", () => {
    expect(isDue(daily("Asia/Tokyo", 24), at("2022-01-09T15:00:00Z"))).toBe(false);
    expect(isDue(daily("Asia/Tokyo", -1), at("2022-01-09T14:00:00Z"))).toBe(false);
  });
});

describe("the edition a run sends", () => {
  const zone = "Asia/Almaty"; // +06:00 in 2022

  it("is the day that just ended from local midnight, and the day before until then", () => {
    const midnight = at("2022-01-10T18:00:00.000Z"); // 2022-01-11 00:00 in Almaty
    const edition = editionFor("daily", midnight, zone);
    expect(edition).toEqual({
      kind: "daily",
      label: "2022-01-10",
      key: "daily/2022-01-10",
      window: { kind: "daily", label: "2022-01-10", start: at("2022-01-09T18:00:00Z"), end: midnight },
    });
    expect(parseWindow("daily", edition.label, zone)).toEqual(edition.window);
    expect(editionFor("daily", midnight - 1, zone).key).toBe("daily/2022-01-09");
  });

  it("is the ISO week that just ended from Monday 00:00 local", () => {
    const monday = at("2022-01-16T18:00:00.000Z"); // Monday 2022-01-17 00:00 in Almaty
    const edition = editionFor("weekly", monday, zone);
    expect(edition.key).toBe("weekly/2022-W02");
    expect(edition.window).toEqual({
      kind: "weekly",
      label: "2022-W02",
      start: at("2022-01-09T18:00:00Z"),
      end: monday,
    });
    expect(parseWindow("weekly", edition.label, zone)).toEqual(edition.window);
    expect(editionFor("weekly", monday - 1, zone).key).toBe("weekly/2022-W01");
  });

  it("crosses year boundaries and ISO week 53", () => {
    expect(editionFor("daily", at("2021-12-31T18:00:00Z"), zone).key).toBe("daily/2021-12-31");
    expect(editionFor("daily", at("2021-12-31T17:59:59.999Z"), zone).key).toBe("daily/2021-12-30");
    // 2020 has 53 ISO weeks; its last ends on Sunday 2021-01-03.
    const w53 = editionFor("weekly", at("2021-01-03T18:00:00Z"), zone);
    expect(w53.key).toBe("weekly/2020-W53");
    expect(w53.window.start).toBe(at("2020-12-27T18:00:00Z"));
    expect(parseWindow("weekly", w53.label, zone)).toEqual(w53.window);
    expect(editionFor("weekly", at("2021-01-10T18:00:00Z"), zone).key).toBe("weekly/2021-W01");
    // 2021 has 52: the week after 2021-W52 is 2022-W01.
    expect(editionFor("weekly", at("2022-01-02T18:00:00Z"), zone).key).toBe("weekly/2021-W52");
    expect(editionFor("weekly", at("2022-01-09T18:00:00Z"), zone).key).toBe("weekly/2022-W01");
  });

  it("follows the publisher's daylight saving: a 23-hour day is a whole edition", () => {
    const edition = editionFor("daily", at("2022-03-14T04:00:00Z"), "America/New_York");
    expect(edition.key).toBe("daily/2022-03-13");
    expect(edition.window.end - edition.window.start).toBe(23 * 3_600_000);
  });

  it("gives Tokyo's and New York's Monday 07:00 runs the same weekly edition", () => {
    expect(editionFor("weekly", at("2022-01-09T22:00:00Z"), zone).key).toBe("weekly/2022-W01");
    expect(editionFor("weekly", at("2022-01-10T12:00:00Z"), zone).key).toBe("weekly/2022-W01");
    // A Monday send hour that comes before the publisher's Monday begins still finds that
    // week unfinished: the newest complete edition is the one before.
    expect(editionFor("weekly", at("2022-01-09T22:00:00Z"), "UTC").key).toBe("weekly/2021-W52");
  });
});
