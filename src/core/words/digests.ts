// The digests' fixed words in every language: the emails' subject and footer, the web edition and
// the archive. Words the digests already had (the heading's "Daily digest", "Read more", the
// footer's links) stay in core/i18n.ts and are reused from there; dates are written by i18n.ts.

import { type DigestKind, messages } from "../i18n.js";
import { type Catalogue, counted } from "./catalogue.js";

export interface DigestsWords {
  /** After the lead headline in a subject: "(+2 more)". */
  subjectMore(others: number): string;
  /** The email's and the web edition's heading: "Daily digest, Monday, January 10, 2022". */
  heading(kind: DigestKind, period: string): string;
  /** The email's footer, for whoever it was forwarded to: "Forwarded this email?" then a link. */
  forwarded: string;
  subscribe: string;

  /** The archive's title, with no year and with one. */
  archive: string;
  archiveOf(year: string): string;
  archiveIntro: string;
  /** Accessible name of the archive's list of years. */
  years: string;
  /** After an edition's first headlines in the archive: "and 5 more". */
  andMore(count: number): string;
  /** Next to the week in progress, which has no edition yet. */
  weekInProgress: string;

  /** Accessible name of the web edition's links to the editions before and after it. */
  editions: string;
  /** The web edition's link to the archive. */
  allDigests: string;

  /** The page of a window with no articles. */
  noDigest: string;
  nothingHere: string;
  /** Why: "No articles tagged “Transit” were published on Monday, January 10, 2022, so no email went out." */
  noArticles(kind: DigestKind, period: string, tags: readonly string[]): string;
  latestArticles: string;
}

const quoted = (open: string, close: string, tags: readonly string[], or: string) =>
  tags.map((t) => `${open}${t}${close}`).join(` ${or} `);

const en: DigestsWords = {
  subjectMore: (n) => `(+${counted("en", n, { other: "more" })})`,
  heading: (kind, period) => `${messages("en").digest(kind)}, ${period}`,
  forwarded: "Forwarded this email?",
  subscribe: "Subscribe",
  archive: "Digests",
  archiveOf: (year) => `Digests of ${year}`,
  archiveIntro:
    "Every finished day and week that has articles, with its first headlines, as the email digest sends it.",
  years: "Years",
  andMore: (n) => `and ${counted("en", n, { other: "more" })}`,
  weekInProgress: "this week, in progress",
  editions: "Editions",
  allDigests: "All digests",
  noDigest: "No digest",
  nothingHere: "Nothing to read here",
  noArticles: (kind, period, tags) =>
    `No articles${tags.length > 0 ? ` tagged ${quoted("“", "”", tags, "or")}` : ""} were published ${
      kind === "daily" ? "on" : "in the week of"
    } ${period}, so no email went out.`,
  latestArticles: "Latest articles",
};

const ru: DigestsWords = {
  subjectMore: (n) => `(и ещё ${counted("ru", n, { one: "статья", few: "статьи", many: "статей", other: "статьи" })})`,
  heading: (kind, period) => `${messages("ru").digest(kind)}, ${period}`,
  forwarded: "Вам переслали это письмо?",
  subscribe: "Подпишитесь",
  archive: "Дайджесты",
  archiveOf: (year) => `Дайджесты за ${year} год`,
  archiveIntro:
    "Каждый завершившийся день и каждая неделя со статьями, с первыми заголовками, как их присылает рассылка.",
  years: "Годы",
  andMore: (n) => `и ещё ${counted("ru", n, { one: "статья", few: "статьи", many: "статей", other: "статьи" })}`,
  weekInProgress: "эта неделя ещё идёт",
  editions: "Выпуски",
  allDigests: "Все дайджесты",
  noDigest: "Дайджеста нет",
  nothingHere: "Здесь нечего читать",
  noArticles: (kind, period, tags) =>
    `${kind === "daily" ? `${period} не вышло` : `За неделю ${period} не вышло`} ни одной статьи${
      tags.length > 0 ? ` с тегом ${quoted("«", "»", tags, "или")}` : ""
    }, поэтому письмо не отправлялось.`,
  latestArticles: "Последние статьи",
};

const kk: DigestsWords = {
  subjectMore: (n) => `(тағы ${counted("kk", n, { other: "мақала" })})`,
  heading: (kind, period) => `${messages("kk").digest(kind)}, ${period}`,
  forwarded: "Бұл хат сізге басқа біреуден келді ме?",
  subscribe: "Жазылыңыз",
  archive: "Дайджесттер",
  archiveOf: (year) => `${year} жылғы дайджесттер`,
  archiveIntro: "Мақалалары бар әр аяқталған күн мен апта, алғашқы тақырыптарымен, хат-дайджесттегідей.",
  years: "Жылдар",
  andMore: (n) => `және тағы ${counted("kk", n, { other: "мақала" })}`,
  weekInProgress: "бұл апта әлі аяқталған жоқ",
  editions: "Шығарылымдар",
  allDigests: "Барлық дайджесттер",
  noDigest: "Дайджест жоқ",
  nothingHere: "Мұнда оқитын ештеңе жоқ",
  noArticles: (kind, period, tags) =>
    `${kind === "daily" ? period : `${period} аптасында`} ${
      tags.length > 0 ? `${quoted("«", "»", tags, "немесе")} тегі бар ` : ""
    }бірде-бір мақала жарияланбады, сондықтан хат жіберілмеді.`,
  latestArticles: "Соңғы мақалалар",
};

export const digestsWords: Catalogue<DigestsWords> = { en, ru, kk };
