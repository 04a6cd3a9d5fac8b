// The reading side's fixed words: the page shell (header, navigation, search box), the home page,
// article, tag and author pages, the pager, and the compact sign-up box. Words the digests share
// with these pages (Updated, Older, Newest, Tagged, By, Follow) stay in core/i18n.ts.

import type { Catalogue } from "./catalogue.js";

export interface SiteWords {
  // The header on every page.
  /** Accessible name of the header's links. */
  siteNav: string;
  nav: { subscribe: string; tags: string; authors: string; digests: string; feeds: string };
  /** Accessible name of the header's search landmark. */
  siteSearch: string;
  /** Accessible name of the search field. */
  searchField: string;
  searchButton: string;

  // Home, article, tag and author pages.
  /** Heading of the home page's articles. */
  latest: string;
  /** Heading of the home page's tags, and the label before an article's tags. */
  tags: string;
  allTags: string;
  allAuthors: string;
  /** Joins the last of an article's authors: "Dana Kim, Ivan Orlov and Aruzhan Sadykova". */
  and: string;
  /** Accessible name of the pager. */
  pages: string;

  // The compact sign-up box.
  signupHeading: string;
  signupEmail: string;
  signupButton: string;
  /** What a reader gets, in one short line. */
  signupPromise: string;
  /** What a tag's box asks for: only that tag's articles. */
  signupTagPromise(tag: string): string;
  /** The honeypot's label, which only a bot reads. */
  honeypot: string;
}

export const siteWords: Catalogue<SiteWords> = {
  en: {
    siteNav: "Site",
    nav: { subscribe: "Subscribe", tags: "Tags", authors: "Authors", digests: "Digests", feeds: "Feeds" },
    siteSearch: "Site search",
    searchField: "Words to find",
    searchButton: "Search",
    latest: "Latest",
    tags: "Tags",
    allTags: "All tags",
    allAuthors: "All authors",
    and: "and",
    pages: "Pages",
    signupHeading: "Get the digest by email",
    signupEmail: "Email address",
    signupButton: "Subscribe",
    signupPromise: "A daily digest of new articles by email. Unsubscribe any time.",
    signupTagPromise: (tag) => `A daily digest of new articles tagged “${tag}” by email. Unsubscribe any time.`,
    honeypot: "Leave this field empty",
  },
  ru: {
    siteNav: "Разделы сайта",
    nav: { subscribe: "Подписка", tags: "Теги", authors: "Авторы", digests: "Дайджесты", feeds: "Ленты" },
    siteSearch: "Поиск по сайту",
    searchField: "Что найти",
    searchButton: "Найти",
    latest: "Новое",
    tags: "Теги",
    allTags: "Все теги",
    allAuthors: "Все авторы",
    and: "и",
    pages: "Страницы",
    signupHeading: "Дайджест по почте",
    signupEmail: "Адрес электронной почты",
    signupButton: "Подписаться",
    signupPromise: "Раз в день — письмо с новыми статьями. Отписаться можно в любой момент.",
    signupTagPromise: (tag) =>
      `Раз в день — письмо с новыми статьями с тегом «${tag}». Отписаться можно в любой момент.`,
    honeypot: "Оставьте это поле пустым",
  },
  kk: {
    siteNav: "Сайт бөлімдері",
    nav: { subscribe: "Жазылу", tags: "Тегтер", authors: "Авторлар", digests: "Дайджесттер", feeds: "Арналар" },
    siteSearch: "Сайттан іздеу",
    searchField: "Не іздейсіз",
    searchButton: "Іздеу",
    latest: "Соңғылары",
    tags: "Тегтер",
    allTags: "Барлық тегтер",
    allAuthors: "Барлық авторлар",
    and: "және",
    pages: "Беттер",
    signupHeading: "Дайджестті поштамен алыңыз",
    signupEmail: "Электрондық пошта мекенжайы",
    signupButton: "Жазылу",
    signupPromise: "Күніне бір рет жаңа мақалалар поштаңызға келеді. Жазылымнан кез келген уақытта бас тартуға болады.",
    signupTagPromise: (tag) =>
      `Күніне бір рет «${tag}» тегі бар жаңа мақалалар поштаңызға келеді. Жазылымнан кез келген уақытта бас тартуға болады.`,
    honeypot: "Бұл өрісті бос қалдырыңыз",
  },
};
