import { describe, expect, it } from "vitest";
import { clientKey, UNKNOWN_CLIENT } from "../../../api/lib/ratelimit/client-key.ts";

describe("clientKey", () => {
  it("keys an IPv4 client by its address", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey(" 203.0.113.7 ")).toBe("203.0.113.7");
    expect(clientKey("203.0.113.8")).not.toBe(clientKey("203.0.113.7"));
  });

  it("keys an IPv6 client by its /64, however the address is written", () => {
    const key = "2001:db8:a:b::/64";
    for (
      const address of [
        "2001:db8:a:b::1",
        "2001:DB8:A:B:FFFF:FFFF:FFFF:FFFF",
        "2001:0db8:000a:000b:0000:0000:0000:0001",
        "2001:db8:a:b:1:2:3:4",
        "2001:db8:a:b:1::",
        "[2001:db8:a:b::1]",
        "2001:db8:a:b::1%eth0",
        "2001:db8:a:b:0:0:192.0.2.1",
        "2001:db8:a:b::192.0.2.1",
      ]
    ) {
      expect(clientKey(address), address).toBe(key);
    }
    expect(clientKey("2001:db8:a:c::1")).toBe("2001:db8:a:c::/64");
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("fe80::1%25en0")).toBe("fe80:0:0:0::/64");
  });

  it("keys an IPv4-mapped IPv6 address as the IPv4 address it carries", () => {
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::FFFF:cb00:7107")).toBe("203.0.113.7");
    expect(clientKey("0:0:0:0:0:ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("[::ffff:203.0.113.7]")).toBe("203.0.113.7");
  });

  it("puts a missing address and anything that is not an address under one key", () => {
    for (
      const address of [
        undefined,
        "",
        "not an address",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "1:2:3:4:5:6:7::8",
        "12345::1",
        "::ffff:1.2.3.256",
        "g::1",
      ]
    ) {
      expect(clientKey(address), String(address)).toBe(UNKNOWN_CLIENT);
    }
  });
});
