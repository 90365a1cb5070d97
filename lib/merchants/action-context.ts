import { headers } from "next/headers";
import type { z } from "zod";
import type { AuditContext } from "@/lib/audit";
import { requireMerchant } from "@/lib/auth/current-merchant";
import { clientIp } from "@/lib/auth/request-info";
import { DomainError } from "@/lib/domain";

/** What a merchant dashboard server action needs: the signed-in merchant and the audit context of the request. */
export async function merchantActionContext(returnTo?: string): Promise<{ merchantId: string; audit: AuditContext }> {
  const merchant = await requireMerchant(returnTo);
  const h = await headers();
  return {
    merchantId: merchant.id,
    audit: { actor: { type: "merchant", id: merchant.id }, ipAddress: clientIp(h), userAgent: h.get("user-agent") },
  };
}

/** The first message per field of a failed parse, keyed by the field's name. */
export function firstErrorPerField(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? "form")] ??= issue.message;
  return out;
}

/** A DomainError as a form's answer (on its field when it names one); anything else is rethrown. */
export function domainErrorState(error: unknown): { error?: string; fieldErrors?: Record<string, string> } {
  if (error instanceof DomainError) {
    const field = typeof error.details?.field === "string" ? error.details.field : null;
    return field ? { fieldErrors: { [field]: error.message } } : { error: error.message };
  }
  throw error;
}
