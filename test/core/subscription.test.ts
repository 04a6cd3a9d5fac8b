import { describe, expect, it } from "vitest";
import {
  addressKey,
  normaliseAddress,
  parsePreferences,
  parseSubscription,
  unknownTags,
} from "../../src/core/subscription.js";

const DEFAULTS = { timeZone: "Asia/Almaty", sendHour: 7 };

describe("normaliseAddress", () => {
  it("trims, keeps the local part as typed and lower-cases the domain", () => {
    expect(normaliseAddress("  Dana.Kim+news@Example.COM \t")).toBe("Dana.Kim+news@example.com");
  });

  it("turns a Cyrillic domain into punycode", () => {
    expect(normaliseAddress("ivan@пример.рф")).toBe("ivan@xn--e1afmkfd.xn--p1ai");
    expect(normaliseAddress("ivan@ПРИМЕР.РФ")).toBe("ivan@xn--e1afmkfd.xn--p1ai");
  });

  it("takes every RFC 5322 atext character in the local part", () => {
    expect(normaliseAddress("a!#$%&'*+-/=?^_`{|}~z@example.com")).toBe("a!#$%&'*+-/=?^_`{|}~z@example.com");
  });

  it("takes an address of 254 characters and refuses one of 255", () => {
    const domain254 = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(51)}.com`;
    expect(domain254.length).toBe(247);
    expect(normaliseAddress(`${"x".repeat(6)}@${domain254}`)?.length).toBe(254);
    expect(normaliseAddress(`${"x".repeat(7)}@${domain254}`)).toBeNull();
  });

  it("takes a local part of 64 characters and refuses one of 65", () => {
    expect(normaliseAddress(`${"l".repeat(64)}@example.com`)).toBe(`${"l".repeat(64)}@example.com`);
    expect(normaliseAddress(`${"l".repeat(65)}@example.com`)).toBeNull();
  });

  it("takes a domain label of 63 characters and refuses one of 64", () => {
    expect(normaliseAddress(`a@${"d".repeat(63)}.com`)).toBe(`a@${"d".repeat(63)}.com`);
    expect(normaliseAddress(`a@${"d".repeat(64)}.com`)).toBeNull();
  });

  it("refuses a Cyrillic domain whose punycode is longer than 254 characters", () => {
    const label = "п".repeat(50); // in punycode, "xn--o1a" and 49 more characters
    expect(normaliseAddress(`a@${label}.${label}.${label}.${label}.${label}.рф`)).toBeNull();
  });

  it("refuses a huge input before doing any work on it", () => {
    expect(normaliseAddress(`${" ".repeat(600)}a@example.com`)).toBeNull();
  });

  it.each([
    ["", "empty"],
    ["a@b", "a domain without a dot"],
    ["dana.example.com", "no @"],
    ["a@b@example.com", "two @"],
    ["@example.com", "an empty local part"],
    ["a@", "an empty domain"],
    [".dana@example.com", "a leading dot"],
    ["dana.@example.com", "a trailing dot"],
    ["da..na@example.com", "a double dot"],
    ['"dana kim"@example.com', "a quoted local part"],
    ["dana@[192.0.2.1]", "an IP literal"],
    ["dana@192.0.2.1", "an all-numeric top-level label"],
    ["da na@example.com", "a space"],
    ["dana@exa mple.com", "a space in the domain"],
    ["dana\t@example.com", "a tab inside"],
    ["da\u0000na@example.com", "NUL"],
    ["da\u007fna@example.com", "DEL"],
    ["dana@-example.com", "a label starting with a hyphen"],
    ["dana@example-.com", "a label ending with a hyphen"],
    ["dana@example..com", "an empty label"],
    ["dana@example.com.", "a trailing dot in the domain"],
    ["dana@exa_mple.com", "an underscore in the domain"],
    ["дана@example.com", "a non-ASCII local part"],
    ["dana@пример%2Eрф", "a percent escape in a non-ASCII domain"],
    ["dana@пример.рф/x", "a slash in a non-ASCII domain"],
    ["dana@пример.рф:25", "a port in a non-ASCII domain"],
    ["dana@１２７.０.０.１", "full-width digits that map to an IP address"],
  ])("refuses %j (%s)", (raw) => {
    expect(normaliseAddress(raw)).toBeNull();
  });
});

describe("parseSubscription", () => {
  it("reads JSON with defaults for what is left out", () => {
    expect(parseSubscription({ email: "dana@Example.com", frequency: "daily" }, DEFAULTS)).toEqual({
      ok: true,
      value: {
        email: "dana@example.com",
        preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
      },
    });
  });

  it("reads JSON with every field", () => {
    const parsed = parseSubscription(
      {
        email: "dana@example.com",
        frequency: "weekly",
        tags: ["transit", "culture"],
        time_zone: "Europe/Moscow",
        send_hour: 0,
      },
      DEFAULTS,
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        email: "dana@example.com",
        preferences: { frequency: "weekly", tags: ["transit", "culture"], timeZone: "Europe/Moscow", sendHour: 0 },
      },
    });
  });

  it("reads a form: strings, tags repeated or separated by commas", () => {
    const repeated = parseSubscription(
      {
        email: "dana@example.com",
        frequency: "daily",
        tags: ["transit", "culture"],
        time_zone: "UTC",
        send_hour: "23",
      },
      DEFAULTS,
    );
    expect(repeated).toMatchObject({
      ok: true,
      value: { preferences: { tags: ["transit", "culture"], sendHour: 23 } },
    });
    const commas = parseSubscription(
      { email: "dana@example.com", frequency: "daily", tags: "transit, culture," },
      DEFAULTS,
    );
    expect(commas).toMatchObject({ ok: true, value: { preferences: { tags: ["transit", "culture"] } } });
    const blank = parseSubscription(
      { email: "dana@example.com", frequency: "daily", tags: "", time_zone: "", send_hour: "" },
      DEFAULTS,
    );
    expect(blank).toMatchObject({
      ok: true,
      value: { preferences: { tags: [], timeZone: "Asia/Almaty", sendHour: 7 } },
    });
  });

  it("gives the time zone in its canonical spelling", () => {
    const parsed = parseSubscription(
      { email: "a@example.com", frequency: "daily", time_zone: "asia/almaty" },
      DEFAULTS,
    );
    expect(parsed).toMatchObject({ ok: true, value: { preferences: { timeZone: "Asia/Almaty" } } });
  });

  it.each([
    ["Asia/Calcutta", "Asia/Kolkata"],
    ["europe/kiev", "Europe/Kyiv"],
    ["US/Eastern", "America/New_York"],
    ["Etc/UTC", "UTC"],
    // Known to the runtime though not in the list a reader chooses from: kept as it is spelled.
    ["Etc/GMT-5", "Etc/GMT-5"],
  ])("stores the time zone %j as %j", (given, zone) => {
    const parsed = parseSubscription({ email: "a@example.com", time_zone: given }, DEFAULTS);
    expect(parsed).toMatchObject({ ok: true, value: { preferences: { timeZone: zone } } });
  });

  it.each(["-03:00", "+0500", "Mars/Olympus", "Asia/Almaty "])(
    "refuses the time zone %j, which is not an IANA zone",
    (zone) => {
      expect(errorsOf({ email: "a@example.com", frequency: "daily", time_zone: zone })).toEqual({
        time_zone: `is "${zone}"; expected an IANA time zone like "Asia/Almaty"`,
      });
    },
  );

  it("drops repeated tags", () => {
    const parsed = parseSubscription(
      { email: "a@example.com", frequency: "daily", tags: ["transit", "transit"] },
      DEFAULTS,
    );
    expect(parsed).toMatchObject({ ok: true, value: { preferences: { tags: ["transit"] } } });
  });

  it("takes 20 tags and refuses 21", () => {
    const tags = Array.from({ length: 21 }, (_, i) => `tag-${i}`);
    expect(
      parseSubscription({ email: "a@example.com", frequency: "daily", tags: tags.slice(0, 20) }, DEFAULTS).ok,
    ).toBe(true);
    expect(errorsOf({ email: "a@example.com", frequency: "daily", tags })).toEqual({
      tags: "must be at most 20 tags",
    });
    expect(errorsOf({ email: "a@example.com", frequency: "daily", tags: tags.join(",") })).toEqual({
      tags: "must be at most 20 tags",
    });
  });

  it.each([0, 23, "0", "23", "07"])("takes the send hour %j", (hour) => {
    const parsed = parseSubscription({ email: "a@example.com", frequency: "daily", send_hour: hour }, DEFAULTS);
    expect(parsed).toMatchObject({ ok: true, value: { preferences: { sendHour: Number(hour) } } });
  });

  it.each([-1, 24, 7.5, "7.5", " 7", "7 ", "-1", "24", "1e1", "0x7", "007", true, [7]])(
    "refuses the send hour %j",
    (hour) => {
      expect(errorsOf({ email: "a@example.com", frequency: "daily", send_hour: hour })).toEqual({
        send_hour: "must be a whole hour from 0 to 23",
      });
    },
  );

  it("names every bad field at once", () => {
    expect(
      errorsOf({ email: "a@b", frequency: "hourly", tags: ["Not A Slug"], time_zone: "Mars/Olympus", send_hour: 24 }),
    ).toEqual({
      email: "is not a valid email address",
      frequency: 'must be "daily" or "weekly"',
      tags: 'has "Not A Slug", which must be lower-case ASCII words joined by "-"',
      time_zone: 'is "Mars/Olympus"; expected an IANA time zone like "Asia/Almaty"',
      send_hour: "must be a whole hour from 0 to 23",
    });
  });

  it("requires the email; the frequency is daily when left out or empty", () => {
    expect(errorsOf({})).toEqual({ email: "is required" });
    for (const frequency of [undefined, null, ""]) {
      const parsed = parseSubscription({ email: "a@example.com", frequency }, DEFAULTS);
      expect(parsed.ok && parsed.value.preferences.frequency, String(frequency)).toBe("daily");
    }
    const weekly = parseSubscription({ email: "a@example.com", frequency: "weekly" }, DEFAULTS);
    expect(weekly.ok && weekly.value.preferences.frequency).toBe("weekly");
  });

  it.each(["email", "frequency", "time_zone", "send_hour", "tags"])("refuses CR, LF or NUL in %s", (name) => {
    const valid: Record<string, unknown> = {
      email: "a@example.com",
      frequency: "daily",
      tags: "transit",
      time_zone: "UTC",
      send_hour: "7",
    };
    for (const bad of ["\r", "\n", "\u0000"]) {
      const base = String(valid[name]);
      expect(errorsOf({ ...valid, [name]: `${base}${bad}` })).toEqual({
        [name]: "must not contain line breaks or NUL characters",
      });
    }
    expect(errorsOf({ ...valid, email: "a@example.com\r\nBcc: x@example.com" })).toEqual({
      email: "must not contain line breaks or NUL characters",
    });
    expect(errorsOf({ ...valid, tags: ["transit", "culture\n"] })).toEqual({
      tags: "must not contain line breaks or NUL characters",
    });
  });

  it.each([
    ["email", 42, "must be a string"],
    ["frequency", ["daily"], 'must be "daily" or "weekly"'],
    ["tags", { transit: true }, "must be a list of tag slugs"],
    ["tags", [1], "must be a list of tag slugs"],
    ["time_zone", 5, 'must be an IANA time zone like "Asia/Almaty"'],
    ["time_zone", "A".repeat(65), 'must be an IANA time zone like "Asia/Almaty"'],
  ])("refuses %s of the wrong type or size: %j", (name, value, message) => {
    expect(errorsOf({ email: "a@example.com", frequency: "daily", [name]: value })).toEqual({ [name]: message });
  });

  it("refuses a huge tag list before reading it", () => {
    const tags = Array.from({ length: 100_000 }, () => "transit");
    expect(errorsOf({ email: "a@example.com", frequency: "daily", tags })).toEqual({ tags: "must be at most 20 tags" });
    expect(errorsOf({ email: "a@example.com", frequency: "daily", tags: "a,".repeat(5000) })).toEqual({
      tags: "must be at most 20 tags",
    });
  });

  it("ignores inherited properties", () => {
    const raw = Object.create({ email: "a@example.com", frequency: "weekly" }) as Record<string, unknown>;
    expect(errorsOf(raw)).toEqual({ email: "is required" });
    raw.email = "a@example.com";
    const parsed = parseSubscription(raw, DEFAULTS);
    expect(parsed.ok && parsed.value.preferences.frequency).toBe("daily");
  });
});

describe("parsePreferences", () => {
  it("reads the preference form without an address", () => {
    expect(
      parsePreferences({ frequency: "weekly", tags: ["transit"], time_zone: "UTC", send_hour: "6" }, DEFAULTS),
    ).toEqual({
      ok: true,
      value: { frequency: "weekly", tags: ["transit"], timeZone: "UTC", sendHour: 6 },
    });
  });

  it("requires the frequency: a form that lost it must not make a weekly subscriber daily", () => {
    expect(parsePreferences({ tags: [] }, DEFAULTS)).toEqual({
      ok: false,
      errors: [{ field: "frequency", message: 'is required: "daily" or "weekly"', code: "required" }],
    });
  });

  it("names its bad fields", () => {
    const parsed = parsePreferences({ frequency: "daily", send_hour: "24", email: "not checked here" }, DEFAULTS);
    expect(parsed).toEqual({
      ok: false,
      errors: [{ field: "send_hour", message: "must be a whole hour from 0 to 23", code: "invalid" }],
    });
  });
});

function errorsOf(raw: Record<string, unknown>): Record<string, string> {
  const parsed = parseSubscription(raw, DEFAULTS);
  if (parsed.ok) throw new Error("expected errors");
  return Object.fromEntries(parsed.errors.map((e) => [e.field, e.message]));
}

describe("normaliseAddress against hostile input", () => {
  const domain247 = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(51)}.com`;
  const address254 = `${"x".repeat(6)}@${domain247}`;

  it("takes one-character labels", () => {
    expect(normaliseAddress("a@x.co")).toBe("a@x.co");
    expect(normaliseAddress("a@mail.x.io")).toBe("a@mail.x.io");
  });

  it("reads an input of 512 characters (a trimmed 254-character address) and refuses one of 513", () => {
    expect(address254.length).toBe(254);
    expect(normaliseAddress(`${" ".repeat(258)}${address254}`)).toBe(address254);
    expect(normaliseAddress(`${" ".repeat(259)}${address254}`)).toBeNull();
  });

  it("refuses a domain typed in 236 characters whose punycode passes 254", () => {
    const label = "п".repeat(57); // "xn--" and 59 more characters in punycode
    const typed = `a@${label}.${label}.${label}.${label}.рф`;
    expect(typed.length).toBe(236);
    expect(normaliseAddress(typed)).toBeNull();
  });

  it.each([
    ["dana@при\tмер.рф", "a tab, which the URL parser would drop"],
    ["dana@при\nмер.рф", "a line feed, which the URL parser would drop"],
    ["dana@пример.рф\u0000", "a trailing NUL, which the URL parser would drop"],
    ["dana@пример\u00adрф", "a soft hyphen in place of the dot"],
    ["dana@пример\ufffd.рф", "a character IDNA refuses"],
    ["dana@10.0.0.255", "an IP address"],
  ])("refuses %j (%s)", (raw) => {
    expect(normaliseAddress(raw)).toBeNull();
  });
});

describe("subscription fields against hostile input", () => {
  const valid = { email: "a@example.com", frequency: "daily" };

  it("treats null like a missing field", () => {
    expect(parseSubscription({ ...valid, tags: null, time_zone: null, send_hour: null }, DEFAULTS)).toEqual({
      ok: true,
      value: {
        email: "a@example.com",
        preferences: { frequency: "daily", tags: [], timeZone: "Asia/Almaty", sendHour: 7 },
      },
    });
    expect(errorsOf({ email: null, frequency: null })).toEqual({ email: "is required" });
  });

  it("reads a tags field of 4096 characters and refuses one of 4097", () => {
    const padded = (length: number) => `transit,${" ".repeat(length - 8)}`;
    expect(padded(4096).length).toBe(4096);
    const parsed = parseSubscription({ ...valid, tags: padded(4096) }, DEFAULTS);
    expect(parsed.ok && parsed.value.preferences.tags).toEqual(["transit"]);
    expect(errorsOf({ ...valid, tags: padded(4097) })).toEqual({ tags: "must be at most 20 tags" });
  });

  it("quotes at most 60 characters of a bad tag in its error", () => {
    const message = errorsOf({ ...valid, tags: ["X".repeat(100_000)] }).tags ?? "";
    expect(message).toContain(`"${"X".repeat(60)}"`);
    expect(message.length).toBeLessThan(200);
  });

  it("checks a time zone of 64 characters and refuses one of 65 unread", () => {
    expect(errorsOf({ ...valid, time_zone: "A".repeat(64) })).toEqual({
      time_zone: `is "${"A".repeat(64)}"; expected an IANA time zone like "Asia/Almaty"`,
    });
    expect(errorsOf({ ...valid, time_zone: "A".repeat(65) })).toEqual({
      time_zone: 'must be an IANA time zone like "Asia/Almaty"',
    });
  });
});

describe("addressKey", () => {
  it("is one key for an address in any letter case, local part and domain", () => {
    const keys = new Set(["Victim@Example.com", "VICTIM@example.com", "victim@EXAMPLE.COM"].map(addressKey));
    expect([...keys]).toEqual(["victim@example.com"]);
  });

  it("folds A-Z only, as SQLite's lower() does, and nothing normaliseAddress returns is outside ASCII", () => {
    expect(addressKey("ÄÖ.Ü@X.ЯЗ")).toBe("ÄÖ.Ü@x.ЯЗ");
    for (const raw of ["ÄÖ@example.com", "ivan@ПРИМЕР.РФ", "Dana.Kim+news@Bücher.DE"]) {
      const address = normaliseAddress(raw);
      if (address !== null) expect(address, raw).toMatch(/^[\x21-\x7e]+$/);
    }
    expect(normaliseAddress("Dana@Bücher.DE")).toBe("Dana@xn--bcher-kva.de");
  });
});

describe("unknownTags", () => {
  it("names the first tag the site does not have, the same way on sign-up and on the preference form", () => {
    expect(unknownTags(["a", "b", "c"], [{}, null, null])).toEqual([
      { field: "tags", message: 'has "b", which is not a tag on this site', code: "unknown", value: "b" },
    ]);
  });

  it("is no error when every tag is found, or none is asked for", () => {
    expect(unknownTags(["a", "b"], [{}, {}])).toEqual([]);
    expect(unknownTags([], [])).toEqual([]);
  });
});
