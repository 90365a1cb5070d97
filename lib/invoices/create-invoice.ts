import { randomUUID } from "node:crypto";
import { and, eq, getTableColumns, sql, type Column, type Query, type SQL } from "drizzle-orm";
import { PgDialect, type PgTable, type PreparedQueryConfig, type SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import type { Db, Executor } from "@/db";
import { auditEntries, customers, exchangeRates, invoiceItems, invoices, outboxEvents } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { deriveAddress, parseExtendedPublicKey } from "@/lib/chains/addresses";
import {
  assertAssetOnNetwork,
  convertFiatToCrypto,
  createExchangeRate,
  createInvoicePricing,
  DomainError,
  money,
  requiredConfirmationsFor,
  type CryptoCurrency,
  type FiatCurrency,
  type Network,
  type OverpaymentAction,
} from "@/lib/domain";
import { recordEvent } from "@/lib/events/outbox";
import {
  readInvoiceWallet,
  takeNextIndexFromCandidates,
  walletNotConfigured,
  type InvoiceWallet,
  type WalletMode,
} from "@/lib/merchants/wallets";
import { ensureFreshRate, RatesUnavailableError } from "@/lib/rates/service";
import { getSystemConfig } from "@/lib/system-config";

/**
 * CreateInvoice: prices the items, locks an exchange rate, converts exactly (rounded up), takes a
 * fresh derivation index and address, and writes the invoice, its items, an AuditEntry and the
 * InvoiceCreated event in one transaction. If any step fails nothing is written.
 *
 * How the index is taken without holding the wallet row locked across round trips: the addresses
 * of the next few indexes are derived first (candidateAddresses), then ONE statement takes the
 * next index if it is among them and writes everything with that index's address
 * (writeInvoice). That statement is its own transaction unless a customer must be resolved first.
 * In the rare case that the index has moved past the candidates (another instance took several),
 * the wallet row is locked and the statement is run again with exactly the locked next index.
 */

export type CreateInvoiceCommand = {
  merchantId: string;
  mode: WalletMode;
  title: string;
  description?: string | null;
  reference?: string | null;
  currency: FiatCurrency;
  items: { description: string; quantity: bigint; unitPriceMinor: bigint }[];
  taxMinor?: bigint;
  cryptoCurrency: CryptoCurrency;
  network: Network;
  customer?: { id: string } | { email: string } | null;
  expiresInMinutes?: number | null;
  tolerance?: { underpaymentBps?: number; overpaymentBps?: number; overpaymentAction?: OverpaymentAction };
  redirectUrl?: string | null;
  metadata?: Record<string, string>;
  paymentLinkId?: string | null;
  now?: Date;
};

export type CreateInvoiceDeps = {
  /** Fetches fresh quotes when no valid stored rate exists (providers in production). */
  refreshRates?: () => Promise<void>;
};

/**
 * Derived addresses per key (parsed once: parsing costs more than deriving one child), kept until
 * their index has been taken, so that each index is derived once however many creations list it.
 */
type DerivedKey = { parsed: ReturnType<typeof parseExtendedPublicKey>; addresses: Map<number, string> };
const derivedKeys = new Map<string, DerivedKey>();

/** The addresses of indexes first, first + 1, …, first + count - 1 of `key`. */
function candidateAddresses(network: Network, key: string, testnet: boolean, first: number, count: number): string[] {
  const cacheKey = `${network}:${testnet}:${key}`;
  let derived = derivedKeys.get(cacheKey);
  if (!derived) {
    if (derivedKeys.size >= 1000) derivedKeys.delete(derivedKeys.keys().next().value!); // the oldest key
    derived = { parsed: parseExtendedPublicKey(network, key, { testnet }), addresses: new Map() };
    derivedKeys.set(cacheKey, derived);
  }
  for (const index of derived.addresses.keys()) if (index < first) derived.addresses.delete(index); // taken
  return Array.from({ length: count }, (_, i) => {
    let address = derived.addresses.get(first + i);
    if (address === undefined) derived.addresses.set(first + i, (address = deriveAddress(derived.parsed, first + i)));
    return address;
  });
}

/**
 * Creations in progress per wallet in this process. Each takes its own index, so a creation's
 * candidates start at the stored next index and cover that many indexes, plus a margin for
 * creations by other instances. A creation that finds the index past its candidates still
 * succeeds, through the locking path (more round trips, the wallet row locked meanwhile).
 */
const inProgress = new Map<string, number>();
const CANDIDATE_MARGIN = 2;

/**
 * The row `write` (recordAudit, recordEvent) would insert into `table`, captured instead of
 * written: `write` runs against an executor whose `insert(table).values(row)` only records `row`.
 * The audit entry and the event so keep exactly the contents those modules give them, while their
 * inserts join the invoice's single statement.
 */
async function capturedRow<T extends PgTable>(
  table: T,
  write: (executor: Executor) => Promise<unknown>,
): Promise<T["$inferInsert"]> {
  let captured: T["$inferInsert"][] = [];
  const recorder = {
    insert(target: unknown) {
      if (target !== table) throw new Error("capturedRow: the writer inserted into another table");
      return {
        values(rows: T["$inferInsert"] | T["$inferInsert"][]) {
          captured = captured.concat(rows);
          // Awaited directly (recordAudit) or through returning({ id }) (recordEvents).
          const result = captured.map(() => ({ id: "" }));
          return Object.assign(Promise.resolve(result), { returning: () => Promise.resolve(result) });
        },
      };
    },
  };
  await write(recorder as unknown as Executor);
  if (captured.length !== 1) throw new Error(`capturedRow: expected one row, the writer inserted ${captured.length}`);
  return captured[0]!;
}

type Row = Record<string, unknown>;

/**
 * What the write statement stores: one row per table, the items as a list. The invoice's
 * payment_address and derivation_index, and the audit entry's paymentAddress and derivationIndex,
 * come from the index the statement takes.
 */
type InvoiceWrite = { rate: Row; invoice: Row; items: Row[]; audit: Row; event: Row };

/** The single-row inserts of the write statement, named as its CTEs and placeholders. */
const SINGLE_ROW_TABLES = { rate: exchangeRates, invoice: invoices, audit: auditEntries, event: outboxEvents } as const;
type SingleRowName = keyof typeof SINGLE_ROW_TABLES;

/** The item columns written through jsonb_to_recordset (invoice_id comes from the invoice). */
const ITEM_KEYS = ["position", "description", "quantity", "unitPriceMinor", "amountMinor"] as const;

/** Columns the statement returns: one row per item with the invoice and its rate, mapped by drizzle. */
const RESULT_FIELDS: SelectedFieldsOrdered = [
  ...resultFields("invoice", invoices),
  ...resultFields("rate", exchangeRates, ["id", "rate", "source", "lockedAt", "expiresAt"]),
  ...resultFields("item", invoiceItems),
];
type WrittenRow = {
  invoice: typeof invoices.$inferSelect;
  rate: Pick<typeof exchangeRates.$inferSelect, "id" | "rate" | "source" | "lockedAt" | "expiresAt">;
  item: typeof invoiceItems.$inferSelect;
};

function resultFields(name: string, table: PgTable, keys?: string[]): SelectedFieldsOrdered {
  const columns = getTableColumns(table);
  return (keys ?? Object.keys(columns)).map((key) => ({ path: [name, key], field: columns[key]! }));
}

/** A placeholder cast to the column's type (INSERT … SELECT does not infer it from the target). */
const typed = (name: string, column: Column) => sql`${sql.placeholder(name)}::${sql.raw(column.getSQLType())}`;

/** `value` encoded as drizzle would for `column`; null stays SQL NULL. */
function encode(column: Column, value: unknown): unknown {
  return value === null || value === undefined ? null : column.mapToDriverValue(value);
}

/** Values the statement takes from the `allocated` CTE (the index it took and that index's address). */
const FROM_ALLOCATION: Partial<Record<SingleRowName, Record<string, (placeholder: SQL) => SQL>>> = {
  invoice: { paymentAddress: () => sql`allocated.address`, derivationIndex: () => sql`allocated.index` },
  audit: {
    data: (data) => sql`${data} || jsonb_build_object('paymentAddress', allocated.address, 'derivationIndex', allocated.index)`,
  },
};

/**
 * The write statement's SQL for rows with these keys. Built once per key set (in practice one) and
 * run as a named prepared statement: building it with the query builder on every request cost
 * about 1 ms of Node CPU, more than anything else in the request, and PostgreSQL now plans it once
 * per connection.
 *
 * Data-modifying CTEs: `allocated` takes the index (takeNextIndexFromCandidates); the rate, the
 * invoice, its items (any number, from one jsonb parameter, so the SQL does not depend on the
 * count), the audit entry and the event are inserted `from allocated`, so nothing at all is written
 * when no index was taken. Foreign keys are checked at the end of the statement, once every row exists.
 */
function writeStatementFor(keys: Record<SingleRowName, string[]>): Query {
  const signature = JSON.stringify(keys);
  let query = writeStatements.get(signature);
  if (query) return query;
  const insert = (name: SingleRowName, returning: boolean) => {
    const columns = getTableColumns(SINGLE_ROW_TABLES[name]) as Record<string, Column>;
    const value = (key: string) => {
      const placeholder = typed(`${name}.${key}`, columns[key]!);
      return FROM_ALLOCATION[name]?.[key]?.(placeholder) ?? placeholder;
    };
    return sql`${sql.identifier(name)} as (insert into ${SINGLE_ROW_TABLES[name]} (${sql.join(
      keys[name].map((key) => sql.identifier(columns[key]!.name)),
      sql`, `,
    )}) select ${sql.join(keys[name].map(value), sql`, `)} from allocated${returning ? sql` returning *` : sql``})`;
  };
  const itemColumns = getTableColumns(invoiceItems);
  const itemNames = sql.join(ITEM_KEYS.map((key) => sql.identifier(itemColumns[key].name)), sql`, `);
  const items = sql`"item" as (insert into ${invoiceItems} (${sql.identifier(itemColumns.invoiceId.name)}, ${itemNames})
    select ${typed("invoice.id", itemColumns.invoiceId)}, ${itemNames}
    from allocated, jsonb_to_recordset(${sql.placeholder("items")}::jsonb) as t(${sql.join(
      ITEM_KEYS.map((key) => sql`${sql.identifier(itemColumns[key].name)} ${sql.raw(itemColumns[key].getSQLType())}`),
      sql`, `,
    )})
    returning *)`;
  const allocated = takeNextIndexFromCandidates({
    merchantId: sql.placeholder("wallet.merchantId"),
    network: sql.placeholder("wallet.network"),
    mode: sql.placeholder("wallet.mode"),
    extendedPublicKey: sql.placeholder("wallet.extendedPublicKey"),
    firstIndex: sql.placeholder("wallet.firstIndex"),
    addresses: sql.placeholder("wallet.addresses"),
  });
  const selected = sql.join(
    RESULT_FIELDS.map(({ path, field }) => sql`${sql.identifier(path[0]!)}.${sql.identifier((field as Column).name)}`),
    sql`, `,
  );
  query = new PgDialect().sqlToQuery(
    sql`with allocated as (${allocated}), ${insert("rate", true)}, ${insert("invoice", true)}, ${items},
      ${insert("audit", false)}, ${insert("event", false)}
      select ${selected} from "invoice", "rate", "item"`,
  );
  writeStatements.set(signature, query);
  return query;
}
const writeStatements = new Map<string, Query>();

type Candidates = {
  merchantId: string;
  network: Network;
  mode: WalletMode;
  extendedPublicKey: string;
  firstIndex: number;
  addresses: string[];
};

/**
 * Runs the write statement: takes the wallet's next index if it is one of the candidates and
 * writes everything with it. Returns what was written, or null when no index was taken (then
 * nothing was written).
 */
async function writeInvoice(
  db: Executor,
  write: InvoiceWrite,
  candidates: Candidates,
): Promise<{ invoice: WrittenRow["invoice"]; items: WrittenRow["item"][]; rate: WrittenRow["rate"] } | null> {
  const keys = {} as Record<SingleRowName, string[]>;
  const values: Row = {};
  for (const name of Object.keys(SINGLE_ROW_TABLES) as SingleRowName[]) {
    const columns = getTableColumns(SINGLE_ROW_TABLES[name]) as Record<string, Column>;
    keys[name] = Object.keys(write[name]);
    for (const key of keys[name]) values[`${name}.${key}`] = encode(columns[key]!, write[name][key]);
  }
  const itemColumns = getTableColumns(invoiceItems);
  // bigints as JSON strings: jsonb_to_recordset reads them through the column type's input, exactly.
  values.items = JSON.stringify(
    write.items.map((item) =>
      Object.fromEntries(ITEM_KEYS.map((key) => [itemColumns[key].name, encode(itemColumns[key], item[key])])),
    ),
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
  );
  for (const [key, value] of Object.entries(candidates)) {
    values[`wallet.${key}`] = key === "addresses" ? JSON.stringify(value) : value;
  }
  const rows = await db._.session
    .prepareQuery<{ execute: WrittenRow[] } & PreparedQueryConfig>(writeStatementFor(keys), RESULT_FIELDS, "invoice_create", true)
    .execute(values);
  const [first] = rows;
  if (!first) return null;
  const items = rows.map((r) => r.item).sort((a, b) => a.position - b.position);
  return { invoice: first.invoice, items, rate: first.rate };
}

async function resolveCustomer(
  tx: Executor,
  merchantId: string,
  ref: CreateInvoiceCommand["customer"],
  now: Date,
): Promise<string | null> {
  if (!ref) return null;
  if ("id" in ref) {
    const [row] = await tx
      .select({ id: customers.id, status: customers.status })
      .from(customers)
      .where(and(eq(customers.id, ref.id), eq(customers.merchantId, merchantId)));
    if (!row) throw new DomainError("customer.not_found", "No such customer", { customerId: ref.id });
    if (row.status === "blocked") {
      throw new DomainError("customer.blocked", "This customer is blocked and cannot be invoiced", { customerId: row.id });
    }
    await tx.update(customers).set({ lastSeenAt: now }).where(eq(customers.id, row.id));
    return row.id;
  }
  const email = ref.email.trim();
  const [created] = await tx
    .insert(customers)
    .values({ merchantId, email, lastSeenAt: now })
    .onConflictDoNothing()
    .returning({ id: customers.id });
  if (created) return created.id;
  const [row] = await tx
    .select({ id: customers.id, status: customers.status })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), eq(sql`lower(${customers.email})`, email.toLowerCase())));
  if (!row) throw new DomainError("customer.not_found", "The customer could not be created", { email });
  if (row.status === "blocked") {
    throw new DomainError("customer.blocked", "This customer is blocked and cannot be invoiced", { customerId: row.id });
  }
  await tx.update(customers).set({ lastSeenAt: now }).where(eq(customers.id, row.id));
  return row.id;
}

export async function createInvoice(
  db: Db,
  command: CreateInvoiceCommand,
  context: AuditContext,
  deps: CreateInvoiceDeps = {},
) {
  return (await createInvoiceRecord(db, command, context, deps)).invoice;
}

/** CreateInvoice, returning what was written (invoice, items, locked rate) so callers need not re-read it. */
export async function createInvoiceRecord(
  db: Db,
  command: CreateInvoiceCommand,
  context: AuditContext,
  deps: CreateInvoiceDeps = {},
) {
  const now = command.now ?? new Date();
  assertAssetOnNetwork(command.cryptoCurrency, command.network);
  const pricing = createInvoicePricing({
    currency: command.currency,
    items: command.items.map((item) => ({
      description: item.description,
      quantity: item.quantity,
      unitPrice: money(item.unitPriceMinor, command.currency),
    })),
    tax: money(command.taxMinor ?? 0n, command.currency),
  });

  const config = await getSystemConfig(db);
  const quote = await ensureFreshRate(db, command.currency, command.cryptoCurrency, {
    now,
    refresh: deps.refreshRates ?? (async () => {}),
  });
  if (!quote) throw new RatesUnavailableError(command.currency, command.cryptoCurrency);

  const networkConfig = config.blockchainNetworks.find((n) => n.network === command.network);
  const requiredConfirmations = networkConfig
    ? requiredConfirmationsFor(networkConfig.confirmationTiers, pricing.total.amount)
    : 1;
  const testnet = command.mode === "test";
  const wallet = { merchantId: command.merchantId, network: command.network, mode: command.mode };

  /** Writes the invoice if the wallet's next index is one of `count` candidates from `stored`. */
  const write = async (executor: Executor, stored: InvoiceWallet | null, customerId: string | null, count: number) => {
    if (!stored) throw walletNotConfigured(command.network, command.mode);
    const { extendedPublicKey, nextIndex, payout } = stored;
    const addresses = candidateAddresses(command.network, extendedPublicKey, testnet, nextIndex, count);
    const expiryMinutes =
      command.expiresInMinutes ?? payout?.invoiceExpiryMinutes ?? config.paymentSettings.defaultExpiryMinutes;
    const expiresAt = new Date(now.getTime() + expiryMinutes * 60_000);

    // Lock the quote for this invoice: the rate is fixed from now until the invoice expires.
    const locked = createExchangeRate({
      from: command.currency,
      to: command.cryptoCurrency,
      rate: quote.rate,
      source: quote.source,
      lockedAt: now,
      expiresAt,
    });
    const cryptoAmount = convertFiatToCrypto(pricing.total, locked, now);

    // The ids are drawn here (random v4 UUIDs, like the columns' defaults) so that the audit entry
    // and the event, which name the invoice, can be written by the same statement as the invoice.
    const invoiceId = randomUUID();
    const rateId = randomUUID();
    // paymentAddress and derivationIndex are added to the audit data by the statement (FROM_ALLOCATION).
    const audit = await capturedRow(auditEntries, (recorder) =>
      recordAudit(
        recorder,
        {
          merchantId: command.merchantId,
          invoiceId,
          event: "invoice.created",
          at: now,
          data: {
            total: pricing.total.amount,
            currency: command.currency,
            cryptoAmount: cryptoAmount.amount,
            cryptoCurrency: command.cryptoCurrency,
            network: command.network,
            rate: locked.rate,
            rateSource: locked.source,
          },
        },
        context,
      ),
    );
    const event = await capturedRow(outboxEvents, (recorder) =>
      recordEvent(recorder, {
        aggregateType: "invoice",
        aggregateId: invoiceId,
        merchantId: command.merchantId,
        eventType: "InvoiceCreated",
        actor: context.actor,
        occurredAt: now,
        payload: {
          invoiceId,
          merchantId: command.merchantId,
          amount: { total: pricing.total.amount, currency: command.currency },
          crypto: { amount: cryptoAmount.amount, currency: command.cryptoCurrency, network: command.network },
        },
      }),
    );
    const invoice = {
      id: invoiceId,
      merchantId: command.merchantId,
      customerId,
      livemode: !testnet,
      reference: command.reference ?? null,
      title: command.title,
      description: command.description ?? null,
      fiatCurrency: command.currency,
      subtotalMinor: pricing.subtotal.amount,
      taxMinor: pricing.tax.amount,
      totalMinor: pricing.total.amount,
      cryptoCurrency: command.cryptoCurrency,
      network: command.network,
      cryptoAmount: cryptoAmount.amount,
      exchangeRateId: rateId,
      paymentAddress: "", // the address of the index the statement takes
      derivationIndex: null, // that index
      addressGeneratedAt: now,
      underpaymentThresholdBps: command.tolerance?.underpaymentBps ?? payout?.underpaymentThresholdBps ?? 50,
      overpaymentThresholdBps: command.tolerance?.overpaymentBps ?? payout?.overpaymentThresholdBps ?? 100,
      overpaymentAction: command.tolerance?.overpaymentAction ?? payout?.overpaymentAction ?? "credit",
      requiredConfirmations,
      metadata: command.metadata ?? {},
      redirectUrl: command.redirectUrl ?? payout?.redirectUrl ?? null,
      paymentLinkId: command.paymentLinkId ?? null,
      expiresAt,
      createdAt: now,
      updatedAt: now,
    } satisfies typeof invoices.$inferInsert;
    const rate = {
      id: rateId,
      fromCurrency: command.currency,
      toCurrency: command.cryptoCurrency,
      rate: locked.rate,
      source: locked.source,
      lockedAt: now,
      expiresAt,
    } satisfies typeof exchangeRates.$inferInsert;
    const items = command.items.map((item, position) => ({
      position,
      description: item.description,
      quantity: Number(item.quantity),
      unitPriceMinor: item.unitPriceMinor,
      amountMinor: item.unitPriceMinor * item.quantity,
    }));
    return writeInvoice(executor, { rate, invoice, items, audit, event }, { ...wallet, extendedPublicKey, firstIndex: nextIndex, addresses });
  };

  const key = `${wallet.merchantId}:${wallet.network}:${wallet.mode}`;
  inProgress.set(key, (inProgress.get(key) ?? 0) + 1);
  const candidateCount = () => (inProgress.get(key) ?? 1) + CANDIDATE_MARGIN;
  try {
    const stored = await readInvoiceWallet(db, wallet);
    if (!command.customer) {
      // One statement, its own transaction.
      const written = await write(db, stored, null, candidateCount());
      if (written) return written;
    }
    return await db.transaction(async (tx) => {
      const customerId = await resolveCustomer(tx, command.merchantId, command.customer, now);
      if (command.customer) {
        const written = await write(tx, stored, customerId, candidateCount());
        if (written) return written;
      }
      // The next index moved past the candidates: lock the wallet row, so it cannot move again.
      const written = await write(tx, await readInvoiceWallet(tx, wallet, { lock: true }), customerId, 1);
      if (!written) throw new Error("createInvoice: no index was taken with the wallet row locked");
      return written;
    });
  } finally {
    const left = (inProgress.get(key) ?? 1) - 1;
    if (left > 0) inProgress.set(key, left);
    else inProgress.delete(key);
  }
}
