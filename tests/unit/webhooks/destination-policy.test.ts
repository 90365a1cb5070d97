import { describe, expect, it } from "vitest";
import { checkDestination, classifyAddress, parseCidrList } from "@/lib/webhooks/destination-policy";

describe("webhook destination policy", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["169.254.169.254", "link_local"],
    ["::ffff:169.254.169.254", "link_local"],
    ["fe80::1", "link_local"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd12:3456::1", "unique_local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["64:ff9b::a9fe:a9fe", "reserved"],
    ["8.8.8.8", "public"],
    ["172.32.0.1", "public"],
    ["2606:4700:4700::1111", "public"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("refuses internal addresses unless private targets are allowed", () => {
    expect(checkDestination("169.254.169.254", { allowPrivateTargets: false })).toEqual({ allowed: false, reason: "link_local", address: "169.254.169.254" });
    expect(checkDestination("127.0.0.1", { allowPrivateTargets: true })).toEqual({ allowed: true });
    expect(checkDestination("93.184.215.14", { allowPrivateTargets: false })).toEqual({ allowed: true });
  });

  it("requires the address to be inside AllowedIPs when they are set", () => {
    const parsed = parseCidrList(["203.0.113.0/24", "2001:db8:1::/48", "198.51.100.7"]);
    expect(parsed.ok).toBe(true);
    const allowedIps = parsed.ok ? parsed.value : null;
    expect(checkDestination("203.0.113.9", { allowPrivateTargets: true, allowedIps })).toEqual({ allowed: true });
    expect(checkDestination("198.51.100.7", { allowPrivateTargets: true, allowedIps })).toEqual({ allowed: true });
    expect(checkDestination("198.51.100.8", { allowPrivateTargets: true, allowedIps })).toMatchObject({ allowed: false, reason: "not_in_allowed_ips" });
    expect(checkDestination("8.8.8.8", { allowPrivateTargets: false, allowedIps })).toMatchObject({ allowed: false, reason: "not_in_allowed_ips" });
  });

  it.each(["10.0.0.0/33", "10.0.0/8", "not-an-ip", "::/129", "10.0.0.0/8/1", "10.0.0.0/x"])("names the bad AllowedIPs entry %s", (entry) => {
    expect(parseCidrList(["192.0.2.0/24", entry])).toEqual({ ok: false, entry });
  });
});
