import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CurrencyMismatchError,
  DomainError,
  FIAT_CURRENCIES,
  InvalidAmountError,
  InvariantError,
  assertPricingConsistent,
  createInvoicePricing,
  money,
  type FiatCurrency,
  type InvoiceItem,
  type InvoicePricing,
} from "@/lib/domain";

const usd = (amount: bigint) => money(amount, "USD");
const item = (quantity: bigint, unit: bigint, currency: FiatCurrency = "USD"): InvoiceItem => ({
  description: "Widget",
  quantity,
  unitPrice: money(unit, currency),
});

describe("createInvoicePricing", () => {
  it.each([
    // items [qty, unit cents], taxBps, subtotal, tax, total
    [[[1n, 1000n]], undefined, 1000n, 0n, 1000n],
    [[[3n, 1999n]], undefined, 5997n, 0n, 5997n],
    [[[2n, 1000n], [1n, 550n]], 1000n, 2550n, 255n, 2805n], // 10 %
    [[[1n, 1000n]], 825n, 1000n, 82n, 1082n], // 82.5 → half-even 82
    [[[1n, 1n]], 5000n, 1n, 0n, 1n], // 0.5 → even 0
    [[[3n, 1n]], 5000n, 3n, 2n, 5n], // 1.5 → even 2
    [[[1n, 999n]], 0n, 999n, 0n, 999n],
    [[[1n, 1234n]], 10_000n, 1234n, 1234n, 2468n], // 100 %
  ] as const)("pricing case %#", (items, taxBps, subtotal, tax, total) => {
    const pricing = createInvoicePricing({
      items: items.map(([q, u]) => item(q, u)),
      currency: "USD",
      ...(taxBps === undefined ? {} : { taxBps }),
    });
    expect(pricing).toEqual({ currency: "USD", subtotal: usd(subtotal), tax: usd(tax), total: usd(total) });
  });

  it("accepts an explicit tax amount", () => {
    const pricing = createInvoicePricing({ items: [item(1n, 1000n)], currency: "USD", tax: usd(123n) });
    expect(pricing.total).toEqual(usd(1123n));
  });

  it.each<[string, () => unknown, unknown]>([
    ["no items", () => createInvoicePricing({ items: [], currency: "USD" }), expect.objectContaining({ code: "pricing.no_items" })],
    ["mixed currencies", () => createInvoicePricing({ items: [item(1n, 100n), item(1n, 100n, "EUR")], currency: "USD" }), CurrencyMismatchError],
    ["item not in invoice currency", () => createInvoicePricing({ items: [item(1n, 100n, "EUR")], currency: "USD" }), CurrencyMismatchError],
    ["zero unit price", () => createInvoicePricing({ items: [item(1n, 0n)], currency: "USD" }), InvalidAmountError],
    ["negative unit price", () => createInvoicePricing({ items: [item(1n, -5n)], currency: "USD" }), InvalidAmountError],
    ["zero quantity", () => createInvoicePricing({ items: [item(0n, 100n)], currency: "USD" }), InvalidAmountError],
    ["negative quantity", () => createInvoicePricing({ items: [item(-1n, 100n)], currency: "USD" }), InvalidAmountError],
    ["empty description", () => createInvoicePricing({ items: [{ ...item(1n, 100n), description: "  " }], currency: "USD" }), expect.objectContaining({ code: "pricing.invalid_item" })],
    ["crypto currency", () => createInvoicePricing({ items: [{ description: "x", quantity: 1n, unitPrice: money(1n, "BTC") }], currency: "BTC" as FiatCurrency }), expect.objectContaining({ code: "pricing.invalid_currency" })],
    ["both tax forms", () => createInvoicePricing({ items: [item(1n, 100n)], currency: "USD", taxBps: 1n, tax: usd(1n) }), expect.objectContaining({ code: "pricing.ambiguous_tax" })],
    ["negative tax rate", () => createInvoicePricing({ items: [item(1n, 100n)], currency: "USD", taxBps: -1n }), expect.objectContaining({ code: "pricing.invalid_tax_rate" })],
    ["tax rate over 100 %", () => createInvoicePricing({ items: [item(1n, 100n)], currency: "USD", taxBps: 10_001n }), expect.objectContaining({ code: "pricing.invalid_tax_rate" })],
    ["negative explicit tax", () => createInvoicePricing({ items: [item(1n, 100n)], currency: "USD", tax: usd(-1n) }), InvalidAmountError],
    ["explicit tax in other currency", () => createInvoicePricing({ items: [item(1n, 100n)], currency: "USD", tax: money(1n, "EUR") }), CurrencyMismatchError],
  ])("rejects %s", (_label, run, expected) => {
    expect(run).toThrow(expected as never);
  });

  it("property: total = subtotal + tax and subtotal = Σ qty × unit", () => {
    const itemArb = fc.record({
      quantity: fc.bigInt({ min: 1n, max: 1_000n }),
      unit: fc.bigInt({ min: 1n, max: 10n ** 9n }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom<FiatCurrency>(...FIAT_CURRENCIES),
        fc.array(itemArb, { minLength: 1, maxLength: 10 }),
        fc.option(fc.bigInt({ min: 0n, max: 10_000n }), { nil: undefined }),
        (currency, rawItems, taxBps) => {
          const items = rawItems.map(({ quantity, unit }) => item(quantity, unit, currency));
          const pricing = createInvoicePricing({ items, currency, ...(taxBps === undefined ? {} : { taxBps }) });
          const expectedSubtotal = rawItems.reduce((sum, { quantity, unit }) => sum + quantity * unit, 0n);
          expect(pricing.subtotal).toEqual(money(expectedSubtotal, currency));
          expect(pricing.total.amount).toBe(pricing.subtotal.amount + pricing.tax.amount);
          expect(pricing.tax.amount >= 0n).toBe(true);
          // half-even tax is within half a cent of the exact value
          const exactTimes10k = expectedSubtotal * (taxBps ?? 0n);
          const diff = pricing.tax.amount * 10_000n - exactTimes10k;
          expect((diff < 0n ? -diff : diff) <= 5_000n).toBe(true);
          expect(() => assertPricingConsistent(pricing)).not.toThrow();
        },
      ),
    );
  });
});

describe("assertPricingConsistent", () => {
  const good: InvoicePricing = { currency: "USD", subtotal: usd(1000n), tax: usd(100n), total: usd(1100n) };

  it.each<[string, InvoicePricing]>([
    ["total ≠ subtotal + tax", { ...good, total: usd(1101n) }],
    ["zero subtotal", { ...good, subtotal: usd(0n), total: usd(100n) }],
    ["negative tax", { ...good, tax: usd(-1n), total: usd(999n) }],
    ["mixed currency", { ...good, tax: money(100n, "EUR") }],
  ])("throws InvariantError for %s", (_label, pricing) => {
    expect(() => assertPricingConsistent(pricing)).toThrow(InvariantError);
    expect(() => assertPricingConsistent(pricing)).toThrow(expect.objectContaining({ code: "pricing.inconsistent" }));
  });

  it("accepts consistent pricing", () => {
    expect(() => assertPricingConsistent(good)).not.toThrow();
    expect(new InvariantError("x")).toBeInstanceOf(DomainError);
  });
});
