// URL slugs for articles, tags and authors: lower-case ASCII words joined by "-".

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

const MAX_LENGTH = 80;

/**
 * "Protests in Kazakhstan" becomes "protests-in-kazakhstan", "Zoë Ortega" becomes "zoe-ortega".
 * A name without Latin letters ("Қоғам") gets a stable fallback, "x-" and a hash of the name,
 * which is still a valid path segment.
 */
export function slugify(name: string): string {
  const folded = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđðłþıŋ]/g, (ch) => LATIN_EXTRA[ch] ?? ch);
  const words = folded.match(/[a-z0-9]+/g) ?? [];
  if (!words.some((word) => /[a-z]/.test(word))) return fallbackSlug(name);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > MAX_LENGTH) break;
    slug = next;
  }
  return slug || (words[0] ?? "").slice(0, MAX_LENGTH);
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(value: string): boolean {
  return value.length <= MAX_LENGTH + 20 && SLUG_PATTERN.test(value);
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
