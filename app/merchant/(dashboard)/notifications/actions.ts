"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { merchantActionContext } from "@/lib/merchants/action-context";
import { DomainError } from "@/lib/domain";
import { isNotificationEvent, isNotificationRecipient, recipientsFor } from "@/lib/notifications/catalog";
import { resetTemplate, setTemplateActive, TemplateValidationError, updateTemplate, type TemplateKey } from "@/lib/notifications/templates";
import type { TemplateFormState } from "@/components/merchant/notification-template-form";

const merchantContext = () => merchantActionContext("/merchant/notifications");

function templateKey(formData: FormData): TemplateKey | null {
  const eventType = formData.get("eventType");
  const recipient = formData.get("recipient");
  if (!isNotificationEvent(eventType) || !isNotificationRecipient(recipient)) return null;
  return recipientsFor(eventType).includes(recipient) ? { eventType, recipient } : null;
}

function revalidate(key: TemplateKey) {
  revalidatePath("/merchant/notifications");
  revalidatePath(`/merchant/notifications/${key.eventType}/${key.recipient}`);
}

/** Save (intent "save") or put the default back (intent "reset"). */
export async function saveTemplateAction(_prev: TemplateFormState, formData: FormData): Promise<TemplateFormState> {
  const { merchantId, audit } = await merchantContext();
  const key = templateKey(formData);
  if (!key) return { error: "This notification does not exist. Go back to the list and pick one." };
  const db = await getDb();
  const values = { subject: String(formData.get("subject") ?? ""), body: String(formData.get("body") ?? "") };
  try {
    if (formData.get("intent") === "reset") {
      const row = await resetTemplate(db, merchantId, key, audit);
      revalidate(key);
      return { success: "The default subject and body are back.", saved: { subject: row.subject, body: row.bodyTemplate, at: Date.now() } };
    }
    const row = await updateTemplate(db, merchantId, key, values, audit);
    revalidate(key);
    return { success: "Saved. New notifications use this template.", saved: { subject: row.subject, body: row.bodyTemplate, at: Date.now() } };
  } catch (error) {
    if (error instanceof TemplateValidationError) return { fieldErrors: error.errors, values };
    if (error instanceof DomainError) return { error: error.message, values };
    throw error;
  }
}

export async function toggleTemplateAction(formData: FormData): Promise<void> {
  const { merchantId, audit } = await merchantContext();
  const key = templateKey(formData);
  if (!key) return;
  await setTemplateActive(await getDb(), merchantId, key, formData.get("active") === "true", audit);
  revalidate(key);
}
