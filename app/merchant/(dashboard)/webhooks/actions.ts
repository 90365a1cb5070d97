"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { domainErrorState, firstErrorPerField, merchantActionContext } from "@/lib/merchants/action-context";
import { getSystemConfig } from "@/lib/system-config";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver";
import { webhookEndpointSchema } from "@/lib/webhooks/endpoint-input";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointEnabled, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { isUuid } from "@/lib/uuid";
import { findDelivery, queueTestEvent, redeliver } from "@/lib/webhooks/log";

export type WebhookFormState = {
  error?: string;
  success?: string;
  fieldErrors?: Record<string, string>;
  /** A signing secret, shown once. */
  secret?: string;
  endpointId?: string;
  deliveryId?: string;
};

async function parseEndpointForm(formData: FormData) {
  const { securitySettings } = await getSystemConfig(await getDb());
  return webhookEndpointSchema({ allowHttpToLocalhost: securitySettings.allowHttpWebhooksToLocalhost }).safeParse({
    url: String(formData.get("url") ?? ""),
    events: formData.getAll("events").map(String),
    maxRetries: formData.get("maxRetries") ?? undefined,
    retryBackoff: formData.get("retryBackoff") ?? undefined,
    timeoutSeconds: formData.get("timeoutSeconds") ?? undefined,
    allowedIps: String(formData.get("allowedIps") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean),
  });
}

export async function createWebhookEndpointAction(_prev: WebhookFormState, formData: FormData): Promise<WebhookFormState> {
  const { merchantId, audit } = await merchantActionContext();
  const parsed = await parseEndpointForm(formData);
  if (!parsed.success) return { fieldErrors: firstErrorPerField(parsed.error) };
  try {
    const { endpoint, secret } = await createWebhookEndpoint(await getDb(), merchantId, parsed.data, audit);
    revalidatePath("/merchant/webhooks");
    return { secret, endpointId: endpoint.id, success: "Endpoint added. Copy its signing secret now: it will not be shown again." };
  } catch (error) {
    return domainErrorState(error);
  }
}

export async function updateWebhookEndpointAction(_prev: WebhookFormState, formData: FormData): Promise<WebhookFormState> {
  const { merchantId, audit } = await merchantActionContext();
  const endpointId = String(formData.get("endpointId") ?? "");
  const parsed = await parseEndpointForm(formData);
  if (!parsed.success) return { fieldErrors: firstErrorPerField(parsed.error) };
  try {
    await updateWebhookEndpoint(await getDb(), merchantId, endpointId, parsed.data, audit);
    revalidatePath(`/merchant/webhooks/${endpointId}`);
    return { success: "Saved." };
  } catch (error) {
    return domainErrorState(error);
  }
}

export async function setWebhookEndpointEnabledAction(formData: FormData): Promise<void> {
  const { merchantId, audit } = await merchantActionContext();
  const endpointId = String(formData.get("endpointId") ?? "");
  if (!isUuid(endpointId)) return;
  await setWebhookEndpointEnabled(await getDb(), merchantId, endpointId, formData.get("enabled") === "true", audit);
  revalidatePath(`/merchant/webhooks/${endpointId}`);
  revalidatePath("/merchant/webhooks");
}

export async function rotateWebhookSecretAction(_prev: WebhookFormState, formData: FormData): Promise<WebhookFormState> {
  const { merchantId, audit } = await merchantActionContext();
  try {
    const { secret } = await rotateWebhookSecret(await getDb(), merchantId, String(formData.get("endpointId") ?? ""), audit);
    revalidatePath(`/merchant/webhooks/${String(formData.get("endpointId"))}`);
    return { secret, success: "New secret created. Deliveries are signed with it from now on; copy it now." };
  } catch (error) {
    return domainErrorState(error);
  }
}

export async function deleteWebhookEndpointAction(formData: FormData): Promise<void> {
  const { merchantId, audit } = await merchantActionContext();
  const endpointId = String(formData.get("endpointId") ?? "");
  if (!isUuid(endpointId)) return;
  await deleteWebhookEndpoint(await getDb(), merchantId, endpointId, audit);
  revalidatePath("/merchant/webhooks");
  redirect("/merchant/webhooks");
}

/** Sends at once and reports the outcome, so the merchant sees the result without waiting for the worker. */
async function deliverNow(merchantId: string, deliveryId: string, sent: string): Promise<WebhookFormState> {
  const db = await getDb();
  await deliverDueWebhooks(db, { deliveryIds: [deliveryId] });
  const delivery = await findDelivery(db, merchantId, deliveryId);
  const last = delivery?.attempts.at(-1);
  if (!delivery || !last) return { success: `${sent} It is queued and will be sent shortly.`, deliveryId };
  if (delivery.status === "succeeded") return { success: `${sent} The endpoint answered HTTP ${last.statusCode} in ${last.latencyMs} ms.`, deliveryId };
  const why = last.statusCode ? `HTTP ${last.statusCode}` : (last.error ?? "no answer");
  return { error: `${sent} It failed: ${why}.${delivery.status === "pending" ? " It will be retried." : ""}`, deliveryId };
}

export async function sendTestEventAction(_prev: WebhookFormState, formData: FormData): Promise<WebhookFormState> {
  const { merchantId, audit } = await merchantActionContext();
  const endpointId = String(formData.get("endpointId") ?? "");
  try {
    const deliveryId = await queueTestEvent(await getDb(), merchantId, endpointId, audit);
    const result = await deliverNow(merchantId, deliveryId, "Test event sent.");
    revalidatePath(`/merchant/webhooks/${endpointId}`);
    return result;
  } catch (error) {
    return domainErrorState(error);
  }
}

export async function redeliverAction(_prev: WebhookFormState, formData: FormData): Promise<WebhookFormState> {
  const { merchantId, audit } = await merchantActionContext();
  const deliveryId = String(formData.get("deliveryId") ?? "");
  try {
    await redeliver(await getDb(), merchantId, deliveryId, audit);
    const result = await deliverNow(merchantId, deliveryId, "Redelivered.");
    revalidatePath(`/merchant/webhooks/deliveries/${deliveryId}`);
    return result;
  } catch (error) {
    return domainErrorState(error);
  }
}
