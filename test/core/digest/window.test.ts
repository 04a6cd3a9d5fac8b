import { describe, expect, it, vi } from "vitest";
import { isoWeeksInYear, parseWindow, windowOf } from "../../../src/core/digest/window.js";

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

  it.each(["2022-02-30", "2022-13-01", "2022-1-1", "22-01-01", "2022-01-10x", "0999-12-31", "10000-01-01"])(
    "reject %s",
    (label) => {
      expect(parseWindow("daily", label, "UTC")).toBeNull();
    },
  );

  it("exist before 1970, back to the year 1000", () => {
    expect(iso(parseWindow("daily", "1969-12-31", "UTC")?.start)).toBe("1969-12-31T00:00:00.000Z");
    expect(iso(parseWindow("daily", "1000-01-01", "UTC")?.start)).toBe("1000-01-01T00:00:00.000Z");
    expect(iso(parseWindow("daily", "9999-12-31", "UTC")?.end)).toBe("+010000-01-01T00:00:00.000Z");
    // Before 1880 London kept local mean time, 1 minute 15 seconds behind Greenwich.
    expect(iso(parseWindow("daily", "1800-06-01", "Europe/London")?.start)).toBe("1800-06-01T00:01:15.000Z");
    // Almaty kept local mean time, UTC+5:07:48, until 1924.
    expect(iso(parseWindow("daily", "1000-01-01", "Asia/Almaty")?.start)).toBe("0999-12-31T18:52:12.000Z");
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

  it("exist before 1970, back to the year 1000", () => {
    expect(iso(parseWindow("weekly", "1970-W01", "UTC")?.start)).toBe("1969-12-29T00:00:00.000Z");
    expect(iso(parseWindow("weekly", "1969-W52", "UTC")?.start)).toBe("1969-12-22T00:00:00.000Z");
    // 1 January 1000 was a Wednesday (proleptic Gregorian), so it lies in week 1 of 1000.
    expect(iso(parseWindow("weekly", "1000-W01", "UTC")?.start)).toBe("0999-12-30T00:00:00.000Z");
    expect(parseWindow("weekly", "0999-W51", "UTC")).toBeNull();
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

// A reference that cannot be wrong in the same way: the local date read from Intl at every
// step of a binary search to the second. Slow, and independent of the code under test.
const reference = (() => {
  const formats = new Map<string, Intl.DateTimeFormat>();
  const dateNumber = (ms: number, timeZone: string): number => {
    let f = formats.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" });
      formats.set(timeZone, f);
    }
    const parts = f.formatToParts(ms);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return get("year") * 10000 + get("month") * 100 + get("day");
  };
  const utcDay = (y: number, m: number, d: number) => {
    const date = new Date(0);
    date.setUTCFullYear(y, m - 1, d);
    return date;
  };
  const number = (d: Date) => d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  const fromNumber = (n: number) => utcDay(Math.floor(n / 10000), Math.floor(n / 100) % 100, n % 100);
  const plusDays = (n: number, days: number) => {
    const d = fromNumber(n);
    d.setUTCDate(d.getUTCDate() + days);
    return number(d);
  };
  // First whole second whose local date is `target` or later; offsets lie within ±16 hours.
  const startOf = (target: number, timeZone: string): number => {
    const midnight = fromNumber(target).getTime();
    let lo = midnight / 1000 - 16 * 3600;
    let hi = midnight / 1000 + 16 * 3600;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (dateNumber(mid * 1000, timeZone) >= target) hi = mid;
      else lo = mid;
    }
    return hi * 1000;
  };
  const label = (n: number) =>
    `${String(Math.floor(n / 10000)).padStart(4, "0")}-${String(Math.floor(n / 100) % 100).padStart(2, "0")}-${String(n % 100).padStart(2, "0")}`;
  return (kind: "daily" | "weekly", instant: number, timeZone: string) => {
    const day = dateNumber(instant, timeZone);
    if (kind === "daily") {
      return { kind, label: label(day), start: startOf(day, timeZone), end: startOf(plusDays(day, 1), timeZone) };
    }
    const weekday = (fromNumber(day).getUTCDay() + 6) % 7; // Monday 0
    const monday = plusDays(day, -weekday);
    const thursday = fromNumber(plusDays(monday, 3));
    const year = thursday.getUTCFullYear();
    const week = Math.floor((thursday.getTime() - utcDay(year, 1, 1).getTime()) / (7 * 86_400_000)) + 1;
    return {
      kind,
      label: `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`,
      start: startOf(monday, timeZone),
      end: startOf(plusDays(monday, 7), timeZone),
    };
  };
})();

/** Instants every `stepHours` from `from` (an ISO string) for `days` days. */
function instants(from: string, days: number, stepHours: number): number[] {
  const start = Date.parse(from);
  const out: number[] = [];
  for (let t = start; t < start + days * 86_400_000; t += stepHours * 3_600_000) out.push(t);
  return out;
}

describe("windowOf against a brute-force reference", () => {
  const everywhere = [
    ...instants("2022-01-01T00:00:00Z", 365, 7.25),
    ...instants("1969-12-25T00:00:00Z", 12, 3.5),
    ...instants("1000-01-01T00:00:00Z", 9, 2.5),
    ...instants("9999-12-20T00:00:00Z", 11, 2.5),
  ];
  const cases: [string, number[]][] = [
    // Chile changes its clocks at midnight: 00:00 becomes 01:00, and 24:00 becomes 23:00.
    ["America/Santiago", [...everywhere, ...instants("1910-01-01T00:00:00Z", 20, 3.5)]],
    // London kept local mean time until 1847, and British Double Summer Time in the 1940s.
    [
      "Europe/London",
      [...everywhere, ...instants("1847-11-25T00:00:00Z", 10, 2.5), ...instants("1941-04-01T00:00:00Z", 60, 5.5)],
    ],
    // Almaty moved from +06 to +05 at midnight on 1 March 2024: 00:00 became 23:00 of 29 February.
    [
      "Asia/Almaty",
      [...everywhere, ...instants("2024-02-25T00:00:00Z", 10, 1.5), ...instants("1924-05-01T00:00:00Z", 5, 2.5)],
    ],
    // Samoa lived 4 July 1892 twice and skipped 30 December 2011.
    [
      "Pacific/Apia",
      [...everywhere, ...instants("1892-07-02T00:00:00Z", 6, 1.5), ...instants("2011-12-26T00:00:00Z", 10, 1.5)],
    ],
    // Lord Howe Island moves its clocks by half an hour.
    ["Australia/Lord_Howe", [...everywhere, ...instants("1981-02-20T00:00:00Z", 60, 5.5)]],
  ];

  it.each(cases)("agrees in %s", (timeZone, times) => {
    for (const t of times) {
      for (const kind of ["daily", "weekly"] as const) {
        const expected = reference(kind, t, timeZone);
        const w = windowOf(kind, t, timeZone);
        expect({ t: iso(t), ...w }).toEqual({ t: iso(t), ...expected });
        expect(parseWindow(kind, w.label, timeZone)).toEqual(w);
      }
    }
  });
});

describe("windowOf at the ends of the supported range", () => {
  const first = Date.parse("1000-01-01T00:00:00.000Z");
  const last = Date.parse("9999-12-31T23:59:59.999Z");
  it.each(["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York", "Asia/Kolkata"])(
    "contains the instant and can be named again in %s",
    (timeZone) => {
      for (const t of [first, last]) {
        for (const kind of ["daily", "weekly"] as const) {
          const w = windowOf(kind, t, timeZone);
          expect(w.start <= t && t < w.end).toBe(true);
          expect(parseWindow(kind, w.label, timeZone)).toEqual(w);
        }
      }
    },
  );
});

describe("windowOf's cost", () => {
  it("takes a handful of Intl calls for an instant on a day not seen before", () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, "formatToParts");
    try {
      const start = Date.parse("2030-01-01T12:00:00Z");
      for (let i = 0; i < 50; i++) windowOf("daily", start + i * 86_400_000, "America/Sao_Paulo");
      expect(spy.mock.calls.length).toBeLessThanOrEqual(50 * 8);
    } finally {
      spy.mockRestore();
    }
  });
});
