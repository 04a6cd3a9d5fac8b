// URL slugs for articles, tags and authors: lower-case ASCII words joined by "-", and the one
// rule (pattern and length) that every slug, derived or given, must meet.

// Latin letters that Unicode decomposition does not reduce to ASCII.
const LATIN_EXTRA: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
  ŋ: "n",
};

// Cyrillic, after decomposition has turned й ё ї ў into и е і у. Russian follows the passport
// (ICAO 9303) romanisation; Kazakh letters use the 2021 Kazakh Latin alphabet without
// diacritics (қ q, ғ g, ң n, ә a, ө o, ұ ү u, һ h, і i); Ukrainian є ґ and Serbian/Macedonian
// letters get their usual romanisation.
const CYRILLIC: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "i",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "iu",
  я: "ia",
  ә: "a",
  ғ: "g",
  қ: "q",
  ң: "n",
  ө: "o",
  ұ: "u",
  ү: "u",
  һ: "h",
  і: "i",
  є: "ie",
  ї: "i",
  ґ: "g",
  ў: "u",
  ђ: "dj",
  ј: "j",
  љ: "lj",
  њ: "nj",
  ћ: "c",
  џ: "dz",
  ѕ: "dz",
};

/** Every slug, given or derived, is at most this long (article, tag and author alike). */
export const SLUG_MAX_LENGTH = 100;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Derived slugs stop at a word before this length, so they stay readable. */
const DERIVED_LENGTH = 80;

/**
 * "Protests in Kazakhstan" becomes "protests-in-kazakhstan", "Zoë Ortega" "zoe-ortega", and
 * "Қоғам" "qogam". A name with no letters that transliterate (Arabic, CJK, digits only) gets a
 * stable fallback, "x-" and a hash of the name, which is still a valid path segment.
 */
export function slugify(name: string): string {
  const folded = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđðłþıŋ]/g, (ch) => LATIN_EXTRA[ch] ?? ch)
    .replace(/[\u0400-\u04ff]/g, (ch) => CYRILLIC[ch] ?? ch);
  const words = folded.match(/[a-z0-9]+/g) ?? [];
  if (!words.some((word) => /[a-z]/.test(word))) return fallbackSlug(name);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > DERIVED_LENGTH) break;
    slug = next;
  }
  return slug || (words[0] ?? "").slice(0, DERIVED_LENGTH);
}

/** Why `value` is not a slug, or null when it is one. */
export function slugError(value: string): string | null {
  if (value.length > SLUG_MAX_LENGTH) return `must be at most ${SLUG_MAX_LENGTH} characters`;
  if (!SLUG_PATTERN.test(value)) return 'must be lower-case ASCII words joined by "-"';
  return null;
}

export function isSlug(value: string): boolean {
  return slugError(value) === null;
}

/** FNV-1a 64-bit over the NFC, lower-cased name, in base 36. */
function fallbackSlug(name: string): string {
  const bytes = new TextEncoder().encode(name.normalize("NFC").trim().toLowerCase());
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `x-${hash.toString(36).padStart(13, "0")}`;
}
