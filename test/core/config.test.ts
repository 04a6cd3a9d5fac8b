import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parseAccessConfig,
  parseAdminToken,
  parseDeliveryConfig,
  parseDigestConfig,
  parseMailConfig,
  parsePostmarkWebhookCredentials,
  parseResendWebhookKey,
  parseSigningSecret,
  parseSiteConfig,
  parseVerificationSecrets,
} from "../../src/core/config.js";

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
    expect(parseMailConfig(vars)).toEqual({
      from: "Ledger <digest@example.com>",
      mailer: "log",
      apiBase: null,
      postmarkStream: "broadcast",
      smtp: null,
      apiKey: null,
    });
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
    // SITE_TITLE is in every email's Subject.
    [
      { SITE_TITLE: "Ledger\nBcc: x@evil.example" },
      /^SITE_TITLE must be one line .*: it has U\+000A \(a line break\) at character 7$/,
    ],
    [{ SITE_TITLE: "Ledger\u2028Bcc" }, /^SITE_TITLE .* U\+2028 \(a line separator\) at character 7$/],
    [{ SITE_TITLE: "Ledger\tNews" }, /^SITE_TITLE .* U\+0009 \(a tab\) at character 7$/],
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

describe("mail settings", () => {
  const smtp = { ...vars, MAILER: "smtp", SMTP_HOST: "smtp.example.com" };

  it("reads the SMTP settings, with port 587 and STARTTLS unless told otherwise", () => {
    expect(parseMailConfig(smtp).smtp).toEqual({
      host: "smtp.example.com",
      port: 587,
      secure: false,
      credentials: null,
    });
    expect(
      parseMailConfig({ ...smtp, SMTP_PORT: "465", SMTP_SECURE: "true", SMTP_USER: "u", SMTP_PASS: "p" }).smtp,
    ).toEqual({ host: "smtp.example.com", port: 465, secure: true, credentials: { username: "u", password: "p" } });
  });

  it("accepts the SMTP port's boundaries", () => {
    expect(parseMailConfig({ ...smtp, SMTP_PORT: "1" }).smtp?.port).toBe(1);
    expect(parseMailConfig({ ...smtp, SMTP_PORT: "65535" }).smtp?.port).toBe(65535);
  });

  it("reads the chosen provider's key, its API base and the Postmark stream", () => {
    const resend = parseMailConfig({
      ...vars,
      MAILER: "resend",
      RESEND_API_KEY: "re_123",
      EMAIL_API_BASE: "http://127.0.0.1:8025/resend/",
    });
    expect(resend).toMatchObject({ apiKey: "re_123", apiBase: "http://127.0.0.1:8025/resend", smtp: null });
    const postmark = parseMailConfig({ ...vars, MAILER: "postmark", POSTMARK_TOKEN: "pm", POSTMARK_STREAM: "digests" });
    expect(postmark).toMatchObject({ apiKey: "pm", apiBase: null, postmarkStream: "digests" });
  });

  it("needs no secret for the log mailer", () => {
    expect(parseMailConfig({ ...vars, RESEND_API_KEY: undefined, POSTMARK_TOKEN: undefined }).apiKey).toBeNull();
  });

  it.each([
    [{ MAILER: "resend" }, /^RESEND_API_KEY is not set; MAILER "resend" needs it/],
    [{ MAILER: "postmark" }, /^POSTMARK_TOKEN is not set; MAILER "postmark" needs it/],
    [{ MAILER: "smtp" }, /^SMTP_HOST is not set/],
    [{ ...smtp, SMTP_PORT: "0" }, /^SMTP_PORT is "0"; expected a whole number from 1 to 65535/],
    [{ ...smtp, SMTP_PORT: "65536" }, /^SMTP_PORT is "65536"/],
    [{ ...smtp, SMTP_PORT: "25a" }, /^SMTP_PORT/],
    [{ ...smtp, SMTP_SECURE: "yes" }, /^SMTP_SECURE is "yes"; expected one of true, false/],
    [{ ...smtp, SMTP_HOST: "smtp example com" }, /^SMTP_HOST is "smtp example com"/],
    [{ ...smtp, SMTP_USER: "u" }, /^SMTP_PASS is not set: set both/],
    [{ ...smtp, SMTP_PASS: "p" }, /^SMTP_USER is not set: set both/],
    [{ EMAIL_API_BASE: "api.resend.com" }, /^EMAIL_API_BASE is "api.resend.com"; expected an http\(s\) URL/],
    [{ EMAIL_API_BASE: "ftp://api.resend.com" }, /^EMAIL_API_BASE/],
    [{ POSTMARK_STREAM: "Broad Cast" }, /^POSTMARK_STREAM is "Broad Cast"/],
  ])("names the mail setting in %j", (overrides, message) => {
    expect(settingOf(overrides)).toMatch(message);
  });

  it("never quotes a secret in its error", () => {
    const message = settingOf({ MAILER: "resend", RESEND_API_KEY: "re_secret\nvalue" });
    expect(message).toMatch(/^RESEND_API_KEY is malformed/);
    expect(message).not.toContain("re_secret");
  });

  it.each([
    ["Ledger <dig\u0000est@example.com>"],
    ["dig\u0000est@example.com"],
    ["Led\u0000ger <digest@example.com>"],
    ["Led\tger <digest@example.com>"],
    ["Led\u0085ger <digest@example.com>"],
    ["Ledger <дайджест@example.com>"],
    ["дайджест@example.com"],
  ])("refuses a MAIL_FROM with a control character or a non-ASCII address: %j", (from) => {
    expect(settingOf({ MAIL_FROM: from })).toMatch(/^MAIL_FROM is /);
  });

  it("accepts a MAIL_FROM with a non-ASCII display name", () => {
    expect(parseMailConfig({ ...vars, MAIL_FROM: "Степной вестник <digest@example.com>" }).from).toBe(
      "Степной вестник <digest@example.com>",
    );
  });

  it.each([
    ["digest@example.com", "digest@example.com"],
    ["<digest@example.com>", "<digest@example.com>"],
    ["Ledger<digest@example.com>", "Ledger<digest@example.com>"],
  ])("accepts the MAIL_FROM %j", (from, read) => {
    expect(parseMailConfig({ ...vars, MAIL_FROM: from }).from).toBe(read);
  });

  it.each([
    ["a@b@example.com"],
    ["x a@example.com"],
    ["Ledger <digest@example.com> junk"],
    ["Ledger <a b@example.com>"],
    ["@example.com"],
    ["digest@"],
  ])("refuses the MAIL_FROM %j and says what it expects", (from) => {
    expect(settingOf({ MAIL_FROM: from })).toMatch(/^MAIL_FROM is ".*"; expected "Name <address@example\.com>"$/);
  });

  it("says what it expects of SMTP_HOST and POSTMARK_STREAM", () => {
    expect(settingOf({ MAILER: "smtp", SMTP_HOST: "smtp example com" })).toMatch(/expected a host name or IP address$/);
    expect(settingOf({ POSTMARK_STREAM: "broadcast!" })).toMatch(
      /^POSTMARK_STREAM is "broadcast!"; expected a Postmark stream id like "broadcast"$/,
    );
  });

  it("takes a blank optional setting as not set", () => {
    const smtp = { ...vars, MAILER: "smtp", SMTP_HOST: "smtp.example.com" };
    expect(parseMailConfig({ ...smtp, SMTP_PORT: " ", SMTP_SECURE: "", SMTP_USER: " ", SMTP_PASS: " " }).smtp).toEqual({
      host: "smtp.example.com",
      port: 587,
      secure: false,
      credentials: null,
    });
    expect(parseMailConfig({ ...vars, EMAIL_API_BASE: "  " }).apiBase).toBeNull();
  });

  it("refuses a blank secret, trims a secret, and takes one of 1000 characters but not 1001", () => {
    expect(settingOf({ MAILER: "resend", RESEND_API_KEY: "   " })).toMatch(/^RESEND_API_KEY is not set/);
    expect(parseMailConfig({ ...vars, MAILER: "resend", RESEND_API_KEY: " re_123 " }).apiKey).toBe("re_123");
    expect(parseMailConfig({ ...vars, MAILER: "resend", RESEND_API_KEY: "k".repeat(1000) }).apiKey).toBe(
      "k".repeat(1000),
    );
    expect(settingOf({ MAILER: "resend", RESEND_API_KEY: "k".repeat(1001) })).toMatch(/^RESEND_API_KEY is malformed/);
  });
});

describe("delivery settings", () => {
  it("default to 10 messages a second and a 30-second first retry", () => {
    expect(parseDeliveryConfig({})).toEqual({ rate: 10, retryDelaySeconds: 30 });
    expect(parseDeliveryConfig({ MAIL_RATE: " ", MAIL_RETRY_DELAY: "" })).toEqual({ rate: 10, retryDelaySeconds: 30 });
  });

  it("accept MAIL_RATE from 1 to 100000 and MAIL_RETRY_DELAY from 1 to 3600, naming the bad one", () => {
    expect(parseDeliveryConfig({ MAIL_RATE: "1", MAIL_RETRY_DELAY: "1" })).toEqual({ rate: 1, retryDelaySeconds: 1 });
    expect(parseDeliveryConfig({ MAIL_RATE: "100000", MAIL_RETRY_DELAY: "3600" })).toEqual({
      rate: 100_000,
      retryDelaySeconds: 3600,
    });
    for (const [name, value] of [
      ["MAIL_RATE", "0"],
      ["MAIL_RATE", "100001"],
      ["MAIL_RATE", "2.5"],
      ["MAIL_RATE", "ten"],
      ["MAIL_RETRY_DELAY", "0"],
      ["MAIL_RETRY_DELAY", "3601"],
    ] as const) {
      expect(() => parseDeliveryConfig({ [name]: value }), `${name}=${value}`).toThrow(
        expect.objectContaining({ setting: name }),
      );
    }
  });
});

/** The ConfigError `read` throws: the setting it names and its message. */
function refusal(read: () => unknown): { setting: string; message: string } {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return { setting: error.setting, message: error.message };
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("secrets", () => {
  const secret32 = "s".repeat(32);
  const old32 = "o".repeat(32);

  it("takes a SIGNING_SECRET of 32 characters but not 31, and says how to set a missing one", () => {
    expect(parseSigningSecret({ SIGNING_SECRET: secret32 })).toBe(secret32);
    expect(refusal(() => parseSigningSecret({ SIGNING_SECRET: "s".repeat(31) }))).toEqual({
      setting: "SIGNING_SECRET",
      message: "SIGNING_SECRET is shorter than 32 characters",
    });
    for (const unset of [{}, { SIGNING_SECRET: "" }]) {
      expect(refusal(() => parseSigningSecret(unset))).toEqual({
        setting: "SIGNING_SECRET",
        message:
          "SIGNING_SECRET is not set; subscriptions need it (npx wrangler secret put SIGNING_SECRET, at least 32 random characters)",
      });
    }
  });

  it("verifies with SIGNING_SECRET first, then each of SIGNING_SECRET_PREVIOUS, blanks and spaces dropped", () => {
    expect(parseVerificationSecrets({ SIGNING_SECRET: secret32 })).toEqual([secret32]);
    expect(parseVerificationSecrets({ SIGNING_SECRET: secret32, SIGNING_SECRET_PREVIOUS: " , " })).toEqual([secret32]);
    expect(
      parseVerificationSecrets({
        SIGNING_SECRET: secret32,
        SIGNING_SECRET_PREVIOUS: ` ${old32} ,, ${"p".repeat(32)},`,
      }),
    ).toEqual([secret32, old32, "p".repeat(32)]);
  });

  it("refuses a previous secret of 31 characters, saying which one in the list", () => {
    expect(
      refusal(() =>
        parseVerificationSecrets({ SIGNING_SECRET: secret32, SIGNING_SECRET_PREVIOUS: `${old32},${"p".repeat(31)}` }),
      ),
    ).toEqual({
      setting: "SIGNING_SECRET_PREVIOUS",
      message: "SIGNING_SECRET_PREVIOUS has a secret (number 2 in the list) shorter than 32 characters",
    });
  });

  it("needs SIGNING_SECRET itself before any previous one", () => {
    expect(refusal(() => parseVerificationSecrets({ SIGNING_SECRET_PREVIOUS: old32 })).setting).toBe("SIGNING_SECRET");
  });

  it('decodes a "whsec_" RESEND_WEBHOOK_SECRET of 16 bytes but not 15', () => {
    // "0123456789abcdef" and "0123456789abcde" in base64.
    expect(
      new TextDecoder().decode(parseResendWebhookKey({ RESEND_WEBHOOK_SECRET: "whsec_MDEyMzQ1Njc4OWFiY2RlZg==" })),
    ).toBe("0123456789abcdef");
    const malformed = {
      setting: "RESEND_WEBHOOK_SECRET",
      message: 'RESEND_WEBHOOK_SECRET is not a signing secret of the form "whsec_<base64>"',
    };
    expect(refusal(() => parseResendWebhookKey({ RESEND_WEBHOOK_SECRET: "whsec_MDEyMzQ1Njc4OWFiY2Rl" }))).toEqual(
      malformed,
    );
    expect(refusal(() => parseResendWebhookKey({ RESEND_WEBHOOK_SECRET: "MDEyMzQ1Njc4OWFiY2RlZg==" }))).toEqual(
      malformed,
    );
    expect(refusal(() => parseResendWebhookKey({}))).toEqual({
      setting: "RESEND_WEBHOOK_SECRET",
      message:
        "RESEND_WEBHOOK_SECRET is not set; POST /webhooks/resend needs the webhook's signing secret from Resend (npx wrangler secret put RESEND_WEBHOOK_SECRET)",
    });
  });

  it("takes Postmark's webhook user and a password of 16 characters but not 15, naming the missing one", () => {
    expect(
      parsePostmarkWebhookCredentials({ POSTMARK_WEBHOOK_USER: "postmark", POSTMARK_WEBHOOK_PASS: "p".repeat(16) }),
    ).toEqual({ user: "postmark", pass: "p".repeat(16) });
    expect(
      refusal(() =>
        parsePostmarkWebhookCredentials({ POSTMARK_WEBHOOK_USER: "postmark", POSTMARK_WEBHOOK_PASS: "p".repeat(15) }),
      ),
    ).toEqual({ setting: "POSTMARK_WEBHOOK_PASS", message: "POSTMARK_WEBHOOK_PASS is shorter than 16 characters" });
    const missing = "is not set; POST /webhooks/postmark needs POSTMARK_WEBHOOK_USER and _PASS";
    expect(refusal(() => parsePostmarkWebhookCredentials({ POSTMARK_WEBHOOK_PASS: "p".repeat(16) }))).toEqual({
      setting: "POSTMARK_WEBHOOK_USER",
      message: `POSTMARK_WEBHOOK_USER ${missing}`,
    });
    expect(refusal(() => parsePostmarkWebhookCredentials({ POSTMARK_WEBHOOK_USER: "postmark" }))).toEqual({
      setting: "POSTMARK_WEBHOOK_PASS",
      message: `POSTMARK_WEBHOOK_PASS ${missing}`,
    });
  });

  describe("ADMIN_TOKEN", () => {
    const example = "change-me-to-a-long-random-string";
    const site = (url: string) => () => url;
    const noSite = () => {
      throw new Error("the site URL was read");
    };

    it("is off (null) when unset or blank", () => {
      expect(parseAdminToken({}, noSite)).toBeNull();
      expect(parseAdminToken({ ADMIN_TOKEN: "" }, noSite)).toBeNull();
    });

    it("takes 16 characters but not 15, without reading the site's URL", () => {
      expect(parseAdminToken({ ADMIN_TOKEN: "t".repeat(16) }, noSite)).toBe("t".repeat(16));
      expect(refusal(() => parseAdminToken({ ADMIN_TOKEN: "t".repeat(15) }, noSite))).toEqual({
        setting: "ADMIN_TOKEN",
        message: "ADMIN_TOKEN is shorter than 16 characters",
      });
    });

    it("refuses the example value from .dev.vars.example on a public site", () => {
      for (const url of [
        "https://news.example.com",
        "http://localhost.example.com",
        "http://mylocalhost",
        "http://127.0.0.1.example.com",
      ]) {
        expect(
          refusal(() => parseAdminToken({ ADMIN_TOKEN: example }, site(url))),
          url,
        ).toEqual({
          setting: "ADMIN_TOKEN",
          message:
            "ADMIN_TOKEN is the example value from .dev.vars.example; set a long random secret (npx wrangler secret put ADMIN_TOKEN)",
        });
      }
    });

    it("takes the example value on the developer's own machine", () => {
      for (const url of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]) {
        expect(parseAdminToken({ ADMIN_TOKEN: example }, site(url)), url).toBe(example);
      }
    });
  });
});

describe("Cloudflare Access sign-in", () => {
  // An AUD tag as Cloudflare's dashboard shows one: 64 hex characters.
  const aud = "32eafc7626e974616deaf0dc3ce63d7bcbed58a2731e84d06bc3cdf1b53c4228";

  it("is off (null) when neither setting is set, or both are blank", () => {
    expect(parseAccessConfig({})).toBeNull();
    expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: " ", ACCESS_AUD: "" })).toBeNull();
  });

  it("reads the team domain as an origin and the audience tag", () => {
    expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: "https://myteam.cloudflareaccess.com", ACCESS_AUD: aud })).toEqual({
      teamDomain: "https://myteam.cloudflareaccess.com",
      audience: aud,
    });
    expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: "https://myteam.cloudflareaccess.com/", ACCESS_AUD: aud })).toEqual({
      teamDomain: "https://myteam.cloudflareaccess.com",
      audience: aud,
    });
  });

  it("makes a bare host the https origin", () => {
    expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: "myteam.cloudflareaccess.com", ACCESS_AUD: aud })?.teamDomain).toBe(
      "https://myteam.cloudflareaccess.com",
    );
    expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: "localhost:8443", ACCESS_AUD: aud })?.teamDomain).toBe(
      "https://localhost:8443",
    );
  });

  it("takes http on a loopback host only", () => {
    for (const domain of ["http://127.0.0.1:8025", "http://localhost:8025", "http://[::1]:8025"]) {
      expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: domain, ACCESS_AUD: aud })?.teamDomain, domain).toBe(domain);
    }
  });

  it.each([
    ["http://myteam.cloudflareaccess.com"],
    ["http://127.0.0.1.example.com"],
    ["https://myteam.cloudflareaccess.com/cdn-cgi/access/certs"],
    ["https://myteam.cloudflareaccess.com?x=1"],
    ["https://myteam.cloudflareaccess.com#team"],
    ["https://user:pass@myteam.cloudflareaccess.com"],
    ["ftp://myteam.cloudflareaccess.com"],
    ["my team"],
  ])("refuses the team domain %j, naming it", (domain) => {
    expect(refusal(() => parseAccessConfig({ ACCESS_TEAM_DOMAIN: domain, ACCESS_AUD: aud }))).toEqual({
      setting: "ACCESS_TEAM_DOMAIN",
      message: `ACCESS_TEAM_DOMAIN is "${domain}"; expected the team domain's https origin, like https://myteam.cloudflareaccess.com`,
    });
  });

  it("names the missing setting when only one is set", () => {
    expect(refusal(() => parseAccessConfig({ ACCESS_TEAM_DOMAIN: "myteam.cloudflareaccess.com" }))).toEqual({
      setting: "ACCESS_AUD",
      message:
        "ACCESS_AUD is not set: Cloudflare Access sign-in needs both ACCESS_TEAM_DOMAIN and ACCESS_AUD, or neither",
    });
    expect(refusal(() => parseAccessConfig({ ACCESS_AUD: aud, ACCESS_TEAM_DOMAIN: "" })).setting).toBe(
      "ACCESS_TEAM_DOMAIN",
    );
  });

  it("takes an audience tag of 1 to 256 printable characters without spaces", () => {
    const domain = "myteam.cloudflareaccess.com";
    expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: domain, ACCESS_AUD: "a" })?.audience).toBe("a");
    expect(parseAccessConfig({ ACCESS_TEAM_DOMAIN: domain, ACCESS_AUD: "a".repeat(256) })?.audience).toBe(
      "a".repeat(256),
    );
    for (const bad of ["a".repeat(257), "two words", "tab\there", "\u00e9t\u00e9"]) {
      expect(refusal(() => parseAccessConfig({ ACCESS_TEAM_DOMAIN: domain, ACCESS_AUD: bad })).setting, bad).toBe(
        "ACCESS_AUD",
      );
    }
  });
});
