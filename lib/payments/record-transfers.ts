/**
 * Record what the chain shows and bring invoices in line with it. Every function here runs inside
 * the caller's transaction: the poller applies one scanned batch (payments, invoice changes, their
 * audit entries and outbox events, and the cursor) atomically, so a crash at any point either
 * keeps all of a batch or none of it.
 *
 * - A transfer is stored once per (network, tx hash, index): `insert … on conflict do nothing`,
 *   so two watchers seeing it at the same moment both end with the one row.
 * - Each invoice touched is locked (`for update`) before its payments change, then reconciled
 *   (lib/domain/reconciliation.ts) and updated under a status guard.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { customerPaymentHistory, invoices, payments } from "@/db/schema";
import { recordAudit, SYSTEM_AUDIT } from "@/lib/audit";
import type { ObservedTransfer } from "@/lib/chains/types";
import {
  createPaymentTolerance,
  money,
  paymentPathTo,
  reconcileInvoice,
  transitionPayment,
  type Network,
  type PaymentEvent,
  type PaymentStatus,
} from "@/lib/domain";
import { recordEvents, type DomainEventInput } from "@/lib/events/outbox";

export type SourceScope = { network: Network; livemode: boolean };

/** A transfer with the confirmations it has now (null while it waits in the mempool). */
export type Observation = {
  transfer: ObservedTransfer;
  confirmations: { count: number; final: boolean } | null;
};

type InvoiceRow = typeof invoices.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;

/** What one application changed, for the poller's report and for tests. */
export type ApplyReport = {
  paymentsRecorded: number;
  paymentsChanged: number;
  invoicesChanged: number;
  /** Transfers to an address of no invoice of this source (should not happen: the watch set said it was watched). */
  unmatched: number;
};

export function emptyReport(): ApplyReport {
  return { paymentsRecorded: 0, paymentsChanged: 0, invoicesChanged: 0, unmatched: 0 };
}

export function addReports(a: ApplyReport, b: ApplyReport): ApplyReport {
  return {
    paymentsRecorded: a.paymentsRecorded + b.paymentsRecorded,
    paymentsChanged: a.paymentsChanged + b.paymentsChanged,
    invoicesChanged: a.invoicesChanged + b.invoicesChanged,
    unmatched: a.unmatched + b.unmatched,
  };
}

/** Collects the events of one transaction, written together at the end. */
class EventBatch {
  readonly events: DomainEventInput[] = [];
  add(event: Omit<DomainEventInput, "actor">) {
    this.events.push({ ...event, actor: { type: "system" } });
  }
  async flush(tx: Executor) {
    await recordEvents(tx, this.events.splice(0));
  }
}

/** Locks the invoices of `addresses` in this source, in id order (no deadlock between pollers). */
async function lockInvoicesByAddress(tx: Executor, scope: SourceScope, addresses: string[]): Promise<Map<string, InvoiceRow>> {
  if (addresses.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.network, scope.network), eq(invoices.livemode, scope.livemode), inArray(invoices.paymentAddress, addresses)))
    .orderBy(asc(invoices.id))
    .for("update");
  return new Map(rows.map((r) => [r.paymentAddress, r]));
}

async function lockInvoicesById(tx: Executor, ids: string[]): Promise<InvoiceRow[]> {
  if (ids.length === 0) return [];
  return tx.select().from(invoices).where(inArray(invoices.id, ids)).orderBy(asc(invoices.id)).for("update");
}

function targetOf(obs: Observation, required: number): "detected" | "confirming" | "confirmed" {
  if (!obs.transfer.block || !obs.confirmations) return "detected";
  return obs.confirmations.count >= required && obs.confirmations.final ? "confirmed" : "confirming";
}

/** The payment events a path produces, with their outbox names. */
function paymentEventsFor(path: PaymentEvent[], payment: PaymentRow, now: Date, events: EventBatch, reason?: string) {
  for (const event of path) {
    const base = { aggregateType: "payment" as const, aggregateId: payment.id, occurredAt: now };
    const ids = { paymentId: payment.id, invoiceId: payment.invoiceId };
    if (event === "included_in_block") {
      events.add({ ...base, eventType: "PaymentConfirming", payload: { ...ids, confirmations: payment.confirmations, requiredConfirmations: payment.requiredConfirmations, blockNumber: payment.blockNumber, blockHash: payment.blockHash } });
    } else if (event === "sufficient_confirmations") {
      events.add({ ...base, eventType: "PaymentConfirmed", payload: { ...ids, confirmedAt: payment.confirmedAt ?? now, confirmations: payment.confirmations } });
    } else if (event === "block_orphaned") {
      events.add({ ...base, eventType: "PaymentOrphaned", payload: { ...ids, blockNumber: payment.blockNumber, blockHash: payment.blockHash } });
    } else if (event === "back_to_mempool") {
      events.add({ ...base, eventType: "PaymentDetected", payload: { ...ids, amount: payment.amount, asset: payment.asset, txHash: payment.txHash, redetected: true } });
    } else if (event === "transaction_failed" || event === "transaction_dropped" || event === "transaction_reverted") {
      events.add({ ...base, eventType: "PaymentFailed", payload: { ...ids, reason: reason ?? event } });
    }
  }
}

/**
 * Records observed transfers (new ones inserted, known ones moved along the payment machine) and
 * reconciles every invoice they touch. Call inside a transaction.
 */
export async function applyObservations(
  tx: Executor,
  scope: SourceScope,
  observations: readonly Observation[],
  settings: { partialGraceMinutes: number },
  now: Date,
): Promise<ApplyReport> {
  const report = emptyReport();
  if (observations.length === 0) return report;
  const events = new EventBatch();
  const byAddress = await lockInvoicesByAddress(tx, scope, [...new Set(observations.map((o) => o.transfer.toAddress))]);
  const touched = new Map<string, InvoiceRow>();

  for (const obs of observations) {
    const t = obs.transfer;
    const invoice = byAddress.get(t.toAddress);
    if (!invoice || t.network !== scope.network || t.amount <= 0n) {
      report.unmatched++;
      continue;
    }
    const target = targetOf(obs, invoice.requiredConfirmations);
    const blockFields = {
      blockNumber: t.block?.number ?? null,
      blockHash: t.block?.hash ?? null,
      blockTimestamp: t.block?.timestamp ?? null,
      confirmations: obs.confirmations?.count ?? 0,
    };
    const [inserted] = await tx
      .insert(payments)
      .values({
        invoiceId: invoice.id,
        network: t.network,
        txHash: t.txHash,
        outputIndex: t.index,
        asset: t.asset,
        amount: t.amount,
        fromAddress: t.fromAddress,
        toAddress: t.toAddress,
        status: "detected",
        requiredConfirmations: invoice.requiredConfirmations,
        detectedAt: now,
        lastSeenAt: now,
        updatedAt: now,
        ...blockFields,
      })
      .onConflictDoNothing({ target: [payments.network, payments.txHash, payments.outputIndex] })
      .returning();

    let current: PaymentRow;
    let from: PaymentStatus | null;
    if (inserted) {
      report.paymentsRecorded++;
      current = inserted;
      from = null;
      events.add({
        aggregateType: "payment",
        aggregateId: inserted.id,
        occurredAt: now,
        eventType: "PaymentDetected",
        payload: { paymentId: inserted.id, invoiceId: invoice.id, amount: t.amount, asset: t.asset, network: t.network, txHash: t.txHash, index: t.index, toAddress: t.toAddress },
      });
      await recordAudit(
        tx,
        {
          merchantId: invoice.merchantId,
          invoiceId: invoice.id,
          event: t.asset === invoice.cryptoCurrency ? "payment.detected" : "payment.wrong_asset",
          data: { paymentId: inserted.id, txHash: t.txHash, index: t.index, amount: t.amount, asset: t.asset, blockNumber: t.block?.number ?? null },
          at: now,
        },
        SYSTEM_AUDIT,
      );
    } else {
      const [existing] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.network, t.network), eq(payments.txHash, t.txHash), eq(payments.outputIndex, t.index)))
        .for("update");
      if (!existing) throw new Error(`payment ${t.txHash}:${t.index} vanished during its upsert`);
      if (existing.invoiceId !== invoice.id || existing.asset !== t.asset || existing.amount !== t.amount || existing.toAddress !== t.toAddress) {
        // The same key now names a different transfer: never let one stand in for the other.
        await recordAudit(
          tx,
          { merchantId: invoice.merchantId, invoiceId: invoice.id, event: "payment.conflicting_observation", data: { paymentId: existing.id, txHash: t.txHash, index: t.index, recorded: { amount: existing.amount, asset: existing.asset, toAddress: existing.toAddress }, observed: { amount: t.amount, asset: t.asset, toAddress: t.toAddress } }, at: now },
          SYSTEM_AUDIT,
        );
        report.unmatched++;
        continue;
      }
      current = existing;
      from = existing.status;
    }

    if (from === "failed") {
      // Failed is final, but money that shows up after all is put on record for the merchant.
      if (t.block) {
        await recordAudit(
          tx,
          { merchantId: invoice.merchantId, invoiceId: invoice.id, event: "payment.seen_after_failure", data: { paymentId: current.id, txHash: t.txHash, index: t.index, amount: t.amount, blockNumber: t.block.number }, at: now },
          SYSTEM_AUDIT,
        );
      }
      continue;
    }
    const path = paymentPathTo(from === null ? null : from, target) ?? [];
    let status: PaymentStatus = from ?? "detected";
    for (const event of path) status = transitionPayment(status, event);
    const sameBlock = current.blockHash === blockFields.blockHash && current.confirmations === blockFields.confirmations;
    if (status === "confirmed" && from === "confirmed") continue; // final: nothing to update
    if (!inserted && path.length === 0 && sameBlock) {
      // Nothing new, but the chain still shows it: it is not gone.
      await tx.update(payments).set({ lastSeenAt: now }).where(eq(payments.id, current.id));
      continue;
    }

    const [updated] = await tx
      .update(payments)
      .set({
        status,
        ...blockFields,
        confirmedAt: status === "confirmed" ? (current.confirmedAt ?? now) : null,
        lastSeenAt: now,
        updatedAt: now,
      })
      .where(and(eq(payments.id, current.id), eq(payments.status, current.status)))
      .returning();
    if (!updated) throw new Error(`payment ${current.id} changed under its lock`);
    if (!inserted) report.paymentsChanged++;
    if (path.length > 0) await paymentMoved(tx, events, invoice, updated, from, path, now);
    else if (status === "confirming" && current.confirmations !== updated.confirmations) confirmationsGrew(events, updated, now);
    touched.set(invoice.id, invoice);
  }
  return finish(tx, touched, settings, now, events, report);
}

/** Events and the audit entry of a payment that moved along `path`. */
async function paymentMoved(
  tx: Executor,
  events: EventBatch,
  invoice: InvoiceRow,
  payment: PaymentRow,
  from: PaymentStatus | null,
  path: PaymentEvent[],
  now: Date,
  reason?: string,
) {
  paymentEventsFor(path, payment, now, events, reason);
  await recordAudit(
    tx,
    {
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      event: `payment.${payment.status}`,
      data: { paymentId: payment.id, from, events: path, reason: reason ?? null, confirmations: payment.confirmations, blockNumber: payment.blockNumber },
      at: now,
    },
    SYSTEM_AUDIT,
  );
}

/** The spec's PaymentConfirming ("gaining confirmations") for a count that changed in place. */
function confirmationsGrew(events: EventBatch, payment: PaymentRow, now: Date) {
  events.add({
    aggregateType: "payment",
    aggregateId: payment.id,
    occurredAt: now,
    eventType: "PaymentConfirming",
    payload: { paymentId: payment.id, invoiceId: payment.invoiceId, confirmations: payment.confirmations, requiredConfirmations: payment.requiredConfirmations },
  });
}

/** Reconciles every invoice whose payments changed, then writes the collected events. */
async function finish(
  tx: Executor,
  touched: Map<string, InvoiceRow>,
  settings: { partialGraceMinutes: number },
  now: Date,
  events: EventBatch,
  report: ApplyReport,
): Promise<ApplyReport> {
  for (const invoice of touched.values()) {
    if (await reconcileLocked(tx, invoice, settings, now, events)) report.invoicesChanged++;
  }
  await events.flush(tx);
  return report;
}

/**
 * Moves payments along the machine without a new sighting: orphaning (their block was replaced),
 * failure (dropped, replaced, reverted), or a confirmation count that grew. Reconciles their
 * invoices. Call inside a transaction.
 */
export async function changePayments(
  tx: Executor,
  changes: readonly {
    paymentId: string;
    /** Expected current status; a payment that moved meanwhile is left alone. */
    from: PaymentStatus;
    event: PaymentEvent | null;
    confirmations?: number;
    reason?: string;
  }[],
  settings: { partialGraceMinutes: number },
  now: Date,
): Promise<ApplyReport> {
  const report = emptyReport();
  if (changes.length === 0) return report;
  const events = new EventBatch();
  const rows = await tx.select({ invoiceId: payments.invoiceId }).from(payments).where(inArray(payments.id, changes.map((c) => c.paymentId)));
  const locked = await lockInvoicesById(tx, [...new Set(rows.map((r) => r.invoiceId))]);
  const byId = new Map(locked.map((i) => [i.id, i]));
  const touched = new Map<string, InvoiceRow>();

  for (const change of changes) {
    const status = change.event ? transitionPayment(change.from, change.event) : change.from;
    const [updated] = await tx
      .update(payments)
      .set({
        status,
        ...(change.confirmations !== undefined ? { confirmations: change.confirmations } : {}),
        ...(status === "orphaned" ? { confirmations: 0 } : {}),
        ...(status === "confirmed" ? { confirmedAt: now } : {}),
        ...(status === "failed" ? { failureReason: change.reason ?? change.event } : {}),
        updatedAt: now,
      })
      .where(and(eq(payments.id, change.paymentId), eq(payments.status, change.from)))
      .returning();
    if (!updated) continue;
    report.paymentsChanged++;
    const invoice = byId.get(updated.invoiceId)!;
    if (change.event) await paymentMoved(tx, events, invoice, updated, change.from, [change.event], now, change.reason);
    else confirmationsGrew(events, updated, now);
    touched.set(invoice.id, invoice);
  }
  return finish(tx, touched, settings, now, events, report);
}

/** Reconciles invoices by id (locking them): the expiry job's entry point. */
export async function reconcileInvoices(
  tx: Executor,
  invoiceIds: readonly string[],
  settings: { partialGraceMinutes: number },
  now: Date,
): Promise<number> {
  const events = new EventBatch();
  let changed = 0;
  for (const invoice of await lockInvoicesById(tx, [...invoiceIds])) {
    if (await reconcileLocked(tx, invoice, settings, now, events)) changed++;
  }
  await events.flush(tx);
  return changed;
}

/**
 * Recomputes one locked invoice from all its payments and writes the result under a status
 * guard, with its audit entry, its events and the customer's payment history. True if it changed.
 */
async function reconcileLocked(
  tx: Executor,
  invoice: InvoiceRow,
  settings: { partialGraceMinutes: number },
  now: Date,
  events: EventBatch,
): Promise<boolean> {
  const rows = await tx
    .select({ amount: payments.amount, status: payments.status, detectedAt: payments.detectedAt, blockTimestamp: payments.blockTimestamp })
    .from(payments)
    .where(and(eq(payments.invoiceId, invoice.id), eq(payments.asset, invoice.cryptoCurrency)));
  const result = reconcileInvoice({
    status: invoice.status,
    exception: invoice.exception,
    required: money(invoice.cryptoAmount, invoice.cryptoCurrency),
    tolerance: createPaymentTolerance({
      underpaymentThresholdBps: invoice.underpaymentThresholdBps,
      overpaymentThresholdBps: invoice.overpaymentThresholdBps,
      overpaymentAction: invoice.overpaymentAction,
    }),
    expiresAt: invoice.expiresAt,
    partialGraceMinutes: settings.partialGraceMinutes,
    payments: rows.map((p) => ({
      amount: p.amount,
      status: p.status,
      arrivedAt: p.blockTimestamp && p.blockTimestamp < p.detectedAt ? p.blockTimestamp : p.detectedAt,
    })),
    now,
  });
  if (result.status === invoice.status && result.exception === invoice.exception && result.amountReceived === invoice.amountReceived) {
    return false;
  }
  const paidAt = result.becamePaid ? now : invoice.paidAt;
  const [updated] = await tx
    .update(invoices)
    .set({ status: result.status, exception: result.exception, amountReceived: result.amountReceived, paidAt, updatedAt: now })
    .where(and(eq(invoices.id, invoice.id), eq(invoices.status, invoice.status)))
    .returning({ id: invoices.id });
  if (!updated) throw new Error(`invoice ${invoice.id} changed under its lock`);

  const { shortfall, excess } = result.classification;
  await recordAudit(
    tx,
    {
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      event: result.status === invoice.status ? "invoice.amount_received_changed" : `invoice.${result.status}`,
      data: {
        from: invoice.status,
        to: result.status,
        events: result.events,
        amountReceived: result.amountReceived,
        remaining: shortfall.amount,
        excess: excess.amount,
        exception: result.exception,
        ...(result.exception === "overpaid" ? { overpaymentAction: invoice.overpaymentAction } : {}),
      },
      at: now,
    },
    SYSTEM_AUDIT,
  );
  const invoiceEvent = { aggregateType: "invoice" as const, aggregateId: invoice.id, merchantId: invoice.merchantId, occurredAt: now };
  if (result.becamePaid) {
    events.add({
      ...invoiceEvent,
      eventType: "InvoicePaid",
      payload: {
        invoiceId: invoice.id,
        totalReceived: result.amountReceived,
        asset: invoice.cryptoCurrency,
        paidAt: now,
        exception: result.exception,
        shortfall: shortfall.amount,
        excess: excess.amount,
        ...(result.exception === "overpaid" ? { overpaymentAction: invoice.overpaymentAction } : {}),
      },
    });
  }
  if (result.becameExpired) {
    events.add({
      ...invoiceEvent,
      eventType: "InvoiceExpired",
      payload: { invoiceId: invoice.id, expiredAt: now, amountReceived: result.amountReceived, exception: result.exception },
    });
  }
  if ((result.becamePaid || result.becameExpired) && invoice.customerId) {
    await tx
      .insert(customerPaymentHistory)
      .values({
        customerId: invoice.customerId,
        invoiceId: invoice.id,
        amountMinor: invoice.totalMinor,
        currency: invoice.fiatCurrency,
        status: result.becamePaid ? "paid" : "expired",
        paidAt: result.becamePaid ? now : null,
        createdAt: invoice.createdAt,
      })
      .onConflictDoNothing();
  }
  return true;
}

/** Payments of a source in the given statuses (the poller's re-examination and confirmation refresh). */
export async function openPayments(tx: Executor, scope: SourceScope, statuses: PaymentStatus[], limit = 500) {
  return tx
    .select({
      id: payments.id,
      status: payments.status,
      txHash: payments.txHash,
      index: payments.outputIndex,
      asset: payments.asset,
      toAddress: payments.toAddress,
      blockNumber: payments.blockNumber,
      blockHash: payments.blockHash,
      confirmations: payments.confirmations,
      requiredConfirmations: payments.requiredConfirmations,
      lastSeenAt: payments.lastSeenAt,
    })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
    .where(and(eq(payments.network, scope.network), inArray(payments.status, statuses), eq(invoices.livemode, scope.livemode)))
    .orderBy(asc(payments.detectedAt))
    .limit(limit);
}

/** Confirming payments of a source mined above `blockNumber`: a reorg replaced their blocks. */
export async function paymentsAbove(tx: Executor, scope: SourceScope, blockNumber: bigint) {
  return tx
    .select({ id: payments.id, status: payments.status })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
    .where(
      and(
        eq(payments.network, scope.network),
        eq(payments.status, "confirming"),
        eq(invoices.livemode, scope.livemode),
        sql`${payments.blockNumber} > ${blockNumber}`,
      ),
    );
}
