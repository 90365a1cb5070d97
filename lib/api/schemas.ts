import { z } from "zod";
import {
  CRYPTO_CURRENCIES,
  FIAT_CURRENCIES,
  INVOICE_STATUSES,
  isAssetOnNetwork,
  NETWORKS,
  OVERPAYMENT_ACTIONS,
  parsePercentToBps,
} from "@/lib/domain";

/**
 * Request and response schemas of the REST API. The route handlers validate with these, and the
 * OpenAPI document is generated from the very same objects, so the docs cannot drift from the code.
 */

const FIAT_AMOUNT = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

/** The largest invoice total accepted, in minor units (one trillion in the invoice currency). */
export const MAX_TOTAL_MINOR = 100_000_000_000_000n;

/** "49.00" → 4900n; the string has passed FIAT_AMOUNT. */
export function fiatToMinor(value: string): bigint {
  const [whole, fraction = ""] = value.split(".");
  return BigInt(whole!) * 100n + BigInt((fraction + "00").slice(0, 2));
}

/** Dates PostgreSQL and JavaScript both represent: from 1970 to the end of year 9999, UTC. */
export function isStorableDate(value: string | Date): boolean {
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(t) && t >= 0 && t < Date.UTC(10000, 0, 1);
}

/** A fiat amount as a decimal string with at most two decimals, e.g. "49.00". */
export const FiatAmount = z
  .string()
  .max(20)
  .regex(FIAT_AMOUNT, "must be a decimal string with at most 2 decimals, e.g. \"49.00\"")
  .meta({ description: "Decimal string in the invoice currency, at most 2 decimals", example: "49.00" });

const PositiveFiatAmount = FiatAmount.refine((v) => /[1-9]/.test(v), "must be greater than zero");

const Percent = (max: number) =>
  z
    .string()
    .max(10)
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "must be a percentage such as \"0.5\"")
    .refine((v) => {
      try {
        const bps = parsePercentToBps(v);
        return bps >= 0n && bps <= BigInt(max * 100);
      } catch {
        return false; // already reported by the pattern above
      }
    }, `must be between 0 and ${max}`);

const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 20, "at most 20 keys")
  .meta({ description: "Up to 20 string key/value pairs for your own use", example: { order_id: "A-1001" } });

const HttpsUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((u) => u.startsWith("https://") || /^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(u), "must be an https:// URL");

export const InvoiceItemInput = z
  .object({
    description: z.string().trim().min(1).max(500),
    quantity: z.number().int().min(1).max(1_000_000).default(1),
    unit_price: PositiveFiatAmount,
  })
  .strict()
  .meta({ id: "InvoiceItemInput" });

export const CreateInvoiceBody = z
  .object({
    title: z.string().trim().min(1).max(255),
    description: z.string().max(1000).optional(),
    reference: z.string().trim().min(1).max(100).optional().meta({ description: "Your own order reference; searchable" }),
    currency: z.enum(FIAT_CURRENCIES),
    items: z.array(InvoiceItemInput).min(1).max(100),
    tax: FiatAmount.optional().meta({ description: "Tax amount; total = subtotal + tax" }),
    crypto_currency: z.enum(CRYPTO_CURRENCIES),
    network: z.enum(NETWORKS).optional().meta({ description: "Required for USDT (ethereum or tron)" }),
    customer_id: z.uuid().optional(),
    customer_email: z.email().max(254).optional(),
    expires_in_minutes: z.number().int().min(5).max(1440).optional().meta({ description: "Default 30" }),
    underpayment_threshold_percent: Percent(1).optional().meta({ description: "0 to 1.00" }),
    overpayment_threshold_percent: Percent(100).optional().meta({ description: "0 to 100.00" }),
    overpayment_action: z.enum(OVERPAYMENT_ACTIONS).optional(),
    redirect_url: HttpsUrl.optional(),
    metadata: Metadata.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const network = body.network ?? (body.crypto_currency === "BTC" ? "bitcoin" : body.crypto_currency === "ETH" ? "ethereum" : undefined);
    if (!network) {
      ctx.addIssue({ code: "custom", path: ["network"], message: "is required for USDT: ethereum or tron" });
    } else if (!isAssetOnNetwork(body.crypto_currency, network)) {
      ctx.addIssue({ code: "custom", path: ["network"], message: `${body.crypto_currency} is not paid on ${network}` });
    }
    const subtotal = body.items.reduce(
      (sum, item) => (FIAT_AMOUNT.test(item.unit_price) ? sum + fiatToMinor(item.unit_price) * BigInt(item.quantity) : sum),
      0n,
    );
    const tax = body.tax && FIAT_AMOUNT.test(body.tax) ? fiatToMinor(body.tax) : 0n;
    if (subtotal + tax > MAX_TOTAL_MINOR) {
      ctx.addIssue({ code: "custom", path: ["items"], message: "the invoice total may not exceed 1,000,000,000,000.00" });
    }
    if (body.customer_id && body.customer_email) {
      ctx.addIssue({ code: "custom", path: ["customer_email"], message: "give customer_id or customer_email, not both" });
    }
  })
  .meta({ id: "CreateInvoiceRequest" });

export type CreateInvoiceBodyInput = z.output<typeof CreateInvoiceBody>;

export const CancelInvoiceBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .meta({ id: "CancelInvoiceRequest" });

const ListLimit = z.coerce.number().int().min(1).max(100).default(20);
const Cursor = z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, "is not a cursor from a previous page").optional();
const IsoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .refine(isStorableDate, "must be a date between 1970 and 9999");

export const ListInvoicesQuery = z
  .object({
    limit: ListLimit,
    starting_after: Cursor.meta({ description: "next_cursor of the previous page" }),
    status: z
      .string()
      .max(100)
      .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(INVOICE_STATUSES)).max(7))
      .optional()
      .meta({ description: "Comma-separated statuses", example: "pending,partial" }),
    created_gte: IsoDate.optional(),
    created_lte: IsoDate.optional(),
    customer_id: z.uuid().optional(),
    q: z.string().trim().min(1).max(200).optional().meta({ description: "Full-text search over title, description and reference" }),
  })
  .strict()
  .meta({ id: "ListInvoicesQuery" });

export const CreateCustomerBody = z
  .object({ email: z.email().max(254), metadata: Metadata.optional() })
  .strict()
  .meta({ id: "CreateCustomerRequest" });

export const ListCustomersQuery = z
  .object({
    limit: ListLimit,
    starting_after: Cursor,
    status: z.enum(["active", "blocked", "inactive"]).optional(),
    email: z.email().max(254).optional(),
  })
  .strict()
  .meta({ id: "ListCustomersQuery" });

// Responses (documentation only: the serializers in lib/invoices and lib/customers produce them).

export const InvoiceResponse = z
  .object({
    id: z.uuid(),
    object: z.literal("invoice"),
    livemode: z.boolean(),
    status: z.enum(INVOICE_STATUSES),
    exception: z.enum(["none", "underpaid", "overpaid", "paid_late"]),
    title: z.string(),
    description: z.string().nullable(),
    reference: z.string().nullable(),
    customer_id: z.uuid().nullable(),
    currency: z.enum(FIAT_CURRENCIES),
    items: z.array(
      z.object({ description: z.string(), quantity: z.number().int(), unit_price: FiatAmount, amount: FiatAmount }),
    ),
    subtotal: FiatAmount,
    tax: FiatAmount,
    total: FiatAmount,
    crypto: z.object({
      currency: z.enum(CRYPTO_CURRENCIES),
      network: z.enum(NETWORKS),
      amount: z.string().meta({ description: "Whole units, exact", example: "0.00050516" }),
      amount_minor: z.string().meta({ description: "Smallest units (satoshi, wei, 10^-6 USDT)", example: "50516" }),
      received: z.string(),
      received_minor: z.string(),
    }),
    exchange_rate: z.object({
      rate: z.string().meta({ description: "Price of one crypto unit in the invoice currency" }),
      source: z.string(),
      locked_at: z.iso.datetime(),
      expires_at: z.iso.datetime(),
    }),
    payment_address: z.string(),
    payment_uri: z.string().meta({ description: "BIP21 or EIP-681 URI, as encoded in the checkout QR code" }),
    hosted_url: z.url(),
    payment_tolerance: z.object({
      underpayment_threshold_percent: z.string(),
      overpayment_threshold_percent: z.string(),
      overpayment_action: z.enum(OVERPAYMENT_ACTIONS),
    }),
    required_confirmations: z.number().int(),
    metadata: z.record(z.string(), z.string()),
    redirect_url: z.string().nullable(),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    paid_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "Invoice" });

export const CustomerResponse = z
  .object({
    id: z.uuid(),
    object: z.literal("customer"),
    email: z.string(),
    status: z.enum(["active", "blocked", "inactive"]),
    metadata: z.record(z.string(), z.string()),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    last_seen_at: z.iso.datetime().nullable(),
  })
  .meta({ id: "Customer" });

export const listOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() })
    .meta({ id });

export const InvoiceList = listOf(InvoiceResponse, "InvoiceList");
export const CustomerList = listOf(CustomerResponse, "CustomerList");

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "validation_failed" }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
      request_id: z.string(),
    }),
  })
  .meta({ id: "Error" });
