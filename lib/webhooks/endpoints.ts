import { randomUUID } from "node:crypto";
import { and, count, desc, eq } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { merchants, webhookEndpoints } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { allKeks, currentKek } from "@/lib/crypto/keys";
import { decryptEnvelope, encryptEnvelope, rewrapEnvelope, type EnvelopeRecord, type KeyEncryptionKey } from "@/lib/crypto/envelope";
import { assertWithinPlanLimit, DomainError } from "@/lib/domain";
import { generateWebhookSecret, type WebhookEndpointInput } from "./endpoint-input";
import { isUuid } from "@/lib/uuid";

/**
 * A merchant's webhook endpoints. The signing secret must be recoverable to sign each delivery, so
 * it is envelope-encrypted (AES-256-GCM under a per-secret data key, the endpoint id as associated
 * data) rather than hashed; it is returned in clear exactly once, when created or rotated, and
 * otherwise only its last four characters are shown.
 */

export type WebhookEndpointSummary = {
  id: string;
  url: string;
  events: string[];
  status: "active" | "disabled" | "failed";
  maxRetries: number;
  retryBackoff: "linear" | "exponential";
  timeoutSeconds: number;
  allowedIps: string[];
  secretLast4: string;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
};

const summaryColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  events: webhookEndpoints.events,
  status: webhookEndpoints.status,
  maxRetries: webhookEndpoints.maxRetries,
  retryBackoff: webhookEndpoints.retryBackoff,
  timeoutSeconds: webhookEndpoints.timeoutSeconds,
  allowedIps: webhookEndpoints.allowedIps,
  secretLast4: webhookEndpoints.secretLast4,
  consecutiveFailures: webhookEndpoints.consecutiveFailures,
  createdAt: webhookEndpoints.createdAt,
  updatedAt: webhookEndpoints.updatedAt,
};

const secretAad = (endpointId: string) => `webhook_endpoint:${endpointId}`;

/** The stored form of a secret: the envelope as JSON in secret_ciphertext. */
export function sealWebhookSecret(endpointId: string, secret: string, kek: KeyEncryptionKey = currentKek()): string {
  return JSON.stringify(encryptEnvelope(kek, secret, secretAad(endpointId)));
}

export function openWebhookSecret(endpointId: string, sealed: string, keks: KeyEncryptionKey[] = allKeks()): string {
  return decryptEnvelope(keks, JSON.parse(sealed) as EnvelopeRecord, secretAad(endpointId));
}

/**
 * After a key rotation: every endpoint's secret data key sealed again under `next` (the secrets
 * themselves are not touched). One short transaction per endpoint; safe to run again.
 */
export async function rewrapWebhookSecrets(
  db: Db,
  keks: KeyEncryptionKey[],
  next: KeyEncryptionKey,
): Promise<{ rewrapped: number; alreadyCurrent: number; failed: { endpointId: string; reason: string }[] }> {
  const report = { rewrapped: 0, alreadyCurrent: 0, failed: [] as { endpointId: string; reason: string }[] };
  const all = [next, ...keks.filter((k) => k.id !== next.id)];
  const ids = await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).orderBy(webhookEndpoints.id);
  for (const { id } of ids) {
    try {
      const done = await db.transaction(async (tx) => {
        const [row] = await tx.select({ sealed: webhookEndpoints.secretCiphertext }).from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for("update");
        if (!row) return false;
        const record = JSON.parse(row.sealed) as EnvelopeRecord;
        if (record.keyId === next.id) return false;
        const resealed = rewrapEnvelope(all, next, record, secretAad(id));
        await tx.update(webhookEndpoints).set({ secretCiphertext: JSON.stringify(resealed) }).where(eq(webhookEndpoints.id, id));
        return true;
      });
      if (done) report.rewrapped++;
      else report.alreadyCurrent++;
    } catch (error) {
      report.failed.push({ endpointId: id, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

export async function listWebhookEndpoints(db: Executor, merchantId: string): Promise<WebhookEndpointSummary[]> {
  return db.select(summaryColumns).from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, merchantId)).orderBy(desc(webhookEndpoints.createdAt));
}

export async function findWebhookEndpoint(db: Executor, merchantId: string, endpointId: string): Promise<WebhookEndpointSummary | null> {
  if (!isUuid(endpointId)) return null;
  const [row] = await db
    .select(summaryColumns)
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId)));
  return row ?? null;
}


const notFound = () => new DomainError("webhook_endpoint.not_found", "Webhook endpoint not found");

async function lockActiveMerchant(tx: Executor, merchantId: string) {
  const [merchant] = await tx.select({ planType: merchants.planType, status: merchants.status }).from(merchants).where(eq(merchants.id, merchantId)).for("update");
  if (!merchant) throw new DomainError("merchant.not_found", "Merchant not found");
  if (merchant.status === "suspended" || merchant.status === "closed") {
    throw new DomainError("merchant.inactive", `A ${merchant.status} merchant cannot change webhook endpoints`);
  }
  return merchant;
}

export async function createWebhookEndpoint(
  db: Db,
  merchantId: string,
  input: WebhookEndpointInput,
  context: AuditContext,
  kek: KeyEncryptionKey = currentKek(),
): Promise<{ endpoint: WebhookEndpointSummary; secret: string }> {
  return db.transaction(async (tx) => {
    // The merchant row lock serialises creations, so two at once cannot both pass the plan limit.
    const merchant = await lockActiveMerchant(tx, merchantId);
    const [{ value: existing }] = (await tx.select({ value: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.merchantId, merchantId))) as [
      { value: number },
    ];
    assertWithinPlanLimit(merchant.planType, "webhookEndpoints", Number(existing));
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const [endpoint] = await tx
      .insert(webhookEndpoints)
      .values({ id, merchantId, ...input, secretCiphertext: sealWebhookSecret(id, secret, kek), secretLast4: secret.slice(-4) })
      .returning(summaryColumns);
    await recordAudit(tx, { merchantId, event: "webhook_endpoint.created", data: { endpointId: id, url: input.url, events: input.events } }, context);
    return { endpoint: endpoint!, secret };
  });
}

export async function updateWebhookEndpoint(
  db: Db,
  merchantId: string,
  endpointId: string,
  input: WebhookEndpointInput,
  context: AuditContext,
): Promise<WebhookEndpointSummary> {
  if (!isUuid(endpointId)) throw notFound();
  return db.transaction(async (tx) => {
    await lockActiveMerchant(tx, merchantId);
    const before = await findWebhookEndpoint(tx, merchantId, endpointId);
    if (!before) throw notFound();
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ ...input, updatedAt: new Date() })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId)))
      .returning(summaryColumns);
    const changed = (Object.keys(input) as (keyof WebhookEndpointInput)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(input[k]));
    await recordAudit(tx, { merchantId, event: "webhook_endpoint.updated", data: { endpointId, changed } }, context);
    return endpoint!;
  });
}

/**
 * Enables or disables an endpoint. Enabling a failed endpoint clears its failure streak, and the
 * deliveries it had pending go out again on the next round.
 */
export async function setWebhookEndpointEnabled(db: Db, merchantId: string, endpointId: string, enabled: boolean, context: AuditContext): Promise<WebhookEndpointSummary> {
  if (!isUuid(endpointId)) throw notFound();
  return db.transaction(async (tx) => {
    await lockActiveMerchant(tx, merchantId);
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set(enabled ? { status: "active", consecutiveFailures: 0, updatedAt: new Date() } : { status: "disabled", updatedAt: new Date() })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId)))
      .returning(summaryColumns);
    if (!endpoint) throw notFound();
    await recordAudit(tx, { merchantId, event: enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled", data: { endpointId } }, context);
    return endpoint;
  });
}

/** A new secret, returned once; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(
  db: Db,
  merchantId: string,
  endpointId: string,
  context: AuditContext,
  kek: KeyEncryptionKey = currentKek(),
): Promise<{ secret: string }> {
  if (!isUuid(endpointId)) throw notFound();
  const secret = generateWebhookSecret();
  await db.transaction(async (tx) => {
    await lockActiveMerchant(tx, merchantId);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ secretCiphertext: sealWebhookSecret(endpointId, secret, kek), secretLast4: secret.slice(-4), updatedAt: new Date() })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId)))
      .returning({ id: webhookEndpoints.id });
    if (!row) throw notFound();
    await recordAudit(tx, { merchantId, event: "webhook_endpoint.secret_rotated", data: { endpointId } }, context);
  });
  return { secret };
}

/** Deletes the endpoint with its delivery log (the events themselves stay in the outbox). */
export async function deleteWebhookEndpoint(db: Db, merchantId: string, endpointId: string, context: AuditContext): Promise<void> {
  if (!isUuid(endpointId)) throw notFound();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.merchantId, merchantId)))
      .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
    if (!row) throw notFound();
    await recordAudit(tx, { merchantId, event: "webhook_endpoint.deleted", data: { endpointId, url: row.url } }, context);
  });
}
