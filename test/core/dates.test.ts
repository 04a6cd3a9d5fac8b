import { describe, expect, it } from "vitest";
import { formatInstant, parseInstant } from "../../src/core/dates.js";

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
