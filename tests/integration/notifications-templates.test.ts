import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { auditEntries, notificationTemplates } from "@/db/schema";
import { TEMPLATE_KEYS } from "@/lib/notifications/catalog";
import { defaultTemplate } from "@/lib/notifications/defaults";
import {
  ensureDefaultTemplates,
  getTemplate,
  listTemplates,
  resetTemplate,
  setTemplateActive,
  TemplateValidationError,
  updateTemplate,
} from "@/lib/notifications/templates";
import { DomainError } from "@/lib/domain";
import { createTestMerchant, MERCHANT_AUDIT } from "../helpers/merchant-fixtures";
import { createTestDatabase, targetName } from "../helpers/test-db";

let h: DatabaseHandle;
let db: Db;

beforeAll(async () => {
  h = await createTestDatabase();
  db = h.db;
});
afterAll(async () => h?.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected the promise to be rejected"),
    (e: unknown) => e,
  );
}

const audits = (merchantId: string) =>
  db.select({ event: auditEntries.event, data: auditEntries.data, actorType: auditEntries.actorType }).from(auditEntries).where(eq(auditEntries.merchantId, merchantId));

describe(`notification templates (${targetName()})`, () => {
  it("materialises a default row for every event and recipient, once", async () => {
    const { merchantId } = await createTestMerchant(db, { wallets: false });
    const rows = await listTemplates(db, merchantId);
    expect(rows.map((r) => `${r.eventType}:${r.recipient}`)).toEqual(TEMPLATE_KEYS.map((k) => `${k.eventType}:${k.recipient}`));
    for (const row of rows) {
      const d = defaultTemplate(row.eventType, row.recipient)!;
      expect({ subject: row.subject, body: row.bodyTemplate, active: row.isActive }).toEqual({ subject: d.subject, body: d.body, active: d.active });
    }
    // Again, and concurrently: the unique key keeps one row per (merchant, event, recipient).
    await Promise.all([listTemplates(db, merchantId), ensureDefaultTemplates(db, merchantId), ensureDefaultTemplates(db, merchantId)]);
    const all = await db.select().from(notificationTemplates).where(eq(notificationTemplates.merchantId, merchantId));
    expect(all).toHaveLength(16);
  });

  it("saves a valid edit and audits which fields changed", async () => {
    const { merchantId } = await createTestMerchant(db, { wallets: false });
    const key = { eventType: "invoice_paid", recipient: "customer" } as const;
    const saved = await updateTemplate(db, merchantId, key, { subject: "  Thanks for {{invoice.total}}  ", body: "Paid: {{invoice.url}}\r\nBye" }, MERCHANT_AUDIT);
    expect(saved.subject).toBe("Thanks for {{invoice.total}}");
    expect(saved.bodyTemplate).toBe("Paid: {{invoice.url}}\nBye");
    expect((await getTemplate(db, merchantId, key)).subject).toBe("Thanks for {{invoice.total}}");
    const entries = await audits(merchantId);
    const entry = entries.find((e) => e.event === "notification_template.updated")!;
    expect(entry.data).toMatchObject({ templateId: saved.id, eventType: "invoice_paid", recipient: "customer", changed: ["subject", "body"] });
    expect(entry.actorType).toBe("merchant");
    // Saving it unchanged writes and audits nothing.
    await updateTemplate(db, merchantId, key, { subject: "Thanks for {{invoice.total}}", body: "Paid: {{invoice.url}}\nBye" }, MERCHANT_AUDIT);
    expect((await audits(merchantId)).filter((a) => a.event === "notification_template.updated")).toHaveLength(1);
  });

  it("refuses an unknown variable, naming the field and the variable, and saves nothing", async () => {
    const { merchantId } = await createTestMerchant(db, { wallets: false });
    const key = { eventType: "invoice_created", recipient: "merchant" } as const;
    const before = await getTemplate(db, merchantId, key);
    const error = await rejection(updateTemplate(db, merchantId, key, { subject: "New {{invoice.id}}", body: "Total {{invoice.totl}}" }, MERCHANT_AUDIT));
    expect(error).toBeInstanceOf(TemplateValidationError);
    const e = error as TemplateValidationError;
    expect(e.details).toMatchObject({ field: "body" });
    expect(e.errors.body).toContain("{{invoice.totl}}");
    expect(e.errors.subject).toBeUndefined();
    const after = await getTemplate(db, merchantId, key);
    expect({ subject: after.subject, body: after.bodyTemplate }).toEqual({ subject: before.subject, body: before.bodyTemplate });
    expect((await audits(merchantId)).some((a) => a.event === "notification_template.updated")).toBe(false);
  });

  it("resets to the default and switches templates on and off, each audited", async () => {
    const { merchantId } = await createTestMerchant(db, { wallets: false });
    const key = { eventType: "payment_failed", recipient: "merchant" } as const;
    await updateTemplate(db, merchantId, key, { subject: "Custom", body: "Custom body {{payment.failureReason}}" }, MERCHANT_AUDIT);
    const off = await setTemplateActive(db, merchantId, key, false, MERCHANT_AUDIT);
    expect(off.isActive).toBe(false);
    const reset = await resetTemplate(db, merchantId, key, MERCHANT_AUDIT);
    expect({ subject: reset.subject, body: reset.bodyTemplate, active: reset.isActive }).toEqual({
      subject: defaultTemplate("payment_failed", "merchant")!.subject,
      body: defaultTemplate("payment_failed", "merchant")!.body,
      active: false,
    });
    await setTemplateActive(db, merchantId, key, true, MERCHANT_AUDIT);
    expect((await audits(merchantId)).map((a) => a.event).filter((e) => e.startsWith("notification_template.")).sort()).toEqual(
      ["notification_template.activated", "notification_template.deactivated", "notification_template.reset", "notification_template.updated"].sort(),
    );
  });

  it("keeps merchants apart and refuses a recipient an event does not have", async () => {
    const a = await createTestMerchant(db, { wallets: false });
    const b = await createTestMerchant(db, { wallets: false });
    const key = { eventType: "invoice_expired", recipient: "customer" } as const;
    await updateTemplate(db, a.merchantId, key, { subject: "A only", body: "A" }, MERCHANT_AUDIT);
    expect((await getTemplate(db, b.merchantId, key)).subject).toBe(defaultTemplate("invoice_expired", "customer")!.subject);
    const wrong = await rejection(updateTemplate(db, a.merchantId, { eventType: "merchant_suspended", recipient: "customer" }, { subject: "x", body: "y" }, MERCHANT_AUDIT));
    expect(wrong).toBeInstanceOf(DomainError);
    expect((wrong as DomainError).code).toBe("notification_template.not_found");
    const rows = await db
      .select()
      .from(notificationTemplates)
      .where(and(eq(notificationTemplates.merchantId, a.merchantId), eq(notificationTemplates.eventType, "merchant_suspended")));
    expect(rows.map((r) => r.recipient)).toEqual([]);
  });
});
