// The fixed words readers see (digests and HTML pages), by language: one typed table per
// language, looked up by a BCP 47 tag with fallback to the primary subtag and then English.
// Counts go through Intl.PluralRules, so Russian gets its three forms (1 статья, 2 статьи,
// 5 статей). Dates go through Intl, except where a table brings its own calendar words:
// workerd's ICU has no Kazakh dates or lists, so Kazakh is written here, in CLDR's patterns.
// Pure: no clock, no I/O; the Intl objects come from the shared memo in intl.ts.

import { dateTimeFormat, listFormat, pluralRules } from "./intl.js";

export type DigestKind = "daily" | "weekly";

/** Forms of a counted word by CLDR plural category; `other` is the one every language has. */
/**
 * How a date is written: `full` with the weekday (a daily digest's heading), `long` and
 * `medium` like Intl's dateStyle, `dayMonth` without the year (the start of a week's range).
 */
export type DateStyle = "full" | "long" | "medium" | "dayMonth";

/** Month and weekday names, for a language whose dates the runtime's ICU may lack. */
export interface CalendarWords {
  /** January first. */
  months: readonly string[];
  monthsShort: readonly string[];
  /** Sunday first. */
  weekdays: readonly string[];
  format(
    style: DateStyle,
    parts: { year: number; month: string; monthShort: string; day: number; weekday: string },
  ): string;
}

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Messages {
  /** The language of this table ("en", "ru", "kk"). */
  lang: string;
  /** Set when dates are written from these words rather than Intl's. */
  calendar?: CalendarWords;
  /** "5 articles". */
  articles(count: number): string;
  /** "48 hours". */
  hours(count: number): string;

  // Digests (emails and their web versions).
  /** Heading: "Daily digest". */
  digest(kind: DigestKind): string;
  /** "3 articles tagged A or B from The Steppe Ledger." (tags: any of them, already listed). */
  digestIntro(count: number, tags: readonly string[], site: string): string;
  viewInBrowser: string;
  unsubscribe: string;
  /** Footer link to the subscriber's preferences page. */
  managePreferences: string;
  /** Label of the button to the web version's list of the rest: "Read 9 more articles on the web". */
  moreOnWeb(count: number): string;
  /** Heading of the web version's list of the rest. */
  moreArticles: string;
  /** The web version's links to the editions before and after it: "Previous: Sunday, 9 January 2022". */
  previousEdition(period: string): string;
  nextEdition(period: string): string;
  /** An ISO week in the digest archive: "Week 2, 2022". */
  week(week: number, year: number): string;
  /** Footer of an email: why the reader gets it. */
  emailReason(kind: DigestKind, site: string): string;
  /** Footer of a digest's web version. */
  webReason(kind: DigestKind, site: string): string;

  // The confirmation email (double opt-in). `existing`: an address that is already subscribed
  // asked for new preferences, which apply only once confirmed.
  confirmSubject(site: string, existing: boolean): string;
  confirmPreheader(site: string, existing: boolean, hours: number): string;
  confirmHeading(existing: boolean): string;
  /** The email's opening line. */
  greeting: string;
  /** What was asked for, and from where. */
  confirmIntro(site: string, existing: boolean): string;
  confirmButton(existing: boolean): string;
  /** The plain-text part's lead-in to the link on the next line. */
  confirmOpenLink: string;
  /** The HTML's lead-in to the link written out, for when the button does not show. */
  confirmLinkFallback: string;
  confirmExpires(hours: number): string;
  /** "If it was not you, ignore this": what happens then. */
  confirmIgnore(existing: boolean): string;
  /** Footer: why this address got the email (it is not list mail, so no unsubscribe link). */
  confirmReason(site: string): string;

  // Items and pages.
  readMore: string;
  /** Accessible name of an item's "Read more" link. */
  readMoreAbout(title: string): string;
  updated: string;
  older: string;
  newest: string;
  tagged(tag: string): string;
  byAuthor(author: string): string;
  follow(title: string): string;
  pageNotFound: string;
}

/** The form of a counted word for `count` in `lang`. */
export function plural(lang: string, count: number, forms: PluralForms): string {
  return forms[pluralRules(lang).select(count)] ?? forms.other;
}

const or = (lang: string, items: readonly string[]) => listFormat(lang, "disjunction").format(items);

// "A, B немесе C": written out because workerd's ICU has no Kazakh list patterns.
const kkOr = (items: readonly string[]) =>
  items.length > 1 ? `${items.slice(0, -1).join(", ")} немесе ${items.at(-1)}` : (items[0] ?? "");

const en: Messages = {
  lang: "en",
  articles: (n) => `${n} ${plural("en", n, { one: "article", other: "articles" })}`,
  hours: (n) => `${n} ${plural("en", n, { one: "hour", other: "hours" })}`,
  digest: (kind) => (kind === "daily" ? "Daily digest" : "Weekly digest"),
  digestIntro: (n, tags, site) =>
    `${en.articles(n)}${tags.length > 0 ? ` tagged ${or("en", tags)}` : ""} from ${site}.`,
  viewInBrowser: "View in browser",
  unsubscribe: "Unsubscribe",
  managePreferences: "Manage preferences",
  moreOnWeb: (n) => `Read ${n} more ${plural("en", n, { one: "article", other: "articles" })} on the web`,
  moreArticles: "More articles",
  previousEdition: (period) => `Previous: ${period}`,
  nextEdition: (period) => `Next: ${period}`,
  week: (week, year) => `Week ${week}, ${year}`,
  emailReason: (kind, site) => `You get this email because you subscribed to the ${kind} digest of ${site}.`,
  webReason: (kind, site) => `This is the web version of the ${kind} digest of ${site}.`,
  confirmSubject: (site, existing) =>
    existing ? `Confirm your new preferences for ${site}` : `Confirm your subscription to ${site}`,
  confirmPreheader: (site, existing, hours) =>
    `${existing ? `Confirm your new preferences for ${site}` : `Confirm that you want ${site} by email`}: the link works for ${en.hours(hours)}.`,
  confirmHeading: (existing) => (existing ? "Confirm your new preferences" : "Confirm your subscription"),
  greeting: "Hello,",
  confirmIntro: (site, existing) =>
    existing
      ? `Someone, hopefully you, asked to change what this address gets from ${site} by email.`
      : `Someone, hopefully you, asked to subscribe this address to ${site} by email.`,
  confirmButton: (existing) => (existing ? "Confirm new preferences" : "Confirm subscription"),
  confirmOpenLink: "To confirm, open this link and press the button on the page:",
  confirmLinkFallback: "If the button does not work, open this link:",
  confirmExpires: (hours) => `The link works for ${en.hours(hours)}.`,
  confirmIgnore: (existing) =>
    existing
      ? "If it was not you, ignore this email: your subscription stays as it is."
      : "If it was not you, ignore this email: nothing is subscribed unless the link is confirmed.",
  confirmReason: (site) => `You got this email because this address was entered in the subscription form of ${site}.`,
  readMore: "Read more",
  readMoreAbout: (title) => `Read more: ${title}`,
  updated: "Updated",
  older: "Older →",
  newest: "← Newest",
  tagged: (tag) => `Tagged “${tag}”`,
  byAuthor: (author) => `By ${author}`,
  follow: (title) => `Follow ${title}:`,
  pageNotFound: "Page not found",
};

const ruDaily = { daily: "ежедневный", weekly: "еженедельный" } as const;
const ruDailyGenitive = { daily: "ежедневного", weekly: "еженедельного" } as const;

const ru: Messages = {
  lang: "ru",
  articles: (n) => `${n} ${plural("ru", n, { one: "статья", few: "статьи", many: "статей", other: "статьи" })}`,
  hours: (n) => `${n} ${plural("ru", n, { one: "час", few: "часа", many: "часов", other: "часа" })}`,
  digest: (kind) => (kind === "daily" ? "Ежедневный дайджест" : "Еженедельный дайджест"),
  digestIntro: (n, tags, site) =>
    `${ru.articles(n)}${tags.length > 0 ? ` с тегом ${or("ru", tags)}` : ""} из «${site}».`,
  viewInBrowser: "Открыть в браузере",
  unsubscribe: "Отписаться",
  managePreferences: "Настроить рассылку",
  moreOnWeb: (n) => `Ещё ${ru.articles(n)} на сайте`,
  moreArticles: "Другие статьи",
  previousEdition: (period) => `Предыдущий выпуск: ${period}`,
  nextEdition: (period) => `Следующий выпуск: ${period}`,
  week: (week, year) => `Неделя ${week}, ${year}`,
  emailReason: (kind, site) => `Вы получили это письмо, потому что подписались на ${ruDaily[kind]} дайджест «${site}».`,
  webReason: (kind, site) => `Это веб-версия ${ruDailyGenitive[kind]} дайджеста «${site}».`,
  confirmSubject: (site, existing) =>
    existing ? `Подтвердите новые настройки подписки на «${site}»` : `Подтвердите подписку на «${site}»`,
  confirmPreheader: (site, existing, hours) =>
    `${existing ? `Подтвердите новые настройки подписки на «${site}»` : `Подтвердите, что хотите получать «${site}» по почте`}: ссылка действует ${ru.hours(hours)}.`,
  confirmHeading: (existing) => (existing ? "Подтвердите новые настройки" : "Подтвердите подписку"),
  greeting: "Здравствуйте!",
  confirmIntro: (site, existing) =>
    existing
      ? `Кто-то (надеемся, вы) попросил изменить подписку этого адреса на рассылку «${site}».`
      : `Кто-то (надеемся, вы) попросил подписать этот адрес на рассылку «${site}».`,
  confirmButton: (existing) => (existing ? "Подтвердить настройки" : "Подтвердить подписку"),
  confirmOpenLink: "Чтобы подтвердить, откройте ссылку и нажмите кнопку на странице:",
  confirmLinkFallback: "Если кнопка не работает, откройте эту ссылку:",
  confirmExpires: (hours) => `Ссылка действует ${ru.hours(hours)}.`,
  confirmIgnore: (existing) =>
    existing
      ? "Если это были не вы, не обращайте внимания на письмо: подписка останется прежней."
      : "Если это были не вы, не обращайте внимания на письмо: без подтверждения подписки не будет.",
  confirmReason: (site) => `Вы получили это письмо, потому что этот адрес указали в форме подписки на сайте «${site}».`,
  readMore: "Читать далее",
  readMoreAbout: (title) => `Читать далее: ${title}`,
  updated: "Обновлено",
  older: "Более ранние →",
  newest: "← Самые новые",
  tagged: (tag) => `Материалы с тегом «${tag}»`,
  byAuthor: (author) => `Автор: ${author}`,
  follow: (title) => `Подписаться на «${title}»:`,
  pageNotFound: "Страница не найдена",
};

const kkDaily = { daily: "күнделікті", weekly: "апталық" } as const;

const kkCalendar: CalendarWords = {
  months: [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
  ],
  monthsShort: ["қаң.", "ақп.", "нау.", "сәу.", "мам.", "мау.", "шіл.", "там.", "қыр.", "қаз.", "қар.", "жел."],
  weekdays: ["жексенбі", "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі"],
  format: (style, d) => {
    switch (style) {
      case "full":
        return `${d.year} ж. ${d.day} ${d.month}, ${d.weekday}`;
      case "long":
        return `${d.year} ж. ${d.day} ${d.month}`;
      case "medium":
        return `${d.year} ж. ${d.day} ${d.monthShort}`;
      case "dayMonth":
        return `${d.day} ${d.month}`;
    }
  },
};

// Kazakh nouns keep their singular form after a numeral (5 мақала), so both categories agree.
const kk: Messages = {
  lang: "kk",
  calendar: kkCalendar,
  articles: (n) => `${n} ${plural("kk", n, { one: "мақала", other: "мақала" })}`,
  hours: (n) => `${n} сағат`,
  digest: (kind) => (kind === "daily" ? "Күнделікті дайджест" : "Апталық дайджест"),
  digestIntro: (n, tags, site) =>
    `«${site}» сайтынан ${tags.length > 0 ? `${kkOr(tags)} тегі бар ` : ""}${kk.articles(n)}.`,
  viewInBrowser: "Браузерде ашу",
  unsubscribe: "Жазылымнан бас тарту",
  managePreferences: "Жазылым параметрлері",
  moreOnWeb: (n) => `Тағы ${n} мақаланы сайттан оқыңыз`,
  moreArticles: "Басқа мақалалар",
  previousEdition: (period) => `Алдыңғы шығарылым: ${period}`,
  nextEdition: (period) => `Келесі шығарылым: ${period}`,
  week: (week, year) => `${year} ж., ${week}-апта`,
  emailReason: (kind, site) => `Сіз «${site}» сайтының ${kkDaily[kind]} дайджестіне жазылғандықтан, бұл хатты алдыңыз.`,
  webReason: (kind, site) => `Бұл — «${site}» сайтының ${kkDaily[kind]} дайджестінің веб-нұсқасы.`,
  confirmSubject: (site, existing) =>
    existing ? `«${site}» жазылымының жаңа баптауларын растаңыз` : `«${site}» жазылымын растаңыз`,
  confirmPreheader: (site, existing, hours) =>
    `${existing ? `«${site}» жазылымының жаңа баптауларын растаңыз` : `«${site}» хаттарын алғыңыз келетінін растаңыз`}: сілтеме ${kk.hours(hours)} жарамды.`,
  confirmHeading: (existing) => (existing ? "Жаңа баптауларды растаңыз" : "Жазылымды растаңыз"),
  greeting: "Сәлеметсіз бе!",
  confirmIntro: (site, existing) =>
    existing
      ? `Біреу (бәлкім, сіз) осы мекенжайдың «${site}» жазылымын өзгертуді сұрады.`
      : `Біреу (бәлкім, сіз) осы мекенжайды «${site}» хаттарына жазуды сұрады.`,
  confirmButton: (existing) => (existing ? "Баптауларды растау" : "Жазылымды растау"),
  confirmOpenLink: "Растау үшін сілтемені ашып, беттегі батырманы басыңыз:",
  confirmLinkFallback: "Батырма жұмыс істемесе, мына сілтемені ашыңыз:",
  confirmExpires: (hours) => `Сілтеме ${kk.hours(hours)} жарамды.`,
  confirmIgnore: (existing) =>
    existing
      ? "Егер бұл сіз болмасаңыз, хатты елемеңіз: жазылымыңыз өзгермейді."
      : "Егер бұл сіз болмасаңыз, хатты елемеңіз: растамасаңыз, жазылым болмайды.",
  confirmReason: (site) => `Бұл хат «${site}» сайтындағы жазылу формасына осы мекенжай енгізілгендіктен жіберілді.`,
  readMore: "Толығырақ",
  readMoreAbout: (title) => `Толығырақ: ${title}`,
  updated: "Жаңартылды",
  older: "Бұрынғылары →",
  newest: "← Ең жаңалары",
  tagged: (tag) => `«${tag}» тегі бар материалдар`,
  byAuthor: (author) => `Авторы: ${author}`,
  follow: (title) => `«${title}» арнасына жазылу:`,
  pageNotFound: "Бет табылмады",
};

const tables: Readonly<Record<string, Messages>> = { en, ru, kk };

/** The words for a BCP 47 tag: "kk-KZ" gets Kazakh, "de" (no table) gets English. */
export function messages(lang: string | null | undefined): Messages {
  const primary = (lang ?? "").split("-", 1)[0]?.toLowerCase() ?? "";
  return tables[primary] ?? en;
}

/**
 * The tag to format dates and numbers with: the tag itself when its language has words here
 * (so "en-GB" keeps British dates), otherwise English like the words; never a tag Intl rejects.
 */
function intlLocale(lang: string | null | undefined): string {
  const table = messages(lang);
  if (!lang || table.lang !== lang.split("-", 1)[0]?.toLowerCase()) return table.lang;
  try {
    return Intl.getCanonicalLocales(lang)[0] ?? table.lang;
  } catch {
    return table.lang;
  }
}

const intlStyles: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  full: { dateStyle: "full" },
  long: { dateStyle: "long" },
  medium: { dateStyle: "medium" },
  dayMonth: { day: "numeric", month: "long" },
};

// Digests format a date per item: the resolved writer for a (tag, zone, style) is kept, so
// the tag is canonicalized and the Intl options looked up once, not per date.
const dateWriters = new Map<string, (ms: number) => string>();

/** The local calendar day of an instant in `timeZone`, written in `lang` in one of the styles. */
export function formatDate(ms: number, lang: string | null | undefined, timeZone: string, style: DateStyle): string {
  const key = `${lang ?? ""}\u0000${timeZone}\u0000${style}`;
  let write = dateWriters.get(key);
  if (!write) {
    write = dateWriter(lang, timeZone, style);
    dateWriters.set(key, write);
  }
  return write(ms);
}

function dateWriter(lang: string | null | undefined, timeZone: string, style: DateStyle): (ms: number) => string {
  const calendar = messages(lang).calendar;
  if (!calendar) {
    const format = dateTimeFormat(intlLocale(lang), { ...intlStyles[style], timeZone });
    return (ms) => format.format(ms);
  }
  // A calendar day given at UTC (the archive's days) needs no zone arithmetic: Date's own
  // UTC fields are many times cheaper than formatToParts, on a page of 365 days.
  if (timeZone === "UTC") {
    return (ms) => {
      const d = new Date(ms);
      const month = d.getUTCMonth();
      return calendar.format(style, {
        year: d.getUTCFullYear(),
        month: calendar.months[month] ?? "",
        monthShort: calendar.monthsShort[month] ?? "",
        day: d.getUTCDate(),
        weekday: calendar.weekdays[d.getUTCDay()] ?? "",
      });
    };
  }
  const numeric = dateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    weekday: "short",
  });
  return (ms) => {
    const parts = numeric.formatToParts(ms);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
    const month = Number(part("month")) - 1;
    const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(part("weekday"));
    return calendar.format(style, {
      year: Number(part("year")),
      month: calendar.months[month] ?? "",
      monthShort: calendar.monthsShort[month] ?? "",
      day: Number(part("day")),
      weekday: calendar.weekdays[weekday] ?? "",
    });
  };
}

/** A calendar day in `timeZone`, written in `lang`: "January 10, 2022", "10 января 2022 г.". */
export function formatDay(ms: number, lang: string | null | undefined, timeZone: string): string {
  return formatDate(ms, lang, timeZone, "long");
}
