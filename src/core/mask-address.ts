// An email address shown in part, for pages a token link opens: such a link can be forwarded or
// shared, so the page says whose subscription it is without handing the whole address on.
// Pure; linear in the input's length.

/** The dots that stand for the hidden part of the local part. */
export const MASK = "•••";

// The first character of the local part as a reader sees it: one code point (a whole surrogate
// pair) with the combining marks that follow it. No backtracking: each mark is read once.
const FIRST_CHARACTER = /^(?:[\s\S]\p{M}*)/u;

/**
 * "alice@example.org" is "a•••@example.org": the local part's first character, then •••, then
 * the domain as stored (a one-character local part is masked too, so its length never shows).
 * Text without an "@" is masked whole.
 */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 0) return MASK;
  const local = email.slice(0, at);
  const first = FIRST_CHARACTER.exec(local)?.[0] ?? "";
  return `${first}${MASK}${email.slice(at)}`;
}
