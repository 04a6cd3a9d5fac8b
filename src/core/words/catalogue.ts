// The site's fixed words by language. Each area of the site keeps its words in one file here
// (site.ts, subscriber.ts, digests.ts, pages.ts), as one typed table per language, and all.ts
// lists them, so a test can read every English word and look for it on Russian and Kazakh pages.
// Pure: no clock, no I/O.

import { messages, type PluralForms, plural } from "../i18n.js";
import { numberFormat } from "../intl.js";

/** The languages the site's words are written in; any other SITE_LANGUAGE reads English. */
export type Language = "en" | "ru" | "kk";

/** One area's words in every language: the same shape in each, checked by the type. */
export type Catalogue<T> = Readonly<Record<Language, T>>;

/** The language of the words for a BCP 47 tag: "ru-RU" is Russian, "de" English. */
export function languageOf(tag: string | null | undefined): Language {
  return messages(tag).lang as Language;
}

/** An area's words for a BCP 47 tag. */
export function wordsOf<T>(catalogue: Catalogue<T>, tag: string | null | undefined): T {
  return catalogue[languageOf(tag)];
}

/**
 * A number as the language writes it: "1,000" in English, "1 000" in Russian and Kazakh (a
 * no-break space). Kazakh is written here: workerd's ICU has no Kazakh number data.
 */
export function formatNumber(tag: string | null | undefined, n: number): string {
  const lang = languageOf(tag);
  if (lang === "kk") return numberFormat("ru").format(n);
  return numberFormat(lang).format(n);
}

/** "1 article", "2 статьи", "5 мақала": the number written for the language, then its word's form. */
export function counted(tag: string | null | undefined, n: number, forms: PluralForms): string {
  const lang = languageOf(tag);
  return `${formatNumber(lang, n)} ${plural(lang, n, forms)}`;
}
