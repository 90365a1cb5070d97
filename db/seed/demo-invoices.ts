import { randomBytes } from "node:crypto";
import { convertFiatToCrypto, createExchangeRate, money, type CryptoCurrency, type ExchangeRate } from "@/lib/domain";

/**
 * Demo invoices of the store, a few in each status of the spec's state machine, with the payments
 * that put them there. Addresses are well-known test-vector addresses (BIP84 for Bitcoin, the
 * standard development mnemonic for Ethereum), and the invoices are marked as test mode.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEMO_RATES_USD: Record<CryptoCurrency, string> = { BTC: "97250.00", ETH: "3412.50", USDT: "1.0003" };
export const DEMO_RATES: Record<"USD" | "EUR" | "CNY", Record<CryptoCurrency, string>> = {
  USD: DEMO_RATES_USD,
  EUR: { BTC: "89610.40", ETH: "3144.45", USDT: "0.9217" },
  CNY: { BTC: "703120.00", ETH: "24672.40", USDT: "7.2318" },
};

const BTC_ADDRESSES = [
  "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu",
  "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g",
  "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el",
];
const ETH_ADDRESSES = [
  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
  "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
  "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
  "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
  "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
  "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
  "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
  "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
  "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
];

type Status = "pending" | "partial" | "confirming" | "paid" | "expired" | "cancelled" | "refunded";
type Plan = { status: Status; crypto: CryptoCurrency; ageMinutes: number; accountIndex: number; customer: number };

const PLAN: Plan[] = [
  { status: "pending", crypto: "USDT", ageMinutes: 4, accountIndex: 1, customer: 0 },
  { status: "pending", crypto: "BTC", ageMinutes: 11, accountIndex: 5, customer: 1 },
  { status: "partial", crypto: "USDT", ageMinutes: 9, accountIndex: 3, customer: 2 },
  { status: "partial", crypto: "ETH", ageMinutes: 14, accountIndex: 6, customer: 3 },
  { status: "confirming", crypto: "BTC", ageMinutes: 18, accountIndex: 4, customer: 0 },
  { status: "confirming", crypto: "ETH", ageMinutes: 7, accountIndex: 8, customer: 1 },
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

const txHash = (network: "bitcoin" | "ethereum") =>
  (network === "ethereum" ? "0x" : "") + randomBytes(32).toString("hex");

export type DemoInvoice = ReturnType<typeof buildDemoInvoices>[number];

export function buildDemoInvoices(now: Date, accounts: { displayName: string; priceMinor: bigint }[]) {
  let btc = 0;
  let eth = 0;
  return PLAN.map((p, i) => {
    const network = p.crypto === "BTC" ? ("bitcoin" as const) : ("ethereum" as const);
    const address = network === "bitcoin" ? BTC_ADDRESSES[btc++ % BTC_ADDRESSES.length]! : ETH_ADDRESSES[eth++ % ETH_ADDRESSES.length]!;
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
    const requiredConfirmations = network === "bitcoin" ? 2 : 6;
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
      requiredConfirmations,
      createdAt,
      expiresAt,
      paidAt,
      payments: payments.map((x, n) => ({
        ...x,
        txHash: txHash(network),
        outputIndex: network === "bitcoin" ? n : 0,
        blockNumber: network === "bitcoin" ? 870_000n + BigInt(i) : 21_400_000n + BigInt(i * 7),
        blockHash: txHash(network),
        detectedAt,
        confirmedAt: x.status === "confirmed" ? confirmedAt : null,
      })),
    };
  });
}
