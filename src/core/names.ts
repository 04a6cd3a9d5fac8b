// How tag and author names sort on the /tags and /authors indexes: a key compared bytewise by
// SQL (the index tables store it), case- and accent-insensitive for Latin and Cyrillic alike,
// since SQLite's own folding knows ASCII only.

/** Longest key kept: names are at most 200 characters, so this only bounds hostile input. */
const MAX_KEY_LENGTH = 400;

/**
 * The sort key of a name: lower case, without accents ("Émile" sorts with "emile", "Ёлка" with
 * "елка", as Russian dictionaries do), spaces collapsed. Letters outside those scripts keep their
 * code point order, which is alphabetical within most scripts.
 */
export function sortKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_KEY_LENGTH);
}
