import { describe, expect, it } from "vitest";
import { UNTIL_MINUTE } from "../../src/core/time-zone-data.js";
import {
  allZones,
  canonicalZone,
  formatOffset,
  REGIONS,
  zoneEpoch,
  zoneGroups,
  zoneOffset,
} from "../../src/core/time-zones.js";

const WINTER = Date.UTC(2027, 0, 15, 12);
const SUMMER = Date.UTC(2027, 6, 15, 12);

describe("canonicalZone", () => {
  it("resolves old spellings and links to the current IANA name", () => {
    expect(canonicalZone("Asia/Calcutta")).toBe("Asia/Kolkata");
    expect(canonicalZone("Europe/Kiev")).toBe("Europe/Kyiv");
    expect(canonicalZone("Africa/Asmera")).toBe("Africa/Asmara");
    expect(canonicalZone("US/Eastern")).toBe("America/New_York");
    expect(canonicalZone("America/Buenos_Aires")).toBe("America/Argentina/Buenos_Aires");
    expect(canonicalZone("Asia/Saigon")).toBe("Asia/Ho_Chi_Minh");
    expect(canonicalZone("Etc/UTC")).toBe("UTC");
    expect(canonicalZone("GMT")).toBe("UTC");
  });

  it("keeps canonical names and fixes letter case", () => {
    expect(canonicalZone("Asia/Almaty")).toBe("Asia/Almaty");
    expect(canonicalZone("UTC")).toBe("UTC");
    expect(canonicalZone("asia/almaty")).toBe("Asia/Almaty");
    expect(canonicalZone("EUROPE/KIEV")).toBe("Europe/Kyiv");
  });

  it("refuses what is not a zone, and inherited object keys", () => {
    for (const name of ["", "Mars/Olympus", "Asia", "+05:00", "toString", "__proto__", `Asia/${"x".repeat(60)}`]) {
      expect(canonicalZone(name), name).toBeNull();
    }
  });

  it("resolves every zone name this runtime lists, to a zone the runtime can format", () => {
    for (const name of Intl.supportedValuesOf("timeZone")) {
      const zone = canonicalZone(name);
      expect(zone, name).not.toBeNull();
    }
    for (const zone of allZones()) {
      expect(() => new Intl.DateTimeFormat("en", { timeZone: zone.name }), zone.name).not.toThrow();
    }
  });
});

describe("the zone list", () => {
  it("lists each canonical zone once, UTC included, and no alias", () => {
    const names = allZones().map((z) => z.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("UTC");
    expect(names).toContain("Asia/Kolkata");
    expect(names).not.toContain("Asia/Calcutta");
    expect(names).not.toContain("Africa/Asmera");
    for (const name of names) expect(canonicalZone(name)).toBe(name);
    expect(allZones().find((z) => z.name === "Asia/Kolkata")?.aliases).toContain("Asia/Calcutta");
  });

  it("labels a zone by its city as IANA writes it", () => {
    const city = (name: string) => allZones().find((z) => z.name === name)?.city;
    expect(city("America/Sao_Paulo")).toBe("Sao Paulo");
    expect(city("America/Argentina/Buenos_Aires")).toBe("Buenos Aires");
    expect(city("America/Indiana/Knox")).toBe("Knox (Indiana)");
    expect(city("UTC")).toBe("UTC");
  });

  it("groups by region, sorted by offset and then city", () => {
    const groups = zoneGroups(WINTER);
    // Every region has zones, in REGIONS order, UTC last.
    expect(groups.map((g) => g.region)).toEqual([...REGIONS]);
    expect(groups.at(-1)?.zones.map((z) => z.name)).toEqual(["UTC"]);
    const asia = groups.find((g) => g.region === "Asia")?.zones ?? [];
    for (let i = 1; i < asia.length; i++) {
      const [a, b] = [asia[i - 1], asia[i]];
      if (!a || !b) continue;
      expect(a.offset < b.offset || (a.offset === b.offset && a.city <= b.city), `${a.name} before ${b.name}`).toBe(
        true,
      );
    }
    const kolkata = asia.findIndex((z) => z.name === "Asia/Kolkata");
    const kathmandu = asia.findIndex((z) => z.name === "Asia/Kathmandu");
    const dhaka = asia.findIndex((z) => z.name === "Asia/Dhaka");
    expect(kolkata).toBeLessThan(kathmandu); // +05:30 before +05:45
    expect(kathmandu).toBeLessThan(dhaka); // before +06:00
    expect(groups.reduce((n, g) => n + g.zones.length, 0)).toBe(allZones().length);
  });
});

describe("zoneOffset", () => {
  it("follows daylight saving time", () => {
    expect(zoneOffset("Europe/Berlin", WINTER)).toBe(60);
    expect(zoneOffset("Europe/Berlin", SUMMER)).toBe(120);
    expect(zoneOffset("America/New_York", WINTER)).toBe(-300);
    expect(zoneOffset("America/New_York", SUMMER)).toBe(-240);
    expect(zoneOffset("Australia/Sydney", WINTER)).toBe(660);
    expect(zoneOffset("Australia/Sydney", SUMMER)).toBe(600);
  });

  it("changes at the minute of the change", () => {
    // Europe: 2027-03-28 01:00 UTC and 2027-10-31 01:00 UTC.
    expect(zoneOffset("Europe/Berlin", Date.UTC(2027, 2, 28, 0, 59))).toBe(60);
    expect(zoneOffset("Europe/Berlin", Date.UTC(2027, 2, 28, 1, 0))).toBe(120);
    expect(zoneOffset("Europe/Berlin", Date.UTC(2027, 9, 31, 0, 59))).toBe(120);
    expect(zoneOffset("Europe/Berlin", Date.UTC(2027, 9, 31, 1, 0))).toBe(60);
  });

  it("knows zones with half and three-quarter hours", () => {
    expect(zoneOffset("Asia/Kolkata", WINTER)).toBe(330);
    expect(zoneOffset("Asia/Kathmandu", SUMMER)).toBe(345);
    expect(zoneOffset("America/St_Johns", WINTER)).toBe(-210);
    expect(zoneOffset("UTC", SUMMER)).toBe(0);
  });

  it("agrees with this runtime's Intl for every zone, in winter and summer", () => {
    for (const ms of [WINTER, SUMMER]) {
      for (const zone of allZones()) {
        const format = new Intl.DateTimeFormat("en-US", { timeZone: zone.name, timeZoneName: "longOffset" });
        const name = format.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "";
        expect(formatOffset(zoneOffset(zone.name, ms)).replace("\u2212", "-"), zone.name).toBe(
          name === "GMT" ? "UTC+00:00" : name.replace("GMT", "UTC"),
        );
      }
    }
  });

  it("asks Intl past the table's years", () => {
    const later = UNTIL_MINUTE * 60_000 + Date.UTC(1970, 6, 1);
    expect(zoneOffset("Europe/Berlin", later)).toBe(120);
    expect(zoneOffset("Asia/Almaty", later)).toBe(300);
  });
});

describe("zoneEpoch", () => {
  it("stays within a period and moves at a change, so a list kept under it is redone then", () => {
    expect(zoneEpoch(Date.UTC(2027, 0, 15))).toBe(zoneEpoch(Date.UTC(2027, 0, 20)));
    // Europe's change on 2027-03-28 at 01:00 UTC.
    expect(zoneEpoch(Date.UTC(2027, 2, 28, 0, 59))).not.toBe(zoneEpoch(Date.UTC(2027, 2, 28, 1, 0)));
    const berlin = (ms: number) =>
      zoneGroups(ms)
        .flatMap((g) => g.zones)
        .find((z) => z.name === "Europe/Berlin")?.offset;
    expect(berlin(WINTER)).toBe(60);
    expect(berlin(SUMMER)).toBe(120);
    expect(berlin(WINTER)).toBe(60);
  });
});

describe("formatOffset", () => {
  it("writes hours and minutes with a sign", () => {
    expect(formatOffset(330)).toBe("UTC+05:30");
    expect(formatOffset(-210)).toBe("UTC\u221203:30");
    expect(formatOffset(0)).toBe("UTC+00:00");
    expect(formatOffset(-600)).toBe("UTC\u221210:00");
  });
});
