// One memo of Intl formatters for the whole code base: building an Intl.DateTimeFormat costs
// far more than using one, and the same few are needed on every render.

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A shared DateTimeFormat for this locale and these options (time zone included). */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  // ICU also takes UTC offsets ("-03:00"), which are not IANA zones and have no daylight saving rules.
  if (timeZone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone)) return false;
  try {
    dateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The runtime's spelling of an IANA zone ("asia/almaty" is "Asia/Almaty"), or null when unknown. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (!isTimeZone(timeZone)) return null;
  return dateTimeFormat("en", { timeZone }).resolvedOptions().timeZone;
}

/** The canonical form of a BCP 47 language tag ("EN-us" is "en-US"), or null when it is not one. */
export function canonicalLocale(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

const pluralRulesMemo = new Map<string, Intl.PluralRules>();

/** A shared cardinal PluralRules for this locale ("one", "few", "many", "other"...). */
export function pluralRules(locale: string): Intl.PluralRules {
  let rules = pluralRulesMemo.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRulesMemo.set(locale, rules);
  }
  return rules;
}

const listFormats = new Map<string, Intl.ListFormat>();

/** A shared ListFormat for this locale and type ("A, B, or C" is a disjunction). */
export function listFormat(locale: string, type: Intl.ListFormatType): Intl.ListFormat {
  const key = `${locale}\u0000${type}`;
  let format = listFormats.get(key);
  if (!format) {
    format = new Intl.ListFormat(locale, { type });
    listFormats.set(key, format);
  }
  return format;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A shared NumberFormat for this locale (default options: grouped digits). */
export function numberFormat(locale: string): Intl.NumberFormat {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format;
}
