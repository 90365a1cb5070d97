// Invoice amounts, computed once at creation: subtotal = Σ quantity × unit price,
// tax from basis points (half-even) or given explicitly, total = subtotal + tax.
import { isFiat, type FiatCurrency } from "./assets";
import { CurrencyMismatchError, DomainError, InvalidAmountError, InvariantError } from "./errors";
import {
  addMoney,
  assertNonNegativeMoney,
  assertPositiveMoney,
  equalsMoney,
  formatMoney,
  multiplyMoney,
  percentOf,
  sumMoney,
  zeroMoney,
  type Money,
} from "./money";

export interface InvoiceItem {
  readonly description: string;
  /** Whole units; must be > 0. */
  readonly quantity: bigint;
  /** Must be > 0 and in the invoice currency. */
  readonly unitPrice: Money;
}

export interface InvoicePricing {
  readonly currency: FiatCurrency;
  readonly subtotal: Money;
  readonly tax: Money;
  readonly total: Money;
}

export interface InvoicePricingInput {
  readonly items: readonly InvoiceItem[];
  readonly currency: FiatCurrency;
  /** Tax rate in basis points (0..10 000), rounded half-even. Mutually exclusive with `tax`. */
  readonly taxBps?: bigint;
  /** Explicit tax amount (≥ 0, same currency). Mutually exclusive with `taxBps`. */
  readonly tax?: Money;
}

export const MAX_TAX_BPS = 10_000n;
export const MAX_ITEM_DESCRIPTION_LENGTH = 500;

export function calculateLineTotal(item: InvoiceItem): Money {
  return multiplyMoney(item.unitPrice, item.quantity);
}

function assertValidItem(item: InvoiceItem, index: number, currency: FiatCurrency): void {
  const description = typeof item.description === "string" ? item.description.trim() : "";
  if (description === "" || description.length > MAX_ITEM_DESCRIPTION_LENGTH) {
    throw new DomainError(
      "pricing.invalid_item",
      `Item ${index}: description must be 1-${MAX_ITEM_DESCRIPTION_LENGTH} characters`,
      { index, field: "description" },
    );
  }
  if (typeof item.quantity !== "bigint" || item.quantity <= 0n) {
    throw new InvalidAmountError(`Item ${index}: quantity must be a positive integer`, {
      index,
      field: "quantity",
      quantity: String(item.quantity),
    });
  }
  if (item.unitPrice.asset !== currency) {
    throw new CurrencyMismatchError(
      item.unitPrice.asset,
      currency,
      `Item ${index} is priced in ${item.unitPrice.asset} but the invoice is in ${currency}`,
    );
  }
  assertPositiveMoney(item.unitPrice, `items[${index}].unitPrice`);
}

function resolveTax(input: InvoicePricingInput, subtotal: Money): Money {
  const { currency, taxBps, tax } = input;
  if (taxBps !== undefined && tax !== undefined) {
    throw new DomainError("pricing.ambiguous_tax", "Give either taxBps or tax, not both", {});
  }
  if (taxBps !== undefined) {
    if (typeof taxBps !== "bigint" || taxBps < 0n || taxBps > MAX_TAX_BPS) {
      throw new DomainError(
        "pricing.invalid_tax_rate",
        `taxBps must be an integer between 0 and ${MAX_TAX_BPS}`,
        { taxBps: String(taxBps) },
      );
    }
    return percentOf(subtotal, taxBps, "half-even");
  }
  if (tax !== undefined) {
    if (tax.asset !== currency) throw new CurrencyMismatchError(tax.asset, currency);
    assertNonNegativeMoney(tax, "tax");
    return tax;
  }
  return zeroMoney(currency);
}

export function createInvoicePricing(input: InvoicePricingInput): InvoicePricing {
  const { items, currency } = input;
  if (!isFiat(currency)) {
    throw new DomainError("pricing.invalid_currency", `Invoices are priced in fiat, not "${currency}"`, {
      currency,
    });
  }
  if (items.length === 0) {
    throw new DomainError("pricing.no_items", "An invoice needs at least one item", {});
  }
  items.forEach((item, index) => assertValidItem(item, index, currency));

  const subtotal = sumMoney(items.map(calculateLineTotal), currency);
  const tax = resolveTax(input, subtotal);
  const pricing: InvoicePricing = Object.freeze({
    currency,
    subtotal,
    tax,
    total: addMoney(subtotal, tax),
  });
  assertPricingConsistent(pricing);
  return pricing;
}

/** The spec's invariant "Total = Subtotal + Tax", plus subtotal > 0 and tax ≥ 0 in one currency. */
export function assertPricingConsistent(p: InvoicePricing): void {
  const { currency, subtotal, tax, total } = p;
  if (subtotal.asset !== currency || tax.asset !== currency || total.asset !== currency) {
    throw new InvariantError("Pricing amounts must all be in the invoice currency", {
      currency,
      subtotal: subtotal.asset,
      tax: tax.asset,
      total: total.asset,
    }, "pricing.inconsistent");
  }
  if (subtotal.amount <= 0n || tax.amount < 0n) {
    throw new InvariantError("Subtotal must be positive and tax non-negative", {
      subtotal: formatMoney(subtotal),
      tax: formatMoney(tax),
    }, "pricing.inconsistent");
  }
  if (!equalsMoney(total, addMoney(subtotal, tax))) {
    throw new InvariantError("Total must equal subtotal + tax", {
      subtotal: formatMoney(subtotal),
      tax: formatMoney(tax),
      total: formatMoney(total),
    }, "pricing.inconsistent");
  }
}
