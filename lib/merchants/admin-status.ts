import { DomainError, type MerchantStatus } from "@/lib/domain";

/**
 * What an admin may do to a merchant's status, as one table (pure; the commands in
 * admin-commands.ts apply it inside their transaction). Closed is terminal: nothing leaves it,
 * which is what makes closing irreversible. Suspending keeps the data and refuses the merchant's
 * API keys (lib/domain keyUsableForStatus); reactivating makes the merchant active again.
 */

export const MERCHANT_ADMIN_ACTIONS = ["verify", "suspend", "reactivate", "close"] as const;
export type MerchantAdminAction = (typeof MERCHANT_ADMIN_ACTIONS)[number];

type Rule = { from: readonly MerchantStatus[]; to: MerchantStatus; eventType: string; auditEvent: string; verb: string };

export const MERCHANT_STATUS_RULES: Readonly<Record<MerchantAdminAction, Rule>> = Object.freeze({
  verify: { from: ["pending_verification"], to: "active", eventType: "MerchantVerified", auditEvent: "merchant.verified", verb: "verify" },
  suspend: { from: ["active", "pending_verification"], to: "suspended", eventType: "MerchantSuspended", auditEvent: "merchant.suspended", verb: "suspend" },
  reactivate: { from: ["suspended"], to: "active", eventType: "MerchantReactivated", auditEvent: "merchant.reactivated", verb: "reactivate" },
  close: { from: ["active", "suspended", "pending_verification"], to: "closed", eventType: "MerchantClosed", auditEvent: "merchant.closed", verb: "close" },
});

export function isMerchantAdminAction(value: unknown): value is MerchantAdminAction {
  return typeof value === "string" && (MERCHANT_ADMIN_ACTIONS as readonly string[]).includes(value);
}

/** The actions allowed from `status`, in display order. */
export function allowedMerchantActions(status: MerchantStatus): MerchantAdminAction[] {
  return MERCHANT_ADMIN_ACTIONS.filter((action) => MERCHANT_STATUS_RULES[action].from.includes(status));
}

const STATUS_WORDS: Record<MerchantStatus, string> = {
  active: "active",
  suspended: "suspended",
  pending_verification: "awaiting verification",
  closed: "closed",
};

export const merchantStatusWords = (status: MerchantStatus) => STATUS_WORDS[status];

/** The status after `action`, or a DomainError saying why the action is refused from `from`. */
export function nextMerchantStatus(from: MerchantStatus, action: MerchantAdminAction): MerchantStatus {
  const rule = MERCHANT_STATUS_RULES[action];
  if (rule.from.includes(from)) return rule.to;
  const why = from === "closed" ? "a closed merchant cannot be changed; closing is permanent" : `it is ${STATUS_WORDS[from]}`;
  throw new DomainError("merchant.illegal_transition", `Cannot ${rule.verb} this merchant: ${why}.`, { from, action });
}

export const SUSPEND_REASON_MAX = 500;

/** A suspension needs a reason the merchant can be told: 3-500 printable characters. */
export function parseSuspendReason(raw: unknown): string {
  const reason = typeof raw === "string" ? raw.trim() : "";
  if (reason.length < 3) {
    throw new DomainError("merchant.reason_required", "Give a reason for the suspension (at least 3 characters).", { field: "reason" });
  }
  if (reason.length > SUSPEND_REASON_MAX) {
    throw new DomainError("merchant.reason_too_long", `Keep the reason under ${SUSPEND_REASON_MAX} characters.`, { field: "reason" });
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(reason)) {
    throw new DomainError("merchant.reason_invalid", "Use printable characters only in the reason.", { field: "reason" });
  }
  return reason;
}
