// The list headers of every list email (digests; RFC 2369, RFC 2919, RFC 8058 one-click).

export function listHeaders(input: { siteUrl: string; unsubscribeUrl: string }): Record<string, string> {
  const host = new URL(input.siteUrl).hostname;
  const unsubscribe = new URL(input.unsubscribeUrl);
  if (unsubscribe.protocol !== "https:" && unsubscribe.protocol !== "http:") {
    throw new TypeError("the unsubscribe URL must be http(s)");
  }
  return {
    // RFC 2919: a list id is a dot-atom; the site's host names the list.
    "List-Id": `<digest.${host}>`,
    "List-Unsubscribe": `<${unsubscribe.href}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
