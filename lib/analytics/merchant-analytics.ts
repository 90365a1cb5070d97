import { sql } from "drizzle-orm";
import { queryRows, type Executor } from "@/db/client";
import {
  CRYPTO_CURRENCIES,
  DomainError,
  FIAT_CURRENCIES,
  INVOICE_STATUSES,
  type CryptoCurrency,
  type FiatCurrency,
  type InvoiceStatus,
} from "@/lib/domain";
import { isUuid } from "@/lib/uuid";

// MerchantAnalytics (spec "5. MerchantAnalytics Aggregate"): one merchant's figures for a period,
// computed by PostgreSQL in one statement; no invoice row is ever loaded into JavaScript.
//
// Definitions (all times UTC; the range is half-open [from, to)):
// - Invoices, by status and by exception: invoices CREATED in the range, by their current status.
// - Revenue: the fiat total (invoiced amount at the locked rate) of invoices whose status is
//   "paid" and whose paid_at falls in the range, per fiat currency. An overpaid invoice counts its
//   invoiced total (the excess is settled by the merchant's overpayment action, not earned); an
//   underpaid one accepted within tolerance counts its total too. Refunded invoices are left out:
//   that money went back. Money that arrived after the deadline ("paid late", the invoice expired)
//   is not revenue either; it shows under exceptions for the merchant to resolve.
// - Received vs invoiced: for the same paid invoices, the crypto the buyers were asked for
//   (crypto_amount) and what actually arrived (amount_received), per asset in its smallest unit.
// - Conversion: of the invoices created in the range that reached a final state (paid, refunded,
//   expired, cancelled), the share that was paid (paid or later refunded: the checkout converted).
//   Invoices still open are left out so that the latest invoices do not drag the rate down.
// - Time to pay: paid_at − created_at in seconds, over the invoices paid (or since refunded) with
//   paid_at in the range; average and median.
// - Time series: one point per bucket (day, ISO week starting Monday, or calendar month, truncated
//   in UTC) from the bucket holding `from` to the one holding the last instant before `to`, empty
//   buckets included. "invoices" counts creations, "paid" and "revenue" count by paid_at, with the
//   same rules as above; the first and last buckets only hold what lies inside the range.

export const ANALYTICS_BUCKETS = ["day", "week", "month"] as const;
export type AnalyticsBucket = (typeof ANALYTICS_BUCKETS)[number];
export type AnalyticsRange = { from: Date; to: Date; bucket: AnalyticsBucket };

export const INVOICE_EXCEPTION_FLAGS = ["underpaid", "overpaid", "paid_late"] as const;
export type InvoiceExceptionFlag = (typeof INVOICE_EXCEPTION_FLAGS)[number];

export type AnalyticsPoint = {
  /** Start of the bucket (UTC). */
  start: Date;
  /** Invoices created in the bucket. */
  invoices: number;
  /** Invoices paid in the bucket (status paid or refunded). */
  paid: number;
  /** Revenue of the invoices paid in the bucket, minor units per fiat currency. */
  revenue: Partial<Record<FiatCurrency, bigint>>;
};

export type AnalyticsMetricsReport = {
  revenueByCurrency: Partial<Record<FiatCurrency, bigint>>;
  invoicedByAsset: Partial<Record<CryptoCurrency, bigint>>;
  receivedByAsset: Partial<Record<CryptoCurrency, bigint>>;
  invoicesCreated: number;
  invoicesPaid: number;
  /** Every status is present (0 when none). */
  invoicesByStatus: Record<InvoiceStatus, number>;
  exceptions: Record<InvoiceExceptionFlag, number>;
  conversion: { converted: number; settled: number; rate: number | null };
  averageSecondsToPay: number | null;
  medianSecondsToPay: number | null;
};

export type MerchantAnalytics = {
  merchantId: string;
  period: AnalyticsRange;
  /** true: live invoices only; false: test only; null: both. */
  livemode: boolean | null;
  metrics: AnalyticsMetricsReport;
  timeSeries: AnalyticsPoint[];
  generatedAt: Date;
};

/** More points than any chart can show means a wrong bucket for the range. */
export const MAX_ANALYTICS_BUCKETS = 1000;

export class AnalyticsRangeError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("analytics.invalid_range", message, details);
    this.name = "AnalyticsRangeError";
  }
}

const DAY_MS = 86_400_000;
const MIN_BUCKET_MS: Record<AnalyticsBucket, number> = { day: DAY_MS, week: 7 * DAY_MS, month: 28 * DAY_MS };

function assertRange(merchantId: string, range: AnalyticsRange): void {
  if (!isUuid(merchantId)) throw new AnalyticsRangeError("merchantId must be a UUID", { merchantId });
  if (!(range.from instanceof Date) || Number.isNaN(range.from.getTime())) throw new AnalyticsRangeError("from must be a valid date");
  if (!(range.to instanceof Date) || Number.isNaN(range.to.getTime())) throw new AnalyticsRangeError("to must be a valid date");
  if (range.from.getTime() >= range.to.getTime()) {
    throw new AnalyticsRangeError("from must be before to", { from: range.from.toISOString(), to: range.to.toISOString() });
  }
  if (!(ANALYTICS_BUCKETS as readonly string[]).includes(range.bucket)) {
    throw new AnalyticsRangeError(`bucket must be one of ${ANALYTICS_BUCKETS.join(", ")}`, { bucket: range.bucket });
  }
  // An upper bound on the bucket count (a partial bucket at each end).
  const buckets = Math.floor((range.to.getTime() - range.from.getTime()) / MIN_BUCKET_MS[range.bucket]) + 2;
  if (buckets > MAX_ANALYTICS_BUCKETS) {
    throw new AnalyticsRangeError(`The range holds too many ${range.bucket} buckets (at most ${MAX_ANALYTICS_BUCKETS}): choose a longer bucket`, {
      bucket: range.bucket,
    });
  }
}

type Row = {
  by_status: Record<string, number>;
  by_exception: Record<string, number>;
  revenue: Record<string, string>;
  invoiced: Record<string, string>;
  received: Record<string, string>;
  created_count: number;
  paid_count: number;
  converted: number;
  settled: number;
  avg_seconds: number | null;
  median_seconds: number | null;
  series: { start: string; invoices: number; paid: number; revenue: Record<string, string> }[];
};

export async function computeMerchantAnalytics(
  db: Executor,
  merchantId: string,
  range: AnalyticsRange,
  options: { livemode?: boolean } = {},
): Promise<MerchantAnalytics> {
  assertRange(merchantId, range);
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const unit = range.bucket;
  const livemode = options.livemode ?? null;
  // Written into the statement rather than `(x is null or livemode = x)`, which would keep the
  // planner from using livemode in the (merchant_id, livemode, created_at) index.
  const mode = livemode === null ? sql`` : sql` and livemode = ${livemode}`;

  // Each CTE below that is read more than once is materialised: one index range scan for the
  // invoices created in the range (invoices_merchant_created_idx) and one for those paid in it
  // (the partial invoices_merchant_paid_idx).
  const [row] = await queryRows<Row>(
    db,
    sql`
    with created as (
      select status, exception, date_trunc(${unit}::text, created_at at time zone 'UTC') as bucket
      from invoices
      where merchant_id = ${merchantId}::uuid and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz${mode}
    ),
    paid as (
      select status, fiat_currency, total_minor, crypto_currency, crypto_amount, amount_received,
             extract(epoch from (paid_at - created_at))::float8 as seconds,
             date_trunc(${unit}::text, paid_at at time zone 'UTC') as bucket
      from invoices
      where merchant_id = ${merchantId}::uuid and paid_at >= ${from}::timestamptz and paid_at < ${to}::timestamptz
        and status in ('paid', 'refunded')${mode}
    ),
    buckets as (
      select generate_series(
        date_trunc(${unit}::text, ${from}::timestamptz at time zone 'UTC'),
        date_trunc(${unit}::text, (${to}::timestamptz - interval '1 microsecond') at time zone 'UTC'),
        ('1 ' || ${unit}::text)::interval
      ) as bucket
    ),
    created_by_bucket as (select bucket, count(*)::int as n from created group by bucket),
    paid_by_bucket as (select bucket, count(*)::int as n from paid group by bucket),
    revenue_by_bucket as (
      select bucket, jsonb_object_agg(fiat_currency::text, total::text) as revenue
      from (select bucket, fiat_currency, sum(total_minor) as total from paid where status = 'paid' group by bucket, fiat_currency) r
      group by bucket
    )
    select
      (select coalesce(jsonb_object_agg(status::text, n), '{}'::jsonb)
         from (select status, count(*)::int as n from created group by status) s) as by_status,
      (select coalesce(jsonb_object_agg(exception::text, n), '{}'::jsonb)
         from (select exception, count(*)::int as n from created where exception <> 'none' group by exception) s) as by_exception,
      (select coalesce(jsonb_object_agg(fiat_currency::text, total::text), '{}'::jsonb)
         from (select fiat_currency, sum(total_minor) as total from paid where status = 'paid' group by fiat_currency) s) as revenue,
      (select coalesce(jsonb_object_agg(crypto_currency::text, total::text), '{}'::jsonb)
         from (select crypto_currency, sum(crypto_amount) as total from paid where status = 'paid' group by crypto_currency) s) as invoiced,
      (select coalesce(jsonb_object_agg(crypto_currency::text, total::text), '{}'::jsonb)
         from (select crypto_currency, sum(amount_received) as total from paid where status = 'paid' group by crypto_currency) s) as received,
      (select count(*)::int from created) as created_count,
      (select count(*)::int from paid) as paid_count,
      (select count(*)::int from created where status in ('paid', 'refunded')) as converted,
      (select count(*)::int from created where status in ('paid', 'refunded', 'expired', 'cancelled')) as settled,
      (select avg(seconds) from paid) as avg_seconds,
      (select percentile_cont(0.5) within group (order by seconds) from paid) as median_seconds,
      (select jsonb_agg(jsonb_build_object(
          'start', to_char(b.bucket, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'invoices', coalesce(c.n, 0),
          'paid', coalesce(p.n, 0),
          'revenue', coalesce(r.revenue, '{}'::jsonb)
        ) order by b.bucket)
         from buckets b
         left join created_by_bucket c on c.bucket = b.bucket
         left join paid_by_bucket p on p.bucket = b.bucket
         left join revenue_by_bucket r on r.bucket = b.bucket) as series
    `,
  );
  if (!row) throw new Error("analytics query returned no row");
  return {
    merchantId,
    period: { from: range.from, to: range.to, bucket: range.bucket },
    livemode,
    metrics: {
      revenueByCurrency: bigintRecord(row.revenue, FIAT_CURRENCIES),
      invoicedByAsset: bigintRecord(row.invoiced, CRYPTO_CURRENCIES),
      receivedByAsset: bigintRecord(row.received, CRYPTO_CURRENCIES),
      invoicesCreated: row.created_count,
      invoicesPaid: row.paid_count,
      invoicesByStatus: countRecord(row.by_status, INVOICE_STATUSES),
      exceptions: countRecord(row.by_exception, INVOICE_EXCEPTION_FLAGS),
      conversion: {
        converted: row.converted,
        settled: row.settled,
        rate: row.settled === 0 ? null : row.converted / row.settled,
      },
      averageSecondsToPay: toNumberOrNull(row.avg_seconds),
      medianSecondsToPay: toNumberOrNull(row.median_seconds),
    },
    timeSeries: (row.series ?? []).map((p) => ({
      start: new Date(p.start),
      invoices: p.invoices,
      paid: p.paid,
      revenue: bigintRecord(p.revenue, FIAT_CURRENCIES),
    })),
    generatedAt: new Date(),
  };
}

/** Decimal strings from SQL sums to bigints, in the registry's order, keeping only known codes. */
function bigintRecord<K extends string>(source: Record<string, string> | null, keys: readonly K[]): Partial<Record<K, bigint>> {
  const out: Partial<Record<K, bigint>> = {};
  for (const key of keys) {
    const value = source?.[key];
    if (value !== undefined) out[key] = BigInt(value);
  }
  return out;
}

function countRecord<K extends string>(source: Record<string, number> | null, keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, Number(source?.[k] ?? 0)])) as Record<K, number>;
}

// Drivers differ: a float8 comes back as a number from postgres.js and PGlite, but be lenient.
function toNumberOrNull(value: number | string | null): number | null {
  return value === null || value === undefined ? null : Number(value);
}
