// Merchant plans: hard limits and the permissions an API key may hold (spec, Merchant Aggregate:
// "API key permissions ⊆ merchant plan permissions", plan limits on keys and webhook endpoints).
import { DomainError } from "./errors";

export const MERCHANT_STATUSES = ["active", "suspended", "pending_verification", "closed"] as const;
export type MerchantStatus = (typeof MERCHANT_STATUSES)[number];

export const PLAN_TYPES = ["free", "pro", "enterprise"] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

export const API_KEY_TYPES = ["live", "test"] as const;
export type ApiKeyType = (typeof API_KEY_TYPES)[number];

export const API_PERMISSIONS = [
  "invoices:read",
  "invoices:write",
  "customers:read",
  "customers:write",
  "payment_links:read",
  "payment_links:write",
  "webhooks:read",
  "webhooks:write",
  "analytics:read",
] as const;
export type ApiPermission = (typeof API_PERMISSIONS)[number];

export interface PlanLimits {
  /** null means unlimited. */
  readonly apiKeys: number | null;
  readonly webhookEndpoints: number | null;
  readonly permissions: readonly ApiPermission[];
}

/** Free plans get everything but analytics. */
const BASE_PERMISSIONS: readonly ApiPermission[] = API_PERMISSIONS.filter((p) => p !== "analytics:read");

export const PLAN_LIMITS: Readonly<Record<PlanType, PlanLimits>> = Object.freeze({
  free: Object.freeze({ apiKeys: 2, webhookEndpoints: 1, permissions: BASE_PERMISSIONS }),
  pro: Object.freeze({ apiKeys: 10, webhookEndpoints: 5, permissions: API_PERMISSIONS }),
  enterprise: Object.freeze({ apiKeys: null, webhookEndpoints: null, permissions: API_PERMISSIONS }),
});

export function isApiPermission(value: unknown): value is ApiPermission {
  return typeof value === "string" && (API_PERMISSIONS as readonly string[]).includes(value);
}

/** Refuses any permission the plan does not grant, naming each one. */
export function assertPermissionsWithinPlan(plan: PlanType, requested: readonly string[]): ApiPermission[] {
  const unknown = requested.filter((p) => !isApiPermission(p));
  if (unknown.length > 0) {
    throw new DomainError("api_key.unknown_permission", `Unknown permission: ${unknown.join(", ")}`, {
      permissions: unknown,
    });
  }
  const allowed = PLAN_LIMITS[plan].permissions;
  const outside = requested.filter((p) => !allowed.includes(p as ApiPermission));
  if (outside.length > 0) {
    throw new DomainError(
      "plan.permission_not_included",
      `The ${plan} plan does not include ${outside.join(", ")}; upgrade the plan or choose fewer permissions`,
      { plan, permissions: outside },
    );
  }
  return [...new Set(requested as ApiPermission[])];
}

export type PlanResource = "apiKeys" | "webhookEndpoints";

const RESOURCE_NAMES: Record<PlanResource, string> = { apiKeys: "API keys", webhookEndpoints: "webhook endpoints" };

/** Refuses creating one more `resource` when `current` already reaches the plan's limit. */
export function assertWithinPlanLimit(plan: PlanType, resource: PlanResource, current: number): void {
  const limit = PLAN_LIMITS[plan][resource];
  if (limit !== null && current >= limit) {
    throw new DomainError(
      "plan.limit_reached",
      `The ${plan} plan allows ${limit} active ${RESOURCE_NAMES[resource]}; revoke one or upgrade the plan`,
      { plan, limit: resource, max: limit, current },
    );
  }
}

/**
 * Whether a key of this type may be used while the merchant has this status. Live keys need an
 * active merchant; test keys also work while the merchant awaits verification, so integration can
 * start before go-live. Suspended and closed merchants can use neither.
 */
export function keyUsableForStatus(keyType: ApiKeyType, status: MerchantStatus): boolean {
  if (keyType === "live") return status === "active";
  return status === "active" || status === "pending_verification";
}
