import { describe, expect, it } from "vitest";
import { rateLimitKey } from "../../src/core/client-ip.js";

describe("rateLimitKey", () => {
  it("keeps an IPv4 address as itself", () => {
    expect(rateLimitKey("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKey("203.0.113.8")).toBe("203.0.113.8");
    expect(rateLimitKey("255.255.255.255")).toBe("255.255.255.255");
  });

  it("gives every address of one IPv6 /64 the same key, and the next /64 another", () => {
    const keys = new Set(
      [
        "2001:db8:1:2::1",
        "2001:db8:1:2:ffff:ffff:ffff:ffff",
        "2001:db8:1:2:a:b:c:d",
        "2001:0DB8:0001:0002:0:0:0:9",
      ].map(rateLimitKey),
    );
    expect([...keys]).toEqual(["2001:db8:1:2::/64"]);
    expect(rateLimitKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(rateLimitKey("2001:db8:1:1:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:1::/64");
  });

  it("reads :: wherever it stands", () => {
    expect(rateLimitKey("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitKey("::")).toBe("0:0:0:0::/64");
    expect(rateLimitKey("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(rateLimitKey("2001:db8::7:0:0:1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitKey("2001:db8:1::2:3:4:5")).toBe("2001:db8:1:0::/64");
    expect(rateLimitKey("1:2:3:4:5:6:7::")).toBe("1:2:3:4::/64");
    expect(rateLimitKey("::2:3:4:5:6:7:8")).toBe("0:2:3:4::/64");
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address", () => {
    expect(rateLimitKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitKey("::FFFF:cb00:7107")).toBe("203.0.113.7");
    expect(rateLimitKey("0:0:0:0:0:ffff:203.0.113.7")).toBe("203.0.113.7");
    // Not mapped: a 0 or a 1 in the group before, or ffff in another place.
    expect(rateLimitKey("::fffe:203.0.113.7")).toBe("0:0:0:0::/64");
    expect(rateLimitKey("0:0:0:0:1:ffff:203.0.113.7")).toBe("0:0:0:0::/64");
  });

  it("drops a zone id", () => {
    expect(rateLimitKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(rateLimitKey("fe80::2%25")).toBe("fe80:0:0:0::/64");
  });

  it("keeps anything else as it is, its own bucket", () => {
    for (const garbage of [
      "unknown",
      "",
      "256.1.1.1",
      "1.2.3",
      "1.2.3.4.5",
      "2001:db8::1::2",
      "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "12345::1",
      "g::1",
      ":1:2:3:4:5:6:7",
      "1.2.3.4::1",
      "::1.2.3.4:1",
      "2001:db8:1:2::1 ",
    ]) {
      expect(rateLimitKey(garbage), garbage).toBe(garbage);
    }
  });
});
