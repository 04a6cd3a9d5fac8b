// Which rate-limit bucket a client's IP address falls in. An IPv6 client is one /64: a home or
// a host is given a whole /64 and picks addresses in it at will, so per address it would have
// 2^64 buckets. IPv4 stays per address.

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

/**
 * "2001:db8:1:2::/64" for any IPv6 address in that /64 (`::` and zone ids read, case and leading
 * zeros aside); an IPv4 address, or one mapped into IPv6 (::ffff:1.2.3.4), as dotted decimal;
 * anything else unchanged, as its own bucket.
 */
export function rateLimitKey(ip: string): string {
  const v4 = ipv4(ip);
  if (v4 !== null) return v4.join(".");
  const groups = ipv6(ip);
  if (groups === null) return ip;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [, , , , , , high = 0, low = 0] = groups;
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

function ipv4(text: string): number[] | null {
  const match = IPV4.exec(text);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 section 2.2 text forms), or null. */
function ipv6(text: string): number[] | null {
  const zone = text.indexOf("%");
  const address = zone >= 0 ? text.slice(0, zone) : text;
  if (!address.includes(":")) return null;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  // Only the address's last group may be dotted IPv4: never the part before "::".
  const head = halves[0] ? groupsOf(halves[0], halves.length === 1) : [];
  const tail = halves.length === 2 && halves[1] ? groupsOf(halves[1], true) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  // "::" stands for at least one group of zeros.
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

/** Groups separated by ":", the last of which may be a dotted IPv4 address (two groups) if `endsAddress`. */
function groupsOf(part: string, endsAddress: boolean): number[] | null {
  const pieces = part.split(":");
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (HEXTET.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
      continue;
    }
    const v4 = endsAddress && i === pieces.length - 1 ? ipv4(piece) : null;
    if (v4 === null) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    groups.push((a << 8) | b, (c << 8) | d);
  }
  return groups;
}
