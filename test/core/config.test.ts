import { describe, expect, it } from "vitest";
import { ConfigError, parseDigestConfig, parseMailConfig, parseSiteConfig } from "../../src/core/config.js";

const vars = {
  SITE_URL: "https://news.example.com/",
  SITE_TITLE: "The Steppe Ledger",
  SITE_DESCRIPTION: "News",
  SITE_LANGUAGE: "en",
  FEED_ITEMS: "20",
  DIGEST_TZ: "Asia/Almaty",
  DIGEST_SEND_HOUR: "7",
  MAIL_FROM: "Ledger <digest@example.com>",
  MAILER: "log",
};

function settingOf(overrides: Record<string, string | undefined>): string {
  try {
    const all = { ...vars, ...overrides };
    parseSiteConfig(all);
    parseDigestConfig(all);
    parseMailConfig(all);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration by feature", () => {
  it("reads every setting", () => {
    expect(parseSiteConfig(vars)).toEqual({
      siteUrl: "https://news.example.com",
      siteTitle: "The Steppe Ledger",
      siteDescription: "News",
      siteLanguage: "en",
      feedItems: 20,
    });
    expect(parseDigestConfig(vars)).toEqual({ timeZone: "Asia/Almaty", sendHour: 7 });
    expect(parseMailConfig(vars)).toEqual({ from: "Ledger <digest@example.com>", mailer: "log" });
  });

  it("reads each group without the others' settings", () => {
    const { MAIL_FROM, MAILER, DIGEST_TZ, ...siteOnly } = vars;
    expect(parseSiteConfig({ ...siteOnly, MAIL_FROM: "nobody", DIGEST_TZ: "Mars/Olympus" }).siteTitle).toBe(
      "The Steppe Ledger",
    );
  });

  it("gives the canonical form of the site's language tag", () => {
    expect(parseSiteConfig({ ...vars, SITE_LANGUAGE: "KK-kz" }).siteLanguage).toBe("kk-KZ");
  });

  it.each([
    [{ SITE_URL: undefined }, /^SITE_URL is not set/],
    [{ SITE_URL: "news.example.com" }, /^SITE_URL is "news.example.com"/],
    [{ SITE_URL: "https://news.example.com/blog" }, /^SITE_URL .* no path/],
    [{ FEED_ITEMS: "0" }, /^FEED_ITEMS is "0"; expected a whole number from 1 to 100/],
    [{ FEED_ITEMS: "101" }, /^FEED_ITEMS is "101"/],
    [{ FEED_ITEMS: "ten" }, /^FEED_ITEMS/],
    [{ DIGEST_TZ: "Mars/Olympus" }, /^DIGEST_TZ is "Mars\/Olympus"/],
    [{ DIGEST_SEND_HOUR: "24" }, /^DIGEST_SEND_HOUR/],
    [{ MAILER: "carrier-pigeon" }, /^MAILER is "carrier-pigeon"; expected one of log, smtp, resend, postmark/],
    [{ MAIL_FROM: "nobody" }, /^MAIL_FROM/],
    [{ SITE_LANGUAGE: "" }, /^SITE_LANGUAGE is not set/],
    [{ SITE_LANGUAGE: "en-" }, /^SITE_LANGUAGE is "en-"/],
  ])("names the setting in %j", (overrides, message) => {
    expect(settingOf(overrides)).toMatch(message);
  });

  it("accepts the boundaries", () => {
    expect(parseSiteConfig({ ...vars, FEED_ITEMS: "1" }).feedItems).toBe(1);
    expect(parseSiteConfig({ ...vars, FEED_ITEMS: "100" }).feedItems).toBe(100);
    expect(parseDigestConfig({ ...vars, DIGEST_SEND_HOUR: "0" }).sendHour).toBe(0);
    expect(parseDigestConfig({ ...vars, DIGEST_SEND_HOUR: "23" }).sendHour).toBe(23);
  });
});
