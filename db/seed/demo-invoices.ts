import { randomBytes } from "node:crypto";
import { deriveInvoiceAddress } from "@/lib/chains/addresses";
import { convertFiatToCrypto, createExchangeRate, money, type CryptoCurrency, type ExchangeRate } from "@/lib/domain";

/**
 * Demo invoices of the store, a few in each status of the spec's state machine, with the payments
 * that put them there. They are test-mode invoices whose addresses are derived from the store's
 * demo test-network keys below.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEMO_RATES_USD: Record<CryptoCurrency, string> = { BTC: "97250.00", ETH: "3412.50", USDT: "1.0003" };
export const DEMO_RATES: Record<"USD" | "EUR" | "CNY", Record<CryptoCurrency, string>> = {
  USD: DEMO_RATES_USD,
  EUR: { BTC: "89610.40", ETH: "3144.45", USDT: "0.9217" },
  CNY: { BTC: "703120.00", ETH: "24672.40", USDT: "7.2318" },
};

/**
 * The store's test-network wallet keys: account 0 of the BIP39 test mnemonic ("abandon … about"),
 * public test vectors that no one should ever send real funds to. Demo invoices take their
 * addresses from these keys exactly as live invoices do, at consecutive derivation indexes.
 */
export const STORE_DEMO_WALLET_KEYS = {
  bitcoin: "vpub5Y6cjg78GGuNLsaPhmYsiw4gYX3HoQiRBiSwDaBXKUafCt9bNwWQiitDk5VZ5BVxYnQdwoTyXSs2JHRPAgjAvtbBrf8ZhDYe2jWAqvZVnsc",
  ethereum: "xpub6DCoCpSuQZB2jawqnGMEPS63ePKWkwWPH4TU45Q7LPXWuNd8TMtVxRrgjtEshuqpK3mdhaWHPFsBngh5GFZaM6si3yZdUsT8ddYM3PwnATt",
  tron: "xpub6D1AabNHCupeiLM65ZR9UStMhJ1vCpyV4XbZdyhMZBiJXALQtmn9p42VTQckoHVn8WNqS7dqnJokZHAHcHGoaQgmv8D45oNUKx6DZMNZBCd",
} as const;

type Status = "pending" | "partial" | "confirming" | "paid" | "expired" | "cancelled" | "refunded";
type Plan = { status: Status; crypto: CryptoCurrency; ageMinutes: number; accountIndex: number; customer: number };

const PLAN: Plan[] = [
  { status: "pending", crypto: "USDT", ageMinutes: 4, accountIndex: 1, customer: 0 },
  { status: "pending", crypto: "BTC", ageMinutes: 11, accountIndex: 5, customer: 1 },
  { status: "partial", crypto: "USDT", ageMinutes: 9, accountIndex: 3, customer: 2 },
  { status: "partial", crypto: "ETH", ageMinutes: 14, accountIndex: 6, customer: 3 },
  { status: "confirming", crypto: "BTC", ageMinutes: 18, accountIndex: 4, customer: 0 },
  // USDT on Tron (index 5 is odd): the local dev chain replaces Ethereum's test chain, and a made-up
  // payment still confirming there would be orphaned by the watcher at once.
  { status: "confirming", crypto: "USDT", ageMinutes: 7, accountIndex: 8, customer: 1 },
  { status: "paid", crypto: "USDT", ageMinutes: 3 * 60, accountIndex: 11, customer: 2 },
  { status: "paid", crypto: "ETH", ageMinutes: 2 * DAY / MINUTE, accountIndex: 2, customer: 3 },
  { status: "paid", crypto: "BTC", ageMinutes: 5 * DAY / MINUTE, accountIndex: 0, customer: 0 },
  { status: "expired", crypto: "USDT", ageMinutes: 1 * DAY / MINUTE, accountIndex: 7, customer: 1 },
  { status: "expired", crypto: "ETH", ageMinutes: 3 * DAY / MINUTE, accountIndex: 6, customer: 2 },
  { status: "cancelled", crypto: "USDT", ageMinutes: 2 * DAY / MINUTE, accountIndex: 1, customer: 3 },
  { status: "cancelled", crypto: "ETH", ageMinutes: 6 * DAY / MINUTE, accountIndex: 4, customer: 0 },
  { status: "refunded", crypto: "USDT", ageMinutes: 7 * DAY / MINUTE, accountIndex: 3, customer: 1 },
];

export const DEMO_CUSTOMER_EMAILS = ["alice@example.com", "bob@example.org", "chen.wei@example.net", "dana@example.io"];

const txHash = (network: "bitcoin" | "ethereum" | "tron") =>
  (network === "ethereum" ? "0x" : "") + randomBytes(32).toString("hex");

export type DemoInvoice = ReturnType<typeof buildDemoInvoices>[number];

export function buildDemoInvoices(now: Date, accounts: { displayName: string; priceMinor: bigint }[]) {
  const nextIndex = { bitcoin: 0, ethereum: 0, tron: 0 };
  return PLAN.map((p, i) => {
    // USDT alternates between Tron and Ethereum, as buyers choose.
    const network = p.crypto === "BTC" ? ("bitcoin" as const) : p.crypto === "ETH" || i % 2 === 0 ? ("ethereum" as const) : ("tron" as const);
    const derivationIndex = nextIndex[network]++;
    const address = deriveInvoiceAddress(network, STORE_DEMO_WALLET_KEYS[network], derivationIndex, { testnet: true });
    const account = accounts[p.accountIndex % accounts.length]!;
    const createdAt = new Date(now.getTime() - p.ageMinutes * MINUTE);
    const rate: ExchangeRate = createExchangeRate({
      from: "USD",
      to: p.crypto,
      rate: DEMO_RATES_USD[p.crypto],
      source: "static",
      lockedAt: createdAt,
      expiresAt: new Date(createdAt.getTime() + 30 * MINUTE),
    });
    const total = money(account.priceMinor, "USD");
    const cryptoAmount = convertFiatToCrypto(total, rate, createdAt).amount;
    const expiresAt = new Date(createdAt.getTime() + 30 * MINUTE);
    const requiredConfirmations = network === "bitcoin" ? 2 : network === "tron" ? 19 : 6;
    // Never in the future, even for invoices created minutes ago.
    const ageMs = p.ageMinutes * MINUTE;
    const detectedAt = new Date(createdAt.getTime() + Math.min(3 * MINUTE, ageMs * 0.3));
    const confirmedAt = new Date(createdAt.getTime() + Math.min(25 * MINUTE, ageMs * 0.8));

    const payments: {
      amount: bigint;
      status: "detected" | "confirming" | "confirmed";
      confirmations: number;
    }[] = [];
    let paidAt: Date | null = null;
    if (p.status === "partial") payments.push({ amount: (cryptoAmount * 2n) / 5n, status: "confirmed", confirmations: requiredConfirmations });
    if (p.status === "confirming") payments.push({ amount: cryptoAmount, status: "confirming", confirmations: 1 });
    if (p.status === "paid" || p.status === "refunded") {
      payments.push({ amount: cryptoAmount, status: "confirmed", confirmations: requiredConfirmations + 3 });
      paidAt = confirmedAt;
    }
    const amountReceived = payments.reduce((s, x) => s + x.amount, 0n);

    return {
      status: p.status,
      customerEmail: DEMO_CUSTOMER_EMAILS[p.customer]!,
      title: `Order #${1001 + i}: ${account.displayName}`,
      reference: `ORD-${1001 + i}`,
      itemDescription: account.displayName,
      totalMinor: account.priceMinor,
      cryptoCurrency: p.crypto,
      network,
      cryptoAmount,
      amountReceived,
      rate,
      paymentAddress: address,
      derivationIndex,
      requiredConfirmations,
      createdAt,
      expiresAt,
      paidAt,
      payments: payments.map((x, n) => ({
        ...x,
        txHash: txHash(network),
        outputIndex: network === "bitcoin" ? n : 0,
        blockNumber: network === "bitcoin" ? 870_000n + BigInt(i) : network === "tron" ? 66_000_000n + BigInt(i * 11) : 21_400_000n + BigInt(i * 7),
        blockHash: txHash(network),
        detectedAt,
        confirmedAt: x.status === "confirmed" ? confirmedAt : null,
      })),
    };
  });
}
