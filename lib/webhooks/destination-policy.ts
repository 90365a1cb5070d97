import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may be sent, judged on the address the destination's name RESOLVED to at send
 * time (a name that resolves to an internal address is refused however public it looks, and a
 * rebinding between check and connect is avoided by connecting to the checked address).
 *
 * Refused unless the system settings allow private targets: loopback, link-local (169.254.0.0/16,
 * which holds the cloud metadata address 169.254.169.254, and fe80::/10), private (10/8,
 * 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), unique-local (fc00::/7), unspecified,
 * multicast and reserved ranges. An endpoint's AllowedIPs (CIDR ranges), when set, must also
 * contain the address.
 */

export type AddressClass = "public" | "loopback" | "link_local" | "private" | "unique_local" | "unspecified" | "multicast" | "reserved";

const RANGES: [AddressClass, string, number, "ipv4" | "ipv6"][] = [
  ["unspecified", "0.0.0.0", 8, "ipv4"],
  ["loopback", "127.0.0.0", 8, "ipv4"],
  ["private", "10.0.0.0", 8, "ipv4"],
  ["private", "172.16.0.0", 12, "ipv4"],
  ["private", "192.168.0.0", 16, "ipv4"],
  ["private", "100.64.0.0", 10, "ipv4"],
  ["link_local", "169.254.0.0", 16, "ipv4"],
  ["reserved", "192.0.0.0", 24, "ipv4"],
  ["reserved", "198.18.0.0", 15, "ipv4"],
  ["reserved", "240.0.0.0", 4, "ipv4"],
  ["multicast", "224.0.0.0", 4, "ipv4"],
  ["unspecified", "::", 128, "ipv6"],
  ["loopback", "::1", 128, "ipv6"],
  ["link_local", "fe80::", 10, "ipv6"],
  ["unique_local", "fc00::", 7, "ipv6"],
  ["multicast", "ff00::", 8, "ipv6"],
  // NAT64 prefixes embed an IPv4 address (64:ff9b::a9fe:a9fe is 169.254.169.254 through a NAT64).
  ["reserved", "64:ff9b::", 96, "ipv6"],
  ["reserved", "64:ff9b:1::", 48, "ipv6"],
  ["reserved", "2001:db8::", 32, "ipv6"],
];

const LISTS = new Map<AddressClass, BlockList>();
for (const [kind, address, prefix, family] of RANGES) {
  let list = LISTS.get(kind);
  if (!list) LISTS.set(kind, (list = new BlockList()));
  list.addSubnet(address, prefix, family);
}

/** "::ffff:10.0.0.1" is 10.0.0.1: IPv4-mapped IPv6 addresses are judged as the IPv4 they carry. */
function normalize(address: string): { address: string; family: "ipv4" | "ipv6" } | null {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  const version = isIP(address);
  if (version === 4) return { address, family: "ipv4" };
  if (version === 6) return { address, family: "ipv6" };
  return null;
}

export function classifyAddress(address: string): AddressClass {
  const ip = normalize(address);
  if (!ip) throw new TypeError(`not an IP address: ${address}`);
  for (const [kind, list] of LISTS) if (list.check(ip.address, ip.family)) return kind;
  return "public";
}

export type CidrList = { list: BlockList; ranges: string[] };

/** Parses AllowedIPs ("203.0.113.0/24", "2001:db8::/32", a bare address); names the first bad entry. */
export function parseCidrList(entries: string[]): { ok: true; value: CidrList } | { ok: false; entry: string } {
  const list = new BlockList();
  const ranges: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const [address = "", prefixText, extra] = entry.split("/");
    const ip = normalize(address);
    const max = ip?.family === "ipv4" ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!ip || extra !== undefined || !(prefix >= 0 && prefix <= max)) return { ok: false, entry };
    list.addSubnet(ip.address, prefix, ip.family);
    ranges.push(`${ip.address}/${prefix}`);
  }
  return { ok: true, value: { list, ranges } };
}

export type DestinationVerdict = { allowed: true } | { allowed: false; reason: AddressClass | "not_in_allowed_ips"; address: string };

export function checkDestination(
  address: string,
  policy: { allowPrivateTargets: boolean; allowedIps?: CidrList | null },
): DestinationVerdict {
  const kind = classifyAddress(address);
  if (kind !== "public" && !policy.allowPrivateTargets) return { allowed: false, reason: kind, address };
  const ip = normalize(address)!;
  if (policy.allowedIps && policy.allowedIps.ranges.length > 0 && !policy.allowedIps.list.check(ip.address, ip.family)) {
    return { allowed: false, reason: "not_in_allowed_ips", address };
  }
  return { allowed: true };
}
