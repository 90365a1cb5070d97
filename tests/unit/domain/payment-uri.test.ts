import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DomainError,
  USDT_ERC20_MAINNET_CONTRACT,
  USDT_TRC20_CONTRACT,
  buildPaymentUri,
  parseDecimalUnits,
  replacePaymentUriAmount,
  type PaymentUriInput,
} from "@/lib/domain";

const BTC_ADDRESS = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const BTC_TESTNET_ADDRESS = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";
const ETH_ADDRESS = "0x52908400098527886E0F7030069857D2E4169EE7";
const TRON_ADDRESS = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7";
const SEPOLIA_USDT = "0x7169D38820dfd117C3FA1f22a697dBA58d90BA06";

function domainErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  return undefined;
}

describe("buildPaymentUri — BTC (BIP21)", () => {
  it("encodes the amount as a trimmed BTC decimal", () => {
    expect(buildPaymentUri({ asset: "BTC", network: "bitcoin", address: BTC_ADDRESS, amount: 150_000n })).toBe(
      `bitcoin:${BTC_ADDRESS}?amount=0.0015`,
    );
  });

  it.each([
    [1n, "0.00000001"],
    [100_000_000n, "1"],
    [123_456_789n, "1.23456789"],
    [2_100_000_000_000_000n, "21000000"],
    [51_234n, "0.00051234"],
  ])("%s sats → amount=%s (no exponent)", (sats, amount) => {
    const uri = buildPaymentUri({ asset: "BTC", network: "bitcoin", address: BTC_ADDRESS, amount: sats });
    expect(uri).toBe(`bitcoin:${BTC_ADDRESS}?amount=${amount}`);
    expect(uri).not.toMatch(/amount=[^&]*e/i);
  });

  it("URL-encodes the label", () => {
    expect(
      buildPaymentUri({
        asset: "BTC",
        network: "bitcoin",
        address: BTC_ADDRESS,
        amount: 150_000n,
        label: "Acme & Sons: order #42/ü",
      }),
    ).toBe(`bitcoin:${BTC_ADDRESS}?amount=0.0015&label=Acme%20%26%20Sons%3A%20order%20%2342%2F%C3%BC`);
  });

  it("omits an empty label", () => {
    expect(buildPaymentUri({ asset: "BTC", network: "bitcoin", address: BTC_ADDRESS, amount: 1n, label: "" })).toBe(
      `bitcoin:${BTC_ADDRESS}?amount=0.00000001`,
    );
  });

  it("uses the same scheme for testnet addresses", () => {
    expect(buildPaymentUri({ asset: "BTC", network: "bitcoin", address: BTC_TESTNET_ADDRESS, amount: 150_000n })).toBe(
      `bitcoin:${BTC_TESTNET_ADDRESS}?amount=0.0015`,
    );
  });

  it("round-trips: the URI amount parses back to the same satoshis", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2_100_000_000_000_000n }), (sats) => {
        const uri = buildPaymentUri({ asset: "BTC", network: "bitcoin", address: BTC_ADDRESS, amount: sats });
        const amount = new URL(uri).searchParams.get("amount");
        expect(amount).not.toBeNull();
        expect(amount).toMatch(/^\d+(\.\d{1,8})?$/);
        expect(parseDecimalUnits(amount, 8)).toMatchObject({ ok: true, units: sats });
      }),
      { numRuns: 500 },
    );
  });
});

describe("buildPaymentUri — ETH (EIP-681)", () => {
  it("encodes 1 wei as a plain integer on chain 1 by default", () => {
    expect(buildPaymentUri({ asset: "ETH", network: "ethereum", address: ETH_ADDRESS, amount: 1n })).toBe(
      `ethereum:${ETH_ADDRESS}@1?value=1`,
    );
  });

  it("encodes 1 ETH as value=1000000000000000000 (no scientific notation)", () => {
    expect(
      buildPaymentUri({ asset: "ETH", network: "ethereum", address: ETH_ADDRESS, amount: 10n ** 18n }),
    ).toBe(`ethereum:${ETH_ADDRESS}@1?value=1000000000000000000`);
  });

  it("includes a custom chain id (e.g. Sepolia)", () => {
    expect(
      buildPaymentUri({ asset: "ETH", network: "ethereum", address: ETH_ADDRESS, amount: 512_340_000_000_000n, chainId: 11155111 }),
    ).toBe(`ethereum:${ETH_ADDRESS}@11155111?value=512340000000000`);
  });

  it("ignores a label (EIP-681 has no label parameter)", () => {
    expect(buildPaymentUri({ asset: "ETH", network: "ethereum", address: ETH_ADDRESS, amount: 5n, label: "x" })).toBe(
      `ethereum:${ETH_ADDRESS}@1?value=5`,
    );
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects chain id %s", (chainId) => {
    expect(
      domainErrorCode(() => buildPaymentUri({ asset: "ETH", network: "ethereum", address: ETH_ADDRESS, amount: 1n, chainId })),
    ).toBe("payment_uri.invalid_chain_id");
  });
});

describe("buildPaymentUri — USDT on Ethereum (ERC-20 transfer)", () => {
  it("targets the mainnet USDT contract by default", () => {
    expect(USDT_ERC20_MAINNET_CONTRACT).toBe("0xdAC17F958D2ee523a2206206994597C13D831ec7");
    expect(buildPaymentUri({ asset: "USDT", network: "ethereum", address: ETH_ADDRESS, amount: 12_500_000n })).toBe(
      `ethereum:0xdAC17F958D2ee523a2206206994597C13D831ec7@1/transfer?address=${ETH_ADDRESS}&uint256=12500000`,
    );
  });

  it("defaults to the mainnet contract when chainId is 1", () => {
    expect(
      buildPaymentUri({ asset: "USDT", network: "ethereum", address: ETH_ADDRESS, amount: 1n, chainId: 1 }),
    ).toBe(`ethereum:${USDT_ERC20_MAINNET_CONTRACT}@1/transfer?address=${ETH_ADDRESS}&uint256=1`);
  });

  it("uses the given token contract on another chain", () => {
    expect(
      buildPaymentUri({
        asset: "USDT",
        network: "ethereum",
        address: ETH_ADDRESS,
        amount: 49_000_000n,
        chainId: 11155111,
        tokenContract: SEPOLIA_USDT,
      }),
    ).toBe(`ethereum:${SEPOLIA_USDT}@11155111/transfer?address=${ETH_ADDRESS}&uint256=49000000`);
  });

  it("throws when no token contract is known for a non-mainnet chain", () => {
    expect(
      domainErrorCode(() =>
        buildPaymentUri({ asset: "USDT", network: "ethereum", address: ETH_ADDRESS, amount: 1n, chainId: 11155111 }),
      ),
    ).toBe("payment_uri.missing_token_contract");
  });
});

describe("buildPaymentUri — USDT on Tron (TRC-20)", () => {
  it("encodes a trimmed USDT decimal and the TRC-20 USDT contract by default", () => {
    expect(USDT_TRC20_CONTRACT).toBe("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
    expect(buildPaymentUri({ asset: "USDT", network: "tron", address: TRON_ADDRESS, amount: 12_500_000n })).toBe(
      `tron:${TRON_ADDRESS}?amount=12.5&token=TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t`,
    );
    expect(buildPaymentUri({ asset: "USDT", network: "tron", address: TRON_ADDRESS, amount: 1n })).toBe(
      `tron:${TRON_ADDRESS}?amount=0.000001&token=${USDT_TRC20_CONTRACT}`,
    );
  });

  it("accepts another token contract (e.g. a testnet deployment)", () => {
    const nile = "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf";
    expect(
      buildPaymentUri({ asset: "USDT", network: "tron", address: TRON_ADDRESS, amount: 49_000_000n, tokenContract: nile }),
    ).toBe(`tron:${TRON_ADDRESS}?amount=49&token=${nile}`);
  });
});

describe("buildPaymentUri — validation", () => {
  it.each([0n, -1n, -150_000n])("rejects amount %s with payment_uri.invalid_amount", (amount) => {
    expect(domainErrorCode(() => buildPaymentUri({ asset: "BTC", network: "bitcoin", address: BTC_ADDRESS, amount }))).toBe(
      "payment_uri.invalid_amount",
    );
  });

  it.each([
    ["BTC", "ethereum"],
    ["BTC", "tron"],
    ["ETH", "bitcoin"],
    ["ETH", "tron"],
    ["USDT", "bitcoin"],
    ["DOGE", "bitcoin"],
    ["BTC", "solana"],
  ])("rejects %s on %s", (asset, network) => {
    const input = { asset, network, address: BTC_ADDRESS, amount: 1n } as unknown as PaymentUriInput;
    expect(domainErrorCode(() => buildPaymentUri(input))).toBe("payment_uri.unsupported_network");
  });

  it.each(["", "short", `${BTC_ADDRESS}?amount=100`, `${ETH_ADDRESS}@5`, `${BTC_ADDRESS} `, `${ETH_ADDRESS}/x`])(
    "rejects address %j that could break the URI",
    (address) => {
      expect(domainErrorCode(() => buildPaymentUri({ asset: "BTC", network: "bitcoin", address, amount: 1n }))).toBe(
        "payment_uri.invalid_address",
      );
    },
  );

  it("rejects a malformed token contract", () => {
    expect(
      domainErrorCode(() =>
        buildPaymentUri({ asset: "USDT", network: "tron", address: TRON_ADDRESS, amount: 1n, tokenContract: "T&x=1" }),
      ),
    ).toBe("payment_uri.invalid_address");
  });
});

describe("replacePaymentUriAmount", () => {
  it("replaces the amount in each URI shape", () => {
    const btc = buildPaymentUri({ asset: "BTC", network: "bitcoin", address: BTC_ADDRESS, amount: 150_000n, label: "Acme" });
    expect(replacePaymentUriAmount(btc, 50_000n, 8)).toBe(`bitcoin:${BTC_ADDRESS}?amount=0.0005&label=Acme`);

    const eth = buildPaymentUri({ asset: "ETH", network: "ethereum", address: ETH_ADDRESS, amount: 10n ** 18n });
    expect(replacePaymentUriAmount(eth, 25n * 10n ** 16n, 18)).toBe(`ethereum:${ETH_ADDRESS}@1?value=250000000000000000`);

    const erc20 = buildPaymentUri({ asset: "USDT", network: "ethereum", address: ETH_ADDRESS, amount: 12_500_000n });
    expect(replacePaymentUriAmount(erc20, 2_500_000n, 6)).toBe(
      `ethereum:${USDT_ERC20_MAINNET_CONTRACT}@1/transfer?address=${ETH_ADDRESS}&uint256=2500000`,
    );

    const trc20 = buildPaymentUri({ asset: "USDT", network: "tron", address: TRON_ADDRESS, amount: 12_500_000n });
    expect(replacePaymentUriAmount(trc20, 2_500_000n, 6)).toBe(
      `tron:${TRON_ADDRESS}?amount=2.5&token=${USDT_TRC20_CONTRACT}`,
    );
  });

  it("returns null for unknown shapes and non-positive amounts", () => {
    expect(replacePaymentUriAmount(`bitcoin:${BTC_ADDRESS}`, 1n, 8)).toBeNull();
    expect(replacePaymentUriAmount("litecoin:abc?amount=1", 1n, 8)).toBeNull();
    expect(replacePaymentUriAmount(`bitcoin:${BTC_ADDRESS}?amount=0.1`, 0n, 8)).toBeNull();
  });
});
