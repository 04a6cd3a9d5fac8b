// Old addresses of an article (front matter `aliases`, as Hugo names them; the field is defined
// with the others in schema.ts): paths on this site
// that answer 301 to the article (migration 0018). One normal form, used when an alias is written
// and when a request is looked up, so "/2019/05/post/", "/2019/05/post" and "/2019/05/p%6Fst"
// are the same alias.

/** Most aliases one article may have, and the longest alias path. */
export const MAX_ALIASES = 50;
export const MAX_ALIAS_LENGTH = 1000;

const BASE = "https://alias.invalid";

/**
 * The normal form of a path: what the WHATWG URL parser makes of it (dot segments resolved,
 * non-ASCII percent-encoded), without a trailing slash. Null for what cannot be an alias: not
 * starting with one "/", the site's root, a query or fragment, a control character.
 */
export function aliasPath(value: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a control character is refused.
  if (!/^\/(?!\/)/.test(value) || /[?#\\\u0000-\u001F\u007F]/.test(value)) return null;
  let path: string;
  try {
    path = new URL(value, BASE).pathname;
  } catch {
    return null;
  }
  path = path.replace(/\/+$/, "");
  return path === "" || path.length > MAX_ALIAS_LENGTH ? null : path;
}

/** Why `value` is not an alias, or null when it is one. */
export function aliasError(value: string): string | null {
  if (value.length > MAX_ALIAS_LENGTH) return `must be at most ${MAX_ALIAS_LENGTH} characters`;
  return aliasPath(value) === null
    ? 'must be a path on this site like "/2019/05/old-post/", without a query or fragment (and not "/")'
    : null;
}

/** The path of a request, in the same form, for the lookup; null when it cannot be an alias. */
export function requestAliasPath(url: string): string | null {
  const { pathname } = new URL(url);
  return aliasPath(pathname);
}
