// A short, stable, non-cryptographic hash for cache keys and ETags.

/** FNV-1a 32-bit over UTF-16 code units, in base 36. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
