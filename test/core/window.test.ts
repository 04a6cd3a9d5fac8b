import { describe, expect, it } from "vitest";
import { isoWeeksInYear, parseWindow, windowOf } from "../../src/core/digest/window.js";

const hours = (w: { start: number; end: number } | null) => (w ? (w.end - w.start) / 3_600_000 : Number.NaN);
const iso = (ms: number | undefined) => (ms === undefined ? "" : new Date(ms).toISOString());

describe("daily windows", () => {
  it("are the local calendar day in the digest's zone", () => {
    const w = parseWindow("daily", "2022-01-10", "Asia/Almaty");
    expect(iso(w?.start)).toBe("2022-01-09T18:00:00.000Z");
    expect(iso(w?.end)).toBe("2022-01-10T18:00:00.000Z");
  });

  it("last 23 hours when clocks go forward and 25 when they go back", () => {
    expect(hours(parseWindow("daily", "2022-03-27", "Europe/Berlin"))).toBe(23);
    expect(hours(parseWindow("daily", "2022-10-30", "Europe/Berlin"))).toBe(25);
    expect(hours(parseWindow("daily", "2022-03-13", "America/New_York"))).toBe(23);
    expect(hours(parseWindow("daily", "2022-03-28", "Europe/Berlin"))).toBe(24);
  });

  it("start at the first existing instant where a zone skips midnight", () => {
    // Chile moved its clocks from 00:00 to 01:00 on 11 September 2022.
    const w = parseWindow("daily", "2022-09-11", "America/Santiago");
    expect(iso(w?.start)).toBe("2022-09-11T04:00:00.000Z");
    expect(hours(w)).toBe(23);
  });

  it("cross the year boundary", () => {
    const w = parseWindow("daily", "2021-12-31", "Asia/Almaty");
    expect(iso(w?.end)).toBe(iso(parseWindow("daily", "2022-01-01", "Asia/Almaty")?.start));
  });

  it.each(["2022-02-30", "2022-13-01", "2022-1-1", "22-01-01", "2022-01-10x", "1969-12-31"])("reject %s", (label) => {
    expect(parseWindow("daily", label, "UTC")).toBeNull();
  });
});

describe("weekly windows", () => {
  it("are ISO weeks, Monday to Monday, in the digest's zone", () => {
    const w = parseWindow("weekly", "2022-W02", "Asia/Almaty");
    expect(iso(w?.start)).toBe("2022-01-09T18:00:00.000Z"); // Monday 10 January, local midnight
    expect(hours(w)).toBe(168);
  });

  it("put 1 January in the last week of the year before when the week starts in December", () => {
    expect(parseWindow("weekly", "2026-W01", "UTC")?.start).toBe(Date.UTC(2025, 11, 29));
    expect(windowOf("weekly", Date.UTC(2021, 0, 1, 12), "UTC").label).toBe("2020-W53");
    expect(windowOf("weekly", Date.UTC(2024, 11, 30, 12), "UTC").label).toBe("2025-W01");
  });

  it("have a week 53 only in long years", () => {
    expect(isoWeeksInYear(2020)).toBe(53);
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2021)).toBe(52);
    expect(parseWindow("weekly", "2020-W53", "UTC")?.start).toBe(Date.UTC(2020, 11, 28));
    expect(parseWindow("weekly", "2020-W53", "UTC")?.end).toBe(Date.UTC(2021, 0, 4));
    expect(parseWindow("weekly", "2021-W53", "UTC")).toBeNull();
    expect(parseWindow("weekly", "2022-W00", "UTC")).toBeNull();
  });

  it("last 167 hours over a week with a spring DST change", () => {
    expect(hours(parseWindow("weekly", "2022-W12", "Europe/Berlin"))).toBe(167);
  });
});

describe("windowOf", () => {
  it("finds the local day of an instant, not the UTC one", () => {
    // 23:30 in Almaty on 14 February is 17:30 UTC; 00:15 on the 15th is 18:15 UTC the same UTC day.
    expect(windowOf("daily", Date.UTC(2022, 1, 14, 17, 30), "Asia/Almaty").label).toBe("2022-02-14");
    expect(windowOf("daily", Date.UTC(2022, 1, 14, 18, 15), "Asia/Almaty").label).toBe("2022-02-15");
  });
});
