import { describe, expect, it } from "vitest";
import { type ImportResult, type SiteTag, SubscriberImport, tagMatcher } from "../../../src/core/import/index.js";
import buttondown from "../../fixtures/import/buttondown.csv?bytes";
import edgeFeeds from "../../fixtures/import/edge-feeds.csv?bytes";
import empty from "../../fixtures/import/empty.csv?bytes";
import ghost from "../../fixtures/import/ghost.csv?bytes";
import headerOnly from "../../fixtures/import/header-only.csv?bytes";
import listmonk from "../../fixtures/import/listmonk.csv?bytes";
import mailchimpCleaned from "../../fixtures/import/mailchimp-cleaned.csv?bytes";
import mailchimpSubscribed from "../../fixtures/import/mailchimp-subscribed.csv?bytes";
import mailchimpUnsubscribed from "../../fixtures/import/mailchimp-unsubscribed.csv?bytes";
import plainCp1251 from "../../fixtures/import/plain-cp1251.csv?bytes";
import plainLatin1 from "../../fixtures/import/plain-latin1.csv?bytes";
import plainNoHeader from "../../fixtures/import/plain-no-header.csv?bytes";
import substack from "../../fixtures/import/substack.csv?bytes";

const siteTags: SiteTag[] = [
  { name: "Politics", slug: "politics" },
  { name: "Elections", slug: "elections" },
  { name: "Transit", slug: "transit" },
  { name: "Economie", slug: "economie" },
  { name: "City Hall", slug: "city-hall" },
];

function run(bytes: Uint8Array, chunk = bytes.length || 1): ImportResult {
  const importer = new SubscriberImport({ siteTags });
  for (let i = 0; i < bytes.length; i += chunk) importer.push(bytes.subarray(i, i + chunk));
  return importer.end();
}

const text = (value: string) => new TextEncoder().encode(value);
const at = (iso: string) => Date.parse(iso);
const subscribe = { action: "subscribe" } as const;
const suppress = (reason: "unsubscribed" | "cleaned" | "bounced" | "complained") =>
  ({ action: "suppress", reason }) as const;
const noCounts = { subscribe: 0, unsubscribed: 0, cleaned: 0, bounced: 0, complained: 0, problems: 0, merged: 0 };
const report = {
  kind: null,
  encoding: "utf-8",
  problems: [],
  fileError: null,
  unknownColumns: [],
  unknownTags: [],
};

describe("Mailchimp exports", () => {
  it("reads the subscribed section: CRLF, quoted commas and line breaks, tags, a merged case variant", () => {
    expect(run(mailchimpSubscribed)).toEqual({
      records: [
        {
          line: 2,
          address: "ada@example.com",
          key: "ada@example.com",
          name: "Ada Lovelace",
          tags: ["Politics", "Élections"],
          tagSlugs: ["politics", "elections"],
          optedInAt: at("2019-03-14T17:35:40Z"),
          outcome: subscribe,
          mergedLines: [],
        },
        {
          line: 4,
          address: "Grace@example.com",
          key: "grace@example.com",
          name: "Grace Hopper",
          tags: ["Transit", "Politics", "Sport"],
          tagSlugs: ["transit", "politics"],
          // The earlier opt-in of the two rows, from CONFIRM_TIME where the row has one.
          optedInAt: at("2018-01-01T10:05:00Z"),
          outcome: subscribe,
          mergedLines: [6],
        },
      ],
      report: {
        ...report,
        source: "mailchimp",
        kind: "subscribed",
        rows: 4,
        counts: { ...noCounts, subscribe: 2, problems: 1, merged: 1 },
        problems: [{ line: 5, message: '"not-an-address" is not a valid email address' }],
        unknownColumns: ["Company"],
        unknownTags: ["Sport"],
      },
    });
  });

  it("turns the unsubscribed and cleaned sections into suppressions", () => {
    const unsubscribed = run(mailchimpUnsubscribed);
    expect(unsubscribed.records.map((r) => [r.line, r.address, r.name, r.tags, r.optedInAt, r.outcome])).toEqual([
      [2, "left@example.com", "Lou", ["Politics"], at("2018-02-12T10:54:27Z"), suppress("unsubscribed")],
      [3, "gone@example.org", null, [], at("2019-05-05T05:05:05Z"), suppress("unsubscribed")],
    ]);
    expect(unsubscribed.report).toEqual({
      ...report,
      source: "mailchimp",
      kind: "unsubscribed",
      rows: 2,
      counts: { ...noCounts, unsubscribed: 2 },
    });
    const cleaned = run(mailchimpCleaned);
    expect(cleaned.records.map((r) => [r.line, r.address, r.tags, r.outcome])).toEqual([
      [2, "bounced@example.net", ["Editors"], suppress("cleaned")],
    ]);
    expect(cleaned.report).toEqual({
      ...report,
      source: "mailchimp",
      kind: "cleaned",
      rows: 1,
      counts: { ...noCounts, cleaned: 1 },
      unknownTags: ["Editors"],
    });
  });

  it("gives the same result fed a byte at a time", () => {
    const whole = run(mailchimpSubscribed);
    for (const size of [1, 2, 3, 7, 64]) expect(run(mailchimpSubscribed, size)).toEqual(whole);
  });

  it("refuses a time not written as Mailchimp writes it", () => {
    const header = "Email Address,OPTIN_TIME,CONFIRM_TIME";
    const result = run(text(`${header}\na@example.com,2020-06-01T08:00:00,\nb@example.com,,2020-02-30 08:00:00\n`));
    expect(result.report.problems).toEqual([
      {
        line: 2,
        message:
          'OPTIN_TIME "2020-06-01T08:00:00" is not a date and time as Mailchimp writes it (like "2018-02-12 10:54:27")',
      },
      {
        line: 3,
        message:
          'CONFIRM_TIME "2020-02-30 08:00:00" is not a date and time as Mailchimp writes it (like "2018-02-12 10:54:27")',
      },
    ]);
  });
});

describe("other services' exports", () => {
  it("reads Substack's list: a BOM, email_disabled as an unsubscribe, deletion placeholders refused", () => {
    expect(run(substack)).toEqual({
      records: [
        {
          line: 2,
          address: "reader@example.com",
          key: "reader@example.com",
          name: null,
          tags: [],
          tagSlugs: [],
          optedInAt: at("2018-08-27T15:06:27.713Z"),
          outcome: subscribe,
          mergedLines: [],
        },
        {
          line: 3,
          address: "quiet@example.com",
          key: "quiet@example.com",
          name: null,
          tags: [],
          tagSlugs: [],
          optedInAt: at("2019-12-19T08:03:04.977Z"),
          outcome: suppress("unsubscribed"),
          mergedLines: [],
        },
      ],
      report: {
        ...report,
        source: "substack",
        rows: 4,
        counts: { ...noCounts, subscribe: 1, unsubscribed: 1, problems: 2 },
        problems: [
          {
            line: 4,
            message: "8f2c1e@deletion-request.substack.com stands for a reader who asked Substack to delete their data",
          },
          { line: 5, message: '"ömil@example.com" is not a valid email address' },
        ],
      },
    });
  });

  it("reads this project's own export: active subscribers, the rest suppressed or left out, tags by slug", () => {
    const result = run(edgeFeeds);
    expect(result.records.map((r) => [r.line, r.address, r.tagSlugs, r.optedInAt, r.outcome])).toEqual([
      [2, "ann@example.org", ["transit", "city-hall"], at("2022-01-10T07:05:00.000Z"), subscribe],
      [3, "bob@example.org", [], at("2021-05-01T10:02:00.000Z"), suppress("unsubscribed")],
      [4, "cid@example.org", [], at("2021-06-01T10:03:00.000Z"), suppress("cleaned")],
    ]);
    expect(result.report).toEqual({
      ...report,
      source: "edge-feeds",
      rows: 4,
      counts: { ...noCounts, subscribe: 1, unsubscribed: 1, cleaned: 1, problems: 1 },
      problems: [{ line: 5, message: "the subscriber never confirmed the subscription there" }],
    });
  });

  it("reads Buttondown's subscriber types", () => {
    const result = run(buttondown);
    expect(result.records.map((r) => [r.line, r.address, r.tags, r.tagSlugs, r.optedInAt, r.outcome])).toEqual([
      [2, "reg@example.com", ["transit", "politics"], ["transit", "politics"], at("2019-08-24T14:15:22Z"), subscribe],
      [3, "paid@example.com", [], [], at("2020-01-01T00:00:00Z"), subscribe],
      [4, "unsub@example.com", [], [], at("2020-02-02T00:00:00Z"), suppress("unsubscribed")],
      [5, "bounce@example.com", [], [], at("2020-03-03T00:00:00Z"), suppress("bounced")],
      [6, "spam@example.com", [], [], at("2020-04-04T00:00:00Z"), suppress("complained")],
    ]);
    expect(result.report).toEqual({
      ...report,
      source: "buttondown",
      rows: 6,
      counts: { ...noCounts, subscribe: 2, unsubscribed: 1, bounced: 1, complained: 1, problems: 1 },
      problems: [{ line: 7, message: "the subscriber never confirmed the subscription in Buttondown" }],
    });
  });

  it("reads Ghost's members export: labels, subscribed_to_emails, a date it does not write refused", () => {
    const result = run(ghost);
    expect(result.records.map((r) => [r.line, r.address, r.name, r.tags, r.tagSlugs, r.optedInAt, r.outcome])).toEqual([
      [
        2,
        "dana@example.com",
        "Dana, PhD",
        ["Politics", "Élections"],
        ["politics", "elections"],
        at("2022-01-10T16:00:00Z"),
        subscribe,
      ],
      [3, "off@example.com", "Off Emails", [], [], at("2023-03-01T09:30:00Z"), suppress("unsubscribed")],
    ]);
    expect(result.report).toEqual({
      ...report,
      source: "ghost",
      rows: 3,
      counts: { ...noCounts, subscribe: 1, unsubscribed: 1, problems: 1 },
      problems: [
        {
          line: 4,
          message:
            'created_at "01/03/2023" is not a date and time as Ghost writes it (like "2019-10-30T14:52:08.000Z")',
        },
      ],
    });
  });

  it("reads listmonk's old name for a blocklisted subscriber", () => {
    const header = "uuid,email,name,attributes,status,created_at,updated_at";
    const result = run(text(`${header}\nx,old@example.com,,{},blacklisted,,\n`));
    expect(result.records.map((r) => [r.address, r.optedInAt, r.outcome])).toEqual([
      ["old@example.com", null, suppress("unsubscribed")],
    ]);
  });

  it("reads listmonk's export: blocklisted suppressed, disabled left out, Go's times with their offset", () => {
    const result = run(listmonk);
    expect(result.records.map((r) => [r.line, r.address, r.name, r.optedInAt, r.outcome])).toEqual([
      [2, "on@example.com", "Enabled Reader", at("2024-01-15T04:30:00.123Z"), subscribe],
      [3, "blocked@example.com", "Blocked Reader", at("2023-05-05T05:05:05Z"), suppress("unsubscribed")],
    ]);
    expect(result.report).toEqual({
      ...report,
      source: "listmonk",
      rows: 3,
      counts: { ...noCounts, subscribe: 1, unsubscribed: 1, problems: 1 },
      problems: [{ line: 4, message: "the subscriber is disabled in listmonk" }],
    });
  });
});

describe("plain files", () => {
  it("reads a Windows-1252 file with lone CR line ends and says so", () => {
    const result = run(plainLatin1);
    expect(result.records.map((r) => [r.line, r.address, r.name, r.tags, r.tagSlugs])).toEqual([
      [2, "zoe@example.com", "Zoë Müller", ["Économie", "Culture"], ["economie"]],
      [3, "jose@example.com", "José “Pepe” Núñez", [], []],
    ]);
    expect(result.report).toEqual({
      ...report,
      source: "plain",
      encoding: "windows-1252",
      rows: 2,
      counts: { ...noCounts, subscribe: 2 },
      unknownTags: ["Culture"],
    });
  });

  it("reads a Russian Windows file as Windows-1251, whatever the chunks, its Cyrillic tags matched", () => {
    const cyrillicTags: SiteTag[] = [{ name: "Культура", slug: "kultura" }];
    const read = (chunk: number) => {
      const importer = new SubscriberImport({ siteTags: cyrillicTags });
      for (let i = 0; i < plainCp1251.length; i += chunk) importer.push(plainCp1251.subarray(i, i + chunk));
      return importer.end();
    };
    const whole = read(plainCp1251.length);
    expect(whole.report.encoding).toBe("windows-1251");
    expect(whole.records.map((r) => [r.address, r.name, r.tags, r.tagSlugs])).toEqual([
      ["aigerim@example.kz", "Айгерим Сейткали", ["Культура", "Транспорт"], ["kultura"]],
      ["ivan@example.ru", "Иван Петров", ["Культура"], ["kultura"]],
    ]);
    expect(whole.report.unknownTags).toEqual(["Транспорт"]);
    for (const chunk of [1, 7, 64]) expect(read(chunk)).toEqual(whole);
  });

  it("reads a file without a header, reporting rows without an address or with a control character", () => {
    const result = run(plainNoHeader);
    expect(result.records.map((r) => [r.line, r.address, r.name, r.tags])).toEqual([
      [1, "first@example.com", "First Reader", ["transit"]],
      [2, "second@example.com", null, []],
    ]);
    expect(result.report).toEqual({
      ...report,
      source: "plain",
      rows: 4,
      counts: { ...noCounts, subscribe: 2, problems: 2 },
      problems: [
        { line: 3, message: "there is no email address" },
        { line: 4, message: "the name column has a control character (U+0007)" },
      ],
    });
  });

  it("reads a file a spreadsheet saved with semicolons", () => {
    const result = run(text('E-mail;Name;Tags\r\nada@example.com;"Lovelace; Ada";"Transit, Politics"\r\n'), 5);
    expect(result.records.map((r) => [r.address, r.name, r.tagSlugs])).toEqual([
      ["ada@example.com", "Lovelace; Ada", ["transit", "politics"]],
    ]);
    expect(result.report).toMatchObject({ source: "plain", rows: 1, problems: [], fileError: null });
  });

  it("names the columns it does not read", () => {
    const result = run(text("Name,E-mail,Phone,tags\nAda,ada@example.com,555,\n"));
    expect(result.records.map((r) => [r.address, r.name])).toEqual([["ada@example.com", "Ada"]]);
    expect(result.report.unknownColumns).toEqual(["Phone"]);
  });

  it("reads a header-only file as nothing to import, and an empty file as an error", () => {
    expect(run(headerOnly)).toEqual({ records: [], report: { ...report, source: "plain", rows: 0, counts: noCounts } });
    expect(run(empty)).toEqual({
      records: [],
      report: {
        ...report,
        source: null,
        rows: 0,
        counts: noCounts,
        fileError: { line: 1, message: "the file is empty" },
      },
    });
  });

  it("refuses, whole, a file whose first row is neither a known header nor an address", () => {
    const result = run(text("name,phone\nAda,555\nada@example.com,1\n"));
    expect(result.records).toEqual([]);
    expect(result.report.fileError).toEqual({
      line: 1,
      message:
        'the first row names no column of email addresses ("email", "Email Address" …) and is not an address itself',
    });
    expect(result.report.rows).toBe(0);
    const utf16 = run(Uint8Array.from([0xff, 0xfe, 0x65, 0, 0x0a, 0]));
    expect(utf16.report.fileError).toEqual({
      line: 1,
      message: 'the file is UTF-16 text; save it as "CSV UTF-8" instead',
    });
    const wide = run(text(`email${",x".repeat(512)}\na@example.com\n`));
    expect(wide.records).toEqual([]);
    expect(wide.report.fileError).toEqual({ line: 1, message: "the row has more than 512 columns" });
  });
});

describe("rows", () => {
  const importRows = (...lines: string[]) => run(text(`email,name,tags,notes\n${lines.join("\n")}\n`));

  it("refuses a control character in any column, and a line break or tab in the columns it reads", () => {
    const result = importRows(
      "a@example.com,A,,fine\tnote",
      '"b@example.com",B,,"two\nlines"',
      "c@example.com,C,,del\x7f",
      "d@example.com,D,,next line\x85",
      'e@example.com,"E\nE",,',
      "f@example.com,F,x\ty,",
      "g@example.com,G\0,,",
    );
    expect(result.records.map((r) => r.address)).toEqual(["a@example.com", "b@example.com"]);
    expect(result.report.problems).toEqual([
      { line: 5, message: "the notes column has a control character (U+007F)" },
      { line: 6, message: "the notes column has a control character (U+0085)" },
      { line: 7, message: "the name column has a control character (U+000A)" },
      { line: 9, message: "the tags column has a control character (U+0009)" },
      { line: 10, message: "the name column has a control character (U+0000)" },
    ]);
  });

  it("refuses a row with bytes that are not UTF-8 in a UTF-8 file", () => {
    const bytes = Uint8Array.from([...text("email,name\na@example.com,Zoë\nb@example.com,Zo"), 0xeb, 0x0a]);
    const result = run(bytes);
    expect(result.records.map((r) => r.address)).toEqual(["a@example.com"]);
    expect(result.report.encoding).toBe("utf-8");
    expect(result.report.problems).toEqual([{ line: 3, message: "the name column has bytes that are not UTF-8 text" }]);
  });

  it("takes a name of 200 characters and refuses one of 201", () => {
    const result = importRows(`a@example.com,${"n".repeat(200)},,`, `b@example.com,${"n".repeat(201)},,`);
    expect(result.records.map((r) => [r.address, r.name?.length])).toEqual([["a@example.com", 200]]);
    expect(result.report.problems).toEqual([{ line: 3, message: "the name is longer than 200 characters" }]);
  });

  it("trims the address and keeps its local part's case, comparing mailboxes case-blind", () => {
    const result = importRows("  Ada@Example.com ,Ada,,", "ADA@example.COM,,Politics,", "ada@example.com,,,");
    expect(result.records.map((r) => [r.line, r.address, r.key, r.name, r.tags, r.mergedLines])).toEqual([
      [2, "Ada@example.com", "ada@example.com", "Ada", ["Politics"], [3, 4]],
    ]);
    expect(result.report.counts).toEqual({ ...noCounts, subscribe: 1, merged: 2 });
  });

  it("lets a suppression win over a subscription for one mailbox, in either order", () => {
    const header = "email,creation_date,subscriber_type\n";
    const first = run(text(`${header}a@example.com,,regular\nA@example.com,,unsubscribed\nA@EXAMPLE.com,,regular\n`));
    expect(first.records.map((r) => [r.address, r.outcome, r.mergedLines])).toEqual([
      ["a@example.com", suppress("unsubscribed"), [3, 4]],
    ]);
    expect(first.report.counts).toEqual({ ...noCounts, unsubscribed: 1, merged: 2 });
    const second = run(text(`${header}a@example.com,,undeliverable\na@example.com,,complained\n`));
    expect(second.records.map((r) => r.outcome)).toEqual([suppress("bounced")]);
  });

  it("takes 100 tags on a row and refuses 101", () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`).join(",");
    const result = importRows(`a@example.com,,"${tags(100)}",`, `b@example.com,,"${tags(101)}",`);
    expect(result.records.map((r) => [r.address, r.tags.length])).toEqual([["a@example.com", 100]]);
    expect(result.report.problems).toEqual([{ line: 3, message: "the row has more than 100 tags" }]);
    expect(result.report.unknownTags).toHaveLength(100);
  });

  it("refuses hostile rows at their limits: a 16 000-character address, 2 500 distinct tags, an @ run", () => {
    const tags = Array.from({ length: 2_500 }, (_, i) => `t${i}`).join(",");
    const result = importRows(
      `${"a".repeat(8_000)}@${"b".repeat(8_000)}.com,,,`,
      `a@example.com,,"${tags}",`,
      `${"@".repeat(16_000)},,,`,
    );
    expect(result.records).toEqual([]);
    expect(result.report.problems).toEqual([
      { line: 2, message: `"${"a".repeat(60)}" is not a valid email address` },
      { line: 3, message: "the row has more than 100 tags" },
      { line: 4, message: `"${"@".repeat(60)}" is not a valid email address` },
    ]);
  });

  it("lists the first 100 problems and counts them all", () => {
    const bad = (n: number) => importRows(...Array.from({ length: n }, (_, i) => `bad${i},,,`));
    expect(bad(100).report.problems).toHaveLength(100);
    const over = bad(101).report;
    expect(over.problems).toHaveLength(100);
    expect(over.problems.at(-1)).toEqual({ line: 101, message: '"bad99" is not a valid email address' });
    expect(over.counts.problems).toBe(101);
  });

  it("reads 100 000 rows fed in 64 KB chunks", () => {
    const lines = ["email,creation_date,subscriber_type,tags"];
    for (let i = 0; i < 100_000; i++) {
      // The last 5 000 rows repeat the first 5 000 addresses in upper case; every 20th unsubscribed.
      const n = i < 95_000 ? i : i - 95_000;
      const address = i < 95_000 ? `reader${n}@example.com` : `READER${n}@EXAMPLE.COM`;
      const type = n % 20 === 0 ? "unsubscribed" : "regular";
      lines.push(`${address},2020-01-01T00:00:00Z,${type},"Transit, politics"`);
    }
    const result = run(text(`${lines.join("\r\n")}\r\n`), 65_536);
    expect(result.report.rows).toBe(100_000);
    expect(result.report.counts).toEqual({ ...noCounts, subscribe: 90_250, unsubscribed: 4_750, merged: 5_000 });
    expect(result.records).toHaveLength(95_000);
    expect(result.records[94_999]).toMatchObject({ line: 95_001, key: "reader94999@example.com" });
    expect(result.records[0]).toMatchObject({ tagSlugs: ["transit", "politics"], mergedLines: [95_002] });
  });
});

describe("tagMatcher", () => {
  it("matches names to the site's tags case- and accent-blind, reporting the rest", () => {
    const match = tagMatcher([...siteTags, { name: "Ёлка", slug: "yolka" }]);
    expect(match(["POLITICS", "élections", " Transit ", "ЕЛКА", "Sport", "politics"])).toEqual({
      slugs: ["politics", "elections", "transit", "yolka"],
      unknown: ["Sport"],
    });
    expect(match([])).toEqual({ slugs: [], unknown: [] });
  });
});
