import { and, eq, inArray } from "drizzle-orm";
import type { Db, Executor } from "@/db";
import { notificationTemplates } from "@/db/schema";
import { recordAudit, type AuditContext } from "@/lib/audit";
import { DomainError } from "@/lib/domain";
import { recipientsFor, TEMPLATE_KEYS, type NotificationEvent, type NotificationRecipient } from "./catalog";
import { defaultTemplate } from "./defaults";
import { validateTemplate, type TemplateErrors, type TemplateFields } from "./render";

/** A merchant's NotificationTemplates: defaults materialised on first use, edits validated and audited. */

export type TemplateRow = typeof notificationTemplates.$inferSelect;
export type TemplateKey = { eventType: NotificationEvent; recipient: NotificationRecipient };

/** A template that cannot be saved; `errors` names each failing field. */
export class TemplateValidationError extends DomainError {
  constructor(readonly errors: TemplateErrors) {
    const field = (Object.keys(errors) as (keyof TemplateErrors)[])[0]!;
    super("notification_template.invalid", errors[field]!, { field, errors });
  }
}

/**
 * Inserts the default template of each key the merchant does not have yet. On the unique key, so
 * concurrent callers (a page view and the outbox dispatcher) cannot create two.
 */
export async function ensureDefaultTemplates(db: Executor, merchantId: string, keys: readonly TemplateKey[] = TEMPLATE_KEYS): Promise<void> {
  const rows = keys.flatMap(({ eventType, recipient }) => {
    const d = defaultTemplate(eventType, recipient);
    return d ? [{ merchantId, eventType, recipient, subject: d.subject, bodyTemplate: d.body, isActive: d.active }] : [];
  });
  if (rows.length === 0) return;
  await db
    .insert(notificationTemplates)
    .values(rows)
    .onConflictDoNothing({ target: [notificationTemplates.merchantId, notificationTemplates.eventType, notificationTemplates.recipient] });
}

const order = (t: TemplateKey) => TEMPLATE_KEYS.findIndex((k) => k.eventType === t.eventType && k.recipient === t.recipient);

/** Every template of the merchant, defaults included, in the catalogue's order. */
export async function listTemplates(db: Executor, merchantId: string): Promise<TemplateRow[]> {
  const read = () => db.select().from(notificationTemplates).where(eq(notificationTemplates.merchantId, merchantId));
  let rows = await read();
  if (rows.length < TEMPLATE_KEYS.length) {
    await ensureDefaultTemplates(db, merchantId);
    rows = await read();
  }
  return rows.sort((a, b) => order(a) - order(b));
}

/** The templates an event may send, defaults materialised first. */
export async function templatesForEvent(db: Executor, merchantId: string, eventType: NotificationEvent): Promise<TemplateRow[]> {
  const recipients = recipientsFor(eventType);
  const read = () =>
    db
      .select()
      .from(notificationTemplates)
      .where(
        and(
          eq(notificationTemplates.merchantId, merchantId),
          eq(notificationTemplates.eventType, eventType),
          inArray(notificationTemplates.recipient, [...recipients]),
        ),
      );
  const rows = await read();
  if (rows.length === recipients.length) return rows; // the usual case: no write in the relay's transaction
  await ensureDefaultTemplates(db, merchantId, recipients.map((recipient) => ({ eventType, recipient })));
  return read();
}

function assertKey(key: TemplateKey): void {
  if (!recipientsFor(key.eventType).includes(key.recipient)) {
    throw new DomainError("notification_template.not_found", "There is no such notification template");
  }
}

export async function getTemplate(db: Executor, merchantId: string, key: TemplateKey): Promise<TemplateRow> {
  assertKey(key);
  const [row] = await db.select().from(notificationTemplates).where(keyWhere(merchantId, key));
  if (row) return row;
  await ensureDefaultTemplates(db, merchantId, [key]);
  const [created] = await db.select().from(notificationTemplates).where(keyWhere(merchantId, key));
  return created!;
}

function keyWhere(merchantId: string, key: TemplateKey) {
  return and(
    eq(notificationTemplates.merchantId, merchantId),
    eq(notificationTemplates.eventType, key.eventType),
    eq(notificationTemplates.recipient, key.recipient),
  );
}

async function writeTemplate(
  db: Db,
  merchantId: string,
  key: TemplateKey,
  set: Partial<Pick<TemplateRow, "subject" | "bodyTemplate" | "isActive">>,
  audit: { event: string; context: AuditContext; data?: Record<string, unknown> },
): Promise<TemplateRow> {
  assertKey(key);
  return db.transaction(async (tx) => {
    await ensureDefaultTemplates(tx, merchantId, [key]);
    const [row] = await tx
      .update(notificationTemplates)
      .set(set)
      .where(keyWhere(merchantId, key))
      .returning();
    await recordAudit(
      tx,
      { merchantId, event: audit.event, data: { templateId: row!.id, eventType: key.eventType, recipient: key.recipient, ...audit.data } },
      audit.context,
    );
    return row!;
  });
}

/** Saves a new subject and body, refused (TemplateValidationError) when a field is invalid. */
export async function updateTemplate(db: Db, merchantId: string, key: TemplateKey, fields: TemplateFields, context: AuditContext): Promise<TemplateRow> {
  assertKey(key);
  const errors = validateTemplate(key.eventType, fields);
  if (Object.keys(errors).length > 0) throw new TemplateValidationError(errors);
  const subject = fields.subject.trim();
  const body = fields.body.replace(/\r\n?/g, "\n");
  const before = await getTemplate(db, merchantId, key);
  const changed = [...(before.subject !== subject ? ["subject"] : []), ...(before.bodyTemplate !== body ? ["body"] : [])];
  if (changed.length === 0) return before; // nothing to write or audit
  return writeTemplate(db, merchantId, key, { subject, bodyTemplate: body }, { event: "notification_template.updated", context, data: { changed } });
}

/** Puts the default subject and body back (the active switch is left as it is). */
export async function resetTemplate(db: Db, merchantId: string, key: TemplateKey, context: AuditContext): Promise<TemplateRow> {
  assertKey(key);
  const d = defaultTemplate(key.eventType, key.recipient)!;
  return writeTemplate(db, merchantId, key, { subject: d.subject, bodyTemplate: d.body }, { event: "notification_template.reset", context });
}

export async function setTemplateActive(db: Db, merchantId: string, key: TemplateKey, active: boolean, context: AuditContext): Promise<TemplateRow> {
  return writeTemplate(db, merchantId, key, { isActive: active }, {
    event: active ? "notification_template.activated" : "notification_template.deactivated",
    context,
  });
}
