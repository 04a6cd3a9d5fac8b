import { describe, expect, it } from "vitest";
import { formatInstant, instantError, parseInstant } from "../../src/core/dates.js";

describe("parseInstant", () => {
  it("reads the zone offset", () => {
    expect(parseInstant("2022-01-10T16:00:00+06:00")).toBe(Date.UTC(2022, 0, 10, 10, 0, 0));
    expect(parseInstant("2022-01-10T16:00+0600")).toBe(Date.UTC(2022, 0, 10, 10, 0, 0));
    expect(parseInstant("2022-01-10T10:00:00.250Z")).toBe(Date.UTC(2022, 0, 10, 10, 0, 0, 250));
    expect(parseInstant("2022-01-09T23:00:00-05:00")).toBe(Date.UTC(2022, 0, 10, 4, 0, 0));
  });

  it.each([
    "2022-01-10",
    "2022-01-10T16:00:00",
    "2022-02-30T10:00:00Z",
    "2022-13-01T10:00:00Z",
    "2022-01-10T24:00:00Z",
    "10 January 2022",
    "",
  ])("rejects %j", (text) => {
    expect(parseInstant(text)).toBeNull();
  });
});

describe("formatInstant", () => {
  it("writes RFC 3339 in UTC, with fractions only when there are some", () => {
    expect(formatInstant(Date.UTC(2022, 0, 10, 10))).toBe("2022-01-10T10:00:00Z");
    expect(formatInstant(Date.UTC(2022, 0, 10, 10, 0, 0, 5))).toBe("2022-01-10T10:00:00.005Z");
  });
});

describe("the supported range, years 1000 to 9999", () => {
  it.each([
    "1000-01-01T00:00:00Z",
    "1000-01-01T00:00:00.001Z",
    "1066-10-14T09:00:00Z",
    "1582-10-04T23:59:59Z",
    "1900-02-28T12:00:00Z",
    "1969-12-31T23:59:59.999Z",
    "1970-01-01T00:00:00Z",
    "2000-02-29T00:00:00Z",
    "9999-12-31T23:59:59.999Z",
  ])("round-trips %s exactly", (text) => {
    const ms = parseInstant(text);
    expect(ms).not.toBeNull();
    expect(formatInstant(ms as number)).toBe(text);
  });

  it("round-trips every millisecond fraction", () => {
    for (let ms = 0; ms < 1000; ms++) {
      const text = `1969-12-31T23:59:59.${String(ms).padStart(3, "0")}Z`;
      const expected = ms === 0 ? "1969-12-31T23:59:59Z" : text;
      expect(formatInstant(parseInstant(text) as number)).toBe(expected);
    }
  });

  it("does not read years 0000-0099 as 1900-1999", () => {
    expect(parseInstant("0050-06-01T00:00:00Z")).toBeNull();
    expect(parseInstant("0099-12-31T23:59:59Z")).toBeNull();
  });

  it("reads the written year even where a two-digit year would mean 19xx", () => {
    // 1000 is not a leap year (divisible by 100, not by 400), 1600 is.
    expect(parseInstant("1000-02-29T00:00:00Z")).toBeNull();
    expect(formatInstant(parseInstant("1600-02-29T00:00:00Z") as number)).toBe("1600-02-29T00:00:00Z");
  });

  it("applies the offset across a year boundary", () => {
    expect(formatInstant(parseInstant("0999-12-31T23:00:00-01:00") as number)).toBe("1000-01-01T00:00:00Z");
    expect(formatInstant(parseInstant("1000-01-01T06:30:00+06:00") as number)).toBe("1000-01-01T00:30:00Z");
    expect(formatInstant(parseInstant("9999-12-31T23:30:00+01:00") as number)).toBe("9999-12-31T22:30:00Z");
  });

  it.each([
    ["0999-12-31T23:59:59.999Z", "year 999"],
    ["1000-01-01T00:00:00+00:01", "an offset that puts it in 999"],
    ["1000-01-01T05:59:59+06:00", "an offset that puts it in 999"],
    ["9999-12-31T23:59:59-00:01", "an offset that puts it in 10000"],
    ["9999-12-31T20:00:00-06:00", "an offset that puts it in 10000"],
    ["0000-01-01T00:00:00Z", "year 0"],
  ])("rejects %s (%s)", (text) => {
    expect(parseInstant(text)).toBeNull();
    expect(instantError(text)).toMatch(/from year 1000 to 9999/);
  });

  it("tells a malformed date-time from one out of range", () => {
    expect(instantError("2022-01-10")).toMatch(/ISO 8601/);
    expect(instantError("2022-01-10T10:00:00Z")).toBeNull();
  });
});
