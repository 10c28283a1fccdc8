/** Every request whose address the runtime cannot tell, or that is not an address, shares this one. */
export const UNKNOWN_CLIENT = "unknown";

/**
 * The key the global limit counts a client by. An IPv4 address is its own
 * key. An IPv6 client usually holds a whole /64 (one line, with SLAAC and
 * privacy addresses to pick from), so counting single addresses would let it
 * rotate past any limit: it is counted by its /64. An IPv4-mapped address
 * (`::ffff:a.b.c.d`, as dual-stack sockets report IPv4 peers) is the IPv4
 * address it carries, so both forms share one budget.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return UNKNOWN_CLIENT;
  // Brackets as in URLs, and a zone id (`fe80::1%eth0`), which names the local interface, not the client.
  const text = address.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const octets = ipv4Octets(text);
  if (octets) return octets.join(".");
  const groups = ipv6Groups(text);
  if (!groups) return UNKNOWN_CLIENT;
  if (isIpv4Mapped(groups)) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}

function ipv4Octets(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** The eight 16-bit groups of an IPv6 address in any textual form (RFC 4291 §2.2), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  let body = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (lastColon >= 0 && text.includes(".", lastColon)) {
    // A trailing dotted quad stands for the last two groups.
    const octets = ipv4Octets(text.slice(lastColon + 1));
    if (!octets) return undefined;
    tail.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    body = text.slice(0, body.endsWith("::", lastColon + 1) ? lastColon + 1 : lastColon);
  }
  const wanted = 8 - tail.length;
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = hexGroups(halves[0]!);
  const rest = halves.length === 2 ? hexGroups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const zeros = wanted - head.length - rest.length;
  // Without `::` every group is written; with it, it stands for at least one.
  if (halves.length === 1 ? zeros !== 0 : zeros < 1) return undefined;
  return [...head, ...new Array<number>(zeros).fill(0), ...rest, ...tail];
}

function hexGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const groups = text.split(":");
  return groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))
    ? groups.map((group) => parseInt(group, 16))
    : undefined;
}

function isIpv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
}
