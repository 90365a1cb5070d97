import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { merchants, notificationDeliveries, notificationTemplates } from "@/db/schema";
import { merchantAddress } from "./context";

/** The merchant's latest NotificationDeliveries, newest first, for the dashboard. */
export type DeliveryListItem = {
  id: string;
  createdAt: Date;
  sentAt: Date | null;
  recipientAddress: string;
  subject: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  eventType: string | null;
  recipient: "customer" | "merchant" | null;
};

export async function listRecentDeliveries(db: Executor, merchantId: string, limit = 50): Promise<DeliveryListItem[]> {
  return db
    .select({
      id: notificationDeliveries.id,
      createdAt: notificationDeliveries.createdAt,
      sentAt: notificationDeliveries.sentAt,
      recipientAddress: notificationDeliveries.recipientAddress,
      subject: notificationDeliveries.subject,
      status: notificationDeliveries.status,
      attempts: notificationDeliveries.attempts,
      nextAttemptAt: notificationDeliveries.nextAttemptAt,
      lastError: notificationDeliveries.lastError,
      eventType: notificationTemplates.eventType,
      recipient: notificationTemplates.recipient,
    })
    .from(notificationDeliveries)
    .leftJoin(notificationTemplates, eq(notificationTemplates.id, notificationDeliveries.templateId))
    .where(eq(notificationDeliveries.merchantId, merchantId))
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
    .limit(limit);
}

/** Where the merchant's own notifications go: the notification address, else the contact email. */
export async function merchantNotificationAddress(db: Executor, merchantId: string): Promise<string | null> {
  const [row] = await db.select({ contactEmail: merchants.contactEmail, settings: merchants.settings }).from(merchants).where(eq(merchants.id, merchantId));
  return row ? merchantAddress(row) : null;
}
