import { describe, expect, it } from "vitest";
import {
  ASSET_CODES,
  ASSETS,
  DomainError,
  assertAssetOnNetwork,
  getAsset,
  isAssetOnNetwork,
  isCrypto,
  isFiat,
  minorUnitsPerUnit,
  networksForAsset,
} from "@/lib/domain";

describe("asset registry", () => {
  it.each([
    ["USD", 2, "fiat"],
    ["EUR", 2, "fiat"],
    ["CNY", 2, "fiat"],
    ["BTC", 8, "crypto"],
    ["ETH", 18, "crypto"],
    ["USDT", 6, "crypto"],
  ] as const)("%s has %i decimals and is %s", (code, decimals, kind) => {
    expect(getAsset(code)).toMatchObject({ code, decimals, kind });
    expect(minorUnitsPerUnit(code)).toBe(10n ** BigInt(decimals));
    expect(isFiat(code)).toBe(kind === "fiat");
    expect(isCrypto(code)).toBe(kind === "crypto");
  });

  it("lists exactly the six assets", () => {
    expect([...ASSET_CODES].sort()).toEqual(Object.keys(ASSETS).sort());
    expect(ASSET_CODES).toHaveLength(6);
  });

  it.each(["GBP", "usd", "", "toString", "__proto__", "constructor"])(
    "getAsset(%j) throws asset.unknown",
    (code) => {
      expect(() => getAsset(code)).toThrow(DomainError);
      expect(() => getAsset(code)).toThrow(expect.objectContaining({ code: "asset.unknown" }));
      expect(isFiat(code)).toBe(false);
      expect(isCrypto(code)).toBe(false);
    },
  );
});

describe("networks", () => {
  it.each([
    ["BTC", "bitcoin", true],
    ["BTC", "ethereum", false],
    ["BTC", "tron", false],
    ["ETH", "ethereum", true],
    ["ETH", "bitcoin", false],
    ["ETH", "tron", false],
    ["USDT", "ethereum", true],
    ["USDT", "tron", true],
    ["USDT", "bitcoin", false],
    ["USD", "ethereum", false],
    ["BTC", "solana", false],
  ])("%s on %s → %s", (asset, network, allowed) => {
    expect(isAssetOnNetwork(asset, network)).toBe(allowed);
    if (allowed) expect(() => assertAssetOnNetwork(asset, network)).not.toThrow();
    else
      expect(() => assertAssetOnNetwork(asset, network)).toThrow(
        expect.objectContaining({ code: "asset.unsupported_network" }),
      );
  });

  it("networksForAsset", () => {
    expect(networksForAsset("USDT")).toEqual(["ethereum", "tron"]);
    expect(networksForAsset("BTC")).toEqual(["bitcoin"]);
  });
});
