/**
 * Record what the chain shows and bring invoices in line with it. Every function here runs inside
 * the caller's transaction: the poller applies one scanned batch (payments, invoice changes, their
 * audit entries and outbox events, and the cursor) atomically, so a crash at any point either
 * keeps all of a batch or none of it.
 *
 * - A transfer is stored once per (network, tx hash, index): `insert … on conflict do nothing`,
 *   so two watchers seeing it at the same moment both end with the one row.
 * - Each invoice touched is locked (`for update`) before its payments change, then reconciled
 *   (reconcile-invoices.ts) and updated under a status guard.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { queryRows } from "@/db/client";
import { invoices, payments } from "@/db/schema";

import type { ObservedTransfer } from "@/lib/chains/types";
import { INITIAL_PAYMENT_STATUS, paymentPathTo, transitionPayment, type Network, type PaymentEvent, type PaymentStatus } from "@/lib/domain";
import { EventBatch, lockInvoicesById, paymentsOf, reconcileLocked, type InvoiceRow } from "./reconcile-invoices";

export type SourceScope = { network: Network; livemode: boolean };

/** A transfer with the confirmations it has now (null while it waits in the mempool). */
export type Observation = {
  transfer: ObservedTransfer;
  confirmations: { count: number; final: boolean } | null;
};

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
 *
 * Set-based where a busy block makes it count: every new payment goes in with one insert (already
 * at the status the chain shows, reached through the payment machine), the known ones are read
 * with one query, and audit entries and events are written once at the end.
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
  const keyOf = (t: { txHash: string; index: number }) => `${t.txHash}:${t.index}`;

  type Item = {
    t: ObservedTransfer;
    invoice: InvoiceRow;
    target: ReturnType<typeof targetOf>;
    blockFields: { blockNumber: bigint | null; blockHash: string | null; blockTimestamp: Date | null; confirmations: number };
  };
  const items = new Map<string, Item>();
  for (const obs of observations) {
    const t = obs.transfer;
    const invoice = byAddress.get(t.toAddress);
    if (!invoice || t.network !== scope.network || t.amount <= 0n) {
      report.unmatched++;
      continue;
    }
    items.set(keyOf(t), {
      t,
      invoice,
      target: targetOf(obs, invoice.requiredConfirmations),
      blockFields: { blockNumber: t.block?.number ?? null, blockHash: t.block?.hash ?? null, blockTimestamp: t.block?.timestamp ?? null, confirmations: obs.confirmations?.count ?? 0 },
    });
  }
  if (items.size === 0) return report;

  // 1. New transfers: one insert; a key someone already recorded is skipped (and handled in 2).
  const newPaths = new Map([...items].map(([key, item]) => [key, paymentPathTo(null, item.target) ?? []]));
  const statusAfter = (from: PaymentStatus, path: PaymentEvent[]) => path.reduce<PaymentStatus>((status, event) => transitionPayment(status, event), from);
  const inserted = await tx
    .insert(payments)
    .values(
      [...items].map(([key, { t, invoice, blockFields }]) => {
        const status = statusAfter(INITIAL_PAYMENT_STATUS, newPaths.get(key)!);
        return {
          invoiceId: invoice.id,
          network: t.network,
          txHash: t.txHash,
          outputIndex: t.index,
          asset: t.asset,
          amount: t.amount,
          fromAddress: t.fromAddress,
          toAddress: t.toAddress,
          status,
          requiredConfirmations: invoice.requiredConfirmations,
          detectedAt: now,
          lastSeenAt: now,
          confirmedAt: status === "confirmed" ? now : null,
          updatedAt: now,
          ...blockFields,
        };
      }),
    )
    .onConflictDoNothing({ target: [payments.network, payments.txHash, payments.outputIndex] })
    .returning();
  for (const row of inserted) {
    const key = keyOf({ txHash: row.txHash, index: row.outputIndex });
    const { t, invoice } = items.get(key)!;
    items.delete(key);
    report.paymentsRecorded++;
    events.add({
      aggregateType: "payment",
      aggregateId: row.id,
      occurredAt: now,
      eventType: "PaymentDetected",
      payload: { paymentId: row.id, invoiceId: invoice.id, amount: t.amount, asset: t.asset, network: t.network, txHash: t.txHash, index: t.index, toAddress: t.toAddress },
    });
    events.audit({
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      event: t.asset === invoice.cryptoCurrency ? "payment.detected" : "payment.wrong_asset",
      data: { paymentId: row.id, txHash: t.txHash, index: t.index, amount: t.amount, asset: t.asset, blockNumber: t.block?.number ?? null },
      at: now,
    });
    const path = newPaths.get(key)!;
    if (path.length > 0) paymentMoved(events, invoice, row, null, path, now);
    touched.set(invoice.id, invoice);
  }

  // 2. Known transfers (seen again, mined since, re-detected after a reorg): read them at once.
  const known = new Map<string, PaymentRow>();
  if (items.size > 0) {
    const rows = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.network, scope.network), inArray(payments.txHash, [...new Set([...items.values()].map((i) => i.t.txHash))])))
      .orderBy(asc(payments.id))
      .for("update");
    for (const row of rows) known.set(keyOf({ txHash: row.txHash, index: row.outputIndex }), row);
  }
  const stillSeen: string[] = [];
  for (const [key, { t, invoice, target, blockFields }] of items) {
    const current = known.get(key);
    if (!current) throw new Error(`payment ${key} vanished during its upsert`);
    if (current.invoiceId !== invoice.id || current.asset !== t.asset || current.amount !== t.amount || current.toAddress !== t.toAddress) {
      // The same key now names a different transfer: never let one stand in for the other.
      events.audit({ merchantId: invoice.merchantId, invoiceId: invoice.id, event: "payment.conflicting_observation", data: { paymentId: current.id, txHash: t.txHash, index: t.index, recorded: { amount: current.amount, asset: current.asset, toAddress: current.toAddress }, observed: { amount: t.amount, asset: t.asset, toAddress: t.toAddress } }, at: now });
      report.unmatched++;
      continue;
    }
    const from = current.status;
    if (from === "failed") {
      // Failed is final, but money that shows up after all is put on record for the merchant.
      if (t.block) {
        events.audit({ merchantId: invoice.merchantId, invoiceId: invoice.id, event: "payment.seen_after_failure", data: { paymentId: current.id, txHash: t.txHash, index: t.index, amount: t.amount, blockNumber: t.block.number }, at: now });
      }
      continue;
    }
    if (from === "confirmed") continue; // final: nothing to update
    const path = paymentPathTo(from, target) ?? [];
    const status = statusAfter(from, path);
    if (path.length === 0 && current.blockHash === blockFields.blockHash && current.confirmations === blockFields.confirmations) {
      stillSeen.push(current.id); // nothing new, but the chain still shows it: it is not gone
      continue;
    }
    const [updated] = await tx
      .update(payments)
      .set({ status, ...blockFields, confirmedAt: status === "confirmed" ? (current.confirmedAt ?? now) : null, lastSeenAt: now, updatedAt: now })
      .where(and(eq(payments.id, current.id), eq(payments.status, current.status)))
      .returning();
    if (!updated) throw new Error(`payment ${current.id} changed under its lock`);
    report.paymentsChanged++;
    if (path.length > 0) paymentMoved(events, invoice, updated, from, path, now);
    else if (status === "confirming" && current.confirmations !== updated.confirmations) confirmationsGrew(events, updated, now);
    touched.set(invoice.id, invoice);
  }
  if (stillSeen.length > 0) await tx.update(payments).set({ lastSeenAt: now }).where(inArray(payments.id, stillSeen));
  return finish(tx, touched, settings, now, events, report);
}

/** Events and the audit entry of a payment that moved along `path`. */
function paymentMoved(
  events: EventBatch,
  invoice: InvoiceRow,
  payment: PaymentRow,
  from: PaymentStatus | null,
  path: PaymentEvent[],
  now: Date,
  reason?: string,
) {
  paymentEventsFor(path, payment, now, events, reason);
  events.audit({
      merchantId: invoice.merchantId,
      invoiceId: invoice.id,
      event: `payment.${payment.status}`,
      data: { paymentId: payment.id, from, events: path, reason: reason ?? null, confirmations: payment.confirmations, blockNumber: payment.blockNumber },
      at: now,
    });
}

/** The spec's PaymentConfirming ("gaining confirmations") for a count that changed in place. */
function confirmationsGrew(events: EventBatch, payment: Pick<PaymentRow, "id" | "invoiceId" | "confirmations" | "requiredConfirmations">, now: Date) {
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
  const paid = await paymentsOf(tx, [...touched.keys()]);
  for (const invoice of touched.values()) {
    if (await reconcileLocked(tx, invoice, paid.get(invoice.id) ?? [], settings, now, events)) report.invoicesChanged++;
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

  // Counts that only grew (the common case: every confirming payment, every block) in one statement.
  const grown = changes.filter((c) => c.event === null && c.confirmations !== undefined);
  if (grown.length > 0) {
    const updated = await queryRows<{ id: string; invoiceId: string; confirmations: number; requiredConfirmations: number }>(
      tx,
      sql`update payments p set confirmations = v.confirmations, last_seen_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
          from unnest(${sql.param(grown.map((c) => c.paymentId))}::uuid[], ${sql.param(grown.map((c) => c.confirmations!))}::int[]) as v(id, confirmations)
          where p.id = v.id and p.status = 'confirming'
          returning p.id, p.invoice_id as "invoiceId", p.confirmations, p.required_confirmations as "requiredConfirmations"`,
    );
    for (const row of updated) {
      report.paymentsChanged++;
      confirmationsGrew(events, row, now);
      touched.set(row.invoiceId, byId.get(row.invoiceId)!);
    }
  }

  for (const change of changes) {
    if (change.event === null && change.confirmations !== undefined) continue;
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
    if (change.event) paymentMoved(events, invoice, updated, change.from, [change.event], now, change.reason);
    else confirmationsGrew(events, updated, now);
    touched.set(invoice.id, invoice);
  }
  return finish(tx, touched, settings, now, events, report);
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
