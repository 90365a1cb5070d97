import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NotificationSwitch } from "@/components/merchant/notification-switch";
import { NotificationTemplateForm } from "@/components/merchant/notification-template-form";
import { Badge } from "@/components/ui/badge";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { settings } from "@/lib/config";
import { EVENT_DESCRIPTIONS, EVENT_LABELS, isNotificationEvent, isNotificationRecipient, recipientsFor, variablesFor } from "@/lib/notifications/catalog";
import { merchantNotificationAddress } from "@/lib/notifications/deliveries";
import { getTemplate } from "@/lib/notifications/templates";
import { sampleValues } from "@/lib/notifications/values";
import { saveTemplateAction, toggleTemplateAction } from "../../actions";

type Params = { eventType: string; recipient: string };

function keyOf(params: Params) {
  const { eventType, recipient } = params;
  if (!isNotificationEvent(eventType) || !isNotificationRecipient(recipient) || !recipientsFor(eventType).includes(recipient)) return null;
  return { eventType, recipient };
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const key = keyOf(await params);
  return { title: key ? `${EVENT_LABELS[key.eventType]} email · Notifications` : "Notifications" };
}

export default async function NotificationTemplatePage({ params }: { params: Promise<Params> }) {
  const key = keyOf(await params);
  if (!key) notFound();
  const path = `/merchant/notifications/${key.eventType}/${key.recipient}`;
  const merchant = await requireMerchant(path);
  const db = await getDb();
  const [template, address] = await Promise.all([getTemplate(db, merchant.id, key), merchantNotificationAddress(db, merchant.id)]);
  const label = EVENT_LABELS[key.eventType];
  const variables = variablesFor(key.eventType);
  const sample = sampleValues(key.eventType, { name: merchant.businessName, email: address ?? merchant.contactEmail }, settings().APP_URL);
  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <Link href="/merchant/notifications" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Notifications
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold tracking-tight">{label}</h1>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
              <Badge tone={key.recipient === "customer" ? "sky" : "indigo"}>{key.recipient === "customer" ? "to the customer" : "to you"}</Badge>
              <span>{EVENT_DESCRIPTIONS[key.eventType]}</span>
            </p>
          </div>
          <NotificationSwitch action={toggleTemplateAction} eventType={key.eventType} recipient={key.recipient} active={template.isActive} label={`Send “${label}” emails`} />
        </div>
        {!template.isActive && (
          <p className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300">
            This email is switched off: nothing is sent until you switch it on. You can still edit it.
          </p>
        )}
      </div>
      <NotificationTemplateForm
        action={saveTemplateAction}
        eventType={key.eventType}
        recipient={key.recipient}
        subject={template.subject}
        body={template.bodyTemplate}
        variables={variables}
        sample={sample}
      />
    </div>
  );
}
