import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/core/config.js";

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
    parseConfig({ ...vars, ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("reads every setting", () => {
    expect(parseConfig(vars)).toEqual({
      siteUrl: "https://news.example.com",
      siteTitle: "The Steppe Ledger",
      siteDescription: "News",
      siteLanguage: "en",
      feedItems: 20,
      digestTz: "Asia/Almaty",
      digestSendHour: 7,
      mailFrom: "Ledger <digest@example.com>",
      mailer: "log",
    });
  });

  it.each([
    [{ SITE_URL: undefined }, /^SITE_URL is not set/],
    [{ SITE_URL: "news.example.com" }, /^SITE_URL is "news.example.com"/],
    [{ SITE_URL: "https://news.example.com/blog" }, /^SITE_URL .* no path/],
    [{ FEED_ITEMS: "0" }, /^FEED_ITEMS is "0"; expected a whole number from 1 to 100/],
    [{ FEED_ITEMS: "ten" }, /^FEED_ITEMS/],
    [{ DIGEST_TZ: "Mars/Olympus" }, /^DIGEST_TZ is "Mars\/Olympus"/],
    [{ DIGEST_SEND_HOUR: "24" }, /^DIGEST_SEND_HOUR/],
    [{ MAILER: "carrier-pigeon" }, /^MAILER is "carrier-pigeon"; expected one of log, smtp, resend, postmark/],
    [{ MAIL_FROM: "nobody" }, /^MAIL_FROM/],
    [{ SITE_LANGUAGE: "" }, /^SITE_LANGUAGE is not set/],
  ])("names the setting in %j", (overrides, message) => {
    expect(settingOf(overrides)).toMatch(message);
  });
});
